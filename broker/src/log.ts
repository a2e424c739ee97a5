/**
 * The broker's log: one structured line per request and per tunnel, written once at its end.
 * Never a secret value, never a body, never a query.
 */

export type BrokerOutcome =
  | 'forwarded'
  | 'refused'
  | 'rate-limited'
  | 'overloaded'
  | 'too-large'
  | 'secret-unavailable'
  | 'secret-invalid'
  | 'upstream-error'
  | 'upstream-timeout'
  | 'upstream-cut'
  | 'client-aborted'
  | 'client-timeout'
  | 'key-reflected'
  | 'tunnelled'
  | 'connect-failed'
  | 'connect-timeout'
  | 'idle-timeout'
  | 'health';

export interface BrokerLogLine {
  readonly ts: string;
  readonly agent: string;
  readonly upstream: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Body bytes received from the caller (for a tunnel: caller to target). */
  readonly bytesIn: number;
  /** Body bytes sent to the caller (for a tunnel: target to caller). */
  readonly bytesOut: number;
  readonly latencyMs: number;
  readonly secret: string | null;
  readonly outcome: BrokerOutcome;
  /** Why, for anything but a plain success; names headers or addresses, never values. */
  readonly detail?: string;
  /** The MCP server whose listener took the request or tunnel (absent on the main listener). */
  readonly mcpServer?: string;
}

/** The log of one MCP server's listener: every line names the server. */
export function serverLog(
  log: (line: BrokerLogLine) => void,
  mcpServer: string,
): (line: BrokerLogLine) => void {
  return (line) => log({ ...line, mcpServer });
}

/**
 * The broker's own log writer: JSON lines on stdout. Lines finished in the same turn of the event
 * loop go out in one write (one system call, one wake-up of the container's log reader, instead of
 * one per request), at the end of that turn, and always before the process exits.
 */
export function stdoutLog(line: BrokerLogLine): void {
  if (pending.length === 0) {
    setImmediate(flush);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', flush);
    }
  }
  pending.push(JSON.stringify(line));
}

let pending: string[] = [];
let exitHook = false;

function flush(): void {
  if (pending.length === 0) return;
  const text = `${pending.join('\n')}\n`;
  pending = [];
  process.stdout.write(text);
}

/** Collects what one request or tunnel did and writes its line exactly once. */
export class LogRecord {
  public status = 0;
  public bytesIn = 0;
  public bytesOut = 0;
  public outcome: BrokerOutcome = 'forwarded';
  public detail: string | undefined;
  public upstream: { readonly name: string; readonly secret: string } | null = null;
  /** Set when the outcome must not change any more (a timeout or a cap already answered). */
  public outcomeFinal = false;
  private written = false;
  private readonly started = Date.now();

  constructor(
    private readonly write: (line: BrokerLogLine) => void,
    private readonly agent: string,
    private readonly method: string,
    private readonly path: string,
  ) {}

  /** Sets the outcome unless one that explains the end better was already set. */
  public set(outcome: BrokerOutcome, status?: number, detail?: string): void {
    if (this.written) return;
    this.outcome = outcome;
    if (status !== undefined) this.status = status;
    if (detail !== undefined) this.detail = detail;
  }

  public end(): void {
    if (this.written) return;
    this.written = true;
    this.write({
      ts: new Date().toISOString(),
      agent: this.agent,
      upstream: this.upstream?.name ?? null,
      method: this.method,
      path: this.path,
      status: this.status,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      latencyMs: Date.now() - this.started,
      secret: this.upstream?.secret ?? null,
      outcome: this.outcome,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
    });
  }
}
