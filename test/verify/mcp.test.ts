/**
 * GIVEN what verify's probes saw of an MCP server container and of its gateway
 * WHEN the MCP checks judge it
 * THEN each weakening is a finding naming the container and the fix, and a sound server none.
 */
import { spawn } from 'child_process';
import * as net from 'net';
import { VERIFY_CHECKS } from '../../src/verify/checks';
import { PlannedContainer } from '../../src/verify/plan';
import {
  mcpNetworkFindings,
  mcpProbeFindings,
  mcpReachFindings,
  mcpReachTargets,
  plannedGatewayOf,
  mcpSecretMountFindings,
  plannedMcpServers,
  reachProbeScript,
} from '../../src/verify/mcp';
import { ContainerInspect } from '../../src/verify/docker-engine';

const MCP = 'openclaw-a-mcp-memory';
const GW = 'openclaw-a-gateway';

test('the MCP check ids are documented', () => {
  for (const id of [
    'VERIFY-McpTools',
    'VERIFY-McpNoRouteOut',
    'VERIFY-McpNetwork',
    'VERIFY-McpHostUnreachable',
    'VERIFY-McpIsolation',
    'VERIFY-McpSecrets',
  ])
    expect(VERIFY_CHECKS[id]).toBeDefined();
});

describe("an MCP server's secret files on the engine", () => {
  const SECRETS = `/run/openclaw/${MCP}/secrets`;
  const withMounts = (mounts: { Source: string; Destination: string; RW: boolean }[]) =>
    ({ Mounts: mounts.map((m) => ({ Type: 'bind', ...m })) }) as unknown as ContainerInspect;
  const gatewayOwn = {
    Source: `/run/openclaw/${GW}/secrets`,
    Destination: '/run/secrets/openclaw',
    RW: false,
  };

  test("read-only in the server's own container, and nowhere else: no finding", () => {
    const found = mcpSecretMountFindings(
      new Map([
        [MCP, withMounts([{ Source: SECRETS, Destination: '/run/secrets/mcp', RW: false }])],
        [GW, withMounts([gatewayOwn])],
      ]),
    );
    expect(found).toEqual([]);
  });

  test('the gateway mounting it, or the directory above it, and the server mounting it writable', () => {
    const found = mcpSecretMountFindings(
      new Map([
        [MCP, withMounts([{ Source: SECRETS, Destination: '/run/secrets/mcp', RW: true }])],
        [
          GW,
          withMounts([
            gatewayOwn,
            { Source: `/run/openclaw/${MCP}/`, Destination: '/srv/x', RW: false },
          ]),
        ],
      ]),
    );
    expect(found.map((f) => [f.id, f.container, f.message])).toEqual([
      ['VERIFY-McpSecrets', MCP, `mounts its secrets directory ${SECRETS} writable`],
      [
        'VERIFY-McpSecrets',
        GW,
        `mounts /run/openclaw/${MCP}/ at /srv/x: the credentials of MCP server ${MCP}`,
      ],
    ]);
    expect(found[1].fix).toBe(
      `remove the mount and cdktf deploy; only ${MCP} mounts its secrets directory`,
    );
  });
});

describe('its networks', () => {
  test('internal and shared with its gateway only: no finding', () => {
    expect(
      mcpNetworkFindings(MCP, GW, [{ name: MCP, internal: true, members: [MCP, GW] }]),
    ).toEqual([]);
  });

  test('a network with a route out', () => {
    const [f] = mcpNetworkFindings(MCP, GW, [{ name: MCP, internal: false, members: [MCP, GW] }]);
    expect(f).toMatchObject({ id: 'VERIFY-McpNoRouteOut', container: MCP });
    expect(f.fix).toContain(`docker network disconnect ${MCP} ${MCP}`);
  });

  test('a network shared with the broker, or without its gateway', () => {
    const found = mcpNetworkFindings(MCP, GW, [
      { name: MCP, internal: true, members: [MCP, GW, 'openclaw-a-broker'] },
      { name: 'other', internal: true, members: [MCP] },
    ]);
    expect(found.map((f) => [f.id, f.message])).toEqual([
      [
        'VERIFY-McpNetwork',
        `network ${MCP} has openclaw-a-broker, ${GW}, ${MCP}; planned: ${MCP} and ${GW} only`,
      ],
      ['VERIFY-McpNetwork', `network other has ${MCP}; planned: ${MCP} and ${GW} only`],
    ]);
  });
});

describe('the networks of a server with egress', () => {
  const BROKER = 'openclaw-a-broker';
  test('shared with its gateway and the broker the plan puts there: no finding', () => {
    expect(
      mcpNetworkFindings(MCP, GW, [{ name: MCP, internal: true, members: [MCP, GW, BROKER] }], {
        [MCP]: BROKER,
      }),
    ).toEqual([]);
  });
  test('another member beside them, or a route out, is still found', () => {
    const found = mcpNetworkFindings(
      MCP,
      GW,
      [{ name: MCP, internal: false, members: [MCP, GW, BROKER, 'openclaw-b-broker'] }],
      { [MCP]: BROKER },
    );
    expect(found.map((f) => [f.id, f.message])).toEqual([
      ['VERIFY-McpNoRouteOut', `joins ${MCP}, which is not an internal network`],
      [
        'VERIFY-McpNetwork',
        `network ${MCP} has ${BROKER}, ${GW}, ${MCP}, openclaw-b-broker; planned: ${MCP}, ${GW} and ${BROKER} only`,
      ],
    ]);
  });
});

