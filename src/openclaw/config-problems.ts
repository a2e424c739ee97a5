import { isIpv4, isLoopbackAddress, isPrivateAddress, isSingleHost, parseCidr } from './addresses';
import { bindMountProblem } from '../container/bind-mounts';
import { isSecretRef } from './secret';

/**
 * Checks a whole openclaw.json document against the hardened baseline, whoever wrote it: the
 * renderer runs it on every document it produces (including user overrides), and the checklist
 * can run it on configs found in any synthesized stack.
 */

/** One way a document falls short of the hardened baseline. */
export interface ConfigProblem {
  /** Dotted path of the offending key, such as `gateway.auth.token`. */
  readonly path: string;
  /** What is wrong and what to do, naming the value (secret values are never repeated). */
  readonly message: string;
}

/** Weakenings the caller allowed with a written reason. */
export interface ConfigAllowances {
  /** `trustedProxies` entries wider than one host that were allowed, exactly as written. */
  readonly broadTrustedProxies?: readonly string[];
}

/** Tools every hardened config denies at the top level (denies win over any allow). */
export const BASELINE_DENIED_TOOLS: readonly string[] = [
  'group:automation',
  'sessions_spawn',
  'sessions_send',
  'gateway',
  'cron',
];

type Json = Record<string, unknown>;

/** Config keys whose value is a credential (`GITHUB_TOKEN`, `apiKey`, ...). */
export const SECRET_KEY =
  /(^|[a-z_-])(token|password|passwd|passphrase|secret|apikey|api_key|api-key|privatekey|private_key|clientkey|client_secret|credentials?|pushtoken|authorization|cookie|x-api-key|access_key|secret_key|signing_key|_key|_pat|_dsn)$/i;
const SECRET_VALUE: readonly [RegExp, string][] = [
  [/sk-ant-[A-Za-z0-9_-]{8,}/, 'an Anthropic API key'],
  [/\bsk-(proj-)?[A-Za-z0-9_-]{20,}/, 'an OpenAI-style API key'],
  [/\b[sr]k_(live|test)_[A-Za-z0-9]{10,}/, 'a Stripe key'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bhf_[A-Za-z0-9]{30,}/, 'a Hugging Face token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bya29\.[0-9A-Za-z_-]{20,}/, 'a Google OAuth token'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./, 'a JSON Web Token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^Bearer\s+(?!\$\{[A-Z_][A-Z0-9_]*\}$)\S{8,}/i, 'a bearer credential'],
  [/\b\d{8,10}:[A-Za-z0-9_-]{35}\b/, 'a Telegram bot token'],
  [
    /^--?(password|passwd|token|api-?key|secret|client-secret)=(?!\$\{[A-Z_][A-Z0-9_]*\}$).+/i,
    'a credential passed as a command-line flag',
  ],
];
/** A value that only references an environment variable (OpenClaw substitutes `${VAR}`). */
const ENV_REFERENCE = /^(Bearer\s+)?\$\{[A-Z_][A-Z0-9_]*\}$/;

/** Returns every problem found in `doc`; an empty list means the document meets the baseline. */
export function findConfigProblems(
  doc: unknown,
  allowances: ConfigAllowances = {},
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isObject(doc)) {
    return [{ path: '', message: 'the OpenClaw config must be a JSON object' }];
  }
  findLiteralSecrets(doc, '', problems);
  findDangerousFlags(doc, '', problems);
  checkGateway(obj(doc.gateway), allowances, problems);
  checkDiscovery(doc, problems);
  checkTools(obj(doc.tools), 'tools', true, problems);
  for (const [id, entry] of Object.entries(obj(obj(doc.agents).entries))) {
    checkTools(obj(obj(entry).tools), `agents.entries.${id}.tools`, false, problems);
  }
  checkSandbox(doc, problems);
  checkMcp(obj(obj(doc.mcp).servers), 'mcp.servers', problems);
  checkMcp(obj(obj(obj(doc.nodeHost).mcp).servers), 'nodeHost.mcp.servers', problems);
  checkChannels(doc, problems);
  checkPlugins(doc, problems);
  checkMisc(doc, problems);
  return problems;
}

