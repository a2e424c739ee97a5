/**
 * End to end on loopback: the broker (the real AWS SDK pointed at a fake Secrets Manager) in front
 * of a fake model API.
 */
import * as http from 'http';
import { BrokerConfig } from '../../broker/src/config';
import { secretsManagerReader } from '../../broker/src/secrets';
import { BrokerLogLine, createBroker } from '../../broker/src/server';
import {
  FakeSecretsManager,
  FakeUpstream,
  listen,
  Listening,
  anthropicUpstream,
  connectStatus,
} from './fakes';

import { TEST_SECRET_VALUES } from '../canaries';

const [KEY, ROTATED] = TEST_SECRET_VALUES;

let sm: FakeSecretsManager;
let smServer: Listening;
let upstream: FakeUpstream;
let upstreamServer: Listening;
let other: FakeUpstream;
let otherServer: Listening;
let broker: Listening;
let logs: BrokerLogLine[];
let output: string;

async function start(overrides: Partial<BrokerConfig> = {}) {
  logs = [];
  output = '';
  const config: BrokerConfig = {
    agent: 'research',
    listen: { host: '127.0.0.1', port: 8080 },
    upstreams: [anthropicUpstream(upstreamServer.url, 'openclaw/research/anthropic', 10_000)],
    secretTtlSeconds: 300,
    ...overrides,
  };
  const server = createBroker({
    config,
    readSecret: secretsManagerReader({ region: 'eu-west-1', endpoint: smServer.url }),
    log: (line) => {
      logs.push(line);
      output += `${JSON.stringify(line)}\n`;
    },
  });
  broker = await listen(server);
}

function request(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return fetch(`${broker.url}${path}`, {
    method: init.method ?? 'POST',
    headers: init.headers,
    body: init.body,
  });
}

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTONLY';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-only-not-a-secret';
  sm = new FakeSecretsManager();
  smServer = await listen(sm.server());
  upstream = new FakeUpstream('x-api-key');
  upstreamServer = await listen(upstream.server());
  other = new FakeUpstream('x-api-key');
  otherServer = await listen(other.server());
});

beforeEach(async () => {
  sm.values.set('openclaw/research/anthropic', KEY);
  sm.fail = false;
  upstream.validKey = KEY;
  upstream.seen.length = 0;
  other.seen.length = 0;
  await start();
});

afterEach(async () => {
  await broker.close();
});

afterAll(async () => {
  await Promise.all([smServer.close(), upstreamServer.close(), otherServer.close()]);
});

