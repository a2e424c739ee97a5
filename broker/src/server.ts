import * as http from 'http';
import type { Socket } from 'net';
import { Dispatcher, Pool, errors as undiciErrors } from 'undici';
import {
  BrokerBudget,
  brokerBudget,
  DEFAULT_MAX_CONNECTIONS,
  overloadMessage,
  Refusal,
} from './budget';
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
import { resolveRoute, Target } from './route';
import { SecretCache, SecretReader, SecretTimeoutError } from './secrets';
import { endSoon, LINGER_MS, Lookup, openTunnel, systemLookup } from './tunnel';

export type { BrokerLogLine, BrokerOutcome } from './log';

/**
 * The credential broker: the gateway sends model requests to http://broker/<upstream>/...; the
 * broker forwards them to the real API with the key it reads from Secrets Manager, after removing
 * every caller header not on the upstream's allowlist. Everything else is refused. The key never
 * appears in its responses or its log. A thin server over pure pieces: route resolution
 * (route.ts), header policy (header-policy.ts), key scanning (key-scanner.ts), CONNECT policy
 * (connect-policy.ts, tunnel.ts) and the log (log.ts).
 */

/**
 * Limits and timeouts. The defaults keep the broker inside its container's 512 MiB
 * (BROKER_MEMORY_MIB), shown on the engine at the in-flight cap with every peer stalled
 * (test/engine/broker-load.test.ts: a resident peak near 250 MiB).
 */
export interface BrokerLimits {
  /** Largest request body, streamed or not (413 above it). */
  readonly maxBodyBytes: number;
  /** Bodies up to this size are read whole before forwarding, so a 401 can be retried once. */
  readonly bufferedBodyBytes: number;
  /**
   * All bodies read whole at one time, together (all listeners, shared as the requests are); past
   * it, bodies stream (and are not retried).
   */
  readonly bufferedTotalBytes: number;
  /**
   * Requests handled at once, by all the process's listeners together (budget.ts: MCP servers'
   * listeners half of it, a quarter each); more are refused with 503. Besides the buffered bodies, a request
   * stalled at both ends holds a socket read or two each way (up to 64 KiB each); what decides
   * the peak is the read buffers already passed on, which Node frees only at the next garbage
   * collection, and V8 collects after tens of MiB of them: at 512 the resident peak passed
   * 256 MiB (the kernel killed a 256 MiB broker), and stayed near half of 512 MiB.
   */
  readonly maxRequestsInFlight: number;
  /**
   * Callers' connections open at once (all listeners, shared as the requests are; budget.ts);
   * more are closed as they come, counted in a log line a second (one for each limit met).
   */
  readonly maxConnections: number;
  /** Tunnels open at once (all listeners, shared as the requests are); more are refused with 503. */
  readonly maxTunnels: number;
  /** A Secrets Manager read (one shared by concurrent requests). */
  readonly secretReadMs: number;
  /** Connecting to an upstream. */
  readonly upstreamConnectMs: number;
  /** From the request sent to the upstream's response headers. */
  readonly upstreamHeadersMs: number;
  /** Silence inside a streamed upstream response body. */
  readonly upstreamIdleMs: number;
  /**
   * Silence inside the caller's request body while the broker waits for it (408 past it; nginx's
   * client_body_timeout). Time the broker spends waiting on the upstream to take the body is not
   * the caller's.
   */
  readonly callerBodyIdleMs: number;
  /**
   * All the time, added up, the broker may wait on the caller's request body (408 past it): a
   * body that trickles in, never silent for callerBodyIdleMs, is ended here, before Node's own
   * requestTimeout (300 s) would drop the connection unlogged as a timeout. As for the idle
   * timeout, time spent waiting on the upstream to take the body does not count.
   */
  readonly callerBodyTotalMs: number;
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
  bufferedTotalBytes: 16 * 1024 * 1024,
  maxRequestsInFlight: 512,
  maxConnections: DEFAULT_MAX_CONNECTIONS,
  maxTunnels: 64,
  secretReadMs: 5_000,
  upstreamConnectMs: 10_000,
  upstreamHeadersMs: 120_000,
  upstreamIdleMs: 120_000,
  callerBodyIdleMs: 60_000,
  callerBodyTotalMs: 120_000,
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
   * The caps this listener shares with the process's other listeners (brokerServers passes one
   * to all); its maxConnections, maxRequestsInFlight, bufferedTotalBytes and maxTunnels then govern,
   * not `limits`'.
   * @default - a budget of its own, from `limits`
   */
  readonly budget?: BrokerBudget;
  /**
   * The MCP server this listener serves (a {@link BrokerConfig} made by `listenerConfig`): every
   * line it logs names the server, and only the server's own addresses are served.
   * @default - the main listener
   */
  readonly mcpServer?: { readonly name: string; readonly clients?: readonly string[] };
}

