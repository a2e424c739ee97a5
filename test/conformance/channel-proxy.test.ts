/**
 * GIVEN a messaging agent's gateway config rendered with `egressProxyUrl` pointing at a fake proxy
 *       on 127.0.0.1, with one chat channel the messaging profile grants hosts for enabled with
 *       fake credentials read from files of the test's home: Telegram (bundled with OpenClaw) or
 *       Slack (its npm plugin at the oracle's release, installed into the home as a pin)
 * WHEN the real gateway runs with exactly the rendered `environment` added to its environment
 * THEN the channel's client asks the proxy to tunnel to its API host (api.telegram.org:443,
 *      slack.com:443; the proxy refuses with 403, so nothing leaves the machine), never sends a
 *      token to the proxy in clear, and does not resolve or dial the host itself.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { OpenClawPluginSpec, OpenClawSecret, renderOpenClawConfig, RiskProfile } from '../../src';
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

jest.setTimeout(660_000);

/** The Slack channel plugin at the oracle's OpenClaw release (oracle/package.json). */
const SLACK_PLUGIN = '@openclaw/slack@2026.9.6';
/** How long `openclaw plugins install` may take (it runs npm for the plugin's dependencies). */
const PLUGIN_INSTALL_TIMEOUT_MS = 300_000;
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

/** One chat channel as the test enables it: its config block, credentials and API host. */
interface ChannelCase {
  readonly id: string;
  readonly plugin: OpenClawPluginSpec;
  /** Fake credentials by file name: values of the service's shape that no account has. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly block: (refs: Record<string, unknown>) => Record<string, unknown>;
  /** The CONNECT the channel's client must ask the proxy for. */
  readonly connect: string;
}

/**
 * Renders a messaging agent's config with the channel and `egressProxyUrl` at the fake proxy,
 * runs the gateway with the rendered environment, and checks what the proxy and the log saw.
 */
async function expectChannelThroughProxy(channel: ChannelCase, home: OracleHome): Promise<void> {
  proxy = await startFakeProxy();
  const port = await freePort();
  const secrets = Object.entries(channel.secrets).map(([name, value]) => ({
    name,
    secret: fakeSecret(home, name, value),
  }));
  const profile = RiskProfile.messaging();
  const rendered = renderOpenClawConfig({
    gatewayToken: OpenClawSecret.fromFile(home.tokenPath),
    port,
    toolsProfile: profile.toolsProfile,
    denyTools: profile.denyTools,
    egressProxyUrl: `http://127.0.0.1:${proxy.port}`,
    plugins: [channel.plugin],
    overrides: {
      secrets: {
        providers: Object.fromEntries(
          secrets.map(({ secret }) => [secret.ref.provider, secret.provider]),
        ),
      },
      channels: {
        [channel.id]: channel.block(
          Object.fromEntries(secrets.map(({ name, secret }) => [name, secret.ref])),
        ),
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

  const started = Date.now();
  while (
    Date.now() - started < CHANNEL_CALL_DEADLINE_MS &&
    !proxy.seen.includes(channel.connect) &&
    gateway.child.exitCode === null
  ) {
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!proxy.seen.includes(channel.connect)) {
    throw new Error(
      `the proxy was not asked for ${channel.connect} within ${CHANNEL_CALL_DEADLINE_MS / 1000} s; it saw:\n${proxy.seen.join('\n') || '(nothing)'}\nthe gateway's output:\n${gateway.output()}`,
    );
  }
  const values = Object.values(channel.secrets);
  expect(proxy.seen.filter((s) => values.some((v) => s.includes(v)))).toEqual([]);
  // Without the proxy a client resolves its host itself (ENOTFOUND here) and Telegram's then
  // dials Telegram's IPs directly ("trying alternative Telegram API IP"); through the proxy none
  // may do either. Watch a while after the refused tunnel for such an attempt.
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
}

test('the Telegram channel of a messaging agent reaches its API only through egressProxyUrl', async () => {
  assertOracleInstalled();
  home = makeHome();
  await expectChannelThroughProxy(
    {
      id: 'telegram',
      plugin: { id: 'telegram' },
      secrets: { 'telegram-bot-token': '123456789:fake-token-for-a-conformance-test' },
      block: (refs) => ({
        enabled: true,
        botToken: refs['telegram-bot-token'],
        dmPolicy: 'pairing',
      }),
      connect: 'CONNECT api.telegram.org:443',
    },
    home,
  );
});

test('the Slack channel of a messaging agent reaches its API only through egressProxyUrl', async () => {
  assertOracleInstalled();
  home = makeHome();
  // as the image does: the exact npm pin, installed from the registry (the plugin loads only
  // from an install with npm provenance; one from an archive is refused as untrusted)
  const install = spawnSync(
    ORACLE_NODE,
    [ORACLE_CLI, 'plugins', 'install', SLACK_PLUGIN, '--pin', '--accept-capabilities'],
    {
      cwd: home.dir,
      env: {
        ...home.env,
        // npm in the test's home: this machine's CA bundle and npm cache
        ...(process.env.NODE_EXTRA_CA_CERTS
          ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
          : {}),
        npm_config_cache: path.join(os.homedir(), '.npm'),
      },
      encoding: 'utf8',
      timeout: PLUGIN_INSTALL_TIMEOUT_MS,
    },
  );
  if (install.status !== 0) {
    throw new Error(
      `openclaw plugins install ${SLACK_PLUGIN} failed (exit ${install.status}, signal ${install.signal}):\n${install.stdout}\n${install.stderr}`,
    );
  }
  await expectChannelThroughProxy(
    {
      id: 'slack',
      plugin: { id: 'slack', package: SLACK_PLUGIN },
      secrets: {
        'slack-bot-token': 'xoxb-fake-conformance-bot-token',
        'slack-app-token': 'xapp-fake-conformance-app-token',
      },
      block: (refs) => ({
        enabled: true,
        mode: 'socket',
        botToken: refs['slack-bot-token'],
        appToken: refs['slack-app-token'],
        dmPolicy: 'pairing',
      }),
      connect: 'CONNECT slack.com:443',
    },
    home,
  );
});
