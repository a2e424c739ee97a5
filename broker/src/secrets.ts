import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a secret value; the broker's only source of keys. */
export type SecretReader = (secretId: string, signal?: AbortSignal) => Promise<string>;

/** A reader backed by AWS Secrets Manager (credentials from the broker's own role). */
export function secretsManagerReader(
  options: { region?: string; endpoint?: string; timeoutMs?: number } = {},
): SecretReader {
  const timeoutMs = options.timeoutMs ?? 5000;
  const client = new SecretsManagerClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
  return async (secretId, signal) => {
    const out = await client.send(
      new GetSecretValueCommand({ SecretId: secretId }),
      signal ? { abortSignal: signal } : {},
    );
    if (typeof out.SecretString !== 'string' || out.SecretString.length === 0) {
      throw new Error(`secret ${secretId} has no string value`);
    }
    return out.SecretString.trim();
  };
}

/** Raised when a read takes longer than the cache's timeout. */
export class SecretTimeoutError extends Error {}

/**
 * Caches values for a TTL. Concurrent misses share one read; a read that takes longer than
 * `timeoutMs` is abandoned (and aborted). A failed read is never cached and never falls back to
 * an expired value: the broker fails closed.
 */
export class SecretCache {
  private readonly entries = new Map<string, { value: string; expires: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly read: SecretReader,
    private readonly ttlMs: number,
    private readonly timeoutMs: number = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value while it is fresh, without a read (the common case, with no Promise). */
  public peek(secretId: string): string | undefined {
    const hit = this.entries.get(secretId);
    return hit && hit.expires > this.now() ? hit.value : undefined;
  }

  public get(secretId: string): Promise<string> {
    const hit = this.entries.get(secretId);
    if (hit && hit.expires > this.now()) return Promise.resolve(hit.value);
    this.entries.delete(secretId);
    const pending = this.inFlight.get(secretId);
    if (pending) return pending;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const read = Promise.race([
      this.read(secretId, controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new SecretTimeoutError(`secret ${secretId} not read in ${this.timeoutMs} ms`));
        }, this.timeoutMs);
      }),
    ])
      .then((value) => {
        this.entries.set(secretId, { value, expires: this.now() + this.ttlMs });
        return value;
      })
      .finally(() => {
        clearTimeout(timer);
        this.inFlight.delete(secretId);
      });
    this.inFlight.set(secretId, read);
    return read;
  }

  /** Drops a cached value (after an upstream 401, or on rotation). */
  public invalidate(secretId: string): void {
    this.entries.delete(secretId);
  }
}
