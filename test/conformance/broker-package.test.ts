/**
 * The broker image's build steps without Docker: its own lockfile installs (npm ci), its own
 * tsconfig compiles, and the compiled program starts on Node 24 (the image's runtime), answers
 * /healthz and fails closed when its secret cannot be read.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeSecretsManager, FakeUpstream, listen, anthropicUpstream } from '../broker/fakes';
import { assertOracleInstalled, freePort, ORACLE_NODE } from './oracle';

jest.setTimeout(240_000);

test('the broker package builds from its own lockfile and runs on Node 24', async () => {
  assertOracleInstalled();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broker-package-'));
  const source = path.resolve(__dirname, '..', '..', 'broker');
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'Dockerfile'])
    fs.copyFileSync(path.join(source, f), path.join(dir, f));
  fs.cpSync(path.join(source, 'src'), path.join(dir, 'src'), { recursive: true });
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'pipe',
  });
  execFileSync(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
    cwd: dir,
    stdio: 'pipe',
  });
  expect(fs.existsSync(path.join(dir, 'dist', 'main.js'))).toBe(true);

  const sm = new FakeSecretsManager();
  sm.fail = true; // nothing readable: the broker must refuse, not forward
  const upstream = new FakeUpstream('x-api-key');
  const smServer = await listen(sm.server());
  const upstreamServer = await listen(upstream.server());
  const port = await freePort();
  const config = {
    agent: 'research',
    listen: { host: '127.0.0.1', port },
    upstreams: [anthropicUpstream(upstreamServer.url, 'missing', 10)],
  };
  const child = spawn(ORACLE_NODE, [path.join(dir, 'dist', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      BROKER_CONFIG: JSON.stringify(config),
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDTESTONLY',
      AWS_SECRET_ACCESS_KEY: 'test-only-not-a-secret',
      BROKER_SECRETS_ENDPOINT: smServer.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  try {
    let health: unknown;
    for (let i = 0; i < 50 && health === undefined; i++) {
      await new Promise((r) => setTimeout(r, 200));
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.json(),
        () => undefined,
      );
    }
    expect(health).toEqual({ ok: true, upstreams: ['anthropic'] });
    const refused = await fetch(`http://127.0.0.1:${port}/anthropic/v1/messages`, {
      method: 'POST',
      body: '{}',
    });
    expect(refused.status).toBe(503);
    expect(upstream.seen).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('"outcome":"secret-unavailable"');
  } finally {
    child.kill('SIGTERM');
    await Promise.all([smServer.close(), upstreamServer.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