function checkGateway(
  gateway: Json,
  allowances: ConfigAllowances,
  problems: ConfigProblem[],
): void {
  const add = (path: string, message: string) =>
    problems.push({ path: `gateway.${path}`, message });
  if (gateway.mode !== 'local') {
    add(
      'mode',
      `gateway.mode is ${show(gateway.mode)}; set "local" (a gateway refuses to start otherwise)`,
    );
  }

  const bind = gateway.bind ?? 'loopback';
  const host = gateway.customBindHost;
  let loopback = bind === 'loopback';
  if (bind === 'lan' || bind === 'auto' || bind === 'tailnet') {
    add(
      'bind',
      `gateway.bind "${String(bind)}" listens beyond the one address the topology needs; use "loopback", or "custom" with customBindHost set to the gateway's internal network address`,
    );
  } else if (bind === 'custom') {
    if (typeof host !== 'string' || host === '0.0.0.0' || parseCidr(host)?.family !== 4) {
      add(
        'customBindHost',
        `gateway.customBindHost ${show(host)} is not one IPv4 interface address; give the gateway's internal network address, such as "172.30.0.10" ("0.0.0.0" would listen on every interface)`,
      );
    } else if (!isPrivateAddress(host)) {
      add(
        'customBindHost',
        `gateway.customBindHost "${host}" is a public address; bind to a private internal network address and reach the gateway through the tailnet`,
      );
    }
    loopback = typeof host === 'string' && isLoopbackAddress(host);
  } else if (bind !== 'loopback') {
    add('bind', `gateway.bind ${show(bind)} is not a known bind mode; use "loopback" or "custom"`);
  }

  const auth = obj(gateway.auth);
  if (auth.mode !== 'token' && auth.mode !== 'password') {
    add(
      'auth.mode',
      `gateway.auth.mode is ${show(auth.mode)}; use "token" with a SecretRef token (${loopback ? 'an unauthenticated loopback gateway trusts every local process' : 'a gateway beyond loopback without auth is open to its whole network'})`,
    );
  } else {
    const credential = auth[auth.mode];
    if (credential === undefined) {
      add(
        `auth.${auth.mode}`,
        `gateway.auth.${auth.mode} is missing; reference the secret with a SecretRef such as OpenClawSecret.fromFile("/run/secrets/openclaw/gateway-token")`,
      );
    }
  }
  if (auth.allowTailscale === true) {
    add(
      'auth.allowTailscale',
      'gateway.auth.allowTailscale lets Tailscale identity headers stand in for the token; set it to false (the Serve sidecar forwards to the token-protected listener)',
    );
  }
  const rateLimit = obj(auth.rateLimit);
  if (auth.rateLimit === undefined || typeof rateLimit.maxAttempts !== 'number') {
    add(
      'auth.rateLimit',
      'gateway.auth.rateLimit is not set; set maxAttempts, windowMs and lockoutMs',
    );
  } else {
    if (rateLimit.maxAttempts > 100) {
      add(
        'auth.rateLimit.maxAttempts',
        `gateway.auth.rateLimit.maxAttempts is ${rateLimit.maxAttempts}, too many to slow a token guesser; use at most 100 (10 is the default)`,
      );
    }
    for (const key of ['windowMs', 'lockoutMs'] as const) {
      const value = rateLimit[key];
      if (typeof value !== 'number' || value < 1000) {
        add(
          `auth.rateLimit.${key}`,
          `gateway.auth.rateLimit.${key} is ${show(value)}; use at least 1000 (60000 and 300000 are the defaults)`,
        );
      }
    }
    if (rateLimit.exemptLoopback === true) {
      add(
        'auth.rateLimit.exemptLoopback',
        'gateway.auth.rateLimit.exemptLoopback exempts loopback clients, which includes everything a local proxy forwards; set it to false',
      );
    }
  }

  const tailscale = obj(gateway.tailscale);
  if (tailscale.mode === 'funnel') {
    add(
      'tailscale.mode',
      'gateway.tailscale.mode "funnel" publishes the gateway to the public internet; use "off" and reach it over the tailnet through the Serve sidecar',
    );
  } else if (tailscale.mode !== undefined && tailscale.mode !== 'off') {
    add(
      'tailscale.mode',
      `gateway.tailscale.mode ${show(tailscale.mode)} runs Serve inside the gateway container; use "off" and let the Tailscale sidecar serve it`,
    );
  }

  const proxies = gateway.trustedProxies;
  if (proxies !== undefined) {
    for (const [i, entry] of arr(proxies).entries()) {
      const parsed = typeof entry === 'string' ? parseCidr(entry) : undefined;
      if (!parsed) {
        add(
          `trustedProxies[${i}]`,
          `gateway.trustedProxies entry ${show(entry)} is not an IP address or CIDR block; list the proxy's address, such as "172.30.0.2/32"`,
        );
      } else if (
        !isSingleHost(parsed) &&
        !(allowances.broadTrustedProxies ?? []).includes(String(entry))
      ) {
        add(
          `trustedProxies[${i}]`,
          `gateway.trustedProxies entry "${String(entry)}" trusts forwarded headers from a whole block; list exactly the proxy in front of the gateway, such as "${parsed.address}/${parsed.family === 4 ? 32 : 128}" (or set dangerouslyAllowBroadTrustedProxies with a reason)`,
        );
      }
    }
  }
  if (gateway.allowRealIpFallback === true) {
    add(
      'allowRealIpFallback',
      'gateway.allowRealIpFallback trusts X-Real-IP; set it to false and rely on X-Forwarded-For from trustedProxies',
    );
  }

  const controlUi = obj(gateway.controlUi);
  const origins = arr(controlUi.allowedOrigins);
  if (controlUi.enabled !== false && !loopback && origins.length === 0) {
    add(
      'controlUi.allowedOrigins',
      'gateway.controlUi is enabled on a non-loopback gateway without allowedOrigins; list the agent\'s tailnet origin, such as "https://agent.tail1234.ts.net", or disable the Control UI',
    );
  }
  for (const [i, origin] of origins.entries()) {
    const problem = originProblem(origin);
    if (problem) add(`controlUi.allowedOrigins[${i}]`, problem);
  }
  if (obj(gateway.terminal).enabled !== false) {
    add(
      'terminal.enabled',
      'gateway.terminal gives operators a host shell (on by default in OpenClaw); set terminal.enabled to false',
    );
  }
  if (arr(obj(gateway.tools).allow).length > 0) {
    add(
      'tools.allow',
      `gateway.tools.allow ${show(obj(gateway.tools).allow)} re-enables high-risk tools on HTTP POST /tools/invoke; remove it`,
    );
  }
  if (arr(obj(obj(gateway.nodes).commands).allow).length > 0) {
    add(
      'nodes.commands.allow',
      `gateway.nodes.commands.allow ${show(obj(obj(gateway.nodes).commands).allow)} lets paired nodes run commands such as system.run; remove it`,
    );
  }
  const pairing = obj(obj(gateway.nodes).pairing);
  if (pairing.autoApproveLocal !== false) {
    add(
      'nodes.pairing.autoApproveLocal',
      'gateway.nodes.pairing.autoApproveLocal approves devices that appear local, which a proxy makes everyone; set it to false',
    );
  }
}

