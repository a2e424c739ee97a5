import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import { BrokerConfig, Upstream, validateBrokerConfig } from './config';
import { RateLimiter } from './rate-limit';
import { SecretCache, SecretReader } from './secrets';

/**
 * The credential broker: the gateway sends model requests to http://broker/<upstream>/...; the
 * broker forwards them to the real API with the key it reads from Secrets Manager, after removing
 * any credential the caller sent. Everything else is refused. The key never appears in its
 * responses or its log.
 */

/** One structured log line per request. Never a secret value, never a body, never a query. */
export interface BrokerLogLine {
  readonly ts: string;
  readonly agent: string;
  readonly upstream: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly bytes: number;
  readonly latencyMs: number;
  readonly secret: string | null;
  readonly outcome:
    | 'forwarded'
    | 'refused'
    | 'rate-limited'
    | 'secret-unavailable'
    | 'upstream-error'
    | 'tunnelled'
    | 'health';
}

export interface BrokerOptions {
  readonly config: BrokerConfig;
  readonly readSecret: SecretReader;
  readonly log?: (line: BrokerLogLine) => void;
}

/** The largest request body forwarded (model requests with images stay well below it). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** How long an upstream may take to answer. */
export const UPSTREAM_TIMEOUT_MS = 300_000;

/** Request headers that carry credentials or belong to one hop; never forwarded. */
const STRIPPED = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);

/** Response headers never passed back (hop-by-hop, cookies from the vendor). */
const STRIPPED_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  'proxy-authenticate',
]);

