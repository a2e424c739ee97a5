import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a secret value; the broker's only source of keys. */
export type SecretReader = (secretId: string) => Promise<string>;

/** A reader backed by AWS Secrets Manager (credentials from the broker's own role). */
export function secretsManagerReader(
  options: { region?: string; endpoint?: string } = {},
): SecretReader {
  const client = new SecretsManagerClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: 2,
  });
  return async (secretId) => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (typeof out.SecretString !== 'string' || out.SecretString.length === 0) {
      throw new Error(`secret ${secretId} has no string value`);
    }
    return out.SecretString.trim();
  };
}

/**
 * Caches values for a TTL. A failed read is never cached and never falls back to an expired
 * value: the broker fails closed.
 */
export class SecretCache {
  private readonly entries = new Map<string, { value: string; expires: number }>();

  constructor(
    private readonly read: SecretReader,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  public async get(secretId: string): Promise<string> {
    const hit = this.entries.get(secretId);
    if (hit && hit.expires > this.now()) return hit.value;
    this.entries.delete(secretId);
    const value = await this.read(secretId);
    this.entries.set(secretId, { value, expires: this.now() + this.ttlMs });
    return value;
  }

  /** Drops a cached value (after an upstream 401, or on rotation). */
  public invalidate(secretId: string): void {
    this.entries.delete(secretId);
  }
}