/** Returns why an origin is not acceptable, or undefined when it is. */
export function originProblem(origin: unknown): string | undefined {
  if (typeof origin !== 'string') return `origin ${show(origin)} is not a string`;
  if (origin.includes('*')) {
    return `origin "${origin}" is a wildcard; list the exact origin, such as "https://agent.tail1234.ts.net"`;
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `origin "${origin}" is not a URL; write scheme and host, such as "https://agent.tail1234.ts.net"`;
  }
  if (url.origin !== origin.replace(/\/$/, '')) {
    return `origin "${origin}" has a path, query or credentials; write only scheme, host and port, such as "${url.origin}"`;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || isLoopbackAddress(host)) return undefined;
  if (url.protocol !== 'https:') {
    return `origin "${origin}" is plain HTTP beyond loopback; use the agent's HTTPS tailnet name, such as "https://agent.tail1234.ts.net"`;
  }
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.ts\.net$/i.test(host) || isPrivateAddress(host))
    return undefined;
  return `origin "${origin}" is a public origin; the gateway is reachable only over the tailnet, so list its tailnet name, such as "https://agent.tail1234.ts.net"`;
}

function checkDiscovery(doc: Json, problems: ConfigProblem[]): void {
  const mode = obj(obj(doc.discovery).mdns).mode;
  if (mode !== 'off') {
    problems.push({
      path: 'discovery.mdns.mode',
      message: `discovery.mdns.mode is ${show(mode)}; set "off" so the gateway does not announce its host, paths and ports on the local network`,
    });
  }
  if (obj(doc.discovery).wideArea !== undefined) {
    problems.push({
      path: 'discovery.wideArea',
      message: 'discovery.wideArea publishes the gateway in DNS-SD; remove it',
    });
  }
}

