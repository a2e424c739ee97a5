/**
 * The broker's configuration. It names secrets; it never holds a value. The CredentialBroker
 * construct renders it; the broker reads it from BROKER_CONFIG (JSON) at start.
 */
import { isIP } from 'net';
import { isTcpPort, publicHostPortProblem, splitHostPort } from './connect-policy';
import { headerNameProblem } from './header-policy';

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
  /**
   * Methods forwarded; others are refused with 405. TRACE, TRACK and CONNECT never are.
   * @default - DEFAULT_METHODS
   */
  readonly methods?: readonly string[];
  /**
   * Request headers forwarded besides DEFAULT_FORWARD_HEADERS (lower-case names). Credential
   * headers cannot be listed.
   * @default - DEFAULT_FORWARD_HEADERS only
   */
  readonly forwardHeaders?: readonly string[];
}

export interface BrokerConfig {
  /** The agent this broker serves (logged on every line). */
  readonly agent: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly upstreams: readonly Upstream[];
  /**
   * Exact public host:port pairs CONNECT may reach (channels), tunnelled without touching TLS.
   * Each name must resolve to public addresses only.
   */
  readonly connectAllowlist?: readonly string[];
  /**
   * Exact ip:port pairs CONNECT may reach although the address is not public (private, loopback,
   * link-local). Only the IP named here is allowed, never a name that resolves to it.
   */
  readonly connectPrivateTargets?: readonly string[];
  /** How long a secret value is cached, in seconds. */
  readonly secretTtlSeconds?: number;
  /**
   * Listeners of the agent's MCP servers, one per server that needs egress: each bound to the
   * broker's address on that server's own network, with only that server's upstreams and CONNECT
   * allowlist, and every line it logs names the server. The main listener must then be bound to
   * one address (the cell network's), so no server reaches the cell's routes.
   * @default - none
   */
  readonly listeners?: readonly BrokerListener[];
}

/** A listener of one MCP server (see {@link BrokerConfig.listeners}). */
export interface BrokerListener {
  /** The MCP server's name, logged as `mcpServer` on every line of this listener. */
  readonly name: string;
  /** The broker's address on the server's network (one IPv4 address, never 0.0.0.0). */
  readonly listen: { readonly host: string; readonly port: number };
  /** The APIs the server reaches through this listener, the key injected as for models. */
  readonly upstreams: readonly Upstream[];
  /** Exact public host:port pairs the server may tunnel to. */
  readonly connectAllowlist?: readonly string[];
  /**
   * The only client addresses served (the server's own); a connection from any other address
   * (the gateway, which shares the server's network) is closed and logged.
   * @default - any client on the server's network
   */
  readonly clients?: readonly string[];
}

/** Methods forwarded when an upstream lists none: what the model APIs use. */
export const DEFAULT_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Methods never forwarded, whatever the configuration says. */
export const NEVER_FORWARDED_METHODS: readonly string[] = ['TRACE', 'TRACK', 'CONNECT'];

/** Well-known upstreams. */
export const ANTHROPIC: Omit<Upstream, 'secret' | 'requestsPerMinute'> = {
  name: 'anthropic',
  baseUrl: 'https://api.anthropic.com',
  auth: { kind: 'header', header: 'x-api-key' },
  methods: ['GET', 'POST', 'DELETE'],
};
export const OPENAI: Omit<Upstream, 'secret' | 'requestsPerMinute'> = {
  name: 'openai',
  baseUrl: 'https://api.openai.com',
  auth: { kind: 'bearer' },
  methods: ['GET', 'POST', 'DELETE'],
};

/** Checks a configuration; throws naming the value and the fix. */
export function validateBrokerConfig(config: BrokerConfig): BrokerConfig {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(config.agent ?? '')) {
    throw new Error(`broker agent "${config.agent}" must be lower-case letters, digits and "-"`);
  }
  if (!isTcpPort(config.listen?.port)) {
    throw new Error(`broker listen port ${config.listen?.port} is not a TCP port`);
  }
  validateUpstreams(config.upstreams ?? [], '');
  validateConnectAllowlist(config.connectAllowlist ?? [], '');
  for (const hp of config.connectPrivateTargets ?? []) {
    const parts = splitHostPort(hp);
    if (!parts || isIP(parts.host) !== 4 || !isTcpPort(parts.port))
      throw new Error(
        `private CONNECT target "${hp}" must be an exact IPv4 address and TCP port, such as "10.0.0.5:443"`,
      );
  }
  validateListeners(config);
  return config;
}