/**
 * Registers what to do once an exchange with a caller is over: when its response closes, or when
 * its connection does. (A pipelined request queued behind another never sees its response close
 * when the connection goes: without the second, what it holds of the budget would never come
 * back.) Each step runs once, in the order given.
 */
type WhenOver = (step: () => void) => void;

/** The exchanges of each connection not over yet: one close listener per connection. */
const openExchanges = new WeakMap<Socket, Set<() => void>>();

function whenOver(res: http.ServerResponse, socket: Socket): WhenOver {
  const steps: (() => void)[] = [];
  let over = false;
  let open = openExchanges.get(socket);
  if (!open) {
    const exchanges = new Set<() => void>();
    open = exchanges;
    openExchanges.set(socket, exchanges);
    socket.once('close', () => {
      for (const end of exchanges) end();
    });
  }
  const pending = open;
  const end = (): void => {
    if (over) return;
    over = true;
    pending.delete(end);
    res.removeListener('close', end);
    for (const step of steps) step();
  };
  pending.add(end);
  res.on('close', end);
  return (step) => {
    if (over) step();
    else steps.push(step);
  };
}

/**
 * The callers' sockets push back past 16 KiB (TLS's record size) instead of Node's 64 KiB: an
 * answer to a slow reader pauses the upstream one chunk sooner.
 */
const STREAM_BUFFER_BYTES = 16 * 1024;

