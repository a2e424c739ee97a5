/**
 * CONNECT tunnels to granted host:port pairs, without touching TLS: the target's resolved
 * addresses are checked first (connect-policy), the connection is made to the checked address,
 * and the tunnel has a connect and an idle timeout. Logged once, when it closes.
 */
import * as dns from 'dns';
import * as net from 'net';
import { splitHostPort, tunnelAddressProblem } from './connect-policy';
import { BrokerLogLine, LogRecord } from './log';

/** Resolves a name to its addresses (dns.lookup by default; tests give their own). */
export type Lookup = (host: string) => Promise<readonly { address: string; family: number }[]>;

export const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true });

/**
 * How long a refused caller's connection stays open after its answer, so it reads the answer,
 * before it is closed (a caller that keeps its side open would otherwise hold its place).
 */
export const LINGER_MS = 1000;

/** Ends a connection with `answer`, and closes it LINGER_MS later if the caller has not. */
export function endSoon(socket: net.Socket, answer: string): void {
  if (socket.destroyed) return;
  socket.end(answer);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

export interface TunnelContext {
  readonly agent: string;
  readonly log: (line: BrokerLogLine) => void;
  /** Granted host:port pairs (lower-case), names or public IPs. */
  readonly allowed: ReadonlySet<string>;
  /** Granted ip:port pairs whose address may be private. */
  readonly privateTargets: ReadonlySet<string>;
  readonly lookup: Lookup;
  readonly connectMs: number;
  readonly idleMs: number;
}

export function openTunnel(
  req: { readonly url?: string },
  socket: net.Socket,
  head: Buffer,
  ctx: TunnelContext,
): void {
  const target = (req.url ?? '').toLowerCase();
  const rec = new LogRecord(ctx.log, ctx.agent, 'CONNECT', target);
  let upstream: net.Socket | undefined;
  let connectTimer: NodeJS.Timeout | undefined = undefined;
  /** The caller was answered with a refusal or failure: nothing more is sent or logged. */
  let answered = false;
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearTimeout(connectTimer);
    upstream?.destroy();
    rec.end();
  });
  const answer = (
    status: number,
    reason: string,
    outcome: LogRecord['outcome'],
    detail: string,
  ) => {
    clearTimeout(connectTimer);
    if (answered) return;
    answered = true;
    rec.set(outcome, status, detail);
    endSoon(
      socket,
      `HTTP/1.1 ${status} ${reason}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`,
    );
  };
  const parts = splitHostPort(target);
  const granted = ctx.allowed.has(target) || ctx.privateTargets.has(target);
  if (!parts || !granted)
    return answer(403, 'Forbidden', 'refused', 'not in the CONNECT allowlist');

  // the name's lookup and the connection, together
  connectTimer = setTimeout(() => {
    upstream?.destroy();
    answer(504, 'Gateway Timeout', 'connect-timeout', `no connection in ${ctx.connectMs} ms`);
  }, ctx.connectMs);
  const resolve: Promise<readonly { address: string }[]> =
    net.isIP(parts.host) !== 0
      ? Promise.resolve([{ address: parts.host }])
      : // a lookup that throws is a failed lookup
        Promise.resolve().then(() => ctx.lookup(parts.host));
  resolve.then(
    (addresses) => {
      if (socket.destroyed || answered) return;
      if (addresses.length === 0)
        return answer(502, 'Bad Gateway', 'connect-failed', `${parts.host} did not resolve`);
      for (const { address } of addresses) {
        const problem = tunnelAddressProblem(parts.host, address, ctx.privateTargets.has(target));
        if (problem) return answer(403, 'Forbidden', 'refused', problem);
      }
      // connect to the address that was checked, never to the name again
      const up = net.connect({ host: addresses[0].address, port: parts.port });
      upstream = up;
      up.on('error', () => {
        clearTimeout(connectTimer);
        if (rec.status === 200) socket.destroy();
        else answer(502, 'Bad Gateway', 'connect-failed', 'the target refused or failed');
      });
      // an open tunnel ends with its target; a caller answered with a failure gets its moment
      up.on('close', () => {
        if (!answered) socket.destroy();
      });
      up.on('connect', () => {
        clearTimeout(connectTimer);
        if (socket.destroyed) return void up.destroy();
        rec.set('tunnelled', 200);
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) {
          rec.bytesIn += head.length;
          up.write(head);
        }
        socket.on('data', (c: Buffer) => (rec.bytesIn += c.length));
        up.on('data', (c: Buffer) => (rec.bytesOut += c.length));
        socket.pipe(up);
        up.pipe(socket);
        // a timeout on the caller's socket counts traffic in both directions
        socket.setTimeout(ctx.idleMs, () => {
          rec.set('idle-timeout', undefined, `no traffic for ${ctx.idleMs} ms`);
          socket.destroy();
        });
      });
    },
    () => {
      if (socket.destroyed || answered) return;
      answer(502, 'Bad Gateway', 'connect-failed', `${parts.host} did not resolve`);
    },
  );
}
