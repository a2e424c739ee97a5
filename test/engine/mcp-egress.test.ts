/**
 * GIVEN an agent whose MCP server declares egress (`api.github.com:443`) and a brokered GitHub
 *       upstream, applied to a real Docker engine as the provider creates it (harness.ts): the
 *       server, the gateway and the broker, which joins the server's network at .4
 * WHEN the server reaches out the way a Node server does (fetch, with the HTTPS_PROXY and
 *      NODE_USE_ENV_PROXY=1 the library sets), and the gateway tries the server's listener
 * THEN the only way out is the broker's listener of that server: a target the server did not
 *      declare (and one only the gateway's listener allows) is refused and logged with
 *      `mcpServer`, the broker's main listener and the cell are out of reach, the gateway cannot
 *      use the server's listener (closed, logged), and verify finds nothing on the server.
 *
 * No tunnel is opened to the declared target: the broker would resolve api.github.com, traffic
 * that leaves this machine; and a listener of an MCP server never tunnels to a private address,
 * so no target the test could make here is grantable to it. The allowed tunnel, logged with the
 * server's name, is shown on loopback in test/broker/listeners.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { McpServer, RiskProfile } from '../../src';
import { AgentCredentialSpec } from '../../src/fleet/openclaw-agent';
import { plannedContainers, PlannedContainer } from '../../src/verify/plan';
import { reachProbeScript } from '../../src/verify/mcp';
import { verifyDeployment } from '../../src/verify/verify';
import { buildFleet, presetAgents } from '../fleet/helpers';
import { MEMORY_LOCKFILE, MEMORY_PACKAGE, MEMORY_SERVER } from '../mcp/fixtures';
import { EngineHarness, STAND_IN_ROLE } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

jest.setTimeout(900_000);

const harness = new EngineHarness();
const AGENT = 'egress';
const MCP = `openclaw-${AGENT}-mcp-tracker`;
const BROKER = `openclaw-${AGENT}-broker`;
const GATEWAY = `openclaw-${AGENT}-gateway`;
const GITHUB: AgentCredentialSpec = {
  name: 'github',
  kind: 'code',
  scopes: ['public_repo'],
  upstream: { baseUrl: 'https://api.github.com', auth: 'bearer' },
  dangerouslyNoRotation: { reason: 'an engine test credential, never read' },
};
/** The memory server stands in for one that calls GitHub: only its declarations matter here. */
const TRACKER: McpServer = {
  ...MEMORY_SERVER,
  lockfile: MEMORY_LOCKFILE,
  name: 'tracker',
  egress: ['api.github.com:443'],
  upstreams: [{ credential: 'github', baseUrlEnv: 'GITHUB_API_URL' }],
};
let outdir: string;
let planned: PlannedContainer[];
let addresses: { broker: string; gateway: string; cellBroker: string; server: string };

/** Runs a node script in a container, with the container's environment; its last line as JSON. */
async function node(container: string, script: string, arg = '{}'): Promise<Json> {
  const res = await harness.engine.exec(container, ['node', '-e', script, arg], {
    timeoutMs: 60_000,
  });
  const last = res.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`no JSON from ${container} (exit ${res.exitCode}): ${res.stdout}${res.stderr}`);
  }
}

/** The broker's JSON log lines (bounded wait for `want`). */
async function brokerLines(want: (l: Json) => boolean): Promise<Json[]> {
  let lines: Json[] = [];
  for (let i = 0; i < 40; i++) {
    lines = (await harness.logs(BROKER, 400))
      .split('\n')
      .map((l) => l.slice(l.indexOf('{')))
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      });
    if (lines.some(want)) return lines;
    await new Promise((r) => setTimeout(r, 250));
  }
  return lines;
}

beforeAll(async () => {
  await harness.ready();
  const research = presetAgents().find((a) => a.profile.name === 'research')!;
  const built = buildFleet({
    agents: [
      {
        ...research,
        name: AGENT,
        profile: RiskProfile.custom(RiskProfile.research(['docs.python.org:443']), {
          name: 'research-tracker',
          mcpPackages: [MEMORY_PACKAGE],
        }),
        mcpServers: [TRACKER],
        credentials: [...research.credentials, GITHUB],
      },
    ],
  });
  built.app.synth();
  outdir = built.app.outdir;
  const dir = path.join(outdir, 'stacks', 'agents');
  const stack = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  const agent = built.fleet.agents[AGENT];
  const tracker = agent.mcpServers.tracker;
  addresses = {
    broker: tracker.brokerAddress!,
    gateway: tracker.gatewayAddress,
    cellBroker: agent.addresses.broker,
    server: tracker.address,
  };
  await harness.apply(stack, {
    stackDir: dir,
    containers: (name) => [MCP, BROKER, GATEWAY].includes(name),
    cells: built.fleet.hostCells('host-1'),
    gatewayToken: 'engine-egress-gateway-token-0123456789abcdef',
    crossStack: STAND_IN_ROLE,
  });
  for (const name of [MCP, BROKER, GATEWAY]) await harness.waitRunning(name);
  planned = plannedContainers('agents', stack).filter((p) =>
    [MCP, BROKER, GATEWAY].includes(p.name),
  );
});

