/**
 * GIVEN the docker-host example's research cell (its gateway, its broker and the reference
 *       "memory" MCP server in a container of its own, built from its lockfile) on a real Docker
 *       engine (test/engine/harness.ts), and a fake Anthropic API the test controls behind the
 *       broker
 * WHEN OpenClaw runs an agent turn in the gateway (`openclaw agent`, through the running gateway)
 *      and the model asks for the memory server's tools
 * THEN OpenClaw itself calls them over the MCP url: the tool results it sends back to the model
 *      hold what only the server could answer, and the server's own state changed.
 *
 * The chain is the real one: gateway -> broker (its key injected) -> model, and gateway -> MCP
 * container. Two substitutions, printed when made: no Anthropic and no AWS here, so the broker's
 * upstream is the fake on its own loopback (plain http to loopback is what the broker allows, for
 * tests) and its Secrets Manager is the same fake, read with the host's fake credentials file
 * instead of the agent's role (which needs STS).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { DockerHostStacks } from '../../examples/docker-host/stack';
import { OPENCLAW_CLI } from '../../src/openclaw/release';
import { demultiplex } from '../../src/verify/docker-engine';
import { EngineHarness, STAND_IN_ROLE, FAKE_BROKER_CREDENTIALS } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

jest.setTimeout(900_000);

const harness = new EngineHarness();
const GATEWAY_TOKEN = 'engine-turn-gateway-token-0123456789abcdef';
const GATEWAY = 'openclaw-team-research-gateway';
const BROKER = 'openclaw-team-research-broker';
const MCP = 'openclaw-team-research-mcp-memory';
const FAKE = 'openclaw-engine-test-fake-upstream';
const MODEL_PORT = 18443;
const SECRETS_PORT = 18444;
/** What the fake Secrets Manager hands the broker; the fake model checks the broker injected it. */
const FAKE_KEY = 'sk-ant-engine-test-not-a-key-0123456789';
/** The entity the model asks the server to create: its observation is this run's own. */
const OBSERVATION = `kept by an OpenClaw agent turn ${process.pid}-${Date.now()}`;
const FINAL_TEXT = 'The note is kept in the memory server.';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-mcp-turn-'));

/** Every request the fake upstream recorded, in order. */
async function recorded(): Promise<Json[]> {
  return (await stdout(FAKE))
    .split('\n')
    .filter((l) => l.startsWith('{"fake"'))
    .map((l) => JSON.parse(l).fake);
}

/** Waits by the clock until the gateway answers /healthz on its cell address. */
async function healthy(name: string): Promise<void> {
  const c: Json = await harness.engine.inspectContainer(name);
  const address = Object.values<Json>(c.NetworkSettings.Networks)
    .map((n) => n.IPAddress)
    .find((a: string) => a.startsWith('172.30.'));
  const started = Date.now();
  while (Date.now() - started < 240_000) {
    try {
      const res = await fetch(`http://${address}:18789/healthz`, {
        signal: AbortSignal.timeout(3000),
      });
      if (res.status === 200) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${name} did not answer /healthz; its logs:\n${await harness.logs(name)}`);
}

beforeAll(async () => {
  await harness.assertEngine();
  const outdir = path.join(work, 'out');
  const app = new App({ outdir });
  const example = new DockerHostStacks(app);
  app.synth();
  const stackDir = path.join(outdir, 'stacks', 'docker-host-agents');
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  // the gateway, its broker and its MCP server; the tailnet sidecar plays no part in a turn
  await harness.apply(stack, {
    stackDir,
    containers: (name) => [GATEWAY, BROKER, MCP].includes(name),
    cells: example.fleet.hostCells('docker-host').filter((c) => c.gateway === GATEWAY),
    gatewayToken: GATEWAY_TOKEN,
    crossStack: STAND_IN_ROLE,
    hostFiles: FAKE_BROKER_CREDENTIALS,
  });
  process.stdout.write(
    `[engine test] ${BROKER}: upstream anthropic -> http://127.0.0.1:${MODEL_PORT} and Secrets Manager -> http://127.0.0.1:${SECRETS_PORT} (the fake, on the broker's loopback); the host's credentials file instead of the agent's role (no STS here)\n`,
  );
  await harness.brokerBehindFake({
    broker: BROKER,
    fake: FAKE,
    script: 'fake-upstream.mjs',
    work,
    modelPort: MODEL_PORT,
    secretsPort: SECRETS_PORT,
    env: [
      `SECRET_VALUE=${FAKE_KEY}`,
      'TOOL_SUFFIX_1=create_entities',
      `TOOL_INPUT_1=${JSON.stringify({
        entities: [{ name: 'engine-turn', entityType: 'proof', observations: [OBSERVATION] }],
      })}`,
      'TOOL_SUFFIX_2=read_graph',
      `FINAL_TEXT=${FINAL_TEXT}`,
    ],
    fakeMemoryMiB: 128,
  });
  await harness.waitRunning(MCP);
  await healthy(GATEWAY);
});