describe('where it can connect', () => {
  const targets = { host: ['172.28.0.1:22'], others: ['172.30.0.3:8080', '172.30.0.10:18789'] };

  test('every try timing out or unreachable: no finding', () => {
    expect(
      mcpReachFindings(MCP, targets, {
        '172.28.0.1:22': 'timeout',
        '172.30.0.3:8080': 'EHOSTUNREACH',
        '172.30.0.10:18789': 'timeout',
      }),
    ).toEqual([]);
  });

  test('the host answering, another container reached, a target not tried', () => {
    const found = mcpReachFindings(MCP, targets, {
      '172.28.0.1:22': 'ECONNREFUSED',
      '172.30.0.3:8080': 'connected',
    });
    expect(found.map((f) => [f.id, f.message])).toEqual([
      ['VERIFY-McpHostUnreachable', 'was answered (refused) by the host at 172.28.0.1:22'],
      [
        'VERIFY-McpIsolation',
        'reached 172.30.0.3:8080 (connected), which is outside its own network',
      ],
      ['VERIFY-McpIsolation', 'the probe did not try 172.30.0.10:18789'],
    ]);
    expect(found[0].fix).toMatch(/mcpSubnet/);
  });

  test("targets: the host on its own network, and every other container's addresses elsewhere", () => {
    const inspect = (nets: Record<string, [string, string]>): ContainerInspect =>
      ({
        NetworkSettings: {
          Networks: Object.fromEntries(
            Object.entries(nets).map(([n, [ip, gw]]) => [n, { IPAddress: ip, Gateway: gw }]),
          ),
        },
      }) as unknown as ContainerInspect;
    const plan = (name: string, role: string): PlannedContainer => ({
      stack: 's',
      address: `docker_container.${name}`,
      name,
      role,
      attributes: {},
      labels: {},
      networks: [],
      start: true,
    });
    const inspected = new Map([
      [MCP, inspect({ [MCP]: ['172.28.0.3', '172.28.0.1'] })],
      [GW, inspect({ cell: ['172.30.0.10', '172.30.0.1'], [MCP]: ['172.28.0.2', '172.28.0.1'] })],
      [
        'openclaw-a-broker',
        inspect({ cell: ['172.30.0.3', '172.30.0.1'], egress: ['172.31.0.2', '172.31.0.1'] }),
      ],
    ]);
    const planned = [
      plan(MCP, 'mcp-server'),
      plan(GW, 'gateway'),
      plan('openclaw-a-broker', 'credential-broker'),
    ];
    expect(mcpReachTargets(planned[0], inspected.get(MCP)!, planned, inspected, [22])).toEqual({
      host: ['172.28.0.1:22'],
      others: ['172.30.0.10:18789', '172.30.0.3:8080', '172.31.0.2:8080'],
    });
  });

  test('the reach probe reports connected and refused for real loopback sockets', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    try {
      const res = await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [
          '-e',
          reachProbeScript(),
          JSON.stringify({
            targets: [`127.0.0.1:${port}`, `127.0.0.1:${closedPort}`],
            timeoutMs: 1000,
          }),
        ]);
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d));
        child.on('close', () => resolve(out));
      });
      expect(JSON.parse(res)).toEqual({
        [`127.0.0.1:${port}`]: 'connected',
        [`127.0.0.1:${closedPort}`]: 'ECONNREFUSED',
      });
    } finally {
      server.close();
    }
  });
});

describe("the gateway's view", () => {
  const gateway = (config: unknown): PlannedContainer => ({
    stack: 's',
    address: `docker_container.${GW}`,
    name: GW,
    role: 'gateway',
    attributes: { env: [`OPENCLAW_CONFIG_JSON=${JSON.stringify(config).replace(/\$\{/g, '$${')}`] },
    labels: {},
    networks: [],
    start: true,
  });

  test('the planned servers come from the config in the gateway env', () => {
    expect(
      plannedMcpServers(gateway({ mcp: { servers: { memory: {}, github: {} } }, x: '${Y}' })),
    ).toEqual(['github', 'memory']);
    expect(plannedMcpServers(gateway({}))).toEqual([]);
  });

  test('every server lists tools: no finding; a server without tools: a finding', () => {
    const probe = {
      servers: { memory: { tools: 9 }, github: { tools: 0 } },
      tools: ['memory__read_graph'],
      diagnostics: [],
    };
    expect(mcpProbeFindings(GW, ['memory'], probe)).toEqual([]);
    const found = mcpProbeFindings(GW, ['memory', 'github', 'gone'], probe);
    expect(found.map((f) => [f.id, f.container])).toEqual([
      ['VERIFY-McpTools', GW],
      ['VERIFY-McpTools', GW],
    ]);
    expect(found[0].message).toMatch(/^OpenClaw lists no tools of MCP server "github"/);
    expect(found[0].fix).toContain(`mcp probe github`);
  });
});

test("an MCP server's gateway is the planned one on its network, with the environment's prefix", () => {
  // GIVEN two environments' agents of one name, the staging one's names prefixed
  const at = (name: string, role: string, agent: string, networks: string[]): PlannedContainer => ({
    stack: 's',
    address: `docker_container.${name}`,
    name,
    role,
    attributes: {},
    labels: { 'openclaw.agent': agent },
    networks: networks.map((n) => ({ name: n })),
    start: true,
  });
  const server = at('staging-openclaw-a-mcp-memory', 'mcp-server', 'a', [
    'staging-openclaw-a-mcp-memory',
  ]);
  const planned = [
    at('openclaw-a-gateway', 'gateway', 'a', ['openclaw-a', 'openclaw-a-mcp-memory']),
    at('staging-openclaw-a-gateway', 'gateway', 'a', [
      'staging-openclaw-a',
      'staging-openclaw-a-mcp-memory',
    ]),
    server,
  ];
  // WHEN verify looks for the server's gateway THEN it is the prefixed one on its network
  expect(plannedGatewayOf(server, planned)).toBe('staging-openclaw-a-gateway');
});
