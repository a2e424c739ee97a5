// The sidecar stand-in's contract, run on this machine's Node (no engine needed): it refuses to
// start without a delivered key or a Serve config, and proxies to the Serve target as Serve does.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import { Duplex } from 'stream';
import * as os from 'os';
import * as path from 'path';
import { renderServeConfig } from '../../src/tailnet/serve-config';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'engine', 'containerboot-standin.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [SCRIPT], {
    env: { PATH: process.env.PATH ?? '', STANDIN_PROXY_LISTEN: '127.0.0.1:0', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function port(started: Started, name: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const match = new RegExp(`${name} listening on 127\\.0\\.0\\.1:(\\d+)`).exec(started.output());
    if (match) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the stand-in did not report ${name}:\n${started.output()}`);
}

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('containerboot stand-in', () => {
  let dir: string;
  let keyFile: string;
  let serveFile: string;
  let upstream: http.Server;
  const running: Started[] = [];
  const upgraded: Duplex[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-'));
    keyFile = path.join(dir, 'authkey');
    serveFile = path.join(dir, 'serve.json');
    fs.writeFileSync(keyFile, 'tskey-auth-test\n');
    // GIVEN a gateway stand-in that echoes what it received, WebSocket upgrades included
    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
      });
    });
    upstream.on('upgrade', (req, socket) => {
      upgraded.push(socket);
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Seen-Proto: ${req.headers['x-forwarded-proto']}\r\n\r\n`,
      );
      socket.on('data', (chunk) => socket.write(`echo:${chunk}`));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    fs.writeFileSync(serveFile, JSON.stringify(renderServeConfig(target)));
  });

  afterEach(async () => {
    for (const started of running.splice(0)) started.child.kill('SIGKILL');
    for (const socket of upgraded.splice(0)) socket.destroy();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      TS_AUTHKEY: `file:${keyFile}`,
      TS_SERVE_CONFIG: serveFile,
      TS_LOCAL_ADDR_PORT: '127.0.0.1:0',
      TS_STATE_DIR: dir,
      ...overrides,
    };
  }

  async function failsWith(overrides: Record<string, string>, message: RegExp) {
    const started = start(env(overrides));
    running.push(started);
    expect(await started.exit).toBe(1);
    expect(started.output()).toMatch(message);
    expect(started.output()).not.toContain('tskey-auth-test');
  }

  test.each([
    ['no TS_AUTHKEY', { TS_AUTHKEY: '' }, /TS_AUTHKEY is not set/],
    ['a key in the environment', { TS_AUTHKEY: 'tskey-auth-test' }, /not a file: reference/],
    [
      'a missing key file',
      { TS_AUTHKEY: 'file:/nonexistent/authkey' },
      /cannot be read \(ENOENT\).*delivered/,
    ],
  ])('exits 1 on %s', async (_name, overrides, message) => {
    await failsWith(overrides, message);
  });

  test('exits 1 on an empty key file', async () => {
    fs.writeFileSync(keyFile, '  \n');
    await failsWith({}, /auth key file .* is empty/);
  });

  test('exits 1 on a missing or unparsable Serve config, or one without a proxy for the cert domain', async () => {
    await failsWith(
      { TS_SERVE_CONFIG: path.join(dir, 'missing.json') },
      /Serve config .* cannot be read/,
    );
    fs.writeFileSync(serveFile, '{ not json');
    await failsWith({}, /cannot be read or parsed/);
    // a Terraform-escaped key that reached the file unrendered
    fs.writeFileSync(
      serveFile,
      '{"Web":{"$${TS_CERT_DOMAIN}:443":{"Handlers":{"/":{"Proxy":"http://1.2.3.4:1"}}}}}',
    );
    await failsWith(
      {},
      /has no Web\["\$\{TS_CERT_DOMAIN\}:443"\].*Web keys: \["\$\$\{TS_CERT_DOMAIN\}:443"\]/,
    );
  });

  test('exits 1 when the state directory is not writable', async () => {
    await failsWith({ TS_STATE_DIR: '/nonexistent/state' }, /state directory .* is not writable/);
  });

  test('answers /healthz and proxies to the Serve target with the X-Forwarded-* headers Serve sets', async () => {
    // WHEN the stand-in starts with a delivered key and the library's Serve config
    const started = start(env());
    running.push(started);
    const proxyPort = await port(started, 'Serve proxy \\(plain HTTP\\)');
    const healthPort = await port(started, 'health check');

    // THEN
    expect(await get(`http://127.0.0.1:${healthPort}/healthz`)).toEqual({
      status: 200,
      body: 'ok\n',
    });
    expect((await get(`http://127.0.0.1:${healthPort}/other`)).status).toBe(404);
    const proxied = await get(`http://127.0.0.1:${proxyPort}/v1/path?q=1`, {
      host: 'openclaw-research.tail1234.ts.net',
    });
    expect(proxied.status).toBe(200);
    const seen = JSON.parse(proxied.body);
    expect(seen.url).toBe('/v1/path?q=1');
    expect(seen.headers).toMatchObject({
      host: 'openclaw-research.tail1234.ts.net',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'openclaw-research.tail1234.ts.net',
    });
    expect(started.output()).toContain('auth key read from');
    expect(started.output()).not.toContain('tskey-auth-test');
  });

  test('forwards WebSocket upgrades both ways', async () => {
    const started = start(env());
    running.push(started);
    const proxyPort = await port(started, 'Serve proxy \\(plain HTTP\\)');
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: proxyPort,
        path: '/ws',
        headers: { connection: 'Upgrade', upgrade: 'websocket' },
      });
      req.on('upgrade', (res, socket) => {
        expect(res.statusCode).toBe(101);
        expect(res.headers['x-seen-proto']).toBe('https');
        socket.once('data', (chunk) => {
          resolve(String(chunk));
          socket.destroy();
        });
        socket.write('ping');
      });
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toBe('echo:ping');
  });
});