/** A streamed body that went over the cap. */
class TooLarge extends Error {}

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
  // one keep-alive pool per upstream origin (a handful, fixed by the configuration)
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string): Pool => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        keepAliveTimeout: 30_000,
        connections: limits.maxRequestsInFlight,
        connect: { timeout: limits.upstreamConnectMs },
        headersTimeout: limits.upstreamHeadersMs,
        bodyTimeout: limits.upstreamIdleMs,
      });
      pools.set(origin, pool);
    }
    return pool;
  };
  const budget = options.budget ?? brokerBudget(limits);
  /** The MCP server whose listener this is: what it takes of the budget is counted as its. */
  const holder = options.mcpServer?.name;
  /** A line for what happened to a connection before it was a request (method and path '-'). */
  const logLine = (outcome: BrokerOutcome, detail: string): void => {
    const rec = new LogRecord(log, config.agent, '-', '-');
    rec.set(outcome, 0, detail);
    rec.end();
  };

  /** Answers with a small JSON body, or cuts the response when headers are already out. */
  const reply: Reply = (req, res, rec, status, message, outcome, extra = {}) => {
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

  const server = http.createServer({ highWaterMark: STREAM_BUFFER_BYTES }, (req, res) => {
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    const query = rawPath.indexOf('?');
    const path = query < 0 ? rawPath : rawPath.slice(0, query);
    const rec = new LogRecord(
      log,
      config.agent,
      method,
      path.startsWith('/') ? path : '(absolute-form)',
    );
    let counted = false;
    const over = whenOver(res, req.socket);
    over(() => {
      if (counted) budget.requests.give(1, holder);
      // after every other step has said how the exchange ended
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
    const full = budget.requests.take(1, holder);
    if (full !== undefined)
      return reply(
        req,
        res,
        rec,
        503,
        `${overloadMessage(budget.requests, full, 'requests in flight', holder)}; retry shortly`,
        'overloaded',
        { 'retry-after': '1' },
      );
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

    try {
      forward(req, res, rec, over, upstream, route.target);
    } catch {
      reply(req, res, rec, 502, `upstream ${upstream.name} failed`, 'upstream-error');
    }
  });

  /**
   * The caller's body as undici pulls it, one chunk at a time, with the cap enforced as it flows:
   * undici asks for the next chunk only once the upstream's socket took the last, so a stalled
   * upstream holds this request to the chunk in the caller's stream and the one being written.
   * (A pipe through a Transform held two more of up to 64 KiB each, per request.) Past the cap it
   * stops without destroying the caller's socket, so the 413 can still be sent.
   */
  const capped = (
    req: http.IncomingMessage,
    rec: LogRecord,
    onTooLarge: () => void,
    caller: CallerWait,
  ): AsyncIterable<Buffer> =>
    (async function* () {
      // the caller is waited on only between undici's asking for a chunk and the chunk coming
      caller.waiting();
      try {
        for await (const chunk of req.iterator({
          destroyOnReturn: false,
        }) as AsyncIterable<Buffer>) {
          caller.spoke();
          rec.bytesIn += chunk.length;
          if (rec.bytesIn > limits.maxBodyBytes) {
            req.pause();
            onTooLarge();
            throw new TooLarge();
          }
          yield chunk;
          caller.waiting();
        }
      } finally {
        caller.spoke();
      }
    })();

  const context: ExchangeContext = { limits, cache, poolFor, forwardable, reply, capped };

  /** Sends one request on to its upstream and its answer back, scanned for the key. */
  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: LogRecord,
    over: WhenOver,
    upstream: Upstream,
    target: Target,
  ): void => {
    const declared = req.headers['content-length'];
    const hasBody =
      declared !== undefined
        ? Number(declared) > 0
        : req.headers['transfer-encoding'] !== undefined;
    // small bodies are read whole (bounded by bufferedBodyBytes): a 401 can then be retried
    let body: BodyMode = hasBody ? 'streamed' : 'none';
    if (
      hasBody &&
      declared !== undefined &&
      Number(declared) <= limits.bufferedBodyBytes &&
      budget.bufferedBytes.take(Number(declared), holder) === undefined
    ) {
      const size = Number(declared);
      over(() => budget.bufferedBytes.give(size, holder));
      body = 'buffered';
    }
    new Exchange(context, req, res, rec, over, upstream, target, body).start();
  };

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
    const full = budget.tunnels.take(1, holder);
    if (full !== undefined) {
      const rec = new LogRecord(log, config.agent, 'CONNECT', (req.url ?? '').toLowerCase());
      rec.set('overloaded', 503, overloadMessage(budget.tunnels, full, 'tunnels open', holder));
      socket.on('error', () => undefined);
      endSoon(
        socket,
        'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
      );
      return rec.end();
    }
    socket.on('close', () => budget.tunnels.give(1, holder));
    openTunnel(req, socket, head, tunnelContext);
  });
  const clients = options.mcpServer?.clients;
  if (clients !== undefined) {
    // the server's network is shared with the gateway: only the server itself is served here
    const allowed = new Set(clients);
    const why = (from: string) =>
      `client ${from} is not the MCP server (${[...allowed].join(', ')})`;
    // A new address is logged at once; more from it in the same second are counted into one line
    // at its end, so a flood from the network's other members cannot fill the log. (Only that
    // network's addresses reach this listener, so the counts stay few.)
    const again = new PerSecond<string>((from, n) =>
      logLine(
        'refused',
        `${n} more connection${n === 1 ? '' : 's'} from ${from} closed within a second: ${why(from)}`,
      ),
    );
    server.on('connection', (socket: Socket) => {
      const from = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      if (allowed.has(from)) return;
      socket.destroy();
      if (again.seen(from)) again.count(from);
      else {
        again.start(from);
        logLine('refused', why(from));
      }
    });
    server.on('close', () => again.flush());
  }
  // Past the connection cap a connection is closed as it comes: no answer (a flood is not
  // answered), and a log line a second counts them (a line each would let a flood fill the log),
  // one for each limit met (an MCP server's listener can meet its own share, the servers' half
  // and the process's cap within one second)
  const refusedConnections = new PerSecond<Refusal>((refusal, n) =>
    logLine(
      'overloaded',
      `${n} connection${n === 1 ? '' : 's'} closed as they came: ${overloadMessage(budget.connections, refusal, 'connections open', holder)}`,
    ),
  );
  server.on('connection', (socket: Socket) => {
    // a caller that is not this listener's MCP server was already turned away (above)
    if (socket.destroyed) return;
    const full = budget.connections.take(1, holder);
    if (full === undefined) {
      socket.once('close', () => budget.connections.give(1, holder));
      return;
    }
    socket.destroy();
    refusedConnections.count(full);
  });
  server.on('close', () => {
    refusedConnections.flush();
    for (const pool of pools.values()) void pool.close();
  });
  return server;
}

/**
 * Counts by key for one second from the first count or start, then reports each key's count
 * (keys with none are skipped) and starts over: a flood becomes a line a second per key.
 */
class PerSecond<K> {
  private readonly counts = new Map<K, number>();