afterAll(async () => {
  await harness.cleanup();
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

describe('an MCP server with egress, on a real engine', () => {
  test("the broker listens for it on .4 and the server's Node fetch goes to that listener (healthz direct, NO_PROXY)", async () => {
    const info = (await harness.engine.inspectContainer(BROKER))!;
    expect(info.NetworkSettings.Networks[MCP]?.IPAddress).toBe(addresses.broker);
    const out = await node(
      MCP,
      "(async()=>{const r=await fetch(process.env.HTTPS_PROXY+'/healthz');console.log(JSON.stringify({proxy:process.env.HTTPS_PROXY,base:process.env.GITHUB_API_URL,status:r.status,body:await r.json()}))})()",
    );
    expect(out).toEqual({
      proxy: `http://${addresses.broker}:8080`,
      base: `http://${addresses.broker}:8080/github`,
      status: 200,
      body: { ok: true, upstreams: ['github'] },
    });
    const lines = await brokerLines((l) => l.path === '/healthz' && l.mcpServer === 'tracker');
    expect(lines.find((l) => l.path === '/healthz' && l.mcpServer === 'tracker')).toMatchObject({
      agent: AGENT,
      outcome: 'health',
    });
  });

  test("a target the server did not declare, and one only the gateway's listener allows, are refused through the proxy and logged with the server's name", async () => {
    const out = await node(
      MCP,
      "(async()=>{const o={};for(const u of ['https://undeclared.example.org/x','https://docs.python.org/3/']){try{const r=await fetch(u,{signal:AbortSignal.timeout(10000)});o[u]='answered '+r.status}catch(e){o[u]='failed'}}console.log(JSON.stringify(o))})()",
    );
    expect(out).toEqual({
      'https://undeclared.example.org/x': 'failed',
      'https://docs.python.org/3/': 'failed',
    });
    const lines = await brokerLines((l) => l.path === 'docs.python.org:443');
    for (const target of ['undeclared.example.org:443', 'docs.python.org:443'])
      expect(lines.find((l) => l.method === 'CONNECT' && l.path === target)).toMatchObject({
        agent: AGENT,
        mcpServer: 'tracker',
        status: 403,
        outcome: 'refused',
        detail: 'not in the CONNECT allowlist',
      });
  });

  test("the broker's main listener, its egress network and the cell are out of the server's reach", async () => {
    const info = (await harness.engine.inspectContainer(BROKER))!;
    const egress = info.NetworkSettings.Networks[`${BROKER}-egress`].IPAddress;
    const targets = [`${addresses.cellBroker}:8080`, `${egress}:8080`];
    const results = await node(
      MCP,
      reachProbeScript(),
      JSON.stringify({ targets, timeoutMs: 1500 }),
    );
    for (const t of targets) expect([t, results[t]]).not.toEqual([t, 'connected']);
    expect(Object.keys(results).sort()).toEqual([...targets].sort());
    // inside the broker, the main listener is bound to the cell address only
    const listening = await brokerLines((l) => l.event === 'listening' && !l.mcpServer);
    expect(listening.filter((l) => l.event === 'listening')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ host: addresses.cellBroker, port: 8080 }),
        expect.objectContaining({ host: addresses.broker, port: 8080, mcpServer: 'tracker' }),
      ]),
    );
  });

  test("the gateway, on the server's network too, cannot use the server's listener: closed and logged", async () => {
    const out = await node(
      GATEWAY,
      // raw TCP: the gateway's own proxy settings must not stand between it and the listener
      "const p=JSON.parse(process.argv[1]);const s=require('net').connect({host:p.host,port:p.port});let d='';const t=setTimeout(()=>{s.destroy();console.log(JSON.stringify({timeout:true}))},10000);s.on('connect',()=>s.write('GET /github/user HTTP/1.1\\r\\nhost: x\\r\\n\\r\\n'));s.on('data',(c)=>d+=c);s.on('error',()=>undefined);s.on('close',()=>{clearTimeout(t);console.log(JSON.stringify({answer:d}))})",
      JSON.stringify({ host: addresses.broker, port: 8080 }),
    );
    expect(out).toEqual({ answer: '' });
    const detail = `client ${addresses.gateway} is not the MCP server (${addresses.server})`;
    const lines = await brokerLines((l) => l.detail === detail);
    expect(lines.find((l) => l.detail === detail)).toMatchObject({
      mcpServer: 'tracker',
      outcome: 'refused',
    });
  });

  test('verify finds nothing on the server: its network is internal, holding its gateway and its broker only', async () => {
    const found = (
      await verifyDeployment(harness.engine, planned, {
        only: [MCP],
        openclawAudit: false,
        hostPorts: [22],
      })
    ).filter((f) => f.container === MCP);
    expect(found).toEqual([]);
    const network = await harness.engine.json<Json>('GET', `/networks/${MCP}`);
    expect(network.Internal).toBe(true);
    expect(
      Object.values<Json>(network.Containers)
        .map((c) => c.Name)
        .sort(),
    ).toEqual([BROKER, GATEWAY, MCP].sort());
  });
});
