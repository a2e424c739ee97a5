import { OpenClawConfigProps, OpenClawSecret, renderOpenClawConfig } from '../../src';

const token = OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token');
const base: OpenClawConfigProps = { gatewayToken: token };
const cell: OpenClawConfigProps = {
  gatewayToken: token,
  bindAddress: '172.30.0.10',
  trustedProxies: ['172.30.0.2/32'],
  controlUiOrigins: ['https://agent.tail1234.ts.net'],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const render = (props: OpenClawConfigProps): Doc => renderOpenClawConfig(props).document;
const renderError = (props: OpenClawConfigProps): string => {
  try {
    renderOpenClawConfig(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the config to be rejected');
};

describe('hardened defaults (GIVEN only a gateway token)', () => {
  const doc: Doc = render(base);

  test('gateway.mode is local on port 18789, bound to loopback only', () => {
    expect(doc.gateway).toMatchObject({ mode: 'local', port: 18789, bind: 'loopback' });
    expect(doc.gateway.customBindHost).toBeUndefined();
  });

  test('token auth through a SecretRef, never a literal, and its provider is declared', () => {
    expect(doc.gateway.auth.mode).toBe('token');
    expect(doc.gateway.auth.token).toEqual({
      source: 'file',
      provider: 'gateway-token',
      id: 'value',
    });
    expect(doc.secrets.providers['gateway-token']).toEqual({
      source: 'file',
      path: '/run/secrets/openclaw/gateway-token',
      mode: 'singleValue',
    });
    expect(doc.gateway.auth.allowTailscale).toBe(false);
  });

  test('failed-auth rate limit 10 per minute, 5 minute lockout, loopback not exempt', () => {
    expect(doc.gateway.auth.rateLimit).toEqual({
      maxAttempts: 10,
      windowMs: 60000,
      lockoutMs: 300000,
      exemptLoopback: false,
    });
  });

  test('no trusted proxies and no Control UI without a proxy and origins', () => {
    expect(doc.gateway.trustedProxies).toBeUndefined();
    expect(doc.gateway.controlUi).toEqual({ enabled: false });
    expect(doc.gateway.allowRealIpFallback).toBe(false);
  });

  test('terminal, CLI agents, managed Tailscale, node auto-approval and HTTP APIs off', () => {
    expect(doc.gateway.terminal).toEqual({ enabled: false });
    expect(doc.gateway.cliAgents).toEqual({ enabled: false });
    expect(doc.gateway.tailscale).toEqual({ mode: 'off' });
    expect(doc.gateway.nodes).toEqual({
      pairing: { autoApproveLocal: false },
      browser: { mode: 'off' },
    });
    expect(doc.gateway.http.endpoints).toEqual({
      chatCompletions: { enabled: false },
      responses: { enabled: false },
    });
  });

  test('no dangerously* flag anywhere', () => {
    expect(JSON.stringify(doc)).not.toMatch(/dangerously/i);
  });

  test('mDNS off', () => {
    expect(doc.discovery).toEqual({ mdns: { mode: 'off' } });
  });

  test('minimal tools profile; exec, automation and agent spawning denied', () => {
    expect(doc.tools.profile).toBe('minimal');
    expect(doc.tools.deny).toEqual(
      expect.arrayContaining([
        'group:runtime',
        'group:automation',
        'sessions_spawn',
        'sessions_send',
        'gateway',
        'cron',
      ]),
    );
    expect(doc.tools.exec).toEqual({ mode: 'deny' });
    expect(doc.tools.alsoAllow).toBeUndefined();
  });

  test('elevated off, workspace-only files, agent-to-agent off, own sessions only', () => {
    expect(doc.tools.elevated).toEqual({ enabled: false });
    expect(doc.tools.fs).toEqual({ workspaceOnly: true });
    expect(doc.tools.agentToAgent).toEqual({ enabled: false });
    expect(doc.tools.sessions).toEqual({ visibility: 'self' });
  });

  test('no MCP servers, plugins off entirely when none are needed, browser off', () => {
    expect(doc.mcp).toBeUndefined();
    expect(doc.plugins).toEqual({ enabled: false });
    expect(doc.browser).toEqual({ enabled: false });
    expect(doc.hooks).toEqual({ enabled: false });
    expect(doc.cron).toEqual({ enabled: false });
  });

  test('audit log on, JSON console logs', () => {
    expect(doc.logging.audit).toEqual({ enabled: true, executionIdentity: true, messages: 'off' });
    expect(doc.logging.consoleStyle).toBe('json');
  });

  test('no self-update and no catalog fetches: the image is pinned', () => {
    expect(doc.update).toEqual({ checkOnStart: false, auto: { enabled: false } });
    expect(doc.models).toEqual({ catalogRefresh: { enabled: false } });
  });

  test('chat commands that change config, run shells or restart are off', () => {
    expect(doc.commands).toEqual({
      bash: false,
      config: false,
      mcp: false,
      plugins: false,
      debug: false,
      restart: false,
    });
  });

  test('the JSON is the document, pretty-printed with a trailing newline', () => {
    const rendered = renderOpenClawConfig(base);
    expect(JSON.parse(rendered.json)).toEqual(rendered.document);
    expect(rendered.json.endsWith('}\n')).toBe(true);
    expect(rendered.weakenings).toEqual([]);
  });
});

describe('behind the Serve sidecar', () => {
  const doc: Doc = render(cell);

  test('binds only to the internal address', () => {
    expect(doc.gateway).toMatchObject({ bind: 'custom', customBindHost: '172.30.0.10' });
  });

  test('trusts exactly the proxy', () => {
    expect(doc.gateway.trustedProxies).toEqual(['172.30.0.2/32']);
  });

  test('Control UI only from the tailnet origin, sandboxed, no external fetches', () => {
    expect(doc.gateway.controlUi).toEqual({
      enabled: true,
      allowedOrigins: ['https://agent.tail1234.ts.net'],
      embedSandbox: 'strict',
      allowExternalEmbedUrls: false,
      automaticallyFetchFavicons: false,
    });
  });
});

describe('shell', () => {
  test('allowlist mode: allowlisted commands only, human approval always, inline eval gated', () => {
    const rendered = renderOpenClawConfig({
      ...base,
      shell: { mode: 'allowlist', commands: ['ls', 'cat', 'grep'] },
    });
    const doc: Doc = rendered.document;
    expect(doc.tools.exec).toEqual({
      host: 'gateway',
      security: 'allowlist',
      ask: 'always',
      strictInlineEval: true,
      safeBins: [],
      applyPatch: { enabled: false },
      timeoutSeconds: 300,
    });
    expect(doc.tools.alsoAllow).toEqual(['exec']);
    expect(doc.tools.deny).not.toContain('group:runtime');
    expect(doc.approvals).toEqual({ exec: { enabled: true, mode: 'session' } });
    expect(rendered.execApprovals).toEqual({
      version: 1,
      defaults: {
        security: 'allowlist',
        ask: 'always',
        askFallback: 'deny',
        autoAllowSkills: false,
      },
      agents: {
        main: {
          security: 'allowlist',
          ask: 'always',
          askFallback: 'deny',
          autoAllowSkills: false,
          allowlist: [{ pattern: 'ls' }, { pattern: 'cat' }, { pattern: 'grep' }],
        },
      },
    });
  });

  test('allowlisted commands run without approval only with a reason, which is recorded', () => {
    const reason = 'the read-only log viewer must not wait for a human';
    const rendered = renderOpenClawConfig({
      ...base,
      shell: {
        mode: 'allowlist',
        commands: ['ls'],
        dangerouslySkipApprovalForAllowlisted: { reason },
      },
    });
    expect((rendered.document as Doc).tools.exec.ask).toBe('on-miss');
    expect(rendered.weakenings).toEqual([
      {
        id: 'shell-allowlisted-without-approval',
        what: 'allowlisted commands (ls) run without human approval',
        reason,
      },
    ]);
    expect(
      renderError({
        ...base,
        shell: {
          mode: 'allowlist',
          commands: ['ls'],
          dangerouslySkipApprovalForAllowlisted: { reason: 'x' },
        },
      }),
    ).toContain(
      'shell.dangerouslySkipApprovalForAllowlisted needs a reason of at least 20 characters (got 1)',
    );
  });

  test('off renders no approvals document', () => {
    expect(renderOpenClawConfig(base).execApprovals).toBeUndefined();
  });
});

describe('model providers, MCP servers and plugins', () => {
  test('providers point at the broker, carry no key, and only their plugins load', () => {
    const doc: Doc = render({
      ...base,
      modelProviders: [
        {
          id: 'anthropic',
          api: 'anthropic-messages',
          baseUrl: 'http://172.30.0.3:8080/anthropic',
          models: [{ id: 'claude-sonnet-4-5' }],
        },
      ],
      primaryModel: 'anthropic/claude-sonnet-4-5',
    });
    expect(doc.models).toEqual({
      mode: 'replace',
      catalogRefresh: { enabled: false },
      providers: {
        anthropic: {
          baseUrl: 'http://172.30.0.3:8080/anthropic',
          api: 'anthropic-messages',
          models: [{ id: 'claude-sonnet-4-5', name: 'claude-sonnet-4-5' }],
        },
      },
    });
    expect(JSON.stringify(doc.models)).not.toMatch(/apiKey/);
    expect(doc.plugins).toEqual({ allow: ['anthropic'] });
    expect(doc.agents).toEqual({ defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' } } });
  });

  test('MCP servers are reached over streamable HTTP in their containers, never started by the gateway', () => {
    const doc: Doc = render({
      ...base,
      mcpServers: [{ name: 'github', url: 'http://172.28.4.3:8808/mcp', tools: ['get_issue'] }],
    });
    expect(doc.mcp.servers.github).toEqual({
      enabled: true,
      url: 'http://172.28.4.3:8808/mcp',
      transport: 'streamable-http',
      toolFilter: { include: ['get_issue'] },
    });
    expect(JSON.stringify(doc.mcp)).not.toMatch(/command|npx|args/);
    expect(doc.tools.alsoAllow).toContain('bundle-mcp');
  });

  test('plugins: bundled by id, npm plugins by exact pin', () => {
    const rendered = renderOpenClawConfig({
      ...base,
      plugins: [{ id: 'memory-core' }, { id: 'acme-notes', package: '@acme/openclaw-notes@1.4.2' }],
    });
    expect((rendered.document as Doc).plugins).toEqual({ allow: ['acme-notes', 'memory-core'] });
    expect(rendered.pluginPackages).toEqual(['@acme/openclaw-notes@1.4.2']);
  });
});

test("channel egress goes through the broker as the gateway process's proxy; the cell's own endpoints do not", () => {
  const rendered = renderOpenClawConfig({
    ...base,
    egressProxyUrl: 'http://172.30.0.3:8080',
    bindAddress: '172.30.0.10',
    modelProviders: [
      { id: 'anthropic', api: 'anthropic-messages', baseUrl: 'http://172.30.0.3:8080/anthropic' },
    ],
    mcpServers: [{ name: 'memory', url: 'http://172.28.0.3:8808/mcp' }],
  });
  // OpenClaw's managed proxy would send the model calls and the MCP calls as CONNECT tunnels
  // (refused by the broker; the MCP networks are not the broker's): the environment's NO_PROXY
  // keeps them direct
  expect((rendered.document as Doc).proxy).toBeUndefined();
  expect(rendered.environment).toEqual([
    'HTTP_PROXY=http://172.30.0.3:8080',
    'HTTPS_PROXY=http://172.30.0.3:8080',
    'NO_PROXY=172.30.0.3,172.28.0.3,172.30.0.10,127.0.0.1,localhost,::1',
  ]);
  expect(renderOpenClawConfig(base).environment).toEqual([]);
});

describe('weakening with a reason', () => {
  test('broad trusted proxies are accepted only with a reason, which is recorded', () => {
    const rendered = renderOpenClawConfig({
      ...cell,
      trustedProxies: ['172.30.0.0/29'],
      dangerouslyAllowBroadTrustedProxies: {
        reason: 'the load balancer pool rotates within this /29',
      },
    });
    expect((rendered.document as Doc).gateway.trustedProxies).toEqual(['172.30.0.0/29']);
    expect(rendered.weakenings).toEqual([
      {
        id: 'broad-trusted-proxies',
        what: 'trustedProxies includes "172.30.0.0/29"',
        reason: 'the load balancer pool rotates within this /29',
      },
    ]);
  });
});

describe('rejections (each names the value and the fix)', () => {
  test.each<[string, OpenClawConfigProps, string]>([
    [
      'a literal gateway token',
      { gatewayToken: 'hunter2hunter2' as unknown as OpenClawSecret },
      'gatewayToken must be a reference, not a value; use OpenClawSecret.fromFile("/run/secrets/openclaw/gateway-token")',
    ],
    [
      'binding to every interface',
      { ...cell, bindAddress: '0.0.0.0' },
      'bindAddress "0.0.0.0" listens on every interface; give the gateway\'s internal network address, such as "172.30.0.10"',
    ],
    [
      'binding to a public address',
      { ...cell, bindAddress: '54.1.2.3' },
      'bindAddress "54.1.2.3" is a public address; bind to the private internal network address of the cell',
    ],
    [
      'a bind address that is not IPv4',
      { ...cell, bindAddress: 'gateway.local' },
      'bindAddress "gateway.local" is not an IPv4 address; give the gateway\'s internal network address, such as "172.30.0.10"',
    ],
    [
      'a privileged port',
      { ...base, port: 80 },
      'port 80 is not an unprivileged TCP port; use 1024-65535 (default 18789)',
    ],
    [
      'trustedProxies 0.0.0.0/0',
      { ...cell, trustedProxies: ['0.0.0.0/0'] },
      'trusted proxy "0.0.0.0/0" is a whole block, so anything in it could forge client addresses; list exactly the proxy in front of the gateway, such as "0.0.0.0/32", or set dangerouslyAllowBroadTrustedProxies with a reason',
    ],
    [
      'trustedProxies covering a whole private range',
      { ...cell, trustedProxies: ['10.0.0.0/8'] },
      'trusted proxy "10.0.0.0/8" is a whole block',
    ],
    [
      'a trusted proxy that is not an address',
      { ...cell, trustedProxies: ['sidecar'] },
      'trusted proxy "sidecar" is not an IP address; list the proxy\'s address, such as "172.30.0.2"',
    ],
    [
      'a weakening reason that is too short',
      {
        ...cell,
        trustedProxies: ['10.0.0.0/8'],
        dangerouslyAllowBroadTrustedProxies: { reason: 'because' },
      },
      'dangerouslyAllowBroadTrustedProxies needs a reason of at least 20 characters (got 7)',
    ],
    [
      'a wildcard origin',
      { ...cell, controlUiOrigins: ['*'] },
      'origin "*" is a wildcard; list the exact origin, such as "https://agent.tail1234.ts.net"',
    ],
    [
      'a wildcard subdomain origin',
      { ...cell, controlUiOrigins: ['https://*.tail1234.ts.net'] },
      'origin "https://*.tail1234.ts.net" is a wildcard',
    ],
    [
      'a public origin',
      { ...cell, controlUiOrigins: ['https://agent.example.com'] },
      'origin "https://agent.example.com" is a public origin; the gateway is reachable only over the tailnet, so list its tailnet name, such as "https://agent.tail1234.ts.net"',
    ],
    [
      'a plain HTTP tailnet origin',
      { ...cell, controlUiOrigins: ['http://agent.tail1234.ts.net'] },
      'origin "http://agent.tail1234.ts.net" is plain HTTP beyond loopback',
    ],
    [
      'an origin with a path',
      { ...cell, controlUiOrigins: ['https://agent.tail1234.ts.net/ui'] },
      'origin "https://agent.tail1234.ts.net/ui" has a path, query or credentials; write only scheme, host and port, such as "https://agent.tail1234.ts.net"',
    ],
    [
      'a rate limit too loose to matter',
      { ...base, authRateLimit: { maxAttempts: 1000, windowSeconds: 60, lockoutSeconds: 300 } },
      'authRateLimit.maxAttempts 1000 is too many to slow a token guesser; use at most 100 (default 10)',
    ],
    [
      'a zero lockout',
      { ...base, authRateLimit: { maxAttempts: 10, windowSeconds: 60, lockoutSeconds: 0 } },
      'authRateLimit.lockoutSeconds is 0; use a positive whole number',
    ],
    [
      'the full tools profile',
      { ...base, toolsProfile: 'full' as unknown as 'minimal' },
      'toolsProfile "full" is not one of minimal, messaging, coding; "full" allows every tool and is not accepted',
    ],
    [
      'allowing exec while the shell is off',
      { ...base, allowTools: ['exec'] },
      'allowTools includes "exec" but the shell is off; set shell: { mode: "allowlist", commands: [...] } instead',
    ],
    [
      'allowing every tool',
      { ...base, allowTools: ['*'] },
      'allowTools includes "*", which the hardened baseline denies; allow individual tools the agent needs',
    ],
    [
      'a shell denylist mode',
      { ...base, shell: { mode: 'denylist' as unknown as 'allowlist', commands: ['rm'] } },
      'shell.mode "denylist" is not accepted; use "allowlist" with explicit commands (denylists are incomplete by design), or "off"',
    ],
    [
      'an empty shell allowlist',
      { ...base, shell: { mode: 'allowlist', commands: [] } },
      'shell.mode "allowlist" needs commands; list each one, such as ["ls", "cat", "grep", "head", "tail"]',
    ],
    [
      'a shell in the allowlist',
      { ...base, shell: { mode: 'allowlist', commands: ['ls', 'bash'] } },
      'shell command "bash" can start other programs, so allowing it allows everything; allowlist only commands that cannot, such as ls, cat, grep, head, tail',
    ],
    [
      'an interpreter by path in the allowlist',
      { ...base, shell: { mode: 'allowlist', commands: ['/usr/bin/python3.12'] } },
      'shell command "/usr/bin/python3.12" can start other programs',
    ],
    [
      'a command with arguments',
      { ...base, shell: { mode: 'allowlist', commands: ['ls -la'] } },
      'shell command "ls -la" is not a bare command name or an absolute path; list commands such as "ls" or "/usr/bin/ls", without arguments',
    ],
    [
      'commands while the shell is off',
      { ...base, shell: { mode: 'off', commands: ['ls'] } },
      'shell.commands is set but shell.mode is "off"; set mode "allowlist" or remove the commands',
    ],
    [
      'an MCP server on the public internet',
      { ...base, mcpServers: [{ name: 'remote', url: 'https://mcp.example.com/mcp' }] },
      'MCP server "remote" url "https://mcp.example.com/mcp" is not a plain http URL of a cell-internal container; run the server in its own container (McpServerContainer)',
    ],
    [
      'an MCP server on the metadata address',
      { ...base, mcpServers: [{ name: 'meta', url: 'http://169.254.169.254/mcp' }] },
      'is not on a private IPv4 address, so it is a remote server whose version cannot be pinned',
    ],
    [
      "an MCP server on the gateway's loopback",
      { ...base, mcpServers: [{ name: 'local', url: 'http://127.0.0.1:8808/mcp' }] },
      "is on the gateway's own loopback, so the server would run inside the gateway container",
    ],
    [
      'an MCP server url that is not one',
      { ...base, mcpServers: [{ name: 'x', url: 'not a url' }] },
      'MCP server "x" url "not a url" is not a URL',
    ],
    [
      'an MCP server listed twice',
      {
        ...base,
        mcpServers: [
          { name: 't', url: 'http://172.28.0.3:8808/mcp' },
          { name: 't', url: 'http://172.28.0.11:8808/mcp' },
        ],
      },
      'MCP server "t" is listed twice; list each server once',
    ],
    [
      'an unpinned npm plugin',
      { ...base, plugins: [{ id: 'notes', package: '@acme/notes@~1.4.0' }] },
      'plugin "notes": "@acme/notes@~1.4.0" uses "~1.4.0", which is a tag or a range and can change after review; pin an exact version, such as "@acme/notes@1.2.3"',
    ],
    [
      'a provider base URL carrying a key',
      {
        ...base,
        modelProviders: [
          { id: 'openai', api: 'openai-responses', baseUrl: 'https://api.openai.com/v1?key=abc' },
        ],
      },
      'model provider "openai" baseUrl carries credentials or a query; point it at the credential broker, which injects the key',
    ],
    [
      'a provider base URL that is not a URL',
      {
        ...base,
        modelProviders: [{ id: 'anthropic', api: 'anthropic-messages', baseUrl: 'broker' }],
      },
      'model provider "anthropic" baseUrl "broker" is not a URL',
    ],
    [
      'an egress proxy that is not the broker',
      { ...base, egressProxyUrl: 'http://proxy.example.com:3128' },
      'egressProxyUrl "http://proxy.example.com:3128" must be the credential broker\'s private http://<ipv4>:<port>, such as "http://172.30.0.3:8080"',
    ],
    [
      'a primary model without a provider',
      { ...base, primaryModel: 'claude' },
      'primaryModel "claude" is not "<provider>/<model>"; write it as "anthropic/claude-sonnet-4-5"',
    ],
    [
      'an invalid plugin id',
      { ...base, plugins: [{ id: 'Bad Plugin' }] },
      'plugin id "Bad Plugin" is not a plugin id; use the id from the plugin\'s manifest, such as "memory-core"',
    ],
    [
      'an invalid provider id',
      {
        ...base,
        modelProviders: [{ id: 'Anthropic!', api: 'anthropic-messages', baseUrl: 'http://b:8080' }],
      },
      'model provider id "Anthropic!" is invalid; use lower case letters, digits, "-" or "_", such as "anthropic"',
    ],
    [
      'a provider listed twice',
      {
        ...base,
        modelProviders: [
          { id: 'anthropic', api: 'anthropic-messages', baseUrl: 'http://b:8080/a' },
          { id: 'anthropic', api: 'anthropic-messages', baseUrl: 'http://b:8080/b' },
        ],
      },
      'model provider "anthropic" is listed twice; list each provider once',
    ],
    [
      'an unknown provider api',
      {
        ...base,
        modelProviders: [{ id: 'x', api: 'smtp' as unknown as 'ollama', baseUrl: 'http://b:8080' }],
      },
      'model provider "x" uses api "smtp"; use one of anthropic-messages, openai-responses, openai-completions, google-generative-ai, ollama',
    ],
    [
      'an invalid MCP server name',
      { ...base, mcpServers: [{ name: 'GitHub Server', url: 'http://172.28.0.3:8808/mcp' }] },
      'MCP server name "GitHub Server" is invalid; use lower case letters, digits, "-" or "_", such as "github"',
    ],
  ])('%s', (_name, props, message) => {
    expect(renderError(props)).toContain(message);
  });

  test('a secret value never appears in the error', () => {
    const message = renderError({
      ...base,
      overrides: {
        channels: { telegram: { botToken: '123456789:AAE-secret-value-abcdefghijklmnopqrstu' } },
      },
    });
    expect(message).toContain(
      'channels.telegram.botToken holds a literal secret (value not shown)',
    );
    expect(message).not.toContain('secret-value');
  });

  test('every problem is reported at once', () => {
    const message = renderError({
      ...cell,
      bindAddress: '0.0.0.0',
      trustedProxies: ['0.0.0.0/0'],
      controlUiOrigins: ['*'],
    });
    expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(3);
  });
});