export function createBroker(options: BrokerOptions): http.Server {
  const config = validateBrokerConfig(options.config);
  const cache = new SecretCache(options.readSecret, (config.secretTtlSeconds ?? 300) * 1000);
  const limiter = new RateLimiter();
  const log =
    options.log ?? ((line: BrokerLogLine) => process.stdout.write(`${JSON.stringify(line)}\n`));
  const upstreams = new Map(config.upstreams.map((u) => [u.name, u]));
  const connectAllowed = new Set((config.connectAllowlist ?? []).map((h) => h.toLowerCase()));

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    const path = rawPath.split('?')[0];
    const finish = (
      status: number,
      outcome: BrokerLogLine['outcome'],
      upstream: Upstream | null,
      bytes: number,
    ) =>
      log({
        ts: new Date().toISOString(),
        agent: config.agent,
        upstream: upstream?.name ?? null,
        method,
        path: path.startsWith('/') ? path : '(absolute-form)',
        status,
        bytes,
        latencyMs: Date.now() - started,
        secret: upstream?.secret ?? null,
        outcome,
      });
    const refuse = (
      status: number,
      message: string,
      outcome: BrokerLogLine['outcome'],
      upstream: Upstream | null,
    ) => {
      req.resume();
      const body = JSON.stringify({ error: message });
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      finish(status, outcome, upstream, Buffer.byteLength(body));
    };

    if (method === 'GET' && path === '/healthz') {
      const body = JSON.stringify({ ok: true, upstreams: [...upstreams.keys()] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    // absolute-form requests (a forward proxy use) are refused: only named routes are served
    if (!rawPath.startsWith('/'))
      return refuse(403, 'only named upstream routes are served', 'refused', null);
    const [, name, ...rest] = path.split('/');
    const upstream = upstreams.get(name ?? '');
    if (!upstream)
      return refuse(403, `no upstream "${name ?? ''}" in the allowlist`, 'refused', null);
    if (!limiter.take(upstream.name, upstream.requestsPerMinute)) {
      return refuse(429, `rate limit for ${upstream.name} reached`, 'rate-limited', upstream);
    }

    const query = rawPath.includes('?') ? rawPath.slice(rawPath.indexOf('?')) : '';
    // The target is always the configured upstream's origin: the path is set on a copy of the
    // base URL, never resolved against it (a path such as "//evil.com/x" would change the host).
    // Empty, "." and ".." segments are refused rather than normalised.
    if (
      rest.some((seg) => seg === '' || seg === '.' || seg === '..' || /%2e|%2f|%5c|\\/i.test(seg))
    ) {
      return refuse(
        400,
        'the path has empty, dot or encoded separator segments',
        'refused',
        upstream,
      );
    }
    const base = new URL(upstream.baseUrl);
    const target = new URL(base.href);
    target.pathname = `${base.pathname.replace(/\/$/, '')}/${rest.join('/')}`;
    target.search = query;
    if (target.origin !== base.origin)
      return refuse(400, 'the path leaves the upstream', 'refused', upstream);
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      return refuse(413, `request body over ${MAX_BODY_BYTES} bytes`, 'refused', upstream);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge)
        return refuse(413, `request body over ${MAX_BODY_BYTES} bytes`, 'refused', upstream);
      const body = Buffer.concat(chunks);
      const attempt = async (retried: boolean): Promise<void> => {
        let key: string;
        try {
          key = await cache.get(upstream.secret);
        } catch {
          return refuse(
            503,
            `credential for ${upstream.name} unavailable`,
            'secret-unavailable',
            upstream,
          );
        }
        const headers: http.OutgoingHttpHeaders = {};
        for (const [h, v] of Object.entries(req.headers))
          if (!STRIPPED.has(h) && v !== undefined) headers[h] = v;
        if (upstream.auth.kind === 'bearer') headers.authorization = `Bearer ${key}`;
        else headers[upstream.auth.header.toLowerCase()] = key;
        headers['content-length'] = String(body.length);
        const client = target.protocol === 'https:' ? https : http;
        const out = client.request(target, { method, headers }, (up) => {
          if (up.statusCode === 401 && !retried) {
            // the key may have been rotated: read it again once
            up.resume();
            cache.invalidate(upstream.secret);
            void attempt(true);
            return;
          }
          const responseHeaders: http.OutgoingHttpHeaders = {};
          for (const [h, v] of Object.entries(up.headers)) {
            // never hand the key back, even if the upstream echoes it in a header
            if (!STRIPPED_RESPONSE.has(h) && v !== undefined && !String(v).includes(key))
              responseHeaders[h] = v;
          }
          res.writeHead(up.statusCode ?? 502, responseHeaders);
          let bytes = 0;
          up.on('data', (c: Buffer) => {
            bytes += c.length;
            res.write(c);
          });
          up.on('end', () => {
            res.end();
            finish(up.statusCode ?? 502, 'forwarded', upstream, bytes);
          });
        });
        out.setTimeout(UPSTREAM_TIMEOUT_MS, () => out.destroy(new Error('upstream timeout')));
        out.on('error', () => {
          if (!res.headersSent)
            refuse(502, `upstream ${upstream.name} unreachable`, 'upstream-error', upstream);
          else res.destroy();
        });
        out.end(body);
      };
      void attempt(false);
    });
  });

  // CONNECT only to explicitly granted host:port pairs, tunnelled without touching TLS
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const started = Date.now();
    const target = (req.url ?? '').toLowerCase();
    const line = (status: number, outcome: BrokerLogLine['outcome']) =>
      log({
        ts: new Date().toISOString(),
        agent: config.agent,
        upstream: null,
        method: 'CONNECT',
        path: target,
        status,
        bytes: 0,
        latencyMs: Date.now() - started,
        secret: null,
        outcome,
      });
    if (!connectAllowed.has(target)) {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      line(403, 'refused');
      return;
    }
    const [host, port] = [
      target.slice(0, target.lastIndexOf(':')),
      Number(target.slice(target.lastIndexOf(':') + 1)),
    ];
    const upstream = net.connect(port, host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
      line(200, 'tunnelled');
    });
    upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
    socket.on('error', () => upstream.destroy());
  });
  return server;
}