/** What `tools.exec.mode` means, per OpenClaw's mode table (tools/exec.md). */
const EXEC_MODES: Record<string, { security: string; ask: string }> = {
  deny: { security: 'deny', ask: 'off' },
  allowlist: { security: 'allowlist', ask: 'off' },
  ask: { security: 'allowlist', ask: 'on-miss' },
  auto: { security: 'allowlist', ask: 'reviewer' },
  full: { security: 'full', ask: 'off' },
};

/**
 * Checks one tools scope. The top level must carry the whole baseline; a per-agent scope may
 * only restrict, so anything it sets must itself be hardened.
 */
function checkTools(
  tools: Json,
  scope: string,
  topLevel: boolean,
  problems: ConfigProblem[],
): void {
  const add = (path: string, message: string) =>
    problems.push({ path: `${scope}.${path}`, message });
  if (
    topLevel ? tools.profile === undefined || tools.profile === 'full' : tools.profile === 'full'
  ) {
    add(
      'profile',
      `${scope}.profile is ${show(tools.profile)}, which allows every tool; use "minimal" and allow what the agent needs`,
    );
  }
  for (const key of ['allow', 'alsoAllow']) {
    const list = arr(tools[key]);
    if (list.includes('*'))
      add(
        key,
        `${scope}.${key} contains "*", which allows every tool; list the tools the agent needs`,
      );
    const baseline = list.filter((t) => BASELINE_DENIED_TOOLS.includes(String(t)));
    if (baseline.length > 0)
      add(
        key,
        `${scope}.${key} allows ${show(baseline)}, which the hardened baseline denies; remove them`,
      );
  }
  const exec = obj(tools.exec);
  const execSet = Object.keys(exec).length > 0;
  if (topLevel || execSet) {
    const fromMode = typeof exec.mode === 'string' ? EXEC_MODES[exec.mode] : undefined;
    const security = exec.security ?? fromMode?.security ?? (topLevel ? 'full' : undefined);
    const ask = exec.ask ?? fromMode?.ask;
    if (
      security === 'full' ||
      exec.mode === 'auto' ||
      (exec.mode !== undefined && fromMode === undefined)
    ) {
      add(
        'exec',
        `${scope}.exec runs commands without an allowlist and human approval (security ${show(exec.security)}, mode ${show(exec.mode)}); use security "allowlist" with ask "always", or mode "deny"`,
      );
    } else if (security === 'allowlist') {
      if (ask !== 'always' && ask !== 'on-miss') {
        add(
          'exec.ask',
          `${scope}.exec runs allowlisted commands with ask ${show(ask)}; require human approval with ask "always"`,
        );
      }
      if (exec.strictInlineEval !== true) {
        add(
          'exec.strictInlineEval',
          `${scope}.exec.strictInlineEval must be true so \`python -c\`-style inline code always needs approval`,
        );
      }
    }
    for (const key of ['safeBins', 'safeBinTrustedDirs', 'pathPrepend']) {
      if (arr(exec[key]).length > 0) {
        add(
          `exec.${key}`,
          `${scope}.exec.${key} ${show(exec[key])} lets commands run without matching the allowlist or from other directories; remove it`,
        );
      }
    }
    if (obj(exec.applyPatch).workspaceOnly === false) {
      add(
        'exec.applyPatch.workspaceOnly',
        `${scope}.exec.applyPatch.workspaceOnly false lets patches write outside the workspace; remove it`,
      );
    }
  }
  if (topLevel) {
    const deny = arr(tools.deny).map(String);
    const missing = BASELINE_DENIED_TOOLS.filter((t) => !deny.includes(t));
    const exec0 = obj(tools.exec);
    const shellOff = exec0.mode === 'deny' || exec0.security === 'deny';
    if (shellOff && !deny.includes('group:runtime')) missing.push('group:runtime');
    if (missing.length > 0) {
      add(
        'deny',
        `${scope}.deny lacks ${show(missing)} from the hardened baseline; keep every baseline deny (add to the list, never replace it)`,
      );
    }
  }
  if (topLevel ? obj(tools.elevated).enabled !== false : obj(tools.elevated).enabled === true) {
    add(
      'elevated.enabled',
      `${scope}.elevated lets a session escape onto the host; set elevated.enabled to false`,
    );
  }
  if (topLevel ? obj(tools.fs).workspaceOnly !== true : obj(tools.fs).workspaceOnly === false) {
    add(
      'fs.workspaceOnly',
      `${scope}.fs.workspaceOnly must be true so file tools stay inside the workspace`,
    );
  }
  if (
    topLevel ? obj(tools.agentToAgent).enabled !== false : obj(tools.agentToAgent).enabled === true
  ) {
    add(
      'agentToAgent.enabled',
      `${scope}.agentToAgent lets agents message each other across risk profiles; set enabled to false`,
    );
  }
  if (
    Object.keys(obj(tools.toolsBySender)).length > 0 ||
    Object.keys(obj(tools.byProvider)).length > 0
  ) {
    add(
      'toolsBySender',
      `${scope}.toolsBySender and byProvider can widen the tool policy per sender or model; express the policy once, in ${scope}`,
    );
  }
}

