import { EventEmitter } from 'events';
import * as http from 'http';
import { Readable, Transform, TransformCallback } from 'stream';
import { Agent, errors as undiciErrors } from 'undici';
import { BrokerConfig, Upstream, validateBrokerConfig } from './config';
import {
  DEFAULT_FORWARD_HEADERS,
  isHeaderSafeSecret,
  responseHeaderPolicy,
  upstreamRequestHeaders,
} from './header-policy';
import { KeyScanner } from './key-scanner';
import { BrokerLogLine, BrokerOutcome, LogRecord, serverLog, stdoutLog } from './log';
import { RateLimiter } from './rate-limit';
import { resolveRoute } from './route';
import { SecretCache, SecretReader, SecretTimeoutError } from './secrets';
import { Lookup, openTunnel, systemLookup } from './tunnel';

export type { BrokerLogLine, BrokerOutcome } from './log';

/**
 * The credential broker: the gateway sends model requests to http://broker/<upstream>/...; the
 * broker forwards them to the real API with the key it reads from Secrets Manager, after removing
 * every caller header not on the upstream's allowlist. Everything else is refused. The key never
 * appears in its responses or its log. A thin server over pure pieces: route resolution
 * (route.ts), header policy (header-policy.ts), key scanning (key-scanner.ts), CONNECT policy
 * (connect-policy.ts, tunnel.ts) and the log (log.ts).
 */

/** Limits and timeouts; the defaults keep the broker inside its container's 256 MiB. */
export interface BrokerLimits {
  /** Largest request body, streamed or not (413 above it). */
  readonly maxBodyBytes: number;
  /** Bodies up to this size are read whole before forwarding, so a 401 can be retried once. */
  readonly bufferedBodyBytes: number;
  /** All bodies read whole at one time, together; past it, bodies stream (and are not retried). */
  readonly bufferedTotalBytes: number;
  /**
   * Requests handled at once; more are refused with 503. Besides the buffered bodies, each holds
   * about 64 KiB of stream buffers while it streams: 512 x 64 KiB + 32 MiB buffered + ~70 MiB of
   * program stay inside the container's 256 MiB (and the 192 MiB old-space cap).
   */
  readonly maxRequestsInFlight: number;
  /** Tunnels open at once; more are refused with 503. */
  readonly maxTunnels: number;
  /** A Secrets Manager read (one shared by concurrent requests). */
  readonly secretReadMs: number;
  /** Connecting to an upstream. */
  readonly upstreamConnectMs: number;
  /** From the request sent to the upstream's response headers. */
  readonly upstreamHeadersMs: number;
  /** Silence inside a streamed upstream response body. */
  readonly upstreamIdleMs: number;
  /** The whole exchange with the upstream. */
  readonly upstreamTotalMs: number;
  /** Connecting a CONNECT tunnel. */
  readonly tunnelConnectMs: number;
  /** Silence in a tunnel before it is closed. */
  readonly tunnelIdleMs: number;
}

export const DEFAULT_LIMITS: BrokerLimits = {
  maxBodyBytes: 10 * 1024 * 1024,
  bufferedBodyBytes: 256 * 1024,
  bufferedTotalBytes: 32 * 1024 * 1024,
  maxRequestsInFlight: 512,
  maxTunnels: 64,
  secretReadMs: 5_000,
  upstreamConnectMs: 10_000,
  upstreamHeadersMs: 120_000,
  upstreamIdleMs: 120_000,
  upstreamTotalMs: 600_000,
  tunnelConnectMs: 10_000,
  tunnelIdleMs: 300_000,
};

/** The largest request body forwarded (model requests with images stay well below it). */
export const MAX_BODY_BYTES = DEFAULT_LIMITS.maxBodyBytes;

export interface BrokerOptions {
  readonly config: BrokerConfig;
  readonly readSecret: SecretReader;
  readonly log?: (line: BrokerLogLine) => void;
  /** @default DEFAULT_LIMITS */
  readonly limits?: Partial<BrokerLimits>;
  /** @default - the system resolver */
  readonly lookup?: Lookup;
  /**
   * The MCP server this listener serves (a {@link BrokerConfig} made by `listenerConfig`): every
   * line it logs names the server, and only the server's own addresses are served.
   * @default - the main listener
   */
  readonly mcpServer?: { readonly name: string; readonly clients?: readonly string[] };
}

/** How long an unread request body is read and dropped after a refusal, before closing. */
const LINGER_MS = 1000;

/** A streamed body that went over the cap. */
class TooLarge extends Error {}

/** The reason a small body's read ends early (one object: made once, not per request). */
const CLIENT_GONE = new Error('client gone');

