import { findConfigProblems, OpenClawSecret, renderOpenClawConfig } from '../../src';

const token = OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token');
const cellProps = {
  gatewayToken: token,
  bindAddress: '172.30.0.10',
  trustedProxies: ['172.30.0.2/32'],
  controlUiOrigins: ['https://agent.tail1234.ts.net'],
};
const hardened = renderOpenClawConfig(cellProps).document;

/** The error from rendering the cell config with `overrides` merged over it. */
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
    expect(findConfigProblems(doc, { broadTrustedProxies: true })).toEqual([]);
  });

  test('environment references are not literal secrets', () => {
    const doc = { ...hardened, hooks: { enabled: false, token: '${OPENCLAW_HOOKS_TOKEN}' } };
    expect(findConfigProblems(doc)).toEqual([]);
  });
});

describe('overrides cannot weaken the baseline', () => {
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
      'tools.exec.ask is "off"; require human approval',
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
      { mcp: { servers: { docs: { url: 'https://mcp.example.com' } } } },
      'MCP server "docs" is remote ("https://mcp.example.com"), so its version cannot be pinned',
    ],
    [
      'an npx MCP server without a version',
      {
        mcp: {
          servers: {
            fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem'] },
          },
        },
      },
      'MCP server "fs" runs "@modelcontextprotocol/server-filesystem" with npx, which is not an exact version; pin it, such as "@modelcontextprotocol/server-filesystem@1.2.3"',
    ],
    [
      'an MCP server of unknown version',
      { mcp: { servers: { local: { command: '/usr/local/bin/mcp' } } } },
      'MCP server "local" runs "/usr/local/bin/mcp", whose version cannot be checked',
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
  ])('%s', (_name, overrides, message) => {
    expect(overrideError(overrides)).toContain(message);
  });

  test('overrides that do not weaken anything are merged', () => {
    const doc = renderOpenClawConfig({
      ...cellProps,
      overrides: { session: { dmScope: 'per-peer' }, gateway: { port: 18790 } },
    }).document;
    expect(doc.session).toEqual({ dmScope: 'per-peer' });
    expect((doc.gateway as Record<string, unknown>).port).toBe(18790);
    expect((doc.gateway as Record<string, unknown>).bind).toBe('custom');
  });
});
