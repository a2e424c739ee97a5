/**
 * What an MCP server may reach beyond its gateway: the exact public host:port pairs it declares,
 * and the APIs the broker calls for it with a credential injected. Both only through the agent's
 * broker, on a listener of that server's own. Pure: validation and the environment the server
 * gets need no construct scope.
 */
import { publicHostPortProblem } from '../../broker/src/connect-policy';

/** An API an MCP server calls through the broker, which injects the credential's key. */
export interface McpUpstream {
  /**
   * The agent's credential (OpenClawAgent `credentials[].name`) whose secret the broker injects.
   * Its `upstream` gives the API's base URL and how the key is sent; the credential then serves
   * this server only: the gateway's broker routes never carry it.
   */
  readonly credential: string;
  /**
   * The environment variable through which the server takes the API's base URL, such as
   * `GITHUB_API_URL`: it is set to the broker's route for the credential on the server's own
   * listener (`http://<broker>:8080/<credential>`). The URL is no secret; the key never enters
   * the server's container.
   */
  readonly baseUrlEnv: string;
  /**
   * The variable the server insists on for its token (a server that exits without one, such as
   * the reference GitLab server's `GITLAB_PERSONAL_ACCESS_TOKEN`): set to
   * {@link MCP_BROKERED_TOKEN}, a fixed public placeholder and no secret. The broker never
   * forwards a caller's credential headers; it sends the real key in their place.
   * @default - none set
   */
  readonly tokenEnv?: string;
}

/** The placeholder a server's `tokenEnv` is set to: public, fixed, never a credential. */
export const MCP_BROKERED_TOKEN = 'brokered-by-the-agent-credential-broker';

/** The label listing the host:port pairs an MCP server declared (comma-separated, sorted). */
export const MCP_EGRESS_LABEL = 'openclaw.mcp-egress';
/** The label listing the broker routes (credentials) an MCP server declared. */
export const MCP_UPSTREAMS_LABEL = 'openclaw.mcp-upstreams';

/**
 * Variables the library sets in a server's container when it has egress; a server's own `env`
 * cannot set them (the proxy is the only way out, so another value would only break egress).
 */
export const MCP_PROXY_ENV: readonly string[] = [
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'NODE_USE_ENV_PROXY',
];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws unless the server's egress and upstreams are exact and its env leaves the proxy alone. */
export function validateMcpEgress(
  server: {
    readonly egress?: readonly string[];
    readonly upstreams?: readonly McpUpstream[];
    readonly env?: Readonly<Record<string, string>>;
  },
  what: string,
): void {
  const seen = new Set<string>();
  for (const hp of server.egress ?? []) {
    const problem = publicHostPortProblem(hp);
    if (problem)
      throw new Error(
        `${what}: egress "${hp}" ${problem}; give the exact public host:port the server needs, such as "api.github.com:443" (the broker tunnels only to public addresses)`,
      );
    if (seen.has(hp)) throw new Error(`${what}: egress "${hp}" is listed twice; list it once`);
    seen.add(hp);
  }
  for (const key of Object.keys(server.env ?? {})) {
    if (MCP_PROXY_ENV.includes(key.toUpperCase()))
      throw new Error(
        `${what}: env ${key} is set by the library (the server's only way out is its broker listener); remove it and declare what the server reaches in egress`,
      );
  }
  const credentials = new Set<string>();
  const variables = new Set<string>();
  for (const u of server.upstreams ?? []) {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(u.credential))
      throw new Error(
        `${what}: upstream credential "${u.credential}" is not a credential name; give the name of one of the agent's credentials, such as "github"`,
      );
    if (credentials.has(u.credential))
      throw new Error(`${what}: upstream credential "${u.credential}" is listed twice`);
    credentials.add(u.credential);
    if (!ENV_NAME.test(u.baseUrlEnv) || MCP_PROXY_ENV.includes(u.baseUrlEnv.toUpperCase()))
      throw new Error(
        `${what}: upstream "${u.credential}" baseUrlEnv "${u.baseUrlEnv}" is not a variable the server may take a base URL from; give the one the server reads, such as "GITHUB_API_URL"`,
      );
    if (variables.has(u.baseUrlEnv) || u.baseUrlEnv in (server.env ?? {}))
      throw new Error(
        `${what}: upstream "${u.credential}" baseUrlEnv ${u.baseUrlEnv} is set twice (by another upstream or env); give each its own variable`,
      );
    variables.add(u.baseUrlEnv);
    if (u.tokenEnv !== undefined) {
      if (!ENV_NAME.test(u.tokenEnv) || MCP_PROXY_ENV.includes(u.tokenEnv.toUpperCase()))
        throw new Error(
          `${what}: upstream "${u.credential}" tokenEnv "${u.tokenEnv}" is not a variable name; give the one the server insists on, such as "GITLAB_PERSONAL_ACCESS_TOKEN"`,
        );
      if (variables.has(u.tokenEnv) || u.tokenEnv in (server.env ?? {}))
        throw new Error(
          `${what}: upstream "${u.credential}" tokenEnv ${u.tokenEnv} is set twice (by another upstream or env); give each its own variable`,
        );
      variables.add(u.tokenEnv);
    }
  }
}

/** True when the server reaches anything beyond its gateway (so the broker joins its network). */
export function hasEgress(server: {
  readonly egress?: readonly string[];
  readonly upstreams?: readonly McpUpstream[];
}): boolean {
  return (server.egress ?? []).length > 0 || (server.upstreams ?? []).length > 0;
}

/**
 * The server's environment for its broker listener at `brokerUrl` (`http://<address>:<port>`):
 * the proxy for its declared hosts (Node's fetch and http honour it with NODE_USE_ENV_PROXY=1,
 * Node 24.5 and later), the listener itself left out of the proxy, and each upstream's base URL.
 */
export function mcpEgressEnv(
  brokerUrl: string,
  server: { readonly upstreams?: readonly McpUpstream[] },
): string[] {
  const host = new URL(brokerUrl).hostname;
  return [
    `HTTPS_PROXY=${brokerUrl}`,
    `HTTP_PROXY=${brokerUrl}`,
    `NO_PROXY=${host},127.0.0.1,localhost`,
    'NODE_USE_ENV_PROXY=1',
    ...(server.upstreams ?? []).flatMap((u) => [
      `${u.baseUrlEnv}=${brokerUrl}/${u.credential}`,
      ...(u.tokenEnv !== undefined ? [`${u.tokenEnv}=${MCP_BROKERED_TOKEN}`] : []),
    ]),
  ];
}