/**
 * Cancels one upstream exchange. undici takes an EventEmitter as its signal, which costs less
 * per request than an AbortController's EventTarget.
 */
class Abort extends EventEmitter {
  public aborted = false;

  public abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

export function createBroker(options: BrokerOptions): http.Server {
  const config = validateBrokerConfig(options.config);
  const limits: BrokerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const cache = new SecretCache(
    options.readSecret,
    (config.secretTtlSeconds ?? 300) * 1000,
    limits.secretReadMs,
  );
  const limiter = new RateLimiter();
  const log = options.mcpServer
    ? serverLog(options.log ?? stdoutLog, options.mcpServer.name)
    : (options.log ?? stdoutLog);
  const upstreams = new Map(config.upstreams.map((u) => [u.name, u]));
  const forwardable = new Map(
    config.upstreams.map((u) => [
      u.name,
      new Set([...DEFAULT_FORWARD_HEADERS, ...(u.forwardHeaders ?? [])]),
    ]),
  );
  const pool = new Agent({
    keepAliveTimeout: 30_000,
    connections: limits.maxRequestsInFlight,
    connect: { timeout: limits.upstreamConnectMs },
    headersTimeout: limits.upstreamHeadersMs,
    bodyTimeout: limits.upstreamIdleMs,
  });
  let inFlight = 0;
  /** Bytes of request bodies read whole, across requests in flight. */
  let buffered = 0;
  let tunnels = 0;

  /** Answers with a small JSON body, or cuts the response when headers are already out. */
  const reply = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: LogRecord,
    status: number,
    message: string,
    outcome: BrokerOutcome,
    extra: Record<string, string> = {},
  ) => {
    rec.set(outcome, status, outcome === 'forwarded' || outcome === 'health' ? undefined : message);
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ error: message });
    // an unread request body is not drained: the connection closes after the answer
    if (!req.readableEnded) {
      // Read and drop what the caller still sends, for a moment, so it sees the answer; then
      // close. (Closing at once, on unread data, would reset the connection and lose the answer.)
      req.unpipe();
      req.resume();
      setTimeout(() => {
        if (!req.readableEnded) req.socket.destroy();
      }, LINGER_MS).unref();
    }
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    rec.bytesOut += Buffer.byteLength(body);
    res.end(body);
  };

  const json = (res: http.ServerResponse, rec: LogRecord, status: number, value: unknown) => {
    const body = JSON.stringify(value);
    rec.set('health', status);
    rec.bytesOut += Buffer.byteLength(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    const path = rawPath.split('?')[0];
    const rec = new LogRecord(
      log,
      config.agent,
      method,
      path.startsWith('/') ? path : '(absolute-form)',
    );
    let counted = false;
    res.on('close', () => {
      if (counted) inFlight--;
      // after every other close listener has said how the exchange ended
      setImmediate(() => rec.end());
    });
    req.on('error', () => undefined);
    res.on('error', () => undefined);

    if (method === 'GET' && path === '/healthz')
      return json(res, rec, 200, { ok: true, upstreams: [...upstreams.keys()] });
    if (method === 'GET' && path === '/readyz') {
      void Promise.all(
        config.upstreams.map((u) =>
          cache.get(u.secret).then(
            () => [u.name, 'readable'] as const,
            () => [u.name, 'unreadable'] as const,
          ),
        ),
      ).then((results) => {
        const ready = results.every(([, r]) => r === 'readable');
        json(res, rec, ready ? 200 : 503, { ready, secrets: Object.fromEntries(results) });
      });
      return;
    }
    if (inFlight >= limits.maxRequestsInFlight) {
      return reply(
        req,
        res,
        rec,
        503,
        `the broker has ${limits.maxRequestsInFlight} requests in flight, its limit; retry shortly`,
        'overloaded',
        { 'retry-after': '1' },
      );
    }
    inFlight++;
    counted = true;

    if (req.headers.upgrade !== undefined)
      return reply(req, res, rec, 501, 'the broker does not forward protocol upgrades', 'refused');
    const route = resolveRoute(method, rawPath, upstreams);
    rec.upstream = route.upstream;
    if ('refusal' in route)
      return reply(req, res, rec, route.refusal.status, route.refusal.message, 'refused', {
        ...route.refusal.headers,
      });
    const upstream = route.upstream;
    if (!limiter.take(upstream.name, upstream.requestsPerMinute))
      return reply(req, res, rec, 429, `rate limit for ${upstream.name} reached`, 'rate-limited');
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limits.maxBodyBytes)
      return reply(
        req,
        res,
        rec,
        413,
        `request body over ${limits.maxBodyBytes} bytes`,
        'too-large',
      );

    void forward(req, res, rec, upstream, route.target).catch(() =>
      reply(req, res, rec, 502, `upstream ${upstream.name} failed`, 'upstream-error'),
    );
  });

  /** Reads a body of at most `max` bytes whole; undefined when it turned out larger. */
  const readSmall = (req: http.IncomingMessage, rec: LogRecord): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        rec.bytesIn += c.length;
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('close', () => reject(CLIENT_GONE));
    });

  /** Streams the caller's body with the cap enforced as it flows, backpressure kept. */
  const capped = (req: http.IncomingMessage, rec: LogRecord, onTooLarge: () => void): Readable => {
    const counter = new Transform({
      transform(chunk: Buffer, _enc: string, cb: TransformCallback) {
        rec.bytesIn += chunk.length;
        if (rec.bytesIn > limits.maxBodyBytes) {
          req.unpipe(counter);
          req.pause();
          onTooLarge();
          return cb(new TooLarge());
        }
        cb(null, chunk);
      },
    });
    req.pipe(counter);
    return counter;
  };

  async function forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: LogRecord,
    upstream: Upstream,
    target: URL,
  ): Promise<void> {
    const abort = new Abort();
    let clientGone = false;
    const total = setTimeout(() => {
      final(
        'upstream-timeout',
        `upstream ${upstream.name} did not finish in ${limits.upstreamTotalMs} ms`,
      );
      abort.abort();
      reply(req, res, rec, 504, rec.detail!, 'upstream-timeout');
    }, limits.upstreamTotalMs);
    res.on('close', () => {
      clearTimeout(total);
      if (res.writableFinished) return;
      clientGone = !rec.outcomeFinal;
      if (clientGone) rec.set('client-aborted', rec.status || 499, 'the caller went away');
      abort.abort();
    });
    /** Records why the exchange ends, before the streams are torn down. */
    const final = (outcome: BrokerOutcome, detail: string) => {
      if (rec.outcomeFinal || clientGone) return;
      rec.set(outcome, undefined, detail);
      rec.outcomeFinal = true;
    };

    const declared = req.headers['content-length'];
    const hasBody =
      declared !== undefined
        ? Number(declared) > 0
        : req.headers['transfer-encoding'] !== undefined;
    // small bodies are read whole (bounded by bufferedBodyBytes): a 401 can then be retried
    let small: Buffer | undefined;
    if (!hasBody) small = Buffer.alloc(0);
    else if (
      declared !== undefined &&
      Number(declared) <= limits.bufferedBodyBytes &&
      buffered + Number(declared) <= limits.bufferedTotalBytes
    ) {
      const size = Number(declared);
      buffered += size;
      res.once('close', () => (buffered -= size));
      try {
        small = await readSmall(req, rec);
      } catch {
        return;
      }
    }

    for (let attempt = 0; attempt < 2; attempt++) {
      let key: string;
      try {
        key = await cache.get(upstream.secret);
      } catch (e) {
        return reply(
          req,
          res,
          rec,
          503,
          e instanceof SecretTimeoutError
            ? `credential for ${upstream.name} unavailable: Secrets Manager did not answer in ${limits.secretReadMs} ms`
            : `credential for ${upstream.name} unavailable`,
          'secret-unavailable',
        );
      }
      if (clientGone) return;
      if (!isHeaderSafeSecret(key)) {
        cache.invalidate(upstream.secret);
        return reply(
          req,
          res,
          rec,
          503,
          `the secret for ${upstream.name} is not a valid header value; store the key alone, without line breaks, control or non-ASCII characters`,
          'secret-invalid',
        );
      }
      let tooLarge = false;
      const body =
        small ??
        capped(req, rec, () => {
          tooLarge = true;
          abort.abort();
          reply(req, res, rec, 413, `request body over ${limits.maxBodyBytes} bytes`, 'too-large');
          rec.outcomeFinal = true;
        });
      let up;
      try {
        up = await pool.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: req.method as 'GET',
          headers: upstreamRequestHeaders(
            req.headers,
            forwardable.get(upstream.name)!,
            upstream.auth,
            key,
          ),
          body: hasBody ? body : undefined,
          signal: abort,
        });
      } catch (e) {
        if (clientGone || tooLarge || rec.outcomeFinal) return;
        if (
          e instanceof undiciErrors.HeadersTimeoutError ||
          e instanceof undiciErrors.ConnectTimeoutError
        )
          return reply(
            req,
            res,
            rec,
            504,
            `upstream ${upstream.name} did not answer in time`,
            'upstream-timeout',
          );
        const upgrade =
          e instanceof Error &&
          /upgrade|101/i.test(`${e.message} ${(e as { code?: string }).code ?? ''}`);
        return reply(
          req,
          res,
          rec,
          502,
          upgrade
            ? `upstream ${upstream.name} answered 101 (a protocol switch); the broker does not forward upgrades`
            : `upstream ${upstream.name} unreachable`,
          'upstream-error',
        );
      }
      up.body.on('error', () => undefined);
      if (up.statusCode === 401 && attempt === 0 && small !== undefined) {
        // the key may have been rotated: read it again once
        up.body.resume();
        cache.invalidate(upstream.secret);
        continue;
      }
      if (up.statusCode === 401) cache.invalidate(upstream.secret);
      if (up.statusCode < 200 || up.statusCode === 101) {
        up.body.destroy();
        return reply(
          req,
          res,
          rec,
          502,
          `upstream ${upstream.name} answered ${up.statusCode}; the broker does not forward upgrades or interim responses`,
          'upstream-error',
        );
      }
      const policy = responseHeaderPolicy(up.headers, key);
      if ('refusal' in policy) {
        up.body.destroy();
        const reflected = !policy.refusal.includes('content-encoding');
        return reply(
          req,
          res,
          rec,
          502,
          reflected
            ? `the response from ${upstream.name} carried the key in ${policy.refusal}; nothing of it was passed back`
            : `the response from ${upstream.name} has ${policy.refusal}; the broker asks for identity encoding`,
          reflected ? 'key-reflected' : 'upstream-error',
        );
      }
      if (clientGone) return void up.body.destroy();
      res.writeHead(up.statusCode, policy.headers);
      // the headers and what of the body arrived with them leave in one write, in this turn of
      // the event loop (a small answer's end too); later chunks are written as they come
      res.cork();
      setImmediate(() => res.uncork());
      rec.set('forwarded', up.statusCode);
      // the body, scanned as it streams; backpressure kept by pausing the upstream body
      const scanner = new KeyScanner(key);
      const answer = up.body;
      await new Promise<void>((done) => {
        const cut = () => {
          res.destroy();
          answer.destroy();
          done();
        };
        answer.on('data', (chunk: Buffer) => {
          const r = scanner.push(chunk);
          if ('found' in r) {
            final('key-reflected', `the response body from ${upstream.name} carried the key; cut`);
            return cut();
          }
          rec.bytesOut += r.release.length;
          if (r.release.length > 0 && !res.write(r.release)) {
            answer.pause();
            res.once('drain', () => answer.resume());
          }
        });
        answer.on('end', () => {
          const rest = scanner.end();
          rec.bytesOut += rest.length;
          res.end(rest);
          done();
        });
        answer.on('error', () => {
          final('upstream-cut', 'the upstream ended before its body was complete');
          cut();
        });
        res.on('close', () => {
          if (!res.writableFinished) answer.destroy();
          done();
        });
      });
      return;
    }
  }

  // CONNECT only to explicitly granted host:port pairs, tunnelled without touching TLS
  const tunnelContext = {
    agent: config.agent,
    log,
    allowed: new Set((config.connectAllowlist ?? []).map((h) => h.toLowerCase())),
    privateTargets: new Set((config.connectPrivateTargets ?? []).map((h) => h.toLowerCase())),
    lookup: options.lookup ?? systemLookup,
    connectMs: limits.tunnelConnectMs,
    idleMs: limits.tunnelIdleMs,
  };
  server.on('connect', (req: http.IncomingMessage, socket: import('net').Socket, head: Buffer) => {
    if (tunnels >= limits.maxTunnels) {
      const rec = new LogRecord(log, config.agent, 'CONNECT', (req.url ?? '').toLowerCase());
      rec.set('overloaded', 503, `the broker has ${limits.maxTunnels} tunnels open, its limit`);
      socket.on('error', () => undefined);
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
      );
      return rec.end();
    }
    tunnels++;
    socket.on('close', () => tunnels--);
    openTunnel(req, socket, head, tunnelContext);
  });
  const clients = options.mcpServer?.clients;
  if (clients !== undefined) {
    // the server's network is shared with the gateway: only the server itself is served here
    const allowed = new Set(clients);
    server.on('connection', (socket: import('net').Socket) => {
      const from = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      if (allowed.has(from)) return;
      const rec = new LogRecord(log, config.agent, '-', '-');
      rec.set('refused', 0, `client ${from} is not the MCP server (${[...allowed].join(', ')})`);
      rec.end();
      socket.destroy();
    });
  }
  server.on('close', () => void pool.close());
  return server;
}
