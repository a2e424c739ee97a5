#!/usr/bin/env node
// A stand-in for Tailscale's containerboot, baked into the local test image tagged as the pinned
// tailscale/tailscale release (scripts/engine/images.js). It is NOT Tailscale: it joins no tailnet
// and terminates no TLS. It proves two things of a synthesized sidecar on a real engine:
//   1. the auth key was delivered: TS_AUTHKEY=file:<path> must name a readable, non-empty file;
//   2. the proxy hop: the Serve config at $TS_SERVE_CONFIG names the gateway, and requests to
//      0.0.0.0:8443 (plain HTTP; a non-root process cannot bind 443, and userspace Tailscale binds
//      no port on the container's interfaces at all) are proxied to it with the X-Forwarded-*
//      headers Serve sets, WebSocket upgrades included.
// It answers GET /healthz on $TS_LOCAL_ADDR_PORT like containerboot's TS_ENABLE_HEALTH_CHECK.
// Any missing input is a clear message and exit code 1. Logs go to stdout; the key never does.
'use strict';
const fs = require('fs');
const http = require('http');

const PROXY_LISTEN = process.env.STANDIN_PROXY_LISTEN || '0.0.0.0:8443';
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

function log(message) {
  process.stdout.write(`containerboot-standin: ${message}\n`);
}

function fail(message) {
  log(`error: ${message}`);
  process.exit(1);
}

function splitHostPort(value, name) {
  const match = /^(.*):(\d+)$/.exec(value || '');
  if (!match) fail(`${name} "${value}" is not <host>:<port>`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

/** TS_AUTHKEY must be file:<path> naming a readable, non-empty file. Returns the key's length. */
function checkAuthKey(env) {
  const value = env.TS_AUTHKEY;
  if (!value) fail('TS_AUTHKEY is not set; the sidecar expects TS_AUTHKEY=file:<path>');
  if (!value.startsWith('file:')) {
    fail(
      'TS_AUTHKEY is not a file: reference; the key must be delivered as a file, never in the environment',
    );
  }
  const file = value.slice('file:'.length);
  let key;
  try {
    key = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    fail(
      `auth key file ${file} cannot be read (${error.code || error.message}); was the key delivered?`,
    );
  }
  if (key.length === 0) fail(`auth key file ${file} is empty; was the key delivered?`);
  log(`auth key read from ${file} (${key.length} characters)`);
  return key.length;
}

/** The state directory must be writable by this user, as tailscaled needs it. */
function checkStateDir(env) {
  const dir = env.TS_STATE_DIR;
  if (!dir) return;
  const probe = `${dir}/.containerboot-standin-${process.pid}`;
  try {
    fs.writeFileSync(probe, 'probe\n');
    fs.rmSync(probe);
  } catch (error) {
    fail(
      `state directory ${dir} is not writable by uid ${process.getuid()} (${error.code || error.message})`,
    );
  }
  log(`state directory ${dir} is writable`);
}

/** The Serve target: Web["<cert domain>:443"].Handlers["/"].Proxy of the config at TS_SERVE_CONFIG. */
function serveTarget(env) {
  const file = env.TS_SERVE_CONFIG;
  if (!file) fail('TS_SERVE_CONFIG is not set; the sidecar needs a Serve config file');
  let config;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`Serve config ${file} cannot be read or parsed (${error.code || error.message})`);
  }
  const domain = env.TS_CERT_DOMAIN || `${env.TS_HOSTNAME || 'standin'}.standin.ts.net`;
  const web = {};
  for (const [hostPort, handlers] of Object.entries((config && config.Web) || {})) {
    web[hostPort.split('${TS_CERT_DOMAIN}').join(domain)] = handlers;
  }
  const handler =
    web[`${domain}:443`] && web[`${domain}:443`].Handlers && web[`${domain}:443`].Handlers['/'];
  if (!handler || typeof handler.Proxy !== 'string') {
    const keys = Object.keys((config && config.Web) || {});
    fail(
      `Serve config ${file} has no Web["\${TS_CERT_DOMAIN}:443"].Handlers["/"].Proxy ` +
        `(Web keys: ${JSON.stringify(keys)}; a "$\${" is Terraform's escape, which Terraform removes)`,
    );
  }
  let target;
  try {
    target = new URL(handler.Proxy);
  } catch {
    fail(`Serve target "${handler.Proxy}" in ${file} is not a URL`);
  }
  if (target.protocol !== 'http:') fail(`Serve target "${handler.Proxy}" is not http://`);
  log(`Serve config ${file}: https://${domain}:443/ -> ${handler.Proxy}`);
  return { host: target.hostname, port: Number(target.port || 80), domain };
}

