/**
 * GIVEN an agent with the reference memory MCP server
 * WHEN it synthesizes
 * THEN the server runs in a hardened container of its own, on an internal network shared only
 *      with the gateway, built from the exact package pinned by its lockfile or integrity; the
 *      gateway reaches it by url and never starts a server; bad pins are refused with the fix.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { auditStack, readStack } from '../../src';
import { mcpBuildFiles } from '../../src/mcp/mcp-image';
import { validateMcpServer } from '../../src/mcp/mcp-server';
import { mcpSubnets } from '../../src/mcp/mcp-server-container';
import { firewallScript } from '../../src/host/user-data';
import { McpServer, McpServerContainer, RiskProfile } from '../../src';
import { buildFleet, presetAgents } from '../fleet/helpers';
import {
  MEMORY_INTEGRITY,
  MEMORY_LOCKFILE,
  MEMORY_PACKAGE,
  MEMORY_SERVER,
  synthGatewayBesideMcp,
} from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const profile = RiskProfile.custom(RiskProfile.research(), {
  name: 'research-notes',
  mcpPackages: [MEMORY_PACKAGE],
});
const research = presetAgents().find((a) => a.profile.name === 'research')!;

function synthAgent(servers: McpServer[] = [{ ...MEMORY_SERVER, lockfile: MEMORY_LOCKFILE }]) {
  const { app, fleet, docker } = buildFleet({
    agents: [{ ...research, name: 'notes', profile, mcpServers: servers }],
  });
  const json: Json = JSON.parse(Testing.synth(docker));
  return { app, fleet, json, agent: fleet.agents.notes };
}

describe('an MCP server in a container of its own', () => {
  const { json, agent } = synthAgent();
  const container = json.resource.docker_container['openclaw-notes-mcp-memory'];
  const network = json.resource.docker_network['openclaw-notes-mcp-memory'];
  const gateway = json.resource.docker_container['openclaw-notes-gateway'];

  test('runs hardened as every cell container: caps, no-new-privileges, seccomp, read-only, uid 1000, limits, logs', () => {
    expect(container.capabilities).toEqual({ drop: ['ALL'] });
    expect(container.security_opts[0]).toBe('no-new-privileges:true');
    expect(container.security_opts[1]).toMatch(/^seccomp=\{/);
    expect(container.read_only).toBe(true);
    expect(container.user).toBe('1000:1000');
    expect([container.memory, container.memory_swap, container.cpu_quota]).toEqual([
      256, 256, 50000,
    ]);
    // Node's whole heap at 192 MiB: 144 old space and three 16 MiB semi-spaces
    expect(container.env).toContain(
      'NODE_OPTIONS=--max-old-space-size=144 --max-semi-space-size=16',
    );
    expect(container.cgroup_parent).toBe('openclaw-notes.slice');
    expect(container.log_driver).toBeDefined();
    expect(container.ports ?? []).toEqual([]);
    expect(container.labels).toContainEqual({ label: 'openclaw.role', value: 'mcp-server' });
  });

  test('its network is internal and has two members: the server and this agent gateway', () => {
    expect(network.internal).toBe(true);
    expect(network.options['com.docker.network.bridge.enable_ip_masquerade']).toBe('false');
    const ref = '${docker_network.openclaw-notes-mcp-memory.name}';
    const members = Object.entries<Json>(json.resource.docker_container)
      .filter(([, c]) => (c.networks_advanced ?? []).some((n: Json) => n.name === ref))
      .map(([k]) => k)
      .sort();
    expect(members).toEqual(['openclaw-notes-gateway', 'openclaw-notes-mcp-memory']);
    expect(container.networks_advanced).toHaveLength(1);
    expect(agent.mcpServers.memory.subnet).toMatch(/^172\.28\.\d+\.\d+\/29$/);
  });

  test('the gateway reaches it by url over streamable HTTP and never starts a server', () => {
    const doc = agent.gateway.gatewayConfig.rendered.document as Json;
    expect(doc.mcp.servers).toEqual({
      memory: {
        enabled: true,
        url: agent.mcpServers.memory.url,
        transport: 'streamable-http',
      },
    });
    expect(JSON.stringify(gateway.env)).not.toMatch(/npx|"command"|server-memory/);
  });

  test('the env holds no secret, and the bridge accepts only its own address as Host', () => {
    expect(container.env).toContain('MEMORY_FILE_PATH=/data/memory.jsonl');
    expect(container.env).toContain(`MCP_BRIDGE_HOST=${agent.mcpServers.memory.address}:8808`);
  });

  test('the checklist passes it, and holds it to the container items', () => {
    const audit = (j: Json) => auditStack(readStack(j, 'agents'));
    const at = 'docker_container.openclaw-notes-mcp-memory';
    expect(audit(json).findings.filter((f) => f.address === at)).toEqual([]);
    const weak = structuredClone(json);
    Object.assign(weak.resource.docker_container['openclaw-notes-mcp-memory'], {
      read_only: false,
      capabilities: { drop: [] },
      user: '0:0',
    });
    weak.resource.docker_network['openclaw-notes-mcp-memory'].internal = false;
    expect(
      audit(weak)
        .findings.filter((f) => f.address === at)
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        'OC04-McpNoDirectEgress',
        'OC05-CapabilitiesDropped',
        'OC06-NonRootUser',
        'OC06-ReadOnlyRoot',
      ]),
    );
  });

  test('the host firewall drops the cell MCP block toward the host', () => {
    expect(agent.hostCell.mcpSubnet).toBe(`172.28.${agent.cellIndex}.0/24`);
    expect(firewallScript([agent.hostCell])).toContain(
      `iptables -A OPENCLAW-INPUT -s 172.28.${agent.cellIndex}.0/24 -j DROP`,
    );
  });
});

describe('the image is pinned for real', () => {
  const where = 'agent "notes"';

  test('a lockfile build runs npm ci from it, with the bridge locked too', () => {
    const files = mcpBuildFiles(
      validateMcpServer(
        { ...MEMORY_SERVER, integrity: undefined, lockfile: MEMORY_LOCKFILE },
        where,
      ),
    );
    expect(files['server/package-lock.json']).toBe(fs.readFileSync(MEMORY_LOCKFILE, 'utf8'));
    expect(files.Dockerfile).toContain('RUN npm ci --ignore-scripts --omit=dev');
    expect(files.Dockerfile).toMatch(/^FROM node:24\.\d+\.\d+-bookworm-slim$/m);
    expect(files.Dockerfile).toContain('USER 1000:1000');
    expect(
      JSON.parse(files['bridge/package-lock.json']).packages[
        'node_modules/@modelcontextprotocol/sdk'
      ].integrity,
    ).toMatch(/^sha512-/);
  });

  test('an integrity build checks the tarball sha512 before installing it', () => {
    const files = mcpBuildFiles(validateMcpServer(MEMORY_SERVER, where));
    expect(files.Dockerfile).toContain(
      `npm pack --silent --pack-destination /tmp ${MEMORY_PACKAGE}@`,
    );
    expect(files.Dockerfile).toContain(`'${MEMORY_INTEGRITY}'`);
    expect(files.Dockerfile).toContain('integrity mismatch');
    expect(files['server/package-lock.json']).toBeUndefined();
  });

  test('the synthesized context is a stack asset: a relative path, no machine path', () => {
    const { json } = synthAgent([MEMORY_SERVER]);
    const build = json.resource.docker_image['openclaw-notes-mcp-memory'].build;
    expect(build.context).toMatch(/^assets\/openclaw-mcp-[0-9a-f]{12}\/[0-9A-F]+$/i);
    expect(build.label['openclaw.mcp-package']).toBe(MEMORY_SERVER.package);
  });

  const lockWith = (change: (l: Json) => void): string => {
    const lock = JSON.parse(fs.readFileSync(MEMORY_LOCKFILE, 'utf8'));
    change(lock);
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-lock-')),
      'package-lock.json',
    );
    fs.writeFileSync(file, JSON.stringify(lock));
    return file;
  };

  test.each<[string, Json, string]>([
    [
      'no version',
      { name: 'm', package: MEMORY_PACKAGE, integrity: MEMORY_INTEGRITY },
      'has no version, so whatever is published next would run',
    ],
    [
      'a range',
      { name: 'm', package: `${MEMORY_PACKAGE}@^2026.8.0`, integrity: MEMORY_INTEGRITY },
      'which is a tag or a range and can change after review',
    ],
    [
      'no integrity and no lockfile',
      { name: 'm', package: `${MEMORY_PACKAGE}@2026.8.31` },
      `MCP server "m": "${MEMORY_PACKAGE}@2026.8.31" has no integrity, so a tampered tarball could be built; give integrity (npm view ${MEMORY_PACKAGE}@2026.8.31 dist.integrity) or a lockfile`,
    ],
    [
      'a sha1 integrity',
      { name: 'm', package: `${MEMORY_PACKAGE}@2026.8.31`, integrity: 'sha1-abc=' },
      'integrity "sha1-abc=" is not a sha512 integrity; copy the value of npm view',
    ],
    [
      'a bad name',
      { name: 'My Server', package: `${MEMORY_PACKAGE}@2026.8.31`, integrity: MEMORY_INTEGRITY },
      'the name must be lower-case letters, digits and "-" (at most 20), such as "github"',
    ],
    [
      'a credential in env',
      { ...MEMORY_SERVER, env: { GITHUB_TOKEN: 'x' } },
      "env GITHUB_TOKEN would carry a credential in the container's environment",
    ],
    [
      'a ${VAR} reference in env',
      { ...MEMORY_SERVER, env: { API_BASE: '${SECRET}' } },
      "env API_BASE would carry a credential in the container's environment",
    ],
    [
      'a lockfile that is missing',
      { ...MEMORY_SERVER, lockfile: '/nonexistent/package-lock.json' },
      'cannot read lockfile "/nonexistent/package-lock.json" (ENOENT); give the path of a package-lock.json',
    ],
    [
      'a lockfile of another version',
      {
        ...MEMORY_SERVER,
        package: `${MEMORY_PACKAGE}@2026.1.1`,
        lockfile: MEMORY_LOCKFILE,
      },
      `must depend on exactly ${MEMORY_PACKAGE}@2026.1.1 and nothing else`,
    ],
    [
      'a lockfile with an extra dependency',
      {
        ...MEMORY_SERVER,
        lockfile: lockWith((l) => (l.packages[''].dependencies['left-pad'] = '1.3.0')),
      },
      'and nothing else (it lists',
    ],
    [
      'a lockfile with a package without integrity',
      {
        ...MEMORY_SERVER,
        lockfile: lockWith((l) => delete l.packages['node_modules/zod'].integrity),
      },
      'has no sha512 integrity for node_modules/zod; make it in an empty folder with npm init -y && npm install --package-lock-only --save-exact',
    ],
    [
      'a lockfile that is not JSON',
      { ...MEMORY_SERVER, lockfile: __filename },
      'is not JSON; make it in an empty folder with npm init -y',
    ],
    [
      'a lockfile of version 1',
      { ...MEMORY_SERVER, lockfile: lockWith((l) => (l.lockfileVersion = 1)) },
      'is not a package-lock.json of lockfileVersion 2 or 3',
    ],
  ])('refuses %s, naming the fix', (_what, server, message) => {
    expect(() => validateMcpServer(server, where)).toThrow(message);
  });

  test('an agent refuses an unpinned or integrity-less server at construction', () => {
    expect(() =>
      synthAgent([{ name: 'memory', package: `${MEMORY_PACKAGE}@2026.8.31` } as never]),
    ).toThrow(/agent "notes" MCP server "memory": .* has no integrity/);
  });
});

describe('wiring errors', () => {
  test('a server listed twice on one agent', () => {
    expect(() => synthAgent([MEMORY_SERVER, MEMORY_SERVER])).toThrow(
      'agent "notes" (profile research-notes) lists MCP server "memory" twice; list each server once',
    );
  });

  test('a subnet that is public or too large, and one with no room for two members', () => {
    const make = (subnet: string) => () =>
      Testing.synthScope((scope) => {
        new McpServerContainer(scope, 'm', { agent: 'a', server: MEMORY_SERVER, subnet });
      });
    expect(make('8.8.8.0/29')).toThrow(
      'agent "a" MCP server "memory" subnet "8.8.8.0/29" must be a private IPv4 block from /24 to /29, such as "172.28.0.0/29"',
    );
    expect(make('172.28.0.0/16')).toThrow('must be a private IPv4 block from /24 to /29');
    expect(make('172.28.0.0/30')).toThrow('must be a private IPv4 block from /24 to /29');
    expect(make('172.28.0.0/29')).not.toThrow();
    // an address inside the block is read as its block
    Testing.synthScope((scope) => {
      const m = new McpServerContainer(scope, 'm', {
        agent: 'a',
        server: MEMORY_SERVER,
        subnet: '172.28.0.13/29',
      });
      expect([m.gatewayAddress, m.address]).toEqual(['172.28.0.10', '172.28.0.11']);
    });
  });

  test("an environment's name prefix names the container, network and volume; a bad one is refused", () => {
    Testing.synthScope((scope) => {
      const m = new McpServerContainer(scope, 'm', {
        agent: 'a',
        namePrefix: 'staging-',
        server: MEMORY_SERVER,
        subnet: '172.28.0.0/29',
      });
      expect(m.name).toBe('staging-openclaw-a-mcp-memory');
    });
    expect(() =>
      Testing.synthScope((scope) => {
        new McpServerContainer(scope, 'm', {
          agent: 'a',
          namePrefix: 'Staging',
          server: MEMORY_SERVER,
          subnet: '172.28.0.0/29',
        });
      }),
    ).toThrow('agent "a" namePrefix');
  });

  test('gateway.mcpServers beside mcpServers on a HardenedContainer', () => {
    expect(() =>
      synthGatewayBesideMcp(MEMORY_SERVER, {
        gateway: { mcpServers: [{ name: 'other', url: 'http://172.28.0.11:8808/mcp' }] },
      }),
    ).toThrow(
      'mcpServers wires gateway.mcpServers from the server containers; remove gateway.mcpServers',
    );
  });

  test('logging "none" is refused: the server\'s output is part of the audit trail', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new McpServerContainer(scope, 'm', {
          agent: 'x',
          server: MEMORY_SERVER,
          subnet: '172.28.0.0/29',
          logging: { driver: 'none' },
        });
      }),
    ).toThrow('logging driver "none" discards the MCP server "memory"\'s output');
  });
});

describe('server networks', () => {
  test('each server gets a /29 from its name alone; a new server moves no other', () => {
    const one = mcpSubnets(7, ['memory']);
    const two = mcpSubnets(7, ['github', 'memory']);
    expect(two.get('memory')).toBe(one.get('memory'));
    expect(new Set(two.values()).size).toBe(2);
    for (const s of two.values()) expect(s).toMatch(/^172\.28\.7\.\d+\/29$/);
  });

  test('names that collide still get distinct blocks', () => {
    const names = Array.from({ length: 32 }, (_, i) => `s${i}`);
    expect(new Set(mcpSubnets(1, names).values()).size).toBe(32);
    expect(() => mcpSubnets(1, [...names, 'one-more'])).toThrow(/at most 32 MCP servers/);
  });
});
