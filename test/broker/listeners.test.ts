/**
 * The broker's MCP server listeners (issue 19), on loopback: the broker process (main.ts) runs
 * its main listener on 127.0.0.1 and one MCP server's listener on 127.0.0.2, as in a cell it runs
 * them on its cell address and on its address in the server's network.
 */
import * as http from 'http';
import * as net from 'net';
import { BrokerConfig, BrokerListener, listenerConfig } from '../../broker/src/config';
import { BrokerLogLine, createBroker } from '../../broker/src/server';
import { TEST_SECRET_VALUES } from '../canaries';
import { BrokerProcess, startBrokerProcess } from './broker-process';
import {
  anthropicUpstream,
  connectStatus,
  FakeSecretsManager,
  FakeUpstream,
  listen,
  Listening,
} from './fakes';

jest.setTimeout(20_000);

const MODEL_KEY = TEST_SECRET_VALUES[0];
const GITHUB_KEY = TEST_SECRET_VALUES[1];
const MODEL_SECRET = 'openclaw/research/anthropic';
const GITHUB_SECRET = 'openclaw/research/github';
/** The MCP server's own address; any other client of its listener is refused. */
const SERVER_ADDRESS = '127.0.0.3';

let sm: FakeSecretsManager;
let smServer: Listening;
let model: Listening;
let github: FakeUpstream;
let githubServer: Listening;
let p: BrokerProcess;
let listenerUrl: string;

const githubUpstream = (baseUrl: string) => ({
  name: 'github',
  baseUrl,
  auth: { kind: 'bearer' as const },
  secret: GITHUB_SECRET,
  requestsPerMinute: 100,
});

beforeAll(async () => {
  sm = new FakeSecretsManager();
  sm.values.set(MODEL_SECRET, MODEL_KEY);
  sm.values.set(GITHUB_SECRET, GITHUB_KEY);
  smServer = await listen(sm.server());
  model = await listen(new FakeUpstream('x-api-key').server());
  github = new FakeUpstream('authorization');
  github.validKey = GITHUB_KEY;
  githubServer = await listen(github.server());
  p = await startBrokerProcess(
    {
      agent: 'research',
      upstreams: [anthropicUpstream(model.url, MODEL_SECRET, 100)],
      connectAllowlist: ['api.telegram.org:443'],
    },
    smServer.url,
    (port) => {
      listenerUrl = `http://127.0.0.2:${port}`;
      return {
        listeners: [
          {
            name: 'github',
            listen: { host: '127.0.0.2', port },
            upstreams: [githubUpstream(githubServer.url)],
            connectAllowlist: ['api.github.com:443'],
            clients: [SERVER_ADDRESS],
          },
        ],
      };
    },
  );
});
afterAll(async () => {
  await p?.stop();
  await githubServer.close();
  await model.close();
  await smServer.close();
});

/** A request from `from` (the MCP server's address by default); -1 when the broker hung up. */
function request(
  base: string,
  path: string,
  from = SERVER_ADDRESS,
): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: 'GET', localAddress: from },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', () => resolve({ status: -1, body: '' }));
    req.end();
  });
}

function connect(base: string, target: string, from = SERVER_ADDRESS): Promise<number> {
  return connectStatus(base, target, from);
}

