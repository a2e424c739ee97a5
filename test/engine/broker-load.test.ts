/**
 * GIVEN the docker-host example's research broker alone on a real Docker engine, in its planned
 *       container (512 MiB with swap equal to memory, half a CPU, its heap flags, its limits: 512
 *       requests in flight, 16 MiB of buffered bodies), and behind it a model API that holds
 *       every request unread until the broker is at its cap, then answers each with a large
 *       stream as fast as the broker takes it
 * WHEN callers fill the cap at once (bodies small enough to be buffered for a retry, and large
 *      streamed ones), one more comes while it is full, and every caller reads its answer only
 *      once all of them have one (a room full of slow readers)
 * THEN the kernel never kills the broker: its cgroup never hit the limit, the one over the cap
 *      got 503 at once, every other request got its whole answer with the key injected, each
 *      logged exactly once, and the broker is still the same healthy process.
 *
 * This is the container-limit claim of the broker's in-flight cap (broker/src/server.ts,
 * BrokerLimits) proven where it is made: on the engine, under the cgroup's own accounting, not
 * by the process's view of itself (test/broker/attacks.test.ts does that on loopback).
 *
 * Substitutions, printed when made: no Anthropic and no AWS here, so the upstream is the fake on
 * the broker's loopback (plain http to loopback is what the broker allows, for tests) and its
 * Secrets Manager is the same fake, read with the host's fake credentials file instead of the
 * agent's role (which needs STS); the route's rate limit (120 a minute) is lifted, since the cap
 * under test is the in-flight one (a minute of long model streams reaches it within the limit).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { DockerHostStacks } from '../../examples/docker-host/stack';
import { BROKER_PORT } from '../../src/broker/credential-broker';
import { BROKER_MEMORY_MIB } from '../../src/container/hardening';
import { demultiplex } from '../../src/verify/docker-engine';
import { EngineHarness, STAND_IN_ROLE, FAKE_BROKER_CREDENTIALS } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

jest.setTimeout(600_000);

const harness = new EngineHarness();
const BROKER = 'openclaw-team-research-broker';
const FAKE = 'openclaw-engine-test-load-upstream';
const MODEL_PORT = 18453;
const SECRETS_PORT = 18454;
const FAKE_KEY = 'sk-ant-engine-load-not-a-key-0123456789';
/** The broker's cap (DEFAULT_LIMITS.maxRequestsInFlight). */
const IN_FLIGHT = 512;
/** Bodies the broker may read whole (at most bufferedBodyBytes, 256 KiB): twice its 16 MiB. */
const BUFFERED = { count: 136, bytes: 250 * 1024 };
/** The rest of the cap: bodies over 256 KiB, which the broker streams. */
const STREAMED = { count: IN_FLIGHT - BUFFERED.count, bytes: 4 * 1024 * 1024 };
/** What the model answers to each. */
const RESPONSE_BYTES = 2 * 1024 * 1024;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-broker-load-'));

let brokerAddress = '';
let startedAt = '';

/** The callers that did not get the whole answer: a status other than 200, or short of its bytes. */
function incomplete(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.status !== 200 || o.bytes !== RESPONSE_BYTES);
}

/** What a container wrote to stdout (the Engine API's log stream, demultiplexed). */
async function stdout(name: string): Promise<string> {
  const logs = await harness.engine.request('GET', `/containers/${name}/logs?stdout=1&stderr=0`);
  return demultiplex(logs.body).stdout;
}

