/**
 * GIVEN an agent whose MCP server (the reference memory server, built on the host from the
 *       docker-host example's lockfile) reads a credential from a secret file, applied to a real
 *       Docker engine with its gateway (test/engine/harness.ts), the file written as the host's
 *       reconciler writes it
 * WHEN the containers run
 * THEN the file is readable by the server's user inside the MCP container at its path and cannot
 *      be written there; the gateway has no such file and no mount of it; no container's
 *      `docker inspect` (env, labels, command, mounts) carries the value; verify's check agrees.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mcpSecretMountFindings } from '../../src/verify/mcp';
import { ContainerInspect } from '../../src/verify/docker-engine';
import { buildFleet, presetAgents } from '../fleet/helpers';
import { MEMORY_LOCKFILE, MEMORY_SERVER, NOTES_PROFILE, NOTES_TOKEN } from '../mcp/fixtures';
import { EngineHarness, STAND_IN_ROLE } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

jest.setTimeout(1_200_000);

const harness = new EngineHarness();
const GATEWAY = 'openclaw-notes-gateway';
const MCP = 'openclaw-notes-mcp-memory';
const VALUE = 'ghp_engineSecretFileStandIn0123456789abcdef';

beforeAll(async () => {
  await harness.ready();
  const research = presetAgents().find((a) => a.profile.name === 'research')!;
  const built = buildFleet({
    agents: [
      {
        ...research,
        name: 'notes',
        host: 'host-1',
        profile: NOTES_PROFILE,
        credentials: [...research.credentials, NOTES_TOKEN],
        mcpServers: [
          {
            ...MEMORY_SERVER,
            lockfile: MEMORY_LOCKFILE,
            env: { ...MEMORY_SERVER.env, NOTES_TOKEN_FILE: '/run/secrets/mcp/notes-token' },
            secretFiles: [{ secret: 'notes-token', file: 'notes-token' }],
          },
        ],
      },
    ],
  });
  built.app.synth();
  const dir = path.join(built.app.outdir, 'stacks', 'agents');
  const stack = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  const cells = built.fleet.hostCells('host-1');
  expect(cells[0].mcpSecretFiles).toHaveLength(1);
  await harness.apply(stack, {
    stackDir: dir,
    containers: (name) => name === GATEWAY || name === MCP,
    cells,
    gatewayToken: 'engine-secret-file-gateway-token-0123456789',
    crossStack: STAND_IN_ROLE,
    mcpSecretValues: { 'openclaw/notes/notes-token': VALUE },
  });
  await harness.waitRunning(MCP);
  await harness.waitRunning(GATEWAY);
});

afterAll(async () => {
  await harness.cleanup();
});

test("the server's user reads the file at its path in the MCP container, and cannot write it", async () => {
  const read = await harness.engine.exec(MCP, ['sh', '-c', 'id -u; cat "$NOTES_TOKEN_FILE"']);
  expect(read.stdout.trim().split('\n')).toEqual(['1000', VALUE]);
  const write = await harness.engine.exec(MCP, [
    'sh',
    '-c',
    'echo x > /run/secrets/mcp/notes-token; echo x > /run/secrets/mcp/other; echo done',
  ]);
  // the shell reports a failed redirection on its own stderr
  expect(write.stdout).toBe('done\n');
  expect(write.stderr.match(/Read-only file system|Permission denied/g)).toHaveLength(2);
  const after = await harness.engine.exec(MCP, [
    'sh',
    '-c',
    'ls /run/secrets/mcp; cat "$NOTES_TOKEN_FILE"',
  ]);
  expect(after.stdout.trim().split('\n')).toEqual(['notes-token', VALUE]);
});

test('the gateway has no such file, no mount of it, and the value is nowhere in its writable paths', async () => {
  const ls = await harness.engine.exec(GATEWAY, ['sh', '-c', 'ls /run/secrets/mcp 2>&1; true']);
  expect(ls.stdout).toMatch(/No such file/);
  const mounts = await harness.engine.exec(GATEWAY, ['cat', '/proc/1/mounts']);
  expect(mounts.stdout).not.toContain('mcp');
  const grep = await harness.engine.exec(GATEWAY, [
    'sh',
    '-c',
    `grep -rl '${VALUE}' /run /tmp /home/node 2>/dev/null; echo end`,
  ]);
  expect(grep.stdout.trim()).toBe('end');
});

test('no container of the cell carries the value in docker inspect; verify finds the mounts sound', async () => {
  const inspected = new Map<string, ContainerInspect>();
  for (const name of [GATEWAY, MCP]) {
    const c = (await harness.engine.inspectContainer(name))!;
    inspected.set(name, c);
    expect([name, JSON.stringify(c).includes(VALUE)]).toEqual([name, false]);
  }
  const mcp: Json = inspected.get(MCP);
  expect(mcp.Config.Env).toContain('NOTES_TOKEN_FILE=/run/secrets/mcp/notes-token');
  expect(
    mcp.Mounts.filter((m: Json) => m.Type === 'bind').map((m: Json) => [
      m.Source,
      m.Destination,
      m.RW,
    ]),
  ).toEqual([['/run/openclaw/openclaw-notes-mcp-memory/secrets', '/run/secrets/mcp', false]]);
  const gateway: Json = inspected.get(GATEWAY);
  expect(JSON.stringify(gateway.Mounts)).not.toContain('mcp');
  expect(mcpSecretMountFindings(inspected)).toEqual([]);
});
