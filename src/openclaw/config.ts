import { WeakeningReason } from '../core/weakening';
import { OpenClawSecret } from './secret';

/**
 * Typed inputs for the part of openclaw.json this library manages. Every optional prop has a
 * hardened default; the renderer ({@link renderOpenClawConfig}) turns them into the document.
 */
export interface OpenClawConfigProps {
  /**
   * The gateway's shared token. Always a reference: OpenClaw resolves it at start.
   * A literal string is rejected.
   */
  readonly gatewayToken: OpenClawSecret;

  /**
   * The one IPv4 address the gateway listens on.
   *
   * Leave unset for a gateway used only from the same host or container (loopback). In a cell,
   * this is the gateway's address on the cell's internal network, which the Serve sidecar proxies
   * to. `0.0.0.0` (every interface) is rejected.
   * @default - loopback (127.0.0.1)
   */
  readonly bindAddress?: string;

  /**
   * Gateway port.
   * @default 18789
   */
  readonly port?: number;

  /**
   * Addresses of the reverse proxies in front of the gateway (the Serve sidecar), as single hosts
   * (`172.30.0.2` or `172.30.0.2/32`). OpenClaw trusts `X-Forwarded-For` only from these.
   * Blocks wider than one host are rejected unless `dangerouslyAllowBroadTrustedProxies` is set.
   * @default - none: no proxy headers are trusted
   */
  readonly trustedProxies?: readonly string[];

  /**
   * Allow `trustedProxies` entries wider than one host. The reason (at least 20 characters) is
   * recorded and shown in the checklist report.
   * @default - not allowed
   */
  readonly dangerouslyAllowBroadTrustedProxies?: WeakeningReason;

  /**
   * Browser origins allowed to open the Control UI, such as `https://agent.tail1234.ts.net`.
   * Only tailnet (`*.ts.net`), loopback and private-address origins are accepted; wildcards and
   * public origins are rejected. The Control UI is enabled exactly when origins are given.
   * @default - none: the Control UI is disabled
   */
  readonly controlUiOrigins?: readonly string[];

  /**
   * Failed-auth rate limit per client address.
   * @default - 10 attempts per 60 s, then a 300 s lockout, loopback not exempt
   */
  readonly authRateLimit?: AuthRateLimit;

  /**
   * OpenClaw tool profile, the base set of tools before allows and denies.
   * @default "minimal"
   */
  readonly toolsProfile?: ToolsProfile;

  /**
   * Tools allowed on top of the profile (OpenClaw `tools.alsoAllow`).
   * @default - none
   */
  readonly allowTools?: readonly string[];

  /**
   * Tools denied in addition to the baseline denies. Denies always win over allows.
   * @default - none beyond the baseline
   */
  readonly denyTools?: readonly string[];

  /**
   * Shell (the `exec` tool).
   * @default - off: exec is denied
   */
  readonly shell?: ShellPolicy;

  /**
   * Model providers, normally pointed at the credential broker. No API key is ever written:
   * the broker injects it upstream.
   * @default - none
   */
  readonly modelProviders?: readonly ModelProvider[];

  /**
   * The model agents use by default, as `<provider>/<model>`.
   * @default - OpenClaw's default
   */
  readonly primaryModel?: string;

  /**
   * The credential broker's address as an HTTP proxy (`http://172.30.0.3:8080`): the gateway's
   * other outbound traffic (channels) is tunnelled through it, and the broker lets CONNECT reach
   * only the host:port pairs granted to this cell. Given to the gateway process as `HTTP_PROXY`,
   * `HTTPS_PROXY` and `NO_PROXY` (the rendered config's `environment`), never as OpenClaw's
   * managed `proxy`, which would tunnel the model calls and the MCP servers' calls too.
   * @default - no proxy; the gateway has no route out anyway
   */
  readonly egressProxyUrl?: string;

  /**
   * MCP servers, each in a container of its own on a cell-internal address. Only these are used.
   * @default - none
   */
  readonly mcpServers?: readonly McpEndpoint[];

  /**
   * Plugins allowed to load (OpenClaw `plugins.allow`), besides the provider plugins the model
   * providers need. npm plugins must be pinned to an exact version.
   * @default - only the model providers' plugins
   */
  readonly plugins?: readonly OpenClawPluginSpec[];

  /**
   * Extra openclaw.json content merged over the rendered document, for keys this library does not
   * model. The merged document is checked again: an override cannot weaken a hardened default.
   * @default - none
   */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** Failed-auth rate limit. */
export interface AuthRateLimit {
  /** Failed attempts allowed per window, 1 to 100. */
  readonly maxAttempts: number;
  /** Window length in seconds. */
  readonly windowSeconds: number;
  /** Lockout after the limit is hit, in seconds. */
  readonly lockoutSeconds: number;
}

/** OpenClaw tool profiles this library accepts (`full` is not one of them). */
export type ToolsProfile = 'minimal' | 'messaging' | 'coding';

/** How the agent may use the shell. */
export interface ShellPolicy {
  /** `off` denies exec; `allowlist` runs only the listed commands. */
  readonly mode: 'off' | 'allowlist';
  /**
   * Commands the agent may run (bare names such as `ls`, or absolute paths). Required for
   * `allowlist`. Commands that can start other programs (shells, interpreters, `env`, `xargs`,
   * `find`, editors, ...) are rejected: an allowlist containing them is a denylist in disguise.
   */
  readonly commands?: readonly string[];
  /**
   * Let allowlisted commands run without asking a human (OpenClaw ask "on-miss"); anything off
   * the allowlist still asks. The reason is recorded for the checklist report.
   * @default - every command needs human approval (ask "always")
   */
  readonly dangerouslySkipApprovalForAllowlisted?: WeakeningReason;
}

/** A model provider entry (`models.providers.<id>`). */
export interface ModelProvider {
  /** Provider id, such as `anthropic` or `openai`. */
  readonly id: string;
  /** Wire protocol. */
  readonly api: ModelApi;
  /** Base URL the gateway sends requests to: the credential broker's route for this provider. */
  readonly baseUrl: string;
  /**
   * Models offered through this provider.
   * @default - none listed
   */
  readonly models?: readonly ModelEntry[];
}

/** Wire protocols OpenClaw speaks to model providers. */
export type ModelApi =
  | 'anthropic-messages'
  | 'openai-responses'
  | 'openai-completions'
  | 'google-generative-ai'
  | 'ollama';

/** A model offered by a provider. */
export interface ModelEntry {
  /** Model id at the provider, such as `claude-sonnet-4-5`. */
  readonly id: string;
  /**
   * Display name.
   * @default - the id
   */
  readonly name?: string;
}

/**
 * An MCP server as the gateway reaches it: over streamable HTTP at a cell-internal address (its
 * own container, see McpServerContainer). The gateway never starts a server itself.
 */
export interface McpEndpoint {
  /** Server name, used as the tool prefix. */
  readonly name: string;
  /** `http://<private IPv4>:<port>/<path>` of the server's container. */
  readonly url: string;
  /**
   * The only tools exposed from this server (exact names or `*` globs).
   * @default - all of the server's tools
   */
  readonly tools?: readonly string[];
}

/** A plugin allowed to load. */
export interface OpenClawPluginSpec {
  /** Plugin id, as in `plugins.allow`. */
  readonly id: string;
  /**
   * Exact npm pin for a plugin not bundled with the pinned OpenClaw image.
   * @default - the plugin is bundled with the pinned image, whose version pins it
   */
  readonly package?: string;
}