/** The JSON lines a container printed, parsed (other lines dropped). */
async function jsonLines(name: string): Promise<Json[]> {
  return (await stdout(name))
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** Waits by the clock until the fake has printed a line `match` accepts. */
async function fakeSaid(match: (entry: Json) => boolean, ms: number): Promise<Json> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const hit = (await jsonLines(FAKE)).map((l) => l.fake).find((e) => e && match(e));
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the fake did not say it within ${ms} ms; it said:\n${await stdout(FAKE)}`);
}

/**
 * The broker's memory cgroup as the engine reports it: the limit, the peak of all it was charged
 * (page cache included; cgroup v1 only), how often it hit the limit, and the resident anonymous
 * memory now (the process's own: heap, buffers, code and stacks).
 */
async function memory(): Promise<{
  limit: number;
  peak: number | undefined;
  failcnt: number;
  rss: number;
}> {
  const stats: Json = await harness.engine.json(
    'GET',
    `/containers/${BROKER}/stats?stream=false&one-shot=true`,
  );
  const m = stats.memory_stats;
  return {
    limit: m.limit,
    peak: m.max_usage,
    failcnt: m.failcnt ?? 0,
    rss: m.stats.total_rss ?? m.stats.rss ?? m.stats.anon,
  };
}

/** Samples the broker's resident memory every half second until stopped; returns the peak. */
function sampleRss(): { stop: () => Promise<number> } {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    for (let i = 0; i < 1200 && !stopped; i++) {
      peak = Math.max(peak, (await memory()).rss);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return peak;
    },
  };
}

const mib = (bytes: number | undefined): string => ((bytes ?? NaN) / 2 ** 20).toFixed(1);

interface Outcome {
  readonly status: number;
  readonly bytes: number;
  readonly error?: string;
}

/**
 * One caller: POSTs `bytes` (written as fast as the broker takes them, so a broker that stops
 * reading stalls it), and reads the answer only once `reading` resolves.
 */
function call(bytes: number, reading: Promise<void>, gotHeaders: () => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request({
      host: brokerAddress,
      port: BROKER_PORT,
      method: 'POST',
      path: '/anthropic/v1/messages',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        'content-length': String(bytes),
      },
      timeout: 240_000,
    });
    const chunk = Buffer.alloc(Math.min(bytes, 64 * 1024), 0x20);
    let written = 0;
    const write = (): void => {
      while (written < bytes) {
        const n = Math.min(chunk.length, bytes - written);
        written += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    req.on('response', (res) => {
      res.pause();
      gotHeaders();
      let received = 0;
      void reading.then(() => {
        res.on('data', (c: Buffer) => (received += c.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: received }));
        res.on('error', (e) =>
          resolve({ status: res.statusCode ?? 0, bytes: received, error: e.message }),
        );
        res.resume();
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 240 s')));
    req.on('error', (e) => resolve({ status: 0, bytes: 0, error: e.message }));
    write();
  });
}

beforeAll(async () => {
  await harness.ready();
  const outdir = path.join(work, 'out');
  const app = new App({ outdir });
  const example = new DockerHostStacks(app);
  app.synth();
  const stackDir = path.join(outdir, 'stacks', 'docker-host-agents');
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  await harness.apply(stack, {
    stackDir,
    containers: (name) => name === BROKER,
    cells: example.fleet
      .hostCells('docker-host')
      .filter((c) => c.gateway === 'openclaw-team-research-gateway'),
    gatewayToken: 'engine-load-gateway-token-0123456789abcdef',
    crossStack: STAND_IN_ROLE,
    hostFiles: FAKE_BROKER_CREDENTIALS,
  });
  process.stdout.write(
    `[engine test] ${BROKER}: upstream anthropic -> http://127.0.0.1:${MODEL_PORT} and Secrets Manager -> http://127.0.0.1:${SECRETS_PORT} (the fake, on the broker's loopback); the host's credentials file instead of the agent's role (no STS here); the route's rate limit lifted (the in-flight cap is under test)\n`,
  );
  await harness.brokerBehindFake({
    broker: BROKER,
    fake: FAKE,
    script: 'load-upstream.mjs',
    work,
    modelPort: MODEL_PORT,
    secretsPort: SECRETS_PORT,
    requestsPerMinute: 1_000_000,
    env: [
      `SECRET_VALUE=${FAKE_KEY}`,
      `HOLD_COUNT=${IN_FLIGHT}`,
      'HOLD_AFTER_MS=4000',
      'HOLD_MAX_MS=120000',
      `RESPONSE_BYTES=${RESPONSE_BYTES}`,
    ],
    fakeMemoryMiB: 256,
  });
  await fakeSaid((e) => e.listening === MODEL_PORT, 30_000);
  const c: Json = await harness.engine.inspectContainer(BROKER);
  startedAt = c.State.StartedAt;
  brokerAddress = Object.values<Json>(c.NetworkSettings.Networks)
    .map((n) => n.IPAddress as string)
    .find((a) => a.startsWith('172.30.'))!;
});

