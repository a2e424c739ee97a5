import { isLoopbackAddress, isPrivateAddress, isSingleHost, parseCidr } from './addresses';
import {
  BASELINE_DENIED_TOOLS,
  ConfigProblem,
  findConfigProblems,
  mcpUrlProblem,
  originProblem,
} from './config-problems';
import {
  McpEndpoint,
  ModelApi,
  ModelProvider,
  OpenClawConfigProps,
  ShellPolicy,
  ToolsProfile,
} from './config';
import { requireReason, Weakening, WeakeningReason } from '../core/weakening';
import { parsePinnedPackage } from './pinned-package';
import { OpenClawSecret, SecretProviderJson } from './secret';

/** The default gateway port, which is never published or opened. */
export const OPENCLAW_GATEWAY_PORT = 18789;

/**
 * Commands that can start other programs or reach the network, so an allowlist containing them
 * allows everything.
 */
const SHELL_ESCAPES = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'fish',
  'csh',
  'tcsh',
  'busybox',
  'toybox',
  'env',
  'xargs',
  'find',
  'sort',
  'awk',
  'gawk',
  'mawk',
  'nawk',
  'sed',
  'perl',
  'python',
  'python3',
  'node',
  'nodejs',
  'deno',
  'bun',
  'ruby',
  'php',
  'lua',
  'tclsh',
  'expect',
  'sudo',
  'su',
  'doas',
  'ssh',
  'script',
  'nohup',
  'nice',
  'timeout',
  'watch',
  'time',
  'exec',
  'eval',
  'source',
  'make',
  'vi',
  'vim',
  'nvim',
  'emacs',
  'nano',
  'less',
  'more',
  'man',
  'git',
  'docker',
  'kubectl',
  'curl',
  'wget',
  'nc',
  'ncat',
  'socat',
  'npx',
  'npm',
  'pip',
  'tar',
  'zip',
  'rsync',
  'scp',
  'openssl',
  'strace',
  'gdb',
]);

/** Which bundled plugin serves each wire protocol. */
const PROVIDER_PLUGIN: Record<ModelApi, string> = {
  'anthropic-messages': 'anthropic',
  'openai-responses': 'openai',
  'openai-completions': 'openai',
  'google-generative-ai': 'google',
  ollama: 'ollama',
};

const TOOLS_PROFILES: readonly ToolsProfile[] = ['minimal', 'messaging', 'coding'];

/** A rendered openclaw.json, ready to write, and what was weakened on purpose. */
export interface RenderedOpenClawConfig {
  /** The document, as a plain object. */
  readonly document: Record<string, unknown>;
  /** The document as pretty-printed JSON with a trailing newline. */
  readonly json: string;
  /** Hardened defaults weakened on purpose, each with its reason, for the checklist report. */
  readonly weakenings: readonly Weakening[];
  /**
   * The exec-approvals document (OpenClaw's approvals store format) holding the shell command
   * allowlist, when the shell is on; applied with `openclaw approvals set`.
   */
  readonly execApprovals?: Record<string, unknown>;
  /** Exact npm pins of the non-bundled plugins to install into the image. */
  readonly pluginPackages: readonly string[];
  /**
   * The gateway process's environment for `egressProxyUrl` (`HTTP_PROXY`, `HTTPS_PROXY`,
   * `NO_PROXY`), empty without one. The broker is the gateway's proxy through the environment,
   * not OpenClaw's managed `proxy` setting: the managed proxy sends every non-loopback request as
   * a CONNECT, so the model calls to the broker's own routes and the calls to the MCP servers
   * (on networks the broker is not on) were refused and no agent turn could run. `NO_PROXY`
   * names exactly the broker, each model provider's host, each MCP server's host, the gateway's
   * own address and loopback.
   */
  readonly environment: readonly string[];
}

/**
 * Renders the hardened openclaw.json for the given inputs. Pure: no scope, no I/O.
 * Throws one error listing every problem, each naming the value and the fix.
 */
