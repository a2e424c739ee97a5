/**
 * What the listeners of one broker process share: connections open, requests in flight, bytes of
 * request bodies read whole, and tunnels. main.ts runs the gateway's listener and one listener per MCP server
 * with egress in one process, inside one container's memory, so each cap holds for the process,
 * not per listener (with a cap per listener, two MCP servers could triple the requests the
 * container was sized for). And so that an MCP server cannot take what the gateway needs, MCP
 * servers' listeners hold at most half of each cap together and a quarter each; the gateway's
 * listener may use all that is free. Pure: counters only.
 */

/** Which limit refused a take: the process's, MCP servers' together, or one server's. */
export type Refusal = 'total' | 'servers' | 'server';

/** One capped quantity shared by the process's listeners. */
export class Capacity {
  /** What MCP servers' listeners may hold together. */
  public readonly serversLimit: number;
  /** What one MCP server's listener may hold. */
  public readonly serverLimit: number;
  private used = 0;
  private serversUsed = 0;
  private readonly byServer = new Map<string, number>();

  constructor(public readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new Error(`a broker limit must be a whole number of at least 1, not ${limit}`);
    // at least one each: under a cap of 4 (tests only) a server's share is 1, which can pass a half
    this.serversLimit = Math.max(1, Math.floor(limit / 2));
    this.serverLimit = Math.max(1, Math.floor(limit / 4));
  }

  /** What all listeners hold now. */
  public get inUse(): number {
    return this.used;
  }

  /**
   * Takes `amount` for the listener of MCP server `server` (undefined: the gateway's listener).
   * @returns undefined once taken, or which limit it would pass (nothing is taken then)
   */
  public take(amount: number, server?: string): Refusal | undefined {
    if (this.used + amount > this.limit) return 'total';
    if (server !== undefined) {
      // a server at its own share is told so, whatever the others hold
      const own = this.byServer.get(server) ?? 0;
      if (own + amount > this.serverLimit) return 'server';
      if (this.serversUsed + amount > this.serversLimit) return 'servers';
      this.byServer.set(server, own + amount);
      this.serversUsed += amount;
    }
    this.used += amount;
    return undefined;
  }

  /** Gives back what {@link take} took, for the same listener. */
  public give(amount: number, server?: string): void {
    this.used -= amount;
    if (server === undefined) return;
    this.serversUsed -= amount;
    const left = (this.byServer.get(server) ?? 0) - amount;
    if (left > 0) this.byServer.set(server, left);
    else this.byServer.delete(server);
  }

  /** What the holder that `refusal` names may hold, for a message. */
  public limitOf(refusal: Refusal): number {
    return refusal === 'total'
      ? this.limit
      : refusal === 'servers'
        ? this.serversLimit
        : this.serverLimit;
  }
}

/** The process's shared caps (see the top of this file). */
export interface BrokerBudget {
  /**
   * Callers' connections, idle or not: a connection holds up to a request head's worth of memory
   * (Node's 16 KiB) before it is a request, so requests alone do not bound memory.
   */
  readonly connections: Capacity;
  readonly requests: Capacity;
  readonly bufferedBytes: Capacity;
  readonly tunnels: Capacity;
}

/**
 * Connections open at once, all listeners together. A connection that sends most of a request
 * head and waits holds 12-20 KiB (measured on Node 20); 2,048 of them hold up to about 40 MiB,
 * beside the peak at the in-flight cap (server.ts), inside the container's 512 MiB. Node's own
 * headers timeout ends each such connection after 60-90 s (60 s, checked every 30 s) with a 408.
 */
export const DEFAULT_MAX_CONNECTIONS = 2048;

export function brokerBudget(limits: {
  readonly maxRequestsInFlight: number;
  readonly bufferedTotalBytes: number;
  readonly maxTunnels: number;
  /** @default DEFAULT_MAX_CONNECTIONS */
  readonly maxConnections?: number;
}): BrokerBudget {
  return {
    connections: new Capacity(limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS),
    requests: new Capacity(limits.maxRequestsInFlight),
    bufferedBytes: new Capacity(limits.bufferedTotalBytes),
    tunnels: new Capacity(limits.maxTunnels),
  };
}

/** Why a connection, request or tunnel was refused for want of room, for its answer and its log line. */
export function overloadMessage(
  capacity: Capacity,
  refusal: Refusal,
  what: 'connections open' | 'requests in flight' | 'tunnels open',
  server?: string,
): string {
  const n = capacity.limitOf(refusal);
  if (refusal === 'total') return `the broker has ${n} ${what}, its limit`;
  const of = `${n} of the broker's ${capacity.limit} ${what}`;
  if (refusal === 'servers') return `MCP servers' listeners hold their share: ${of}`;
  return `the listener of MCP server ${server} holds its share: ${of}`;
}