/** The MCP server listeners: each on one address of its own, never the main listener's. */
function validateListeners(config: BrokerConfig): void {
  const listeners = config.listeners ?? [];
  if (listeners.length === 0) return;
  if (isIP(config.listen.host) !== 4 || config.listen.host === '0.0.0.0')
    throw new Error(
      `broker listen host "${config.listen.host}" listens on every interface, so the MCP servers' networks would reach the cell's routes; bind it to the broker's cell network address, such as "172.30.0.3"`,
    );
  const names = new Set<string>();
  const hosts = new Set<string>([config.listen.host]);
  for (const l of listeners) {
    const where = `broker listener "${l.name}"`;
    if (!/^[a-z0-9][a-z0-9-]{0,19}$/.test(l.name ?? ''))
      throw new Error(
        `${where}: the name must be an MCP server name (lower-case letters, digits and "-", at most 20)`,
      );
    if (names.has(l.name)) throw new Error(`${where} is listed twice; list each MCP server once`);
    names.add(l.name);
    if (isIP(l.listen?.host ?? '') !== 4 || l.listen.host === '0.0.0.0')
      throw new Error(
        `${where} listen host "${l.listen?.host}" must be one IPv4 address (the broker's on the server's network), such as "172.28.0.4"`,
      );
    if (hosts.has(l.listen.host))
      throw new Error(
        `${where} listen host ${l.listen.host} is already another listener's; give each its own address`,
      );
    hosts.add(l.listen.host);
    if (!isTcpPort(l.listen.port))
      throw new Error(`${where} listen port ${l.listen.port} is not a TCP port`);
    validateUpstreams(l.upstreams ?? [], `${where}: `);
    validateConnectAllowlist(l.connectAllowlist ?? [], `${where}: `);
    for (const c of l.clients ?? [])
      if (isIP(c) !== 4)
        throw new Error(
          `${where} client "${c}" must be one IPv4 address (the MCP server's), such as "172.28.0.3"`,
        );
  }
}

/** The configuration one listener runs with: only its own routes and CONNECT targets. */
export function listenerConfig(config: BrokerConfig, listener: BrokerListener): BrokerConfig {
  return {
    agent: config.agent,
    listen: listener.listen,
    upstreams: listener.upstreams,
    connectAllowlist: listener.connectAllowlist ?? [],
    ...(config.secretTtlSeconds !== undefined ? { secretTtlSeconds: config.secretTtlSeconds } : {}),
  };
}

function validateUpstreams(upstreams: readonly Upstream[], where: string): void {
  const names = new Set<string>();
  for (const u of upstreams) {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(u.name))
      throw new Error(
        `${where}upstream name "${u.name}" must be lower-case letters, digits and "-"`,
      );
    if (names.has(u.name)) throw new Error(`${where}upstream "${u.name}" is listed twice`);
    names.add(u.name);
    let url: URL;
    try {
      url = new URL(u.baseUrl);
    } catch {
      throw new Error(`${where}upstream "${u.name}" baseUrl "${u.baseUrl}" is not a URL`);
    }
    const loopback =
      url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new Error(
        `${where}upstream "${u.name}" baseUrl "${u.baseUrl}" must be https (plain http only on loopback, for tests)`,
      );
    }
    if (url.username || url.password || url.search)
      throw new Error(`${where}upstream "${u.name}" baseUrl must not carry credentials or a query`);
    if (!u.secret) throw new Error(`${where}upstream "${u.name}" names no secret`);
    if (!(u.requestsPerMinute > 0))
      throw new Error(`${where}upstream "${u.name}" requestsPerMinute must be positive`);
    if (u.auth.kind === 'header' && !/^[A-Za-z0-9-]+$/.test(u.auth.header))
      throw new Error(
        `${where}upstream "${u.name}" auth header "${u.auth.header}" is not a header name`,
      );
    for (const m of u.methods ?? []) {
      if (NEVER_FORWARDED_METHODS.includes(m.toUpperCase()) || !/^[A-Z]+$/.test(m))
        throw new Error(
          `${where}upstream "${u.name}" method "${m}" cannot be forwarded; list upper-case methods the API uses, such as "GET", "POST" (never ${NEVER_FORWARDED_METHODS.join(', ')})`,
        );
    }
    for (const h of u.forwardHeaders ?? []) {
      const problem = headerNameProblem(h, u.auth.kind === 'header' ? u.auth.header : undefined);
      if (problem)
        throw new Error(
          `${where}upstream "${u.name}" forwardHeaders entry "${h}" ${problem}; list only the API's own lower-case headers, such as "anthropic-version"`,
        );
    }
  }
}

function validateConnectAllowlist(targets: readonly string[], where: string): void {
  for (const hp of targets) {
    const parts = splitHostPort(hp);
    if (!parts || hp.startsWith('*') || !/^[a-z0-9.-]+$/i.test(parts.host))
      throw new Error(
        `${where}CONNECT target "${hp}" must be an exact host:port, such as "api.telegram.org:443"`,
      );
    if (!isTcpPort(parts.port))
      throw new Error(
        `${where}CONNECT target "${hp}" has port ${parts.port}; give a TCP port from 1 to 65535`,
      );
    if (isIP(parts.host) === 0 && publicHostPortProblem(parts.host + ':' + parts.port))
      throw new Error(
        `${where}CONNECT target "${hp}" ${publicHostPortProblem(`${parts.host}:${parts.port}`)}; give a public name such as "api.telegram.org:443"`,
      );
  }
}
