/**
 * GIVEN the real OpenClaw configured by the library with its Anthropic provider behind the broker,
 *   the broker reading the key from a fake Secrets Manager through the real AWS SDK
 * WHEN OpenClaw runs one agent turn (`openclaw agent --local --message ping --json`)
 * THEN the model request reaches the fake upstream with the real key, while OpenClaw's
 *   environment and config hold no key at all.
 */
import * as fs from 'fs';
import { spawn } from 'child_process';
import { secretsManagerReader } from '../../broker/src/secrets';
import { BrokerLogLine, createBroker } from '../../broker/src/server';
import { OpenClawSecret, renderOpenClawConfig } from '../../src';
import { TEST_SECRET_VALUES } from '../canaries';
import {
  FakeSecretsManager,
  FakeUpstream,
  listen,
  Listening,
  anthropicUpstream,
} from '../broker/fakes';
import { assertOracleInstalled, makeHome, ORACLE_CLI, ORACLE_NODE, writeConfig } from './oracle';

jest.setTimeout(180_000);

const REAL_KEY = TEST_SECRET_VALUES[2];
const servers: Listening[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

test('OpenClaw reaches the model API only through the broker, which alone holds the key', async () => {
  assertOracleInstalled();
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTONLY';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-only-not-a-secret';
  const sm = new FakeSecretsManager();
  sm.values.set('openclaw/agent/anthropic', REAL_KEY);
  const upstream = new FakeUpstream('x-api-key');
  const smServer = await listen(sm.server());
  const upstreamServer = await listen(upstream.server());
  servers.push(smServer, upstreamServer);
  const logs: BrokerLogLine[] = [];
  const broker = await listen(
    createBroker({
      config: {
        agent: 'agent',
        listen: { host: '127.0.0.1', port: 1 },
        upstreams: [anthropicUpstream(upstreamServer.url, 'openclaw/agent/anthropic', 100)],
      },
      readSecret: secretsManagerReader({ region: 'eu-west-1', endpoint: smServer.url }),
      log: (l) => logs.push(l),
    }),
  );
  servers.push(broker);

  const home = makeHome();
  const rendered = renderOpenClawConfig({
    gatewayToken: OpenClawSecret.fromFile(home.tokenPath, { providerName: 'gateway-token' }),
    modelProviders: [
      {
        id: 'anthropic',
        api: 'anthropic-messages',
        baseUrl: `${broker.url}/anthropic`,
        models: [{ id: 'claude-sonnet-4-5' }],
      },
    ],
    primaryModel: 'anthropic/claude-sonnet-4-5',
  });
  writeConfig(home, rendered.json);

  // the agent turn runs in a child process; the broker answers from this one, so run it async
  const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      const child = spawn(
        ORACLE_NODE,
        [ORACLE_CLI, 'agent', '--local', '--message', 'ping', '--json'],
        {
          env: home.env,
          cwd: home.dir,
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      child.on('exit', (status: number | null) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    },
  );

  const messages = upstream.seen.filter(
    (s) => s.method === 'POST' && s.url.startsWith('/v1/messages'),
  );
  if (messages.length === 0) {
    throw new Error(
      `no model request reached the upstream; OpenClaw said:\n${result.stdout}\n${result.stderr.slice(-3000)}`,
    );
  }
  expect(messages[0].headers['x-api-key']).toBe(REAL_KEY);
  expect(logs.some((l) => l.upstream === 'anthropic' && l.outcome === 'forwarded')).toBe(true);
  // nothing on OpenClaw's side holds the key
  expect(rendered.json).not.toContain(REAL_KEY);
  expect(fs.readFileSync(home.configPath, 'utf8')).not.toContain(REAL_KEY);
  expect(JSON.stringify(home.env)).not.toContain(REAL_KEY);
  expect(`${result.stdout}${result.stderr}`).not.toContain(REAL_KEY);
  expect(JSON.stringify(logs)).not.toContain(REAL_KEY);
  fs.rmSync(home.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});
