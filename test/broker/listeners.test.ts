/**
 * The broker's MCP server listeners (issue 19), on loopback: the broker process (main.ts) runs
 * its main listener on 127.0.0.1 and one MCP server's listener on 127.0.0.2, as in a cell it runs
 * them on its cell address and on its address in the server's network.
 */
import * as http from 'http';
import * as net from 'net';
import { BrokerConfig, BrokerListener, listenerConfig } from '../../broker/src/config';
import { brokerBudget, Capacity } from '../../broker/src/budget';
import { brokerServers } from '../../broker/src/listeners';
import { BrokerLogLine, createBroker } from '../../broker/src/server';
import { TEST_SECRET_VALUES } from '../canaries';
import { BrokerProcess, startBrokerProcess } from './broker-process';
import {
  anthropicUpstream,
  connectStatus,
  FakeSecretsManager,
  FakeUpstream,
  HalfHead,
  listen,
  Listening,
  openHalfHeads,
  openTunnel,
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

describe("the listeners' shared budget", () => {
  test("one process's listeners share its in-flight cap, and an MCP server's listener holds only its share", async () => {
    // GIVEN the gateway's listener and an MCP server's in one process, sharing 4 requests in
    // flight, and a Secrets Manager that holds every read until released (so requests stay in
    // flight; released, they fail, so nothing is forwarded anywhere)
    const held: ((e: Error) => void)[] = [];
    let hold = true;
    const readSecret = (): Promise<string> =>
      hold
        ? new Promise((_resolve, reject) => held.push(reject))
        : Promise.reject(new Error('no such secret'));
    const config: BrokerConfig = {
      ...base(),
      upstreams: [anthropicUpstream('https://api.anthropic.com', MODEL_SECRET, 1000)],
      listeners: [
        {
          name: 'github',
          listen: { host: '127.0.0.2', port: 1 },
          upstreams: [githubUpstream('https://api.github.com')],
        },
      ],
    };
    const { servers, budget } = brokerServers(config, readSecret, {
      maxRequestsInFlight: 4,
      secretReadMs: 10_000,
    });
    const urls: string[] = [];
    for (const { server, listen: where } of servers) {
      server.on('error', () => undefined);
      await new Promise<void>((r) => server.listen(0, where.host, () => r()));
      urls.push(`http://${where.host}:${(server.address() as net.AddressInfo).port}`);
    }
    const [gatewayUrl, serverUrl] = urls;
    const inUse = async (n: number) => {
      for (let i = 0; i < 100 && budget.requests.inUse !== n; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(budget.requests.inUse).toBe(n);
    };
    try {
      // WHEN the MCP server sends two requests: its share is a quarter of 4
      const first = request(serverUrl, '/github/repos/o/r', '127.0.0.2');
      await inUse(1);
      const second = await request(serverUrl, '/github/repos/o/r', '127.0.0.2');
      // THEN the second is refused at once, naming the share
      expect(second.status).toBe(503);
      expect(JSON.parse(second.body)).toEqual({
        error:
          "the listener of MCP server github holds its share: 1 of the broker's 4 requests in flight; retry shortly",
      });
      // WHEN the gateway sends four: three fit beside the server's one, the fourth does not
      const gateway = [1, 2, 3].map(() => request(gatewayUrl, '/anthropic/v1/models', '127.0.0.1'));
      await inUse(4);
      const fourth = await request(gatewayUrl, '/anthropic/v1/models', '127.0.0.1');
      expect(fourth.status).toBe(503);
      expect(JSON.parse(fourth.body)).toEqual({
        error: 'the broker has 4 requests in flight, its limit; retry shortly',
      });
      // THEN once the held requests end, what they held is given back
      hold = false;
      for (const reject of held) reject(new Error('released'));
      expect((await Promise.all([first, ...gateway])).map((r) => r.status)).toEqual([
        503, 503, 503, 503,
      ]);
      await inUse(0);
      const again = await request(serverUrl, '/github/repos/o/r', '127.0.0.2');
      expect(JSON.parse(again.body)).toEqual({ error: 'credential for github unavailable' });
    } finally {
      for (const { server } of servers) {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    }
  });

  test("an MCP server's listener holds a quarter of the process's tunnels, refused with its share named", async () => {
    // GIVEN a target that holds connections open, granted by IP (as the CONNECT test above)
    const held = new Set<net.Socket>();
    const target = net.createServer((s) => {
      held.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const to = `127.0.0.1:${(target.address() as net.AddressInfo).port}`;
    const lines: BrokerLogLine[] = [];
    const listener: BrokerListener = {
      name: 'search',
      listen: { host: '127.0.0.2', port: 1 },
      upstreams: [],
    };
    const budget = brokerBudget({ maxRequestsInFlight: 512, bufferedTotalBytes: 1, maxTunnels: 4 });
    const broker = createBroker({
      config: { ...listenerConfig(base(), listener), connectPrivateTargets: [to] },
      readSecret: async () => '',
      log: (l) => lines.push(l),
      mcpServer: { name: 'search' },
      budget,
    });
    await new Promise<void>((r) => broker.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(broker.address() as net.AddressInfo).port}`;
    try {
      // WHEN the server opens two tunnels
      const first = await openTunnel(url, to);
      const second = await openTunnel(url, to);
      // THEN the first is open and counted, the second refused: a quarter of 4 is 1
      expect([first.status, second.status]).toEqual([200, 503]);
      expect(budget.tunnels.inUse).toBe(1);
      first.socket!.destroy();
      second.socket?.destroy();
      for (let i = 0; i < 150 && budget.tunnels.inUse + budget.connections.inUse > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      // both tunnels' connections gave their places back too
      expect([budget.tunnels.inUse, budget.connections.inUse]).toEqual([0, 0]);
      expect(lines.filter((l) => l.outcome === 'overloaded')).toEqual([
        expect.objectContaining({
          method: 'CONNECT',
          status: 503,
          mcpServer: 'search',
          detail:
            "the listener of MCP server search holds its share: 1 of the broker's 4 tunnels open",
        }),
      ]);
    } finally {
      broker.closeAllConnections();
      await new Promise((r) => broker.close(r));
      for (const s of held) s.destroy();
      await new Promise((r) => target.close(r));
    }
  });

  /** A budget of 8 connections (an MCP server's share: 2), and the listener of server search. */
  const eightConnections = () =>
    brokerBudget({
      maxRequestsInFlight: 512,
      bufferedTotalBytes: 1,
      maxTunnels: 4,
      maxConnections: 8,
    });
  const searchListener = (): BrokerListener => ({
    name: 'search',
    listen: { host: '127.0.0.2', port: 1 },
    upstreams: [],
  });

  test("an MCP server's listener holds a quarter of the process's connections; the gateway may use the rest", async () => {
    const lines: BrokerLogLine[] = [];
    const budget = eightConnections();
    const listener = searchListener();
    const brokers = [
      createBroker({
        config: base(),
        readSecret: async () => '',
        log: (l) => lines.push(l),
        budget,
      }),
      createBroker({
        config: listenerConfig(base(), listener),
        readSecret: async () => '',
        log: (l) => lines.push(l),
        mcpServer: { name: 'search' },
        budget,
      }),
    ];
    const [gatewayPort, serverPort] = await Promise.all(
      brokers.map(
        (b) =>
          new Promise<number>((r) =>
            b.listen(0, '127.0.0.1', () => r((b.address() as net.AddressInfo).port)),
          ),
      ),
    );
    const opened: HalfHead[] = [];
    try {
      // WHEN the MCP server floods its listener with connections
      const flood = await openHalfHeads(serverPort, 4);
      opened.push(...flood);
      for (let i = 0; i < 50 && flood.filter((c) => c.closed).length < 2; i++)
        await new Promise((r) => setTimeout(r, 20));
      // THEN it holds a quarter of 8, and the gateway still gets the other six
      expect(flood.map((c) => c.closed)).toEqual([false, false, true, true]);
      const gateway = await openHalfHeads(gatewayPort, 7);
      opened.push(...gateway);
      for (let i = 0; i < 50 && !gateway[6].closed; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(gateway.map((c) => c.closed)).toEqual([
        false,
        false,
        false,
        false,
        false,
        false,
        true,
      ]);
      expect(budget.connections.inUse).toBe(8);
      for (let i = 0; i < 150 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(lines.map((l) => [l.mcpServer, l.outcome, l.detail])).toEqual(
        expect.arrayContaining([
          [
            'search',
            'overloaded',
            "2 connections closed as they came: the listener of MCP server search holds its share: 2 of the broker's 8 connections open",
          ],
          [
            undefined,
            'overloaded',
            '1 connection closed as they came: the broker has 8 connections open, its limit',
          ],
        ]),
      );
      expect(lines).toHaveLength(2);
    } finally {
      for (const c of opened) c.socket.destroy();
      for (const b of brokers) {
        b.closeAllConnections();
        await new Promise((r) => b.close(r));
      }
    }
    // and every place comes back once the connections close
    for (let i = 0; i < 50 && budget.connections.inUse > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(budget.connections.inUse).toBe(0);
  });

  test("callers that are not the MCP server take none of its listener's connections", async () => {
    const lines: BrokerLogLine[] = [];
    const budget = eightConnections();
    const listener = searchListener();
    const broker = createBroker({
      config: listenerConfig(base(), listener),
      readSecret: async () => '',
      log: (l) => lines.push(l),
      mcpServer: { name: 'search', clients: ['127.0.0.9'] },
      budget,
    });
    const port = await new Promise<number>((r) =>
      broker.listen(0, '127.0.0.1', () => r((broker.address() as net.AddressInfo).port)),
    );
    const opened: HalfHead[] = [];
    try {
      // GIVEN the server itself holding its whole share (a quarter of 8)
      const own = await openHalfHeads(port, 2, 64, '127.0.0.9');
      opened.push(...own);
      await new Promise((r) => setTimeout(r, 100));
      expect(own.map((c) => c.closed)).toEqual([false, false]);
      // WHEN a caller from 127.0.0.1 (not the server) opens four connections
      const foreign = await openHalfHeads(port, 4);
      // and another from a second address
      foreign.push(...(await openHalfHeads(port, 1, 64, '127.0.0.5')));
      opened.push(...foreign);
      for (let i = 0; i < 50 && !foreign.every((c) => c.closed); i++)
        await new Promise((r) => setTimeout(r, 20));
      // THEN each is turned away as not the server, and never counted against the share (a
      // count would meet the full share: an overloaded line)
      expect(foreign.map((c) => c.closed)).toEqual([true, true, true, true, true]);
      expect(budget.connections.inUse).toBe(2);
      // logged as refused: each address's first at once, the other three from 127.0.0.1 counted
      // in one line a second later
      await new Promise((r) => setTimeout(r, 1200));
      expect(lines.map((l) => [l.outcome, l.detail])).toEqual([
        ['refused', 'client 127.0.0.1 is not the MCP server (127.0.0.9)'],
        ['refused', 'client 127.0.0.5 is not the MCP server (127.0.0.9)'],
        [
          'refused',
          '3 more connections from 127.0.0.1 closed within a second: client 127.0.0.1 is not the MCP server (127.0.0.9)',
        ],
      ]);
    } finally {
      for (const c of opened) c.socket.destroy();
      broker.closeAllConnections();
      await new Promise((r) => broker.close(r));
    }
  });

  test('MCP servers together hold at most half of a cap and each a quarter; the gateway may use the rest', () => {
    const c = new Capacity(8);
    expect(c.take(2, 'github')).toBeUndefined();
    expect(c.take(1, 'github')).toBe('server');
    expect(c.take(2, 'search')).toBeUndefined();
    expect(c.take(1, 'fetch')).toBe('servers');
    expect(c.take(4)).toBeUndefined();
    expect(c.take(1)).toBe('total');
    expect(c.inUse).toBe(8);
    c.give(2, 'github');
    expect(c.take(1, 'fetch')).toBeUndefined();
    expect(c.take(2)).toBe('total');
    expect(c.take(1)).toBeUndefined();
    // a refused take holds nothing
    expect(c.inUse).toBe(8);
  });

  test('a byte budget refuses an amount over a share whole, not in part', () => {
    const c = new Capacity(16);
    expect(c.take(5, 'github')).toBe('server');
    expect(c.take(4, 'github')).toBeUndefined();
    expect(c.inUse).toBe(4);
  });

  test.each([0, -1, 1.5, Number.NaN])('refuses a cap of %p', (limit) => {
    expect(() => new Capacity(limit)).toThrow(
      `a broker limit must be a whole number of at least 1, not ${limit}`,
    );
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