/** The request headers Serve sends upstream: hop-by-hop ones dropped, X-Forwarded-* set. */
function upstreamHeaders(req, domain, keepUpgrade) {
  const headers = { ...req.headers };
  const connectionTokens = String(req.headers.connection || '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  for (const name of [...HOP_BY_HOP, ...connectionTokens]) delete headers[name];
  if (keepUpgrade) {
    headers.connection = 'Upgrade';
    headers.upgrade = req.headers.upgrade;
  }
  const client = (req.socket.remoteAddress || '').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = req.headers['x-forwarded-for']
    ? `${req.headers['x-forwarded-for']}, ${client}`
    : client;
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-host'] = req.headers.host || domain;
  return headers;
}

function startProxy(target) {
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: upstreamHeaders(req, target.domain, false),
      },
      (upstreamRes) => {
        const headers = { ...upstreamRes.headers };
        for (const name of HOP_BY_HOP) delete headers[name];
        res.writeHead(upstreamRes.statusCode || 502, upstreamRes.statusMessage, headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      log(`proxy ${req.method} ${req.url}: ${error.code || error.message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway\n');
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = http.request({
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: upstreamHeaders(req, target.domain, true),
    });
    upstream.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
      const lines = [`HTTP/1.1 ${upstreamRes.statusCode} ${upstreamRes.statusMessage}`];
      for (let i = 0; i < upstreamRes.rawHeaders.length; i += 2) {
        lines.push(`${upstreamRes.rawHeaders[i]}: ${upstreamRes.rawHeaders[i + 1]}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('error', () => upstreamSocket.destroy());
    });
    upstream.on('response', (upstreamRes) => {
      // the upstream refused the upgrade: pass its answer on and close
      const lines = [
        `HTTP/1.1 ${upstreamRes.statusCode} ${upstreamRes.statusMessage}`,
        'Connection: close',
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstreamRes.pipe(socket);
    });
    upstream.on('error', (error) => {
      log(`proxy upgrade ${req.url}: ${error.code || error.message}`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
    });
    upstream.end();
  });
  return server;
}

function startHealth() {
  return http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
}

function listen(server, address, name) {
  const { host, port } = splitHostPort(address, name);
  return new Promise((resolve) => {
    server.once('error', (error) =>
      fail(`cannot listen on ${address} for ${name}: ${error.code || error.message}`),
    );
    server.listen(port, host, () => {
      log(`${name} listening on ${host}:${server.address().port}`);
      resolve();
    });
  });
}

async function main(env = process.env) {
  log('not Tailscale: a local stand-in proving key delivery and the Serve proxy hop only');
  checkAuthKey(env);
  checkStateDir(env);
  const target = serveTarget(env);
  const proxy = startProxy(target);
  const health = startHealth();
  await listen(proxy, PROXY_LISTEN, 'Serve proxy (plain HTTP)');
  if (env.TS_LOCAL_ADDR_PORT) await listen(health, env.TS_LOCAL_ADDR_PORT, 'health check');
  else log('TS_LOCAL_ADDR_PORT is not set; no /healthz endpoint');
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      proxy.close();
      health.close();
      process.exit(0);
    });
  }
}

main();
