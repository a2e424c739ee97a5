import { findConfigProblems, OpenClawSecret, renderOpenClawConfig } from '../../src';

const token = OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token');
const cellProps = {
  gatewayToken: token,
  bindAddress: '172.30.0.10',
  trustedProxies: ['172.30.0.2/32'],
  controlUiOrigins: ['https://agent.tail1234.ts.net'],
};
const hardened = renderOpenClawConfig(cellProps).document;

/** Replaces keys of `base` with those of `patch` (objects merge, anything else replaces). */
function patch(
  base: Record<string, unknown>,
  change: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    const current = out[key];
    const bothObjects = [current, value].every(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    out[key] = bothObjects
      ? patch(current as Record<string, unknown>, value as Record<string, unknown>)
      : value;
  }
  return out;
}

/** The problems found after changing the hardened document, one message per line. */
function problemsAfter(change: Record<string, unknown>): string {
  return findConfigProblems(patch(hardened, change))
    .map((p) => p.message)
    .join('\n');
}

/** The error from rendering the cell config with `overrides` added. */
function overrideError(overrides: Record<string, unknown>): string {
  try {
    renderOpenClawConfig({ ...cellProps, overrides });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected overrides ${JSON.stringify(overrides)} to be rejected`);
}

describe('findConfigProblems', () => {
  test('a rendered hardened document has no problem', () => {
    expect(findConfigProblems(hardened)).toEqual([]);
    expect(findConfigProblems(renderOpenClawConfig({ gatewayToken: token }).document)).toEqual([]);
  });

  test('something that is not an object', () => {
    expect(findConfigProblems([])).toEqual([
      { path: '', message: 'the OpenClaw config must be a JSON object' },
    ]);
  });

  test('an empty document fails on every baseline item', () => {
    const paths = findConfigProblems({}).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'gateway.mode',
        'gateway.auth.mode',
        'gateway.auth.rateLimit',
        'gateway.terminal.enabled',
        'gateway.nodes.pairing.autoApproveLocal',
        'discovery.mdns.mode',
        'tools.profile',
        'tools.exec',
        'tools.elevated.enabled',
        'tools.fs.workspaceOnly',
        'tools.agentToAgent.enabled',
        'plugins.allow',
        'logging.audit.enabled',
        'update',
        'browser.enabled',
      ]),
    );
  });

  test('broad trusted proxies pass only when allowed', () => {
    const doc = {
      ...hardened,
      gateway: { ...(hardened.gateway as object), trustedProxies: ['172.30.0.0/24'] },
    };
    expect(findConfigProblems(doc).map((p) => p.path)).toEqual(['gateway.trustedProxies[0]']);
    expect(findConfigProblems(doc, { broadTrustedProxies: ['172.30.0.0/24'] })).toEqual([]);
    expect(
      findConfigProblems(doc, { broadTrustedProxies: ['172.30.0.0/28'] }).map((p) => p.path),
    ).toEqual(['gateway.trustedProxies[0]']);
  });

  test('environment references are not literal secrets', () => {
    const doc = { ...hardened, hooks: { enabled: false, token: '${OPENCLAW_HOOKS_TOKEN}' } };
    expect(findConfigProblems(doc)).toEqual([]);
  });
});

describe('a hand-written or changed document that weakens the baseline', () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      'auth off',
      { gateway: { auth: { mode: 'none' } } },
      'gateway.auth.mode is "none"; use "token" with a SecretRef token (a gateway beyond loopback without auth is open to its whole network)',
    ],
    [
      'trusted-proxy auth',
      { gateway: { auth: { mode: 'trusted-proxy' } } },
      'gateway.auth.mode is "trusted-proxy"; use "token"',
    ],
    [
      'a literal token',
      { gateway: { auth: { token: 'abcdefghijklmnop1234' } } },
      'gateway.auth.token holds a literal secret (value not shown)',
    ],
    [
      'a password auth with no password',
      { gateway: { auth: { mode: 'password' } } },
      'gateway.auth.password is missing; reference the secret with a SecretRef',
    ],
    [
      'Tailscale identity instead of the token',
      { gateway: { auth: { allowTailscale: true } } },
      'gateway.auth.allowTailscale lets Tailscale identity headers stand in for the token',
    ],
    [
      'a useless rate limit',
      { gateway: { auth: { rateLimit: { maxAttempts: 5000 } } } },
      'gateway.auth.rateLimit.maxAttempts is 5000, too many to slow a token guesser',
    ],
    [
      'gateway mode remote',
      { gateway: { mode: 'remote' } },
      'gateway.mode is "remote"; set "local"',
    ],
    [
      'bind lan',
      { gateway: { bind: 'lan' } },
      'gateway.bind "lan" listens beyond the one address the topology needs',
    ],
    ['bind tailnet', { gateway: { bind: 'tailnet' } }, 'gateway.bind "tailnet" listens beyond'],
    [
      'custom bind on 0.0.0.0',
      { gateway: { customBindHost: '0.0.0.0' } },
      'gateway.customBindHost "0.0.0.0" is not one IPv4 interface address',
    ],
    [
      'custom bind on a public address',
      { gateway: { customBindHost: '3.3.3.3' } },
      'gateway.customBindHost "3.3.3.3" is a public address',
    ],
    [
      'Funnel',
      { gateway: { tailscale: { mode: 'funnel' } } },
      'gateway.tailscale.mode "funnel" publishes the gateway to the public internet; use "off" and reach it over the tailnet through the Serve sidecar',
    ],
    [
      'managed Serve',
      { gateway: { tailscale: { mode: 'serve' } } },
      'gateway.tailscale.mode "serve" runs Serve inside the gateway container',
    ],
    [
      'Gmail push over Funnel',
      { hooks: { gmail: { tailscale: { mode: 'funnel' } } } },
      'hooks.gmail.tailscale.mode "funnel" publishes a webhook to the public internet',
    ],
    [
      'trusting everyone as a proxy',
      { gateway: { trustedProxies: ['0.0.0.0/0'] } },
      'gateway.trustedProxies entry "0.0.0.0/0" trusts forwarded headers from a whole block',
    ],
    [
      'X-Real-IP fallback',
      { gateway: { allowRealIpFallback: true } },
      'gateway.allowRealIpFallback trusts X-Real-IP',
    ],
    [
      'a wildcard origin',
      { gateway: { controlUi: { allowedOrigins: ['*'] } } },
      'origin "*" is a wildcard',
    ],
    [
      'Control UI beyond loopback without origins',
      { gateway: { controlUi: { allowedOrigins: [] } } },
      'gateway.controlUi is enabled on a non-loopback gateway without allowedOrigins',
    ],
    [
      'a dangerously flag',
      { gateway: { controlUi: { dangerouslyAllowHostHeaderOriginFallback: true } } },
      'gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback is true, which turns off a safety check; remove it',
    ],
    [
      'external embeds',
      { gateway: { controlUi: { allowExternalEmbedUrls: true } } },
      'gateway.controlUi.allowExternalEmbedUrls is true',
    ],
    [
      'unsafe external content',
      { hooks: { gmail: { allowUnsafeExternalContent: true } } },
      'hooks.gmail.allowUnsafeExternalContent is true',
    ],
    [
      'the terminal',
      { gateway: { terminal: { enabled: true } } },
      'gateway.terminal gives operators a host shell',
    ],
    [
      'local device auto-approval',
      { gateway: { nodes: { pairing: { autoApproveLocal: true } } } },
      'gateway.nodes.pairing.autoApproveLocal approves devices that appear local',
    ],
    [
      'mDNS minimal',
      { discovery: { mdns: { mode: 'minimal' } } },
      'discovery.mdns.mode is "minimal"; set "off"',
    ],
    [
      'wide-area discovery',
      { discovery: { wideArea: { domain: 'example.com' } } },
      'discovery.wideArea publishes the gateway in DNS-SD',
    ],
    [
      'the full tools profile',
      { tools: { profile: 'full' } },
      'tools.profile is "full", which allows every tool',
    ],
    [
      'exec without an allowlist',
      { tools: { exec: { security: 'full' } } },
      'tools.exec runs commands without an allowlist',
    ],
    [
      'exec auto-review',
      { tools: { exec: { mode: 'auto' } } },
      'tools.exec runs commands without an allowlist',
    ],
    [
      'exec allowlist without approval',
      { tools: { exec: { security: 'allowlist', ask: 'off', strictInlineEval: true } } },
      'tools.exec runs allowlisted commands with ask "off"; require human approval with ask "always"',
    ],
    [
      'inline eval not gated',
      { tools: { exec: { security: 'allowlist', ask: 'always' } } },
      'tools.exec.strictInlineEval must be true',
    ],
    [
      'patches outside the workspace',
      { tools: { exec: { applyPatch: { workspaceOnly: false } } } },
      'tools.exec.applyPatch.workspaceOnly false lets patches write outside the workspace',
    ],
    [
      'elevated',
      { tools: { elevated: { enabled: true } } },
      'tools.elevated lets a session escape onto the host',
    ],
    [
      'file tools anywhere',
      { tools: { fs: { workspaceOnly: false } } },
      'tools.fs.workspaceOnly must be true',
    ],
    [
      'agent-to-agent',
      { tools: { agentToAgent: { enabled: true } } },
      'tools.agentToAgent lets agents message each other',
    ],
    [
      'a remote MCP server',
      {
        mcp: {
          servers: { docs: { url: 'https://mcp.example.com', transport: 'streamable-http' } },
        },
      },
      'MCP server "docs" url "https://mcp.example.com" is not a plain http URL of a cell-internal container; run the server in its own container of the cell',
    ],
    [
      'an MCP server started by the gateway (npx, even pinned)',
      { mcp: { servers: { fs: { command: 'npx', args: ['--yes', 'a@1.0.0'] } } } },
      'MCP server "fs" runs "npx" inside the gateway container, with the gateway\'s permissions and state; run it in its own container (OpenClawAgent mcpServers, or McpServerContainer) and give the gateway its url',
    ],
    [
      'an MCP server on the gateway loopback',
      {
        mcp: { servers: { l: { url: 'http://127.0.0.1:8808/mcp', transport: 'streamable-http' } } },
      },
      "is on the gateway's own loopback, so the server would run inside the gateway container",
    ],
    [
      'an MCP server container over sse',
      { mcp: { servers: { s: { url: 'http://172.28.0.3:8808/mcp', transport: 'sse' } } } },
      'MCP server "s" uses transport "sse"; a server container speaks "streamable-http"',
    ],
    [
      'any plugin may load',
      { plugins: { enabled: true, allow: [] } },
      'plugins.allow is empty, so any discovered plugin may load',
    ],
    ['audit log off', { logging: { audit: { enabled: false } } }, 'logging.audit must be enabled'],
    ['self-update', { update: { auto: { enabled: true } } }, 'self-update must be off'],
    ['browser control', { browser: { enabled: true } }, 'browser control is on'],
    [
      'a provider key in the config',
      {
        models: {
          providers: {
            anthropic: {
              baseUrl: 'https://api.anthropic.com',
              api: 'anthropic-messages',
              apiKey: 'x',
              models: [],
            },
          },
        },
      },
      'models.providers.anthropic.apiKey holds a literal secret (value not shown)',
    ],
    [
      'an Authorization header',
      {
        models: {
          providers: { openai: { baseUrl: 'http://b', headers: { Authorization: 'Bearer abc' } } },
        },
      },
      'models.providers.openai.headers.Authorization holds a literal secret',
    ],
    [
      'an Anthropic key under any key',
      { agents: { defaults: { workspace: 'sk-ant-api03-abcdefghijklmnop' } } },
      'agents.defaults.workspace contains what looks like an Anthropic API key (value not shown)',
    ],
    [
      'an AWS key id',
      { env: { vars: { NOTE: 'AKIAABCDEFGHIJKLMNOP' } } },
      'env.vars.NOTE contains what looks like an AWS access key id',
    ],
    [
      'a private key',
      { skills: { entries: { x: { config: { pem: '-----BEGIN RSA PRIVATE KEY-----\nMII' } } } } },
      'skills.entries.x.config.pem contains what looks like a private key',
    ],
    [
      'a GitHub token in an array',
      { channels: { x: { allowFrom: ['ghp_abcdefghijklmnopqrstuvwxyz0123'] } } },
      'channels.x.allowFrom[0] contains what looks like a GitHub token',
    ],
    [
      'an unknown bind mode',
      { gateway: { bind: 'everywhere' } },
      'gateway.bind "everywhere" is not a known bind mode; use "loopback" or "custom"',
    ],
    [
      'a trusted proxy that is not an address',
      { gateway: { trustedProxies: ['sidecar'] } },
      'gateway.trustedProxies entry "sidecar" is not an IP address or CIDR block; list the proxy\'s address, such as "172.30.0.2/32"',
    ],
    [
      'an origin that is not a URL',
      { gateway: { controlUi: { allowedOrigins: ['agent'] } } },
      'origin "agent" is not a URL; write scheme and host, such as "https://agent.tail1234.ts.net"',
    ],
    [
      'an origin that is not a string',
      { gateway: { controlUi: { allowedOrigins: [42] } } },
      'origin 42 is not a string',
    ],
  ])('%s', (_name, change, message) => {
    expect(problemsAfter(change)).toContain(message);
  });
});

describe('more ways a document can weaken the baseline', () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      'per-agent exec without approval',
      { agents: { entries: { main: { tools: { exec: { mode: 'full' } } } } } },
      'agents.entries.main.tools.exec runs commands without an allowlist and human approval',
    ],
    [
      'per-agent full profile',
      { agents: { entries: { main: { tools: { profile: 'full' } } } } },
      'agents.entries.main.tools.profile is "full"',
    ],
    [
      'per-agent elevated',
      { agents: { entries: { main: { tools: { elevated: { enabled: true } } } } } },
      'agents.entries.main.tools.elevated lets a session escape onto the host',
    ],
    [
      'per-agent files anywhere',
      { agents: { entries: { main: { tools: { fs: { workspaceOnly: false } } } } } },
      'agents.entries.main.tools.fs.workspaceOnly must be true',
    ],
    [
      'policy per sender',
      { tools: { toolsBySender: { '*': { allow: ['exec'] } } } },
      'tools.toolsBySender and byProvider can widen the tool policy',
    ],
    [
      'exec mode allowlist (no approval)',
      { tools: { exec: { mode: 'allowlist', strictInlineEval: true } } },
      'tools.exec runs allowlisted commands with ask "off"',
    ],
    [
      'safe bins',
      { tools: { exec: { mode: 'deny', safeBins: ['bash'] } } },
      'tools.exec.safeBins ["bash"] lets commands run without matching the allowlist',
    ],
    [
      'path prepend',
      { tools: { exec: { mode: 'deny', pathPrepend: ['/tmp'] } } },
      'tools.exec.pathPrepend ["/tmp"]',
    ],
    [
      'a baseline deny removed',
      { tools: { deny: ['group:runtime'] } },
      'tools.deny lacks ["group:automation","sessions_spawn","sessions_send","gateway","cron"] from the hardened baseline',
    ],
    [
      'exec denied but runtime tools not',
      {
        tools: { deny: ['group:automation', 'sessions_spawn', 'sessions_send', 'gateway', 'cron'] },
      },
      'tools.deny lacks ["group:runtime"]',
    ],
    [
      'a baseline tool allowed back',
      { tools: { alsoAllow: ['gateway'] } },
      'tools.alsoAllow allows ["gateway"], which the hardened baseline denies',
    ],
    [
      'every tool allowed',
      { tools: { allow: ['*'] } },
      'tools.allow contains "*", which allows every tool',
    ],
    [
      'high-risk tools over HTTP',
      { gateway: { tools: { allow: ['sessions_spawn'] } } },
      'gateway.tools.allow ["sessions_spawn"] re-enables high-risk tools on HTTP POST /tools/invoke',
    ],
    [
      'node commands',
      { gateway: { nodes: { commands: { allow: ['system.run'] } } } },
      'gateway.nodes.commands.allow ["system.run"] lets paired nodes run commands',
    ],
    [
      'a one-millisecond window',
      { gateway: { auth: { rateLimit: { windowMs: 1 } } } },
      'gateway.auth.rateLimit.windowMs is 1; use at least 1000',
    ],
    [
      'no lockout',
      { gateway: { auth: { rateLimit: { lockoutMs: 0 } } } },
      'gateway.auth.rateLimit.lockoutMs is 0',
    ],
    [
      'loopback exempt from the rate limit',
      { gateway: { auth: { rateLimit: { exemptLoopback: true } } } },
      'gateway.auth.rateLimit.exemptLoopback exempts loopback clients',
    ],
    [
      'a node-host MCP server started by the gateway',
      { nodeHost: { mcp: { servers: { y: { command: 'npx', args: ['evil@latest'] } } } } },
      'MCP server "y" runs "npx" inside the gateway container',
    ],
    [
      'a remote node-host MCP server',
      { nodeHost: { mcp: { servers: { z: { url: 'https://mcp.example.com' } } } } },
      'MCP server "z" url "https://mcp.example.com" is not a plain http URL',
    ],
    [
      'plugins from disk',
      { plugins: { load: { paths: ['/srv/plugins'] } } },
      'plugins.load.paths ["/srv/plugins"] loads unpinned plugin code from disk',
    ],
    [
      'webhooks at the root',
      { hooks: { enabled: true, path: '/' } },
      'hooks.path "/" exposes webhooks at the root',
    ],
    [
      'sandbox mounting docker.sock',
      {
        agents: {
          defaults: {
            sandbox: { docker: { binds: ['/var/run/docker.sock:/var/run/docker.sock'] } },
          },
        },
      },
      'agents.defaults.sandbox.docker.binds: bind mount of "/var/run/docker.sock"',
    ],
    [
      'sandbox on the host network',
      { agents: { defaults: { sandbox: { docker: { network: 'host' } } } } },
      'agents.defaults.sandbox.docker.network "host" shares another network namespace',
    ],
    [
      'sandbox seccomp off',
      { agents: { entries: { main: { sandbox: { docker: { seccompProfile: 'unconfined' } } } } } },
      'agents.entries.main.sandbox.docker.seccompProfile "unconfined" turns the profile off',
    ],
    [
      'open DMs',
      { channels: { telegram: { dmPolicy: 'open', allowFrom: ['*'] } } },
      'channels.telegram.dmPolicy "open" lets anyone reach the agent',
    ],
    [
      'anyone allowed',
      { channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['*'] } } },
      'channels.telegram.allowFrom contains "*"',
    ],
    [
      'bash from chat',
      { commands: { bash: true } },
      'commands.bash lets chat messages run shell commands',
    ],
    [
      'audit suppressions',
      { security: { audit: { suppressions: [{ checkId: 'x', reason: 'y' }] } } },
      'security.audit.suppressions hides findings',
    ],
    [
      'an AWS secret key in MCP env',
      {
        mcp: {
          servers: {
            a: {
              command: 'npx',
              args: ['--yes', 'a@1.0.0'],
              env: { AWS_SECRET_ACCESS_KEY: 'abc' },
            },
          },
        },
      },
      'mcp.servers.a.env.AWS_SECRET_ACCESS_KEY holds a literal secret',
    ],
    [
      'a database URL with a password',
      {
        mcp: {
          servers: {
            a: {
              command: 'npx',
              args: ['--yes', 'a@1.0.0'],
              env: { DATABASE_URL: 'postgres://admin:S3cr3t@db:5432/x' },
            },
          },
        },
      },
      'mcp.servers.a.env.DATABASE_URL is a URL with a user name and password in it (value not shown)',
    ],
    [
      'a passphrase',
      {
        mcp: {
          servers: {
            a: { command: 'npx', args: ['--yes', 'a@1.0.0'], env: { GPG_PASSPHRASE: 'x' } },
          },
        },
      },
      'GPG_PASSPHRASE holds a literal secret',
    ],
    [
      'a personal access token',
      {
        mcp: {
          servers: { a: { command: 'npx', args: ['--yes', 'a@1.0.0'], env: { GITLAB_PAT: 'x' } } },
        },
      },
      'GITLAB_PAT holds a literal secret',
    ],
    [
      'a Stripe key',
      {
        mcp: {
          servers: {
            a: {
              command: 'npx',
              args: ['--yes', 'a@1.0.0'],
              env: { STRIPE: 'sk_live_abcdefghijklmnop' },
            },
          },
        },
      },
      'contains what looks like a Stripe key',
    ],
    [
      'a Hugging Face token',
      {
        mcp: {
          servers: {
            a: {
              command: 'npx',
              args: ['--yes', 'a@1.0.0'],
              env: { HF: 'hf_abcdefghijklmnopqrstuvwxyz0123456' },
            },
          },
        },
      },
      'contains what looks like a Hugging Face token',
    ],
    [
      'a password flag',
      {
        mcp: {
          servers: {
            a: { command: 'npx', args: ['--yes', 'a@1.0.0', '--password=hunter2hunter2'] },
          },
        },
      },
      'mcp.servers.a.args[2] contains what looks like a credential passed as a command-line flag',
    ],
    [
      'a proxy URL with credentials',
      { proxy: { proxyUrl: 'http://user:pass@proxy:3128' } },
      'proxy.proxyUrl is a URL with a user name and password in it',
    ],
  ])('%s', (_name, change, message) => {
    expect(problemsAfter(change)).toContain(message);
    // and the message never repeats a secret value
    for (const secret of ['S3cr3t', 'hunter2hunter2', 'sk_live_abcdefghijklmnop', 'user:pass']) {
      expect(problemsAfter(change)).not.toContain(secret);
    }
  });

  test('references are not literal secrets: ${VAR}, "Bearer ${VAR}" and key file paths', () => {
    expect(
      problemsAfter({
        mcp: {
          servers: {
            a: {
              url: 'http://172.28.0.3:8808/mcp',
              transport: 'streamable-http',
              headers: { Authorization: 'Bearer ${GITHUB_TOKEN}', 'x-api-key': '${API_KEY}' },
              clientKey: '/run/secrets/mcp/client.key',
            },
          },
        },
      }),
    ).toBe('');
  });
});

describe('overrides may only add keys', () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      'removing the baseline denies',
      { tools: { deny: [] } },
      'overrides may only add keys; tools.deny is managed by cdktf-openclaw',
    ],
    [
      'moving the port',
      { gateway: { port: 18790 } },
      'overrides may only add keys; gateway.port is managed by cdktf-openclaw (18789), change it through the typed props',
    ],
    [
      'trusting everyone',
      { gateway: { trustedProxies: ['0.0.0.0/0'] } },
      'gateway.trustedProxies is managed by cdktf-openclaw',
    ],
    [
      'turning auth off',
      { gateway: { auth: { mode: 'none' } } },
      'gateway.auth.mode is managed by cdktf-openclaw ("token")',
    ],
    [
      'mDNS back on',
      { discovery: { mdns: { mode: 'full' } } },
      'discovery.mdns.mode is managed by cdktf-openclaw ("off")',
    ],
    [
      'turning plugins on',
      { plugins: { enabled: true } },
      'plugins.enabled is managed by cdktf-openclaw (false)',
    ],
  ])('%s is refused', (_name, overrides, message) => {
    expect(overrideError(overrides)).toContain(message);
  });

  test('an added key that weakens the baseline is still caught', () => {
    expect(
      overrideError({ agents: { entries: { main: { tools: { exec: { mode: 'full' } } } } } }),
    ).toContain(
      'agents.entries.main.tools.exec runs commands without an allowlist and human approval',
    );
  });

  test('an added key that weakens nothing is kept', () => {
    const doc = renderOpenClawConfig({
      ...cellProps,
      overrides: { session: { reset: { mode: 'daily', atHour: 4 } } },
    }).document;
    expect(doc.session).toEqual({
      dmScope: 'per-channel-peer',
      reset: { mode: 'daily', atHour: 4 },
    });
  });
});