/** OpenClaw's own Docker sandbox, if configured: same mount and profile rules as our containers. */
function checkSandbox(doc: Json, problems: ConfigProblem[]): void {
  const scopes: [string, Json][] = [
    ['agents.defaults.sandbox', obj(obj(obj(doc.agents).defaults).sandbox)],
  ];
  for (const [id, entry] of Object.entries(obj(obj(doc.agents).entries))) {
    scopes.push([`agents.entries.${id}.sandbox`, obj(obj(entry).sandbox)]);
  }
  for (const [scope, sandbox] of scopes) {
    const docker = obj(sandbox.docker);
    for (const [i, bind] of arr(docker.binds).entries()) {
      const [hostPath = '', containerPath = '/'] = String(bind).split(':');
      const problem = bindMountProblem({ hostPath, containerPath });
      if (problem)
        problems.push({
          path: `${scope}.docker.binds[${i}]`,
          message: `${scope}.docker.binds: ${problem}`,
        });
    }
    if (docker.network === 'host' || String(docker.network ?? '').startsWith('container:')) {
      problems.push({
        path: `${scope}.docker.network`,
        message: `${scope}.docker.network ${show(docker.network)} shares another network namespace; use "none"`,
      });
    }
    for (const key of ['seccompProfile', 'apparmorProfile']) {
      if (docker[key] === 'unconfined') {
        problems.push({
          path: `${scope}.docker.${key}`,
          message: `${scope}.docker.${key} "unconfined" turns the profile off; remove it`,
        });
      }
    }
  }
}

