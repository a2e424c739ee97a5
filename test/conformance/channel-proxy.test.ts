/**
 * GIVEN a messaging agent's gateway config rendered with `egressProxyUrl` pointing at a fake proxy
 *       on 127.0.0.1, with the Telegram channel (bundled with OpenClaw) enabled with a fake bot
 *       token read from a file of the test's home
 * WHEN the real gateway runs with exactly the rendered `environment` added to its environment
 * THEN the channel's client asks the proxy to tunnel to api.telegram.org:443 (the proxy refuses
 *      with 403, so nothing leaves the machine), and the token never reaches the proxy in clear.
 *
 * Slack, the other chat service the messaging profile grants hosts for, is a plugin installed
 * from npm (`@openclaw/slack`), which the oracle does not hold; it is not covered here.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { OpenClawSecret, renderOpenClawConfig, RiskProfile } from '../../src';
import {
  assertOracleInstalled,
  freePort,
  groupMembers,
  makeHome,
  OracleHome,
  RunningGateway,
  startGatewayCommand,
  ORACLE_CLI,
  ORACLE_NODE,
  waitForHealth,
  writeConfig,
} from './oracle';

jest.setTimeout(420_000);

/** A bot token of Telegram's shape that no bot has: the proxy refuses every call anyway. */
const TELEGRAM_FAKE_TOKEN = '123456789:fake-token-for-a-conformance-test';
/** How long the channels may take to make their first call after /healthz answers. */
const CHANNEL_CALL_DEADLINE_MS = 120_000;
/** How long to watch, after the refused tunnel, for a direct attempt by the channel's client. */
const DIRECT_ATTEMPT_WATCH_MS = 20_000;

/** What a proxy was asked for: CONNECT targets and the Host of absolute-form requests. */
interface FakeProxy {
  readonly port: number;
  readonly seen: string[];
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 that records every request and refuses each with 403. */
function startFakeProxy(): Promise<FakeProxy> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    // absolute-form: the proxy is asked for http://host/...
    seen.push(`${req.method} ${req.url} Host ${req.headers.host ?? ''}`);
    res.writeHead(403, { connection: 'close' }).end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        seen,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** A fake credential in a file of the test's home, as a secret reference. */
function fakeSecret(home: OracleHome, name: string, value: string): OpenClawSecret {
  const file = path.join(home.dir, 'secrets', name);
  fs.writeFileSync(file, value, { mode: 0o600 });
  return OpenClawSecret.fromFile(file);
}

/** `KEY=value` lines as an environment. */
function asEnv(lines: readonly string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

let gateway: RunningGateway | undefined;
let proxy: FakeProxy | undefined;
let home: OracleHome | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  await proxy?.close();
  proxy = undefined;
  if (home) fs.rmSync(home.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  home = undefined;
});

test('the Telegram channel of a messaging agent reaches its API only through egressProxyUrl', async () => {
  assertOracleInstalled();
  home = makeHome();
  proxy = await startFakeProxy();
  const port = await freePort();

  const telegramToken = fakeSecret(home, 'telegram-bot-token', TELEGRAM_FAKE_TOKEN);
  const profile = RiskProfile.messaging();
  const rendered = renderOpenClawConfig({
    gatewayToken: OpenClawSecret.fromFile(home.tokenPath),
    port,
    toolsProfile: profile.toolsProfile,
    denyTools: profile.denyTools,
    egressProxyUrl: `http://127.0.0.1:${proxy.port}`,
    plugins: [{ id: 'telegram' }],
    overrides: {
      secrets: {
        providers: { [telegramToken.ref.provider]: telegramToken.provider },
      },
      channels: {
        telegram: { enabled: true, botToken: telegramToken.ref, dmPolicy: 'pairing' },
      },
    },
  });
  expect(rendered.environment.length).toBeGreaterThan(0);
  writeConfig(home, rendered.json);

  gateway = startGatewayCommand(
    home,
    ORACLE_NODE,
    [ORACLE_CLI, 'gateway', 'run'],
    asEnv(rendered.environment),
  );
  await waitForHealth(gateway, `http://127.0.0.1:${port}`);

  const wanted = ['CONNECT api.telegram.org:443'];
  const started = Date.now();
  while (
    Date.now() - started < CHANNEL_CALL_DEADLINE_MS &&
    !wanted.every((w) => proxy!.seen.includes(w)) &&
    gateway.child.exitCode === null
  ) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const missing = wanted.filter((w) => !proxy!.seen.includes(w));
  if (missing.length > 0) {
    throw new Error(
      `the proxy was not asked for ${missing.join(', ')} within ${CHANNEL_CALL_DEADLINE_MS / 1000} s; it saw:\n${proxy.seen.join('\n') || '(nothing)'}\nthe gateway's output:\n${gateway.output()}`,
    );
  }
  expect(proxy.seen.filter((s) => s.includes(TELEGRAM_FAKE_TOKEN))).toEqual([]);
  // Without the proxy the Telegram client resolves api.telegram.org itself and, when that fails,
  // dials Telegram's IPs directly ("trying alternative Telegram API IP"); through the proxy it
  // must do neither. Watch a while after the refused tunnel for such an attempt.
  await new Promise((r) => setTimeout(r, DIRECT_ATTEMPT_WATCH_MS));
  const direct = gateway
    .output()
    .split('\n')
    .filter((l) => /alternative Telegram API IP|ENOTFOUND|EAI_AGAIN/.test(l));
  expect(direct).toEqual([]);
  const pgid = gateway.child.pid!;
  await gateway.stop();
  gateway = undefined;
  expect(groupMembers(pgid)).toEqual([]);
});
