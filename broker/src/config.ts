/**
 * The broker's configuration. It names secrets; it never holds a value. The CredentialBroker
 * construct renders it; the broker reads it from BROKER_CONFIG (JSON) at start.
 */

/** How the key is injected into requests to an upstream. */
export type UpstreamAuth =
  { readonly kind: 'header'; readonly header: string } | { readonly kind: 'bearer' };

/** A model API the broker forwards to. */
export interface Upstream {
  /** Route name: requests to /<name>/... go to this upstream. */
  readonly name: string;
  /** Base URL of the real API, such as https://api.anthropic.com. */
  readonly baseUrl: string;
  readonly auth: UpstreamAuth;
  /** Secrets Manager secret id (name or ARN) holding the key. */
  readonly secret: string;
  /** Requests per minute allowed to this upstream. */
  readonly requestsPerMinute: number;
}

export interface BrokerConfig {
  /** The agent this broker serves (logged on every line). */
  readonly agent: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly upstreams: readonly Upstream[];
  /** host:port pairs CONNECT may reach (channels), tunnelled without touching TLS. */
  readonly connectAllowlist?: readonly string[];
  /** How long a secret value is cached, in seconds. */
  readonly secretTtlSeconds?: number;
}

/** Well-known upstreams. */
export const ANTHROPIC: Omit<Upstream, 'secret' | 'requestsPerMinute'> = {
  name: 'anthropic',
  baseUrl: 'https://api.anthropic.com',
  auth: { kind: 'header', header: 'x-api-key' },
};
export const OPENAI: Omit<Upstream, 'secret' | 'requestsPerMinute'> = {
  name: 'openai',
  baseUrl: 'https://api.openai.com',
  auth: { kind: 'bearer' },
};

/** Checks a configuration; throws naming the value and the fix. */
export function validateBrokerConfig(config: BrokerConfig): BrokerConfig {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(config.agent ?? '')) {
    throw new Error(`broker agent "${config.agent}" must be lower-case letters, digits and "-"`);
  }
  if (
    !Number.isInteger(config.listen?.port) ||
    config.listen.port < 1 ||
    config.listen.port > 65535
  ) {
    throw new Error(`broker listen port ${config.listen?.port} is not a TCP port`);
  }
  const names = new Set<string>();
  for (const u of config.upstreams ?? []) {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(u.name))
      throw new Error(`upstream name "${u.name}" must be lower-case letters, digits and "-"`);
    if (names.has(u.name)) throw new Error(`upstream "${u.name}" is listed twice`);
    names.add(u.name);
    let url: URL;
    try {
      url = new URL(u.baseUrl);
    } catch {
      throw new Error(`upstream "${u.name}" baseUrl "${u.baseUrl}" is not a URL`);
    }
    const loopback =
      url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new Error(
        `upstream "${u.name}" baseUrl "${u.baseUrl}" must be https (plain http only on loopback, for tests)`,
      );
    }
    if (url.username || url.password || url.search)
      throw new Error(`upstream "${u.name}" baseUrl must not carry credentials or a query`);
    if (!u.secret) throw new Error(`upstream "${u.name}" names no secret`);
    if (!(u.requestsPerMinute > 0))
      throw new Error(`upstream "${u.name}" requestsPerMinute must be positive`);
    if (u.auth.kind === 'header' && !/^[A-Za-z0-9-]+$/.test(u.auth.header))
      throw new Error(`upstream "${u.name}" auth header "${u.auth.header}" is not a header name`);
  }
  for (const hp of config.connectAllowlist ?? []) {
    if (!/^[a-z0-9.-]+:\d{1,5}$/i.test(hp) || hp.startsWith('*'))
      throw new Error(
        `CONNECT target "${hp}" must be an exact host:port, such as "api.telegram.org:443"`,
      );
  }
  return config;
}