function checkChannels(doc: Json, problems: ConfigProblem[]): void {
  for (const [id, raw] of Object.entries(obj(doc.channels))) {
    const channel = obj(raw);
    for (const key of ['dmPolicy', 'groupPolicy']) {
      if (channel[key] === 'open') {
        problems.push({
          path: `channels.${id}.${key}`,
          message: `channels.${id}.${key} "open" lets anyone reach the agent; use "pairing" or "allowlist"`,
        });
      }
    }
    for (const key of ['allowFrom', 'groupAllowFrom']) {
      if (arr(channel[key]).includes('*')) {
        problems.push({
          path: `channels.${id}.${key}`,
          message: `channels.${id}.${key} contains "*"; list the senders allowed to reach the agent`,
        });
      }
    }
  }
}

function checkMcp(servers: Json, scope: string, problems: ConfigProblem[]): void {
  for (const [name, raw] of Object.entries(servers)) {
    const server = obj(raw);
    const path = `${scope}.${name}`;
    if (server.command !== undefined) {
      problems.push({
        path: `${path}.command`,
        message: `MCP server "${name}" runs ${show(server.command)} inside the gateway container, with the gateway's permissions and state; run it in its own container (OpenClawAgent mcpServers, or McpServerContainer) and give the gateway its url`,
      });
      continue;
    }
    const problem = typeof server.url === 'string' ? mcpUrlProblem(server.url) : 'is missing';
    if (problem) {
      problems.push({
        path: `${path}.url`,
        message: `MCP server "${name}" url ${show(server.url)} ${problem}; run the server in its own container of the cell and give its http://<private address> url`,
      });
    } else if (server.transport !== 'streamable-http') {
      problems.push({
        path: `${path}.transport`,
        message: `MCP server "${name}" uses transport ${show(server.transport)}; a server container speaks "streamable-http"`,
      });
    }
  }
}

/**
 * Why `url` is not an MCP server container of the cell: it must be plain http to a private IPv4
 * address (a cell-internal network), so the server is one the deployment builds and pins.
 */
export function mcpUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'http:' || parsed.username || parsed.password || parsed.search)
    return 'is not a plain http URL of a cell-internal container';
  const host = parsed.hostname;
  if (isIpv4(host) && isLoopbackAddress(host))
    return "is on the gateway's own loopback, so the server would run inside the gateway container";
  // RFC 1918 only: not link-local (the metadata service), not CGNAT (the tailnet)
  if (!isIpv4(host) || !/^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/.test(host))
    return 'is not on a private IPv4 address, so it is a remote server whose version cannot be pinned';
  return undefined;
}

function checkPlugins(doc: Json, problems: ConfigProblem[]): void {
  const plugins = obj(doc.plugins);
  if (arr(obj(plugins.load).paths).length > 0) {
    problems.push({
      path: 'plugins.load.paths',
      message: `plugins.load.paths ${show(obj(plugins.load).paths)} loads unpinned plugin code from disk; install plugins as exact npm pins instead`,
    });
  }
  if (plugins.enabled === false) return;
  if (arr(plugins.allow).length === 0) {
    problems.push({
      path: 'plugins.allow',
      message:
        'plugins.allow is empty, so any discovered plugin may load; list the plugins the agent needs, or set plugins.enabled to false',
    });
  }
}

