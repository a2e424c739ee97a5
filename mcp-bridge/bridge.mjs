// Bridges one stdio MCP server to streamable HTTP, inside the server's own container.
//
// Each MCP session (an `initialize` POST without a session id) gets its own child process of the
// server, so sessions never share a server's in-memory state; messages are passed through
// unchanged between the official SDK's StdioClientTransport (the child) and its
// StreamableHTTPServerTransport (the gateway). Nothing else is served: /mcp and /healthz only,
// the Host header must be the container's own address, bodies and sessions are capped.
//
// Configuration: /bridge/server.json (baked into the image at build: the server's package and
// the file its bin runs), MCP_BRIDGE_HOST (the host:port the gateway calls), and the container's
// environment, passed to the server (never secrets: those are files).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const PORT = 8808;
const MAX_SESSIONS = 8;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const server = JSON.parse(
  readFileSync(process.env.MCP_BRIDGE_SERVER ?? '/bridge/server.json', 'utf8'),
);
const binFile = resolveBin(server);
const allowedHost = process.env.MCP_BRIDGE_HOST;
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('MCP_BRIDGE_') && k !== 'NODE_OPTIONS'),
);

/** The file the package's bin runs: its only bin, or the one server.json names. */
function resolveBin({ packageName, bin }) {
  const root = process.env.MCP_BRIDGE_MODULES ?? '/app/node_modules';
  const dir = join(root, packageName);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const bins =
    typeof manifest.bin === 'string'
      ? { [packageName.split('/').pop()]: manifest.bin }
      : (manifest.bin ?? {});
  const names = Object.keys(bins);
  const name = bin ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined || bins[name] === undefined) {
    throw new Error(
      `${packageName} has bins ${JSON.stringify(names)}; name one as the server's bin`,
    );
  }
  return join(dir, bins[name]);
}

function log(event, fields = {}) {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), server: server.name, event, ...fields })}\n`,
  );
}

/** @type {Map<string, { http: StreamableHTTPServerTransport, child: StdioClientTransport }>} */
const sessions = new Map();

function answer(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function openSession() {
  const child = new StdioClientTransport({
    command: process.execPath,
    args: [binFile, ...server.args],
    env: childEnv,
    cwd: '/tmp',
    stderr: 'inherit',
  });
  let http;
  http = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableDnsRebindingProtection: allowedHost !== undefined,
    ...(allowedHost ? { allowedHosts: [allowedHost] } : {}),
    onsessioninitialized: (id) => {
      sessions.set(id, { http, child });
      log('session-open', { session: id, sessions: sessions.size });
    },
  });
  http.onmessage = (message) =>
    void child.send(message).catch((e) => log('child-send-failed', { error: String(e) }));
  child.onmessage = (message) =>
    void http.send(message).catch((e) => log('http-send-failed', { error: String(e) }));
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (http.sessionId) {
      sessions.delete(http.sessionId);
      log('session-close', { session: http.sessionId, sessions: sessions.size });
    }
    void http.close().catch(() => undefined);
    void child.close().catch(() => undefined);
  };
  http.onclose = close;
  child.onclose = close;
  child.onerror = (e) => log('child-error', { error: String(e) });
  await child.start();
  return { http, close };
}

const listener = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://bridge');
    if (url.pathname === '/healthz' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, sessions: sessions.size }));
      return;
    }
    if (url.pathname !== '/mcp') return answer(res, 404, 'not found; the MCP endpoint is /mcp');
    const id = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || 'null') : undefined;
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing) return await existing.http.handleRequest(req, res, body);
    if (id !== undefined) return answer(res, 404, 'session not found');
    const initializing = Array.isArray(body)
      ? body.some(isInitializeRequest)
      : isInitializeRequest(body);
    if (req.method !== 'POST' || !initializing)
      return answer(res, 400, 'no session: start one with an initialize request');
    if (sessions.size >= MAX_SESSIONS) return answer(res, 503, `at most ${MAX_SESSIONS} sessions`);
    const session = await openSession();
    await session.http.handleRequest(req, res, body);
    if (!session.http.sessionId) session.close(); // the initialize was refused
  } catch (e) {
    log('request-failed', { error: String(e && e.message ? e.message : e) });
    if (!res.headersSent) answer(res, e && e.status ? e.status : 400, 'bad request');
    else res.destroy();
  }
});

// the server's own module must parse, so a broken image fails at build and start, not at the first call
const check = spawnSync(process.execPath, ['--check', binFile], { stdio: 'inherit' });
if (check.status !== 0) {
  log('server-missing', { bin: binFile });
  process.exit(1);
}
if (process.argv.includes('--check')) {
  log('checked', { bin: binFile });
  process.exit(0);
}
listener.requestTimeout = 300_000;
listener.headersTimeout = 30_000;
listener.listen(PORT, '0.0.0.0', () => log('listening', { port: PORT, package: server.package }));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const { http } of sessions.values()) void http.close().catch(() => undefined);
    listener.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