afterAll(async () => {
  await harness.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the broker at its in-flight cap, in its container, with every peer stalled', () => {
  let outcomes: Outcome[] = [];
  let over: Outcome;
  let mem: Awaited<ReturnType<typeof memory>>;
  let peakRss = 0;
  let log: Json[];

  beforeAll(async () => {
    const sampler = sampleRss();
    let releaseReading!: () => void;
    const reading = new Promise<void>((r) => (releaseReading = r));
    let headers = 0;
    const allHeaders = new Promise<void>((resolve) => {
      const tick = (): void => {
        if (++headers === IN_FLIGHT) resolve();
      };
      const calls = [
        ...Array.from({ length: BUFFERED.count }, () => call(BUFFERED.bytes, reading, tick)),
        ...Array.from({ length: STREAMED.count }, () => call(STREAMED.bytes, reading, tick)),
      ];
      void Promise.all(calls).then((o) => (outcomes = o));
    });
    // the model holds every request until the broker has passed on all 512: then one more
    await fakeSaid((e) => e.held === IN_FLIGHT, 120_000);
    over = await call(1024, Promise.resolve(), () => undefined);
    // the callers read nothing until every answer has begun (or a minute has gone)
    await Promise.race([allHeaders, new Promise((r) => setTimeout(r, 60_000))]);
    process.stdout.write(`[engine test] ${headers} answers begun; the callers now read them\n`);
    releaseReading();
    const started = Date.now();
    while (outcomes.length === 0 && Date.now() - started < 300_000)
      await new Promise((r) => setTimeout(r, 500));
    peakRss = await sampler.stop();
    mem = await memory();
    process.stdout.write(
      `[engine test] ${BROKER}: resident peak ${mib(peakRss)} MiB (sampled every 0.5 s), cgroup peak ${mib(mem.peak)} MiB with page cache, of ${mib(mem.limit)} MiB; failcnt ${mem.failcnt}\n`,
    );
    // the broker's log lines are written at the end of the event loop turn they finish in
    await new Promise((r) => setTimeout(r, 1000));
    log = (await jsonLines(BROKER)).filter((l) => l.path === '/anthropic/v1/messages');
    const bad = incomplete(outcomes);
    if (bad.length > 0 || outcomes.length !== IN_FLIGHT) {
      // what each side saw, to tell a broker that lost a request from a fake that did
      const fake = (await jsonLines(FAKE)).map((l) => l.fake).filter(Boolean);
      const count = (xs: Json[], key: (x: Json) => string): Record<string, number> =>
        xs.reduce((m: Record<string, number>, x) => ((m[key(x)] = (m[key(x)] ?? 0) + 1), m), {});
      process.stdout.write(
        `[engine test] ${bad.length} of ${outcomes.length} callers without their whole answer: ${JSON.stringify(bad.slice(0, 5))}\n` +
          `[engine test] the fake said: ${JSON.stringify(count(fake, (e) => Object.keys(e).join(',')))}; other than answered: ${JSON.stringify(fake.filter((e) => !e.answered).slice(0, 10))}\n` +
          `[engine test] the broker logged: ${JSON.stringify(count(log, (l) => `${l.outcome} ${l.status}`))}; other than forwarded: ${JSON.stringify(log.filter((l) => l.outcome !== 'forwarded').slice(0, 10))}\n`,
      );
    }
  });

  test('the kernel never killed it, its cgroup never reached the limit, its resident peak left a quarter spare: the same process, running, healthy', async () => {
    const c: Json = await harness.engine.inspectContainer(BROKER);
    expect({
      running: c.State.Running,
      oomKilled: c.State.OOMKilled,
      restarts: c.RestartCount,
      startedAt: c.State.StartedAt,
    }).toEqual({ running: true, oomKilled: false, restarts: 0, startedAt });
    expect(mem.limit).toBe(BROKER_MEMORY_MIB * 2 ** 20);
    expect(mem.failcnt).toBe(0);
    if (mem.peak !== undefined) expect(mem.peak).toBeLessThan(mem.limit);
    // with a quarter of the limit to spare: what this load did not reach (tunnels, a slower GC)
    expect(peakRss).toBeGreaterThan(0);
    expect(peakRss).toBeLessThan(mem.limit * 0.75);
    const health = await fetch(`http://${brokerAddress}:${BROKER_PORT}/healthz`, {
      signal: AbortSignal.timeout(5000),
    });
    expect(health.status).toBe(200);
  });

  test('the request over the cap got 503 at once, and its log line says overloaded', () => {
    expect(over.status).toBe(503);
    expect(log.filter((l) => l.outcome === 'overloaded')).toEqual([
      expect.objectContaining({ status: 503, method: 'POST' }),
    ]);
  });

  test('every request under the cap got its whole answer, the key injected, one log line each', async () => {
    expect(outcomes).toHaveLength(IN_FLIGHT);
    const bad = incomplete(outcomes);
    expect(bad).toEqual([]);
    const answered = (await jsonLines(FAKE)).map((l) => l.fake?.answered).filter(Boolean);
    expect(answered).toHaveLength(IN_FLIGHT);
    expect(answered.filter((a: Json) => !a.key)).toEqual([]);
    expect(answered.map((a: Json) => a.bytesIn).sort((a: number, b: number) => a - b)).toEqual([
      ...Array<number>(BUFFERED.count).fill(BUFFERED.bytes),
      ...Array<number>(STREAMED.count).fill(STREAMED.bytes),
    ]);
    const forwarded = log.filter((l) => l.outcome === 'forwarded');
    expect(forwarded).toHaveLength(IN_FLIGHT);
    expect(forwarded.filter((l) => l.bytesOut !== RESPONSE_BYTES)).toEqual([]);
  });
});