  constructor(private readonly report: (key: K, n: number) => void) {}

  /** Whether `key` was started or counted in this second. */
  public seen(key: K): boolean {
    return this.counts.has(key);
  }

  /** Notes `key` without counting it (its first was reported another way). */
  public start(key: K): void {
    this.add(key, 0);
  }

  public count(key: K): void {
    this.add(key, 1);
  }

  /** Reports what was counted and starts over. */
  public flush(): void {
    for (const [key, n] of this.counts) if (n > 0) this.report(key, n);
    this.counts.clear();
  }

  private add(key: K, n: number): void {
    if (this.counts.size === 0) setTimeout(() => this.flush(), 1000).unref();
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
}

/** Why the broker ended an upstream exchange itself (one object: made once, not per request). */
const ABORTED = new Error('the broker ended the exchange');

const NO_BODY = Buffer.alloc(0);

type Reply = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  rec: LogRecord,
  status: number,
  message: string,
  outcome: BrokerOutcome,
  extra?: Record<string, string>,
) => void;

/** How a request's body reaches the upstream. */
type BodyMode = 'none' | 'buffered' | 'streamed';

/** What an exchange needs from the broker around it. */
interface ExchangeContext {
  readonly limits: BrokerLimits;
  readonly cache: SecretCache;
  readonly poolFor: (origin: string) => Pool;
  readonly forwardable: ReadonlyMap<string, ReadonlySet<string>>;
  readonly reply: Reply;
  readonly capped: (
    req: http.IncomingMessage,
    rec: LogRecord,
    onTooLarge: () => void,
    caller: CallerWait,
  ) => AsyncIterable<Buffer>;
}

/** The broker waiting for the caller's next body bytes (the body idle timer), and not. */
interface CallerWait {
  waiting(): void;
  spoke(): void;
}

function callerSilent(exchange: Exchange): void {
  exchange.callerSilent();
}

function timedOut(exchange: Exchange): void {
  exchange.timedOut();
}

function uncork(res: http.ServerResponse): void {
  res.uncork();
}

