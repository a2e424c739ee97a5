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
  socket.on('error', () => undefined);
  socket.on('close', () => {
    upstream?.destroy();
    rec.end();
  });
  const answer = (
    status: number,
    reason: string,
    outcome: LogRecord['outcome'],
    detail: string,
  ) => {
    rec.set(outcome, status, detail);
    socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  };
  const parts = splitHostPort(target);
  const granted = ctx.allowed.has(target) || ctx.privateTargets.has(target);
  if (!parts || !granted)
    return answer(403, 'Forbidden', 'refused', 'not in the CONNECT allowlist');

  const resolve: Promise<readonly { address: string }[]> =
    net.isIP(parts.host) !== 0
      ? Promise.resolve([{ address: parts.host }])
      : ctx.lookup(parts.host);
  resolve.then(
    (addresses) => {
      if (socket.destroyed) return;
      if (addresses.length === 0)
        return answer(502, 'Bad Gateway', 'connect-failed', `${parts.host} did not resolve`);
      for (const { address } of addresses) {
        const problem = tunnelAddressProblem(parts.host, address, ctx.privateTargets.has(target));
        if (problem) return answer(403, 'Forbidden', 'refused', problem);
      }
      // connect to the address that was checked, never to the name again
      const up = net.connect({ host: addresses[0].address, port: parts.port });
      upstream = up;
      const connectTimer = setTimeout(() => {
        up.destroy();
        answer(504, 'Gateway Timeout', 'connect-timeout', `no connection in ${ctx.connectMs} ms`);
      }, ctx.connectMs);
      up.on('error', () => {
        clearTimeout(connectTimer);
        if (rec.status === 200) socket.destroy();
        else answer(502, 'Bad Gateway', 'connect-failed', 'the target refused or failed');
      });
      up.on('close', () => socket.destroy());
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
    () => answer(502, 'Bad Gateway', 'connect-failed', `${parts.host} did not resolve`),
  );
}