function checkMisc(doc: Json, problems: ConfigProblem[]): void {
  if (obj(obj(doc.logging).audit).enabled !== true) {
    problems.push({
      path: 'logging.audit.enabled',
      message: 'logging.audit must be enabled so every tool action is recorded',
    });
  }
  const update = obj(doc.update);
  if (obj(update.auto).enabled !== false || update.checkOnStart !== false) {
    problems.push({
      path: 'update',
      message:
        'self-update must be off (update.auto.enabled false, update.checkOnStart false): the image is pinned and upgraded by changing the pin',
    });
  }
  if (obj(doc.browser).enabled !== false) {
    problems.push({
      path: 'browser.enabled',
      message: 'browser control is on; set browser.enabled to false unless a profile needs it',
    });
  }
  const hooks = obj(doc.hooks);
  if (
    hooks.enabled === true &&
    (hooks.path === undefined || hooks.path === '/' || hooks.path === '')
  ) {
    problems.push({
      path: 'hooks.path',
      message: `hooks.path ${show(hooks.path)} exposes webhooks at the root; use a dedicated path such as "/hooks"`,
    });
  }
  const commands = obj(doc.commands);
  for (const key of ['bash', 'config', 'debug', 'mcp', 'plugins']) {
    if (commands[key] === true) {
      problems.push({
        path: `commands.${key}`,
        message: `commands.${key} lets chat messages ${key === 'bash' ? 'run shell commands' : `change ${key}`}; set it to false`,
      });
    }
  }
  if (arr(obj(obj(doc.security).audit).suppressions).length > 0) {
    problems.push({
      path: 'security.audit.suppressions',
      message:
        "security.audit.suppressions hides findings of OpenClaw's own security audit; fix the findings, or suppress checklist rules with a reason in cdktf-openclaw",
    });
  }
  const gmailTailscale = obj(obj(obj(doc.hooks).gmail).tailscale);
  if (gmailTailscale.mode === 'funnel') {
    problems.push({
      path: 'hooks.gmail.tailscale.mode',
      message:
        'hooks.gmail.tailscale.mode "funnel" publishes a webhook to the public internet; use "serve" or "off"',
    });
  }
}

function findLiteralSecrets(value: unknown, path: string, problems: ConfigProblem[]): void {
  if (isSecretRef(value)) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => findLiteralSecrets(v, `${path}[${i}]`, problems));
    return;
  }
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (
        typeof child === 'string' &&
        child.length > 0 &&
        SECRET_KEY.test(key) &&
        !ENV_REFERENCE.test(child) &&
        !(/^(clientKey|clientCert|keyPath|certPath|caPath)$/.test(key) && child.startsWith('/'))
      ) {
        problems.push({
          path: childPath,
          message: `${childPath} holds a literal secret (value not shown); reference it instead, with a SecretRef such as OpenClawSecret.fromFile("/run/secrets/openclaw/${key.toLowerCase()}") or a "\${ENV_VAR}" reference`,
        });
        continue;
      }
      findLiteralSecrets(child, childPath, problems);
    }
    return;
  }
  if (typeof value === 'string') {
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s@]*:[^/\s@]*@/i.test(value)) {
      problems.push({
        path,
        message: `${path || 'the config'} is a URL with a user name and password in it (value not shown); keep credentials out of URLs and reference them`,
      });
      return;
    }
    for (const [pattern, kind] of SECRET_VALUE) {
      if (pattern.test(value)) {
        problems.push({
          path,
          message: `${path || 'the config'} contains what looks like ${kind} (value not shown); never put credentials in the config: keep them in Secrets Manager and reference them`,
        });
        return;
      }
    }
  }
}

function findDangerousFlags(value: unknown, path: string, problems: ConfigProblem[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findDangerousFlags(v, `${path}[${i}]`, problems));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (
      child === true &&
      (/^dangerously/.test(key) ||
        key === 'allowUnsafeExternalContent' ||
        key === 'allowInsecureAuth' ||
        key === 'allowExternalEmbedUrls')
    ) {
      problems.push({
        path: childPath,
        message: `${childPath} is true, which turns off a safety check; remove it`,
      });
    }
    findDangerousFlags(child, childPath, problems);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function show(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}