/**
 * One request forwarded to its upstream and its answer passed back: an undici dispatch handler,
 * so the answer's body goes from undici's parser to the caller's socket without a stream or a
 * Promise in between. Backpressure both ways (undici pauses the caller's body; the answer is
 * paused through the controller while the caller's socket drains), the key scanned in the
 * answer's headers and body, a 401 retried once when the body was read whole, and every way the
 * exchange can end (timeouts, the caller gone, the upstream cut off) recorded once.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  /** The broker ended the exchange itself (and answered the caller, if anyone was left). */
  private aborted = false;
  private clientGone = false;
  private attempt = 0;
  private key = '';
  /** The body read whole (bufferedBodyBytes at most), or undefined when it streams. */
  private small: Buffer | undefined;
  /** A 401 being drained before the retry. */
  private discarding = false;
  /** Set once the answer's headers went out: from then on a failure cuts the response. */
  private scanner: KeyScanner | undefined;
  private waitingForDrain = false;
  private readonly total: NodeJS.Timeout;
  /** Runs while the broker waits for the caller's body (callerBodyIdleMs, callerBodyTotalMs). */
  private silence: NodeJS.Timeout | undefined;
  /** The timer running is the one for all the waiting (callerBodyTotalMs), not for a silence. */
  private silenceEndsAll = false;
  /**
   * Time waited on the caller's body so far, and since when the broker waits now (if it does), on
   * the monotonic clock: a step of the wall clock neither ends nor extends a body.
   */
  private waitedMs = 0;
  private waitingSince: number | undefined;
  private readonly caller: CallerWait = {
    waiting: () => {
      clearTimeout(this.silence);
      this.stopWaiting();
      // once the exchange is ended, what the caller still sends is drained, not waited for
      if (this.aborted) return void (this.silence = undefined);
      const { callerBodyIdleMs, callerBodyTotalMs } = this.ctx.limits;
      const left = callerBodyTotalMs - this.waitedMs;
      this.silenceEndsAll = left <= callerBodyIdleMs;
      this.waitingSince = performance.now();
      // (left is below 0 when a chunk came after the timer was due but before it ran)
      this.silence = setTimeout(callerSilent, Math.max(0, Math.min(left, callerBodyIdleMs)), this);
    },
    spoke: () => {
      clearTimeout(this.silence);
      this.silence = undefined;
      this.stopWaiting();
    },
  };

  constructor(
    private readonly ctx: ExchangeContext,
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
    private readonly rec: LogRecord,
    over: WhenOver,
    private readonly upstream: Upstream,
    private readonly target: Target,
    private readonly body: BodyMode,
  ) {
    this.total = setTimeout(timedOut, ctx.limits.upstreamTotalMs, this);
    over(() => this.closed());
  }

  public start(): void {
    if (this.body === 'none') {
      this.small = NO_BODY;
      return this.readKey();
    }
    if (this.body === 'streamed') return this.readKey();
    const chunks: Buffer[] = [];
    this.caller.waiting();
    this.req.on('data', (c: Buffer) => {
      // after a refusal, reply() drains the rest of the body: none of it is kept
      if (this.aborted) return;
      this.caller.waiting();
      this.rec.bytesIn += c.length;
      chunks.push(c);
    });
    // a caller that goes away before the end is seen by closed()
    this.req.on('end', () => {
      if (this.aborted) return;
      this.caller.spoke();
      this.small = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      this.readKey();
    });
  }

  private stopWaiting(): void {
    if (this.waitingSince === undefined) return;
    this.waitedMs += performance.now() - this.waitingSince;
    this.waitingSince = undefined;
  }

  /**
   * The caller's body was silent for callerBodyIdleMs while the broker waited for it, or the
   * broker has waited on it for callerBodyTotalMs in all.
   */
  public callerSilent(): void {
    this.silence = undefined;
    // an answer already given (a failure queued behind a pipelined response) stands
    if (this.aborted || this.res.writableEnded) return;
    const { callerBodyIdleMs, callerBodyTotalMs } = this.ctx.limits;
    const detail = this.silenceEndsAll
      ? `the caller's request body was not whole after ${callerBodyTotalMs} ms of waiting for it`
      : `the caller's request body was silent for ${callerBodyIdleMs} ms`;
    this.final('client-timeout', detail);
    // an upstream that answered before the body was whole: its status stays, the response is cut
    if (this.res.headersSent) return this.cut();
    this.abort();
    this.ctx.reply(this.req, this.res, this.rec, 408, detail, 'client-timeout');
  }

  public timedOut(): void {
    const { limits } = this.ctx;
    this.final(
      'upstream-timeout',
      `upstream ${this.upstream.name} did not finish in ${limits.upstreamTotalMs} ms`,
    );
    this.abort();
    this.ctx.reply(this.req, this.res, this.rec, 504, this.rec.detail!, 'upstream-timeout');
  }

  // --- undici's dispatch handler ---

  public onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.aborted) controller.abort(ABORTED);
  }

  public onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // interim answers (102, 103) are skipped, as undici's request() skips them
    if (this.aborted || statusCode < 200) return;
    try {
      this.answer(controller, statusCode, headers);
    } catch {
      this.failed();
    }
  }

  public onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.aborted || this.discarding || !this.scanner) return;
    try {
      const r = this.scanner.push(chunk);
      if ('found' in r) {
        this.final(
          'key-reflected',
          `the response body from ${this.upstream.name} carried the key; cut`,
        );
        return this.cut();
      }
      this.rec.bytesOut += r.release.length;
      if (r.release.length > 0 && !this.res.write(r.release) && !this.waitingForDrain) {
        this.waitingForDrain = true;
        controller.pause();
        this.res.once('drain', () => {
          this.waitingForDrain = false;
          controller.resume();
        });
      }
    } catch {
      this.failed();
    }
  }

  public onResponseEnd(): void {
    if (this.discarding) return this.retry();
    if (this.aborted || !this.scanner) return;
    try {
      const rest = this.scanner.end();
      this.rec.bytesOut += rest.length;
      this.res.end(rest);
    } catch {
      this.failed();
    }
  }

  public onResponseError(_controller: Dispatcher.DispatchController, e: Error): void {
    if (this.discarding) return this.retry();
    const { req, res, rec, upstream } = this;
    if (this.aborted || this.clientGone || rec.outcomeFinal) return;
    if (this.scanner) {
      this.final('upstream-cut', 'the upstream ended before its body was complete');
      return this.cut();
    }
    const reply = this.ctx.reply;
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
    const upgrade = /upgrade|101/i.test(`${e.message} ${(e as { code?: string }).code ?? ''}`);
    reply(
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

  // --- the steps ---

  private readKey(): void {
    const fresh = this.ctx.cache.peek(this.upstream.secret);
    if (fresh !== undefined) return this.withKey(fresh);
    this.ctx.cache.get(this.upstream.secret).then(
      (key) => this.withKey(key),
      (e: unknown) => this.noKey(e),
    );
  }

  private noKey(e: unknown): void {
    if (this.aborted) return;
    const { upstream } = this;
    this.ctx.reply(
      this.req,
      this.res,
      this.rec,
      503,
      e instanceof SecretTimeoutError
        ? `credential for ${upstream.name} unavailable: Secrets Manager did not answer in ${this.ctx.limits.secretReadMs} ms`
        : `credential for ${upstream.name} unavailable`,
      'secret-unavailable',
    );
  }

  private withKey(key: string): void {
    if (this.clientGone || this.aborted) return;
    const { ctx, req, res, rec, upstream, target } = this;
    if (!isHeaderSafeSecret(key)) {
      ctx.cache.invalidate(upstream.secret);
      return ctx.reply(
        req,
        res,
        rec,
        503,
        `the secret for ${upstream.name} is not a valid header value; store the key alone, without line breaks, control or non-ASCII characters`,
        'secret-invalid',
      );
    }
    this.key = key;
    const body =
      this.body === 'none'
        ? undefined
        : (this.small ??
          ctx.capped(
            req,
            rec,
            () => {
              this.abort();
              ctx.reply(
                req,
                res,
                rec,
                413,
                `request body over ${ctx.limits.maxBodyBytes} bytes`,
                'too-large',
              );
              rec.outcomeFinal = true;
            },
            this.caller,
          ));
    try {
      ctx.poolFor(target.origin).dispatch(
        {
          path: target.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: upstreamRequestHeaders(
            req.headers,
            ctx.forwardable.get(upstream.name)!,
            upstream.auth,
            key,
          ),
          // undici takes an async iterable body (its docs and client-h1's writeIterable); its
          // DispatchOptions type lists only Readable among the streaming kinds
          body: body as Dispatcher.DispatchOptions['body'],
        },
        this,
      );
    } catch {
      this.failed();
    }
  }

  /** The answer's status and headers are in: refuse, retry, or pass them back. */
  private answer(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    const { ctx, req, res, rec, upstream } = this;
    if (statusCode === 401) {
      ctx.cache.invalidate(upstream.secret);
      // the key may have been rotated: read it again once, after this answer is drained
      if (this.attempt === 0 && this.small !== undefined) {
        this.discarding = true;
        return;
      }
    }
    const policy = responseHeaderPolicy(headers, this.key);
    if ('refusal' in policy) {
      this.abort();
      const reflected = !policy.refusal.includes('content-encoding');
      return ctx.reply(
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
    if (this.clientGone) return void controller.abort(ABORTED);
    res.writeHead(statusCode, policy.headers);
    // the headers and what of the body arrived with them leave in one write, in this turn of
    // the event loop (a small answer's end too); later chunks are written as they come
    res.cork();
    setImmediate(uncork, res);
    rec.set('forwarded', statusCode);
    this.scanner = new KeyScanner(this.key);
  }

  private retry(): void {
    this.discarding = false;
    this.attempt++;
    this.controller = undefined;
    this.readKey();
  }

  /**
   * The exchange is over for the caller: its response finished or was cut by the broker, or the
   * caller went away (its response closed, or its connection did while it was queued behind another).
   */
  private closed(): void {
    clearTimeout(this.total);
    this.caller.spoke();
    if (this.res.writableFinished) return;
    this.clientGone = !this.rec.outcomeFinal;
    if (this.clientGone)
      this.rec.set('client-aborted', this.rec.status || 499, 'the caller went away');
    this.abort();
  }

  /** Records why the exchange ends, before the streams are torn down. */
  private final(outcome: BrokerOutcome, detail: string): void {
    if (this.rec.outcomeFinal || this.clientGone) return;
    this.rec.set(outcome, undefined, detail);
    this.rec.outcomeFinal = true;
  }

  /** Ends the upstream side (at once if it started, or as soon as it starts). */
  private abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.caller.spoke();
    this.controller?.abort(ABORTED);
  }

  private cut(): void {
    this.abort();
    this.res.destroy();
  }

  /** Something unexpected threw: the caller gets a 502 (or a cut response), never a crash. */
  private failed(): void {
    this.abort();
    this.ctx.reply(
      this.req,
      this.res,
      this.rec,
      502,
      `upstream ${this.upstream.name} failed`,
      'upstream-error',
    );
  }
}