export function renderOpenClawConfig(props: OpenClawConfigProps): RenderedOpenClawConfig {
  const problems: ConfigProblem[] = [];
  const weakenings: Weakening[] = [];
  const fail = (path: string, message: string) => problems.push({ path, message });

  if (!(props.gatewayToken instanceof OpenClawSecret)) {
    fail(
      'gatewayToken',
      'gatewayToken must be a reference, not a value; use OpenClawSecret.fromFile("/run/secrets/openclaw/gateway-token")',
    );
  }

  const port = props.port ?? OPENCLAW_GATEWAY_PORT;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    fail('port', `port ${port} is not an unprivileged TCP port; use 1024-65535 (default 18789)`);
  }

  const bindAddress = props.bindAddress;
  const loopback = bindAddress === undefined || isLoopbackAddress(bindAddress);
  if (bindAddress !== undefined && parseCidr(bindAddress)?.family !== 4) {
    fail(
      'bindAddress',
      `bindAddress "${bindAddress}" is not an IPv4 address; give the gateway's internal network address, such as "172.30.0.10"`,
    );
  } else if (bindAddress === '0.0.0.0') {
    fail(
      'bindAddress',
      'bindAddress "0.0.0.0" listens on every interface; give the gateway\'s internal network address, such as "172.30.0.10"',
    );
  } else if (bindAddress !== undefined && !isPrivateAddress(bindAddress)) {
    fail(
      'bindAddress',
      `bindAddress "${bindAddress}" is a public address; bind to the private internal network address of the cell`,
    );
  }

  const broadProxies = checkReason(
    props.dangerouslyAllowBroadTrustedProxies,
    'dangerouslyAllowBroadTrustedProxies',
    fail,
  );
  const trustedProxies = [...(props.trustedProxies ?? [])];
  const allowedBroadProxies: string[] = [];
  for (const proxy of trustedProxies) {
    const parsed = parseCidr(proxy);
    if (!parsed) {
      fail(
        'trustedProxies',
        `trusted proxy "${proxy}" is not an IP address; list the proxy's address, such as "172.30.0.2"`,
      );
    } else if (!isSingleHost(parsed)) {
      if (broadProxies) {
        allowedBroadProxies.push(proxy);
        weakenings.push({
          id: 'broad-trusted-proxies',
          what: `trustedProxies includes "${proxy}"`,
          reason: broadProxies,
        });
      } else {
        fail(
          'trustedProxies',
          `trusted proxy "${proxy}" is a whole block, so anything in it could forge client addresses; list exactly the proxy in front of the gateway, such as "${parsed.address}/${parsed.family === 4 ? 32 : 128}", or set dangerouslyAllowBroadTrustedProxies with a reason`,
        );
      }
    }
  }

  const origins = [...(props.controlUiOrigins ?? [])];
  for (const origin of origins) {
    const problem = originProblem(origin);
    if (problem) fail('controlUiOrigins', problem);
  }

  const rateLimit = props.authRateLimit ?? {
    maxAttempts: 10,
    windowSeconds: 60,
    lockoutSeconds: 300,
  };
  for (const [key, value] of Object.entries(rateLimit)) {
    if (!Number.isInteger(value) || value < 1) {
      fail(`authRateLimit.${key}`, `authRateLimit.${key} is ${value}; use a positive whole number`);
    }
  }
  if (rateLimit.maxAttempts > 100) {
    fail(
      'authRateLimit.maxAttempts',
      `authRateLimit.maxAttempts ${rateLimit.maxAttempts} is too many to slow a token guesser; use at most 100 (default 10)`,
    );
  }

  const profile = props.toolsProfile ?? 'minimal';
  if (!TOOLS_PROFILES.includes(profile)) {
    fail(
      'toolsProfile',
      `toolsProfile "${String(profile)}" is not one of ${TOOLS_PROFILES.join(', ')}; "full" allows every tool and is not accepted`,
    );
  }

  const shell = renderShell(props.shell ?? { mode: 'off' }, fail, weakenings);
  const alsoAllow = [...(props.allowTools ?? []), ...shell.alsoAllow];
  const deny = [...BASELINE_DENIED_TOOLS, ...shell.deny, ...(props.denyTools ?? [])];
  for (const tool of props.allowTools ?? []) {
    if (
      shell.deny.includes('group:runtime') &&
      ['exec', 'process', 'bash', 'group:runtime', 'code_execution'].includes(tool)
    ) {
      fail(
        'allowTools',
        `allowTools includes "${tool}" but the shell is off; set shell: { mode: "allowlist", commands: [...] } instead`,
      );
    }
    if (tool === '*' || BASELINE_DENIED_TOOLS.includes(tool)) {
      fail(
        'allowTools',
        `allowTools includes "${tool}", which the hardened baseline denies; allow individual tools the agent needs`,
      );
    }
  }

  const providers = renderProviders(props.modelProviders ?? [], fail);
  if (props.egressProxyUrl !== undefined) {
    const m = /^http:\/\/([0-9.]+):(\d{1,5})$/.exec(props.egressProxyUrl);
    if (!m || !isPrivateAddress(m[1])) {
      fail(
        'egressProxyUrl',
        `egressProxyUrl "${props.egressProxyUrl}" must be the credential broker's private http://<ipv4>:<port>, such as "http://172.30.0.3:8080"`,
      );
    }
  }
  const mcp = renderMcp(props.mcpServers ?? [], fail);
  if (mcp.servers && !alsoAllow.includes('bundle-mcp')) alsoAllow.push('bundle-mcp');

  const pluginIds = new Set<string>(providers.pluginIds);
  const pluginPackages: string[] = [];
  for (const plugin of props.plugins ?? []) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(plugin.id)) {
      fail(
        'plugins',
        `plugin id "${plugin.id}" is not a plugin id; use the id from the plugin's manifest, such as "memory-core"`,
      );
      continue;
    }
    if (plugin.package !== undefined) {
      try {
        pluginPackages.push(parsePinnedPackage(plugin.package, `plugin "${plugin.id}"`).spec);
      } catch (e) {
        fail('plugins', (e as Error).message);
      }
    }
    pluginIds.add(plugin.id);
  }

  const secretProviders: Record<string, SecretProviderJson> = {};
  if (props.gatewayToken instanceof OpenClawSecret) {
    secretProviders[props.gatewayToken.ref.provider] = props.gatewayToken.provider;
  }

  const gateway: Record<string, unknown> = {
    mode: 'local',
    port,
    bind: loopback ? 'loopback' : 'custom',
    ...(loopback ? {} : { customBindHost: bindAddress }),
    auth: {
      mode: 'token',
      token: props.gatewayToken instanceof OpenClawSecret ? props.gatewayToken.ref : undefined,
      allowTailscale: false,
      rateLimit: {
        maxAttempts: rateLimit.maxAttempts,
        windowMs: rateLimit.windowSeconds * 1000,
        lockoutMs: rateLimit.lockoutSeconds * 1000,
        exemptLoopback: false,
      },
    },
    ...(trustedProxies.length > 0 ? { trustedProxies } : {}),
    allowRealIpFallback: false,
    controlUi:
      origins.length > 0
        ? {
            enabled: true,
            allowedOrigins: origins,
            embedSandbox: 'strict',
            allowExternalEmbedUrls: false,
            automaticallyFetchFavicons: false,
          }
        : { enabled: false },
    terminal: { enabled: false },
    cliAgents: { enabled: false },
    tailscale: { mode: 'off' },
    reload: { mode: 'off' },
    nodes: { pairing: { autoApproveLocal: false }, browser: { mode: 'off' } },
    http: { endpoints: { chatCompletions: { enabled: false }, responses: { enabled: false } } },
  };

  const tools: Record<string, unknown> = {
    profile,
    ...(alsoAllow.length > 0 ? { alsoAllow: unique(alsoAllow) } : {}),
    deny: unique(deny),
    exec: shell.exec,
    elevated: { enabled: false },
    fs: { workspaceOnly: true },
    agentToAgent: { enabled: false },
    sessions: { visibility: 'self' },
    loopDetection: { enabled: true },
  };

  const document: Record<string, unknown> = {
    gateway,
    secrets: { providers: secretProviders },
    discovery: { mdns: { mode: 'off' } },
    tools,
    ...(shell.approvals ? { approvals: shell.approvals } : {}),
    ...(providers.models
      ? { models: providers.models }
      : { models: { catalogRefresh: { enabled: false } } }),
    ...(props.primaryModel
      ? { agents: { defaults: { model: { primary: props.primaryModel } } } }
      : {}),
    ...(mcp.servers ? { mcp: { servers: mcp.servers } } : {}),
    plugins: pluginIds.size > 0 ? { allow: [...pluginIds].sort() } : { enabled: false },
    browser: { enabled: false },
    hooks: { enabled: false },
    cron: { enabled: false },
    commands: {
      bash: false,
      config: false,
      mcp: false,
      plugins: false,
      debug: false,
      restart: false,
    },
    session: { dmScope: 'per-channel-peer' },
    logging: {
      consoleStyle: 'json',
      audit: { enabled: true, executionIdentity: true, messages: 'off' },
    },
    update: { checkOnStart: false, auto: { enabled: false } },
  };

  if (props.primaryModel !== undefined && !/^[A-Za-z0-9._-]+\/\S+$/.test(props.primaryModel)) {
    fail(
      'primaryModel',
      `primaryModel "${props.primaryModel}" is not "<provider>/<model>"; write it as "anthropic/claude-sonnet-4-5"`,
    );
  }

  if (problems.length === 0) {
    const merged = props.overrides ? addOverrides(document, props.overrides, problems) : document;
    problems.push(
      ...findConfigProblems(merged, {
        broadTrustedProxies: allowedBroadProxies,
      }),
    );
    if (problems.length === 0) {
      return {
        document: merged,
        json: `${JSON.stringify(merged, null, 2)}\n`,
        weakenings,
        execApprovals: shell.execApprovals,
        pluginPackages,
        environment: props.egressProxyUrl
          ? proxyEnvironment(props.egressProxyUrl, [
              ...(props.modelProviders ?? []).map((p) => new URL(p.baseUrl).hostname),
              ...(props.mcpServers ?? []).map((m) => new URL(m.url).hostname),
              // the CLI in the gateway's container reaches its own gateway there
              ...(bindAddress && !loopback ? [bindAddress] : []),
            ])
          : [],
      };
    }
  }
  throw new Error(
    `The OpenClaw config is not hardened:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
  );
}
interface RenderedShell {
  readonly exec: Record<string, unknown>;
  readonly alsoAllow: string[];
  readonly deny: string[];
  readonly approvals?: Record<string, unknown>;
  readonly execApprovals?: Record<string, unknown>;
}

function renderShell(
  policy: ShellPolicy,
  fail: (path: string, message: string) => void,
  weakenings: Weakening[],
): RenderedShell {
  if (policy.mode === 'off') {
    if (policy.commands && policy.commands.length > 0) {
      fail(
        'shell.commands',
        'shell.commands is set but shell.mode is "off"; set mode "allowlist" or remove the commands',
      );
    }
    return { exec: { mode: 'deny' }, alsoAllow: [], deny: ['group:runtime'] };
  }
  if (policy.mode !== 'allowlist') {
    fail(
      'shell.mode',
      `shell.mode "${String(policy.mode)}" is not accepted; use "allowlist" with explicit commands (denylists are incomplete by design), or "off"`,
    );
  }
  const commands = [...(policy.commands ?? [])];
  if (commands.length === 0) {
    fail(
      'shell.commands',
      'shell.mode "allowlist" needs commands; list each one, such as ["ls", "cat", "grep", "head", "tail"]',
    );
  }
  for (const command of commands) {
    const base = command.split('/').pop() ?? command;
    if (!/^([a-z0-9][a-z0-9._+-]*|\/[A-Za-z0-9._/+-]+)$/.test(command)) {
      fail(
        'shell.commands',
        `shell command "${command}" is not a bare command name or an absolute path; list commands such as "ls" or "/usr/bin/ls", without arguments`,
      );
    } else if (SHELL_ESCAPES.has(base) || /^python\d|^perl\d|^ruby\d|^php\d|^lua\d/.test(base)) {
      fail(
        'shell.commands',
        `shell command "${command}" can start other programs, so allowing it allows everything; allowlist only commands that cannot, such as ls, cat, grep, head, tail`,
      );
    }
  }
  const skip = checkReason(
    policy.dangerouslySkipApprovalForAllowlisted,
    'shell.dangerouslySkipApprovalForAllowlisted',
    fail,
  );
  if (skip) {
    weakenings.push({
      id: 'shell-allowlisted-without-approval',
      what: `allowlisted commands (${commands.join(', ')}) run without human approval`,
      reason: skip,
    });
  }
  const ask = skip ? 'on-miss' : 'always';
  return {
    exec: {
      host: 'gateway',
      security: 'allowlist',
      ask,
      strictInlineEval: true,
      safeBins: [],
      applyPatch: { enabled: false },
      timeoutSeconds: 300,
    },
    alsoAllow: ['exec'],
    deny: [],
    approvals: { exec: { enabled: true, mode: 'session' } },
    execApprovals: {
      version: 1,
      defaults: { security: 'allowlist', ask, askFallback: 'deny', autoAllowSkills: false },
      agents: {
        main: {
          security: 'allowlist',
          ask,
          askFallback: 'deny',
          autoAllowSkills: false,
          allowlist: commands.map((pattern) => ({ pattern })),
        },
      },
    },
  };
}

function renderProviders(
  providers: readonly ModelProvider[],
  fail: (path: string, message: string) => void,
): { models?: Record<string, unknown>; pluginIds: string[] } {
  if (providers.length === 0) return { pluginIds: [] };
  const entries: Record<string, unknown> = {};
  const pluginIds: string[] = [];
  for (const provider of providers) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(provider.id)) {
      fail(
        'modelProviders',
        `model provider id "${provider.id}" is invalid; use lower case letters, digits, "-" or "_", such as "anthropic"`,
      );
    }
    if (entries[provider.id] !== undefined) {
      fail(
        'modelProviders',
        `model provider "${provider.id}" is listed twice; list each provider once`,
      );
    }
    const plugin = PROVIDER_PLUGIN[provider.api];
    if (plugin === undefined) {
      fail(
        'modelProviders',
        `model provider "${provider.id}" uses api "${String(provider.api)}"; use one of ${Object.keys(PROVIDER_PLUGIN).join(', ')}`,
      );
    } else {
      pluginIds.push(plugin);
    }
    let url: URL | undefined;
    try {
      url = new URL(provider.baseUrl);
    } catch {
      fail(
        'modelProviders',
        `model provider "${provider.id}" baseUrl "${provider.baseUrl}" is not a URL; point it at the credential broker, such as "http://172.30.0.3:8080/anthropic"`,
      );
    }
    if (url && (url.username || url.password || url.search)) {
      fail(
        'modelProviders',
        `model provider "${provider.id}" baseUrl carries credentials or a query; point it at the credential broker, which injects the key`,
      );
    }
    entries[provider.id] = {
      baseUrl: provider.baseUrl,
      api: provider.api,
      models: (provider.models ?? []).map((m) => ({ id: m.id, name: m.name ?? m.id })),
    };
  }
  return {
    models: { mode: 'replace', catalogRefresh: { enabled: false }, providers: entries },
    pluginIds,
  };
}

/**
 * The broker as HTTP(S) proxy for everything but the cell's own endpoints: OpenClaw's undici
 * dispatcher and its channel clients honour these variables, NO_PROXY included (the Telegram and
 * Slack channels of the pinned release tunnel to their APIs through it: see
 * test/conformance/channel-proxy.test.ts). A chat host must never be in NO_PROXY: Telegram's
 * client then resolves it itself and falls back to dialling Telegram's IPs directly.
 */
function proxyEnvironment(proxyUrl: string, directHosts: readonly string[]): string[] {
  const hosts = unique([
    new URL(proxyUrl).hostname,
    ...directHosts,
    '127.0.0.1',
    'localhost',
    '::1',
  ]);
  return [`HTTP_PROXY=${proxyUrl}`, `HTTPS_PROXY=${proxyUrl}`, `NO_PROXY=${hosts.join(',')}`];
}

function renderMcp(
  servers: readonly McpEndpoint[],
  fail: (path: string, message: string) => void,
): { servers?: Record<string, unknown> } {
  if (servers.length === 0) return {};
  const out: Record<string, unknown> = {};
  for (const server of servers) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(server.name)) {
      fail(
        'mcpServers',
        `MCP server name "${server.name}" is invalid; use lower case letters, digits, "-" or "_", such as "github"`,
      );
      continue;
    }
    if (out[server.name] !== undefined) {
      fail('mcpServers', `MCP server "${server.name}" is listed twice; list each server once`);
      continue;
    }
    const problem = mcpUrlProblem(server.url);
    if (problem) {
      fail(
        'mcpServers',
        `MCP server "${server.name}" url "${server.url}" ${problem}; run the server in its own container (McpServerContainer) and give its url, such as "http://172.28.0.3:8808/mcp"`,
      );
      continue;
    }
    out[server.name] = {
      enabled: true,
      url: server.url,
      transport: 'streamable-http',
      ...(server.tools ? { toolFilter: { include: [...server.tools] } } : {}),
    };
  }
  return { servers: out };
}

function checkReason(
  allowance: WeakeningReason | undefined,
  prop: string,
  fail: (path: string, message: string) => void,
): string | undefined {
  if (allowance === undefined) return undefined;
  try {
    return requireReason(allowance, prop);
  } catch (e) {
    fail(prop, (e as Error).message);
    return undefined;
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Adds `overrides` to the rendered document. Overrides may only add keys this library does not
 * write: changing or removing a key it wrote (a value, a list, a deny) is a problem, because the
 * typed props are the only way to change a hardened setting, with a reason where it weakens one.
 */
export function addOverrides(
  base: Record<string, unknown>,
  overrides: Readonly<Record<string, unknown>>,
  problems: ConfigProblem[],
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const current = out[key];
    if (current === undefined) {
      out[key] = value;
    } else if (isPlainObject(current) && isPlainObject(value)) {
      out[key] = addOverrides(current, value, problems, path);
    } else if (JSON.stringify(current) !== JSON.stringify(value)) {
      problems.push({
        path,
        message: `overrides may only add keys; ${path} is managed by cdktf-openclaw (${JSON.stringify(current)}), change it through the typed props`,
      });
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