afterAll(async () => {
  await harness.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

/** What a container wrote to stdout (the Engine API's log stream, demultiplexed). */
async function stdout(name: string): Promise<string> {
  const logs = await harness.engine.request('GET', `/containers/${name}/logs?stdout=1&stderr=0`);
  return demultiplex(logs.body).stdout;
}

/** The text of the tool result that answers a tool_use id, from the request that carries it. */
function toolResult(requests: Json[], toolUseId: string): string | undefined {
  for (const r of requests)
    for (const m of r.messages ?? [])
      for (const b of Array.isArray(m.content) ? m.content : [])
        if (b.type === 'tool_result' && b.tool_use_id === toolUseId)
          return typeof b.content === 'string'
            ? b.content
            : b.content.map((c: Json) => c.text ?? '').join('');
  return undefined;
}

describe('an agent turn in the research gateway calls the memory MCP server', () => {
  let turn: Json;
  let fake: Json[];

  beforeAll(async () => {
    // through the running gateway (no --local): its config, its MCP runtime, its broker
    const run = await harness.engine.exec(
      GATEWAY,
      [
        'sh',
        '-c',
        `${OPENCLAW_CLI} agent --agent main --message "Keep a note that this turn ran." --json --timeout 240`,
      ],
      { timeoutMs: 300_000 },
    );
    if (run.exitCode !== 0)
      throw new Error(`openclaw agent exited ${run.exitCode}:\n${run.stdout}\n${run.stderr}`);
    turn = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
    fake = await recorded();
  });

  test("`openclaw agent` completes the turn with the model's answer, every model call through the broker with its key", async () => {
    expect(turn.status).toBe('ok');
    expect(turn.result.payloads.map((p: Json) => p.text)).toEqual([FINAL_TEXT]);
    const calls = fake.filter((f) => f.server === 'model' && f.method === 'POST');
    const withTools = calls.filter((c) => (JSON.parse(c.body).tools ?? []).length > 0);
    // the turn: search and call for each of the two tools, then the answer
    expect(withTools.length).toBe(5);
    // any other call is OpenClaw's own activity recap of the turn: no tools, a short answer
    for (const c of calls.filter((x) => !withTools.includes(x)))
      expect(JSON.stringify(JSON.parse(c.body).system)).toContain('Activity recap');
    expect(calls.every((c) => c.url === '/v1/messages')).toBe(true);
    expect(calls.every((c) => c.keyMatched)).toBe(true);
    expect(fake.filter((f) => f.target === 'secretsmanager.GetSecretValue').length).toBeGreaterThan(
      0,
    );
    const broker = (await stdout(BROKER))
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(
      broker
        .filter((l) => l.upstream === 'anthropic' && l.outcome === 'forwarded')
        .map((l) => l.path),
    ).toEqual(Array(calls.length).fill('/anthropic/v1/messages'));
    // nothing of the cell's own went through the broker as a tunnel (the model route, the MCP server)
    expect(broker.filter((l) => l.method === 'CONNECT' && /^172\./.test(l.path))).toEqual([]);
  });

  test('OpenClaw called the tools the model named (memory__create_entities, memory__read_graph) and handed back what only the server answers', () => {
    expect(fake.filter((f) => f.asks).map((f) => [f.asks, f.via])).toEqual([
      ['mcp:memory:memory__create_entities', 'tool_call'],
      ['mcp:memory:memory__read_graph', 'tool_call'],
    ]);
    const requests = fake
      .filter((f) => f.server === 'model' && f.method === 'POST')
      .map((f) => JSON.parse(f.body));
    // the model saw the MCP tools behind OpenClaw's Tool Search, under the server's prefix
    expect(toolResult(requests, 'toolu_engine_1')).toContain('"name": "memory__create_entities"');
    const created = toolResult(requests, 'toolu_engine_2')!;
    expect(created).toContain('"mcpServer": "memory"');
    expect(created).toContain(OBSERVATION);
    // read_graph takes no input: the note in its result is the server's stored graph
    const graph = toolResult(requests, 'toolu_engine_4')!;
    expect(graph).toContain('"mcpTool": "read_graph"');
    expect(graph).toContain(OBSERVATION);
    expect(graph).toContain('relations');
  });

  test("the note the turn made is in the MCP server's own state", async () => {
    const stored = await harness.engine.exec(MCP, ['cat', '/data/memory.jsonl']);
    expect(stored.stdout).toContain(OBSERVATION);
  });
});
