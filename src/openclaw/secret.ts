/**
 * Secrets in the generated openclaw.json are always references (OpenClaw "SecretRefs"), never
 * values. A reference names a secret provider (declared under `secrets.providers`) and an id.
 */

/** The SecretRef object OpenClaw accepts wherever a credential may appear. */
export interface SecretRefJson {
  readonly source: 'env' | 'file' | 'exec';
  readonly provider: string;
  readonly id: string;
}

/** A provider entry under `secrets.providers.<name>`. */
export type SecretProviderJson =
  | { readonly source: 'file'; readonly path: string; readonly mode: 'singleValue' }
  | { readonly source: 'env'; readonly allowlist: readonly string[] };

const PROVIDER_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,127}$/;

/** Options for {@link OpenClawSecret.fromFile}. */
export interface FileSecretOptions {
  /**
   * Name of the `secrets.providers` entry that reads the file.
   * @default - derived from the file name, e.g. `gateway-token` for `/run/secrets/gateway-token`
   */
  readonly providerName?: string;
}

/**
 * A credential OpenClaw reads at runtime, never a value.
 *
 * `fromFile` is the recommended form: the file is written into the container at start from AWS
 * Secrets Manager (a tmpfs, mode 0600, owned by the gateway user), so the value is not in
 * Terraform state and not in the container environment that `docker inspect` shows.
 */
export class OpenClawSecret {
  /**
   * A secret read from a file holding only the value (OpenClaw `singleValue` file provider).
   * @param path absolute path of the file inside the gateway container
   */
  public static fromFile(path: string, options: FileSecretOptions = {}): OpenClawSecret {
    if (!path.startsWith('/') || path.split('/').includes('..')) {
      throw new Error(
        `secret file path "${path}" must be absolute and must not contain ".."; use a path such as "/run/secrets/openclaw/gateway-token"`,
      );
    }
    const base = path.split('/').pop() ?? '';
    const providerName = options.providerName ?? sanitizeProviderName(base);
    assertProviderName(providerName);
    return new OpenClawSecret(
      { source: 'file', provider: providerName, id: 'value' },
      { source: 'file', path, mode: 'singleValue' },
    );
  }

  /**
   * A secret read from an environment variable of the gateway process.
   *
   * Only for variables set by the process itself (an entrypoint that reads a secret file):
   * variables set on the container are visible to `docker inspect`, which the checklist reports.
   */
  public static fromEnv(variable: string): OpenClawSecret {
    if (!ENV_NAME.test(variable)) {
      throw new Error(
        `environment variable "${variable}" is not a valid secret variable name; use upper case letters, digits and "_", such as "OPENCLAW_GATEWAY_TOKEN"`,
      );
    }
    const providerName = sanitizeProviderName(`env-${variable.toLowerCase()}`);
    return new OpenClawSecret(
      { source: 'env', provider: providerName, id: variable },
      { source: 'env', allowlist: [variable] },
    );
  }

  private constructor(
    /** The SecretRef object placed where the credential is used. */
    public readonly ref: SecretRefJson,
    /** The provider entry that resolves the reference. */
    public readonly provider: SecretProviderJson,
  ) {}
}

/** True when `value` has the shape of an OpenClaw SecretRef object. */
export function isSecretRef(value: unknown): value is SecretRefJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value).sort();
  if (keys.join(',') !== 'id,provider,source') return false;
  const v = value as Record<string, unknown>;
  return (
    ['env', 'file', 'exec', 'store'].includes(v.source as string) &&
    typeof v.provider === 'string' &&
    typeof v.id === 'string'
  );
}

function sanitizeProviderName(raw: string): string {
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'secret';
}

function assertProviderName(name: string): void {
  if (!PROVIDER_NAME.test(name)) {
    throw new Error(
      `secret provider name "${name}" is invalid; use lower case letters, digits, "-" or "_", starting with a letter, such as "gateway-token"`,
    );
  }
}