/** The log line for `path`, once the broker has written it (bounded wait). */
async function lineFor(path: string, where: (l: Record<string, unknown>) => boolean = () => true) {
  for (let i = 0; i < 50; i++) {
    const line = p.lines().find((l) => l.path === path && where(l));
    if (line) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no log line for ${path}:\n${p.output()}`);
}

describe("an MCP server's listener", () => {
  test("brokers the server's API with its key injected, and every line names the server", async () => {
    const res = await request(listenerUrl, '/github/repos/o/r');
    expect(res.status).toBe(200);
    expect(github.seen.at(-1)?.headers.authorization).toBe(`Bearer ${GITHUB_KEY}`);
    expect(await lineFor('/github/repos/o/r')).toMatchObject({
      agent: 'research',
      mcpServer: 'github',
      upstream: 'github',
      outcome: 'forwarded',
      status: 200,
    });
    expect(p.output()).not.toContain(GITHUB_KEY);
  });

  test("refuses the cell's model routes, logged with the server's name", async () => {
    const res = await request(listenerUrl, '/anthropic/v1/models');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({ error: 'no upstream "anthropic" in the allowlist' });
    expect(await lineFor('/anthropic/v1/models')).toMatchObject({
      mcpServer: 'github',
      outcome: 'refused',
    });
  });

  test("refuses CONNECT targets outside its allowlist (the main listener's too), logged with the server's name", async () => {
    expect(await connect(listenerUrl, 'api.telegram.org:443')).toBe(403);
    expect(await lineFor('api.telegram.org:443')).toMatchObject({
      method: 'CONNECT',
      mcpServer: 'github',
      outcome: 'refused',
      detail: 'not in the CONNECT allowlist',
    });
  });

  test('closes a connection from any other address (the gateway shares the network), logged', async () => {
    expect((await request(listenerUrl, '/github/repos/o/r', '127.0.0.1')).status).toBe(-1);
    const refused = await lineFor('-', (l) => String(l.detail).includes('127.0.0.1'));
    expect(refused).toMatchObject({ mcpServer: 'github', outcome: 'refused' });
    expect(refused.detail).toBe('client 127.0.0.1 is not the MCP server (127.0.0.3)');
  });
});

describe('the main listener beside it', () => {
  test("refuses the server's CONNECT targets and routes; its lines name no server", async () => {
    expect(await connect(p.url, 'api.github.com:443', '127.0.0.1')).toBe(403);
    const line = await lineFor('api.github.com:443');
    expect(line).toMatchObject({ outcome: 'refused', detail: 'not in the CONNECT allowlist' });
    expect(line).not.toHaveProperty('mcpServer');
    expect((await request(p.url, '/github/user', '127.0.0.1')).status).toBe(403);
    expect(await request(p.url, '/anthropic/v1/models', '127.0.0.1')).toMatchObject({
      status: 200,
    });
    expect(await lineFor('/anthropic/v1/models', (l) => l.status === 200)).not.toHaveProperty(
      'mcpServer',
    );
  });
});

describe('a tunnel through a server listener', () => {
  test("is logged once with the server's name and its byte counts", async () => {
    // a loopback target needs a private grant, which only a BrokerConfig made by hand carries
    // (an MCP server's listener is never given one): the listener's code path is the same
    const target = net.createServer((s) => s.end('pong'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const port = (target.address() as net.AddressInfo).port;
    const lines: BrokerLogLine[] = [];
    const listener: BrokerListener = {
      name: 'search',
      listen: { host: '127.0.0.2', port: 1 },
      upstreams: [],
      connectAllowlist: [],
    };
    const broker = createBroker({
      config: { ...listenerConfig(base(), listener), connectPrivateTargets: [`127.0.0.1:${port}`] },
      readSecret: async () => '',
      log: (l) => lines.push(l),
      mcpServer: { name: 'search' },
    });
    await new Promise<void>((r) => broker.listen(0, '127.0.0.1', () => r()));
    const brokerPort = (broker.address() as net.AddressInfo).port;
    try {
      const got = await new Promise<string>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: brokerPort,
          method: 'CONNECT',
          path: `127.0.0.1:${port}`,
        });
        req.on('connect', (_r, socket, head) => {
          let data = head.toString();
          socket.on('data', (c) => (data += c));
          socket.on('close', () => resolve(data));
        });
        req.on('error', reject);
        req.end();
      });
      expect(got).toBe('pong');
      for (let i = 0; i < 50 && lines.length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(lines).toEqual([
        expect.objectContaining({
          method: 'CONNECT',
          path: `127.0.0.1:${port}`,
          outcome: 'tunnelled',
          status: 200,
          bytesOut: 4,
          mcpServer: 'search',
        }),
      ]);
    } finally {
      broker.closeAllConnections();
      await new Promise((r) => broker.close(r));
      await new Promise((r) => target.close(r));
    }
  });
});

const base = (): BrokerConfig => ({
  agent: 'research',
  listen: { host: '127.0.0.1', port: 1 },
  upstreams: [],
});

describe('listener configuration', () => {
  const with1 = (
    listener: Partial<BrokerListener>,
    main: Partial<BrokerConfig> = {},
  ): BrokerConfig => ({
    ...base(),
    ...main,
    listeners: [
      {
        name: 'github',
        listen: { host: '172.28.0.4', port: 8080 },
        upstreams: [],
        ...listener,
      },
    ],
  });
  test.each<[string, BrokerConfig, string]>([
    [
      'a main listener on every interface',
      with1({}, { listen: { host: '0.0.0.0', port: 8080 } }),
      'broker listen host "0.0.0.0" listens on every interface, so the MCP servers\' networks would reach the cell\'s routes; bind it to the broker\'s cell network address, such as "172.30.0.3"',
    ],
    [
      'a listener on every interface',
      with1({ listen: { host: '0.0.0.0', port: 8080 } }),
      'broker listener "github" listen host "0.0.0.0" must be one IPv4 address',
    ],
    [
      "a listener on the main listener's address",
      with1({ listen: { host: '127.0.0.1', port: 8080 } }),
      'broker listener "github" listen host 127.0.0.1 is already another listener\'s',
    ],
    [
      'a wildcard CONNECT target',
      with1({ connectAllowlist: ['*.github.com:443'] }),
      'broker listener "github": CONNECT target "*.github.com:443" must be an exact host:port',
    ],
    [
      'an internal CONNECT name',
      with1({ connectAllowlist: ['metadata.google.internal:80'] }),
      'broker listener "github": CONNECT target "metadata.google.internal:80" names an internal host',
    ],
    [
      'a plain-http upstream',
      with1({ upstreams: [githubUpstream('http://api.github.com')] }),
      'broker listener "github": upstream "github" baseUrl "http://api.github.com" must be https',
    ],
    [
      'a client that is not an address',
      with1({ clients: ['gateway'] }),
      'broker listener "github" client "gateway" must be one IPv4 address',
    ],
    [
      'a listener that is not a server name',
      with1({ name: 'GitHub' }),
      'broker listener "GitHub": the name must be an MCP server name',
    ],
  ])('refuses %s', (_name, config, message) => {
    expect(() => createBroker({ config, readSecret: async () => '' })).toThrow(message);
  });

  test('a listener runs with only its own routes and CONNECT targets', () => {
    const config: BrokerConfig = {
      ...base(),
      upstreams: [anthropicUpstream('https://api.anthropic.com', MODEL_SECRET, 10)],
      connectAllowlist: ['api.telegram.org:443'],
      connectPrivateTargets: ['10.0.0.5:443'],
      secretTtlSeconds: 60,
    };
    const listener: BrokerListener = {
      name: 'github',
      listen: { host: '172.28.0.4', port: 8080 },
      upstreams: [githubUpstream('https://api.github.com')],
      connectAllowlist: ['api.github.com:443'],
    };
    expect(listenerConfig(config, listener)).toEqual({
      agent: 'research',
      listen: { host: '172.28.0.4', port: 8080 },
      upstreams: [githubUpstream('https://api.github.com')],
      connectAllowlist: ['api.github.com:443'],
      secretTtlSeconds: 60,
    });
  });
});