describe('the credential broker', () => {
  test('injects the key for the allowlisted upstream and strips what the caller sent', async () => {
    const res = await request('/anthropic/v1/messages?beta=true', {
      headers: {
        'x-api-key': 'placeholder-from-the-gateway',
        authorization: 'Bearer stolen',
        cookie: 'a=b',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'claude', messages: [] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0].url).toBe('/v1/messages?beta=true');
    expect(upstream.seen[0].headers['x-api-key']).toBe(KEY);
    expect(upstream.seen[0].headers.authorization).toBeUndefined();
    expect(upstream.seen[0].headers.cookie).toBeUndefined();
    expect(upstream.seen[0].body).toBe(JSON.stringify({ model: 'claude', messages: [] }));
    // the key is never sent back, nor a vendor cookie
    expect(text).not.toContain(KEY);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  test('logs one structured line per request: no key, no body, no query', async () => {
    await request('/anthropic/v1/messages?secret-query=1', { body: '{"prompt":"confidential"}' });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      agent: 'research',
      upstream: 'anthropic',
      method: 'POST',
      path: '/anthropic/v1/messages',
      status: 200,
      secret: 'openclaw/research/anthropic',
      outcome: 'forwarded',
    });
    expect(output).not.toContain(KEY);
    expect(output).not.toContain('confidential');
    expect(output).not.toContain('secret-query');
  });

  test('refuses routes and hosts that are not allowlisted, and sends nothing there', async () => {
    expect((await request('/openai/v1/chat/completions')).status).toBe(403);
    // a forward-proxy style request to another host
    const res = await new Promise<number>((resolve) => {
      const u = new URL(broker.url);
      const req = http.request(
        { host: u.hostname, port: u.port, method: 'GET', path: `${otherServer.url}/v1/messages` },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.end();
    });
    expect(res).toBe(403);
    expect(other.seen).toHaveLength(0);
    expect(upstream.seen).toHaveLength(0);
    expect(logs.map((l) => l.outcome)).toEqual(['refused', 'refused']);
  });

  test.each([
    'OTHER',
    '/anthropic/\\127.0.0.1:1/steal',
    '/anthropic/../v1/messages',
    '/anthropic/./v1',
    '/anthropic/%2e%2e/v1',
    '/anthropic/v1%2fmessages',
    '/anthropic/v1%5cmessages',
  ])('never sends the key anywhere but the upstream origin: %s', async (raw) => {
    // OTHER: a path naming the other fake server, which must receive nothing
    const path =
      raw === 'OTHER' ? `/anthropic//127.0.0.1:${new URL(otherServer.url).port}/steal` : raw;
    // sent raw (fetch would normalise dot segments before they reach the broker)
    const status = await new Promise<number>((resolve) => {
      const u = new URL(broker.url);
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.end('{}');
    });
    expect(status).toBe(400);
    expect(upstream.seen).toHaveLength(0);
    expect(other.seen).toHaveLength(0);
  });

  test('refuses a body over the limit', async () => {
    const res = await request('/anthropic/v1/messages', { body: 'x'.repeat(33 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(upstream.seen).toHaveLength(0);
  });

  test('picks up a rotated key: after an upstream 401 it reads the secret again', async () => {
    expect((await request('/anthropic/v1/messages')).status).toBe(200);
    sm.values.set('openclaw/research/anthropic', ROTATED);
    upstream.validKey = ROTATED;
    const res = await request('/anthropic/v1/messages');
    expect(res.status).toBe(200);
    expect(upstream.seen.map((s) => s.headers['x-api-key'])).toEqual([KEY, KEY, ROTATED]);
    expect(output).not.toContain(ROTATED);
  });

  test('caches the secret for its TTL', async () => {
    const before = sm.reads;
    for (let i = 0; i < 5; i++) await request('/anthropic/v1/messages');
    expect(sm.reads - before).toBe(1);
  });

  test('fails closed when the secret cannot be read: 503 and nothing forwarded', async () => {
    sm.fail = true;
    await broker.close();
    await start(); // a fresh cache
    const res = await request('/anthropic/v1/messages');
    expect(res.status).toBe(503);
    expect(upstream.seen).toHaveLength(0);
    expect(logs[0].outcome).toBe('secret-unavailable');
  });

  test('rate-limits per upstream', async () => {
    await broker.close();
    await start({
      upstreams: [anthropicUpstream(upstreamServer.url, 'openclaw/research/anthropic', 2)],
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await request('/anthropic/v1/messages')).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  test('CONNECT only to granted host:port pairs', async () => {
    await broker.close();
    const port = new URL(otherServer.url).port;
    // a loopback target: only as an explicitly granted private IP
    await start({ connectPrivateTargets: [`127.0.0.1:${port}`] });
    const connect = (target: string) => connectStatus(broker.url, target);
    expect(await connect(`127.0.0.1:${port}`)).toBe(200);
    expect(await connect('127.0.0.1:22')).toBe(403);
  });

  test('health endpoint', async () => {
    const res = await fetch(`${broker.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true, upstreams: ['anthropic'] });
  });

  test('200 concurrent requests finish without errors, memory stays bounded', async () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        request('/anthropic/v1/messages', { body: 'x'.repeat(1024) }).then((r) => r.status),
      ),
    );
    expect(results.filter((s) => s !== 200)).toEqual([]);
    expect(upstream.seen).toHaveLength(200);
    const growthMiB = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    expect(growthMiB).toBeLessThan(64);
  });

  test.each<[string, Partial<BrokerConfig>, string]>([
    [
      'a plain-http upstream',
      {
        upstreams: [
          {
            name: 'x',
            baseUrl: 'http://api.example.com',
            auth: { kind: 'bearer' },
            secret: 's',
            requestsPerMinute: 1,
          },
        ],
      },
      'upstream "x" baseUrl "http://api.example.com" must be https',
    ],
    [
      'a wildcard CONNECT target',
      { connectAllowlist: ['*.telegram.org:443'] },
      'CONNECT target "*.telegram.org:443" must be an exact host:port',
    ],
    [
      'an upstream without a secret',
      {
        upstreams: [
          {
            name: 'x',
            baseUrl: 'https://api.example.com',
            auth: { kind: 'bearer' },
            secret: '',
            requestsPerMinute: 1,
          },
        ],
      },
      'upstream "x" names no secret',
    ],
  ])('rejects %s', async (_name, overrides, message) => {
    expect(() =>
      createBroker({
        config: { agent: 'a', listen: { host: '127.0.0.1', port: 1 }, upstreams: [], ...overrides },
        readSecret: async () => '',
      }),
    ).toThrow(message);
  });
});

test('never hands the key back: an upstream that echoes it in a header gets the response refused', async () => {
  const echo = http.createServer((req, res) => {
    res.writeHead(200, {
      'x-echo-key': String(req.headers['x-api-key']),
      'content-type': 'application/json',
    });
    res.end('{}');
  });
  const echoServer = await listen(echo);
  await broker.close();
  await start({
    upstreams: [anthropicUpstream(echoServer.url, 'openclaw/research/anthropic', 100)],
  });
  const res = await request('/anthropic/v1/messages');
  // refused whole rather than passed back with the header dropped
  expect(res.status).toBe(502);
  expect(res.headers.get('x-echo-key')).toBeNull();
  expect(await res.text()).not.toContain(KEY);
  await echoServer.close();
});
