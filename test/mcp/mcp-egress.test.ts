/**
 * GIVEN an agent whose MCP server declares egress (host:port pairs) and a brokered upstream
 * WHEN it synthesizes
 * THEN the broker joins that server's network at the block's fourth address with a listener of
 *      that server alone (its allowlist, its upstream, its address as the only client), the main
 *      listener is bound to the cell address, the server gets the proxy and the base URL (never
 *      the key), the gateway's routes do not carry the server's credential; a server without
 *      egress keeps its two-member network; bad declarations are refused with the fix.
 */
import { Testing } from 'cdktf';
import { auditStack, McpServer, readStack, RiskProfile } from '../../src';
import { AgentCredentialSpec } from '../../src/fleet/openclaw-agent';
import { buildFleet, presetAgents } from '../fleet/helpers';
import { MEMORY_LOCKFILE, MEMORY_PACKAGE, MEMORY_SERVER } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const NO_ROTATION = {
  dangerouslyNoRotation: { reason: 'a test fixture token that never rotates' },
};
const GITHUB: AgentCredentialSpec = {
  name: 'github',
  kind: 'code',
  scopes: ['public_repo'],
  upstream: { baseUrl: 'https://api.github.com', auth: 'bearer' },
  ...NO_ROTATION,
};
const profile = RiskProfile.custom(RiskProfile.research(), {
  name: 'research-notes',
  mcpPackages: [MEMORY_PACKAGE],
});
const research = presetAgents().find((a) => a.profile.name === 'research')!;
/** Stands in for a server that calls an API (the memory package; only its declarations matter). */
const WITH_EGRESS: McpServer = {
  ...MEMORY_SERVER,
  lockfile: MEMORY_LOCKFILE,
  name: 'tracker',
  egress: ['uploads.github.com:443'],
  upstreams: [
    {
      credential: 'github',
      baseUrlEnv: 'GITHUB_API_URL',
      tokenEnv: 'GITHUB_PERSONAL_ACCESS_TOKEN',
    },
  ],
};
const PLAIN: McpServer = { ...MEMORY_SERVER, lockfile: MEMORY_LOCKFILE };

function synth(servers: McpServer[], credentials: AgentCredentialSpec[] = [GITHUB]) {
  const { fleet, docker } = buildFleet({
    agents: [
      {
        ...research,
        name: 'notes',
        profile,
        mcpServers: servers,
        credentials: [...research.credentials, ...credentials],
      },
    ],
  });
  const json: Json = JSON.parse(Testing.synth(docker));
  return { json, agent: fleet.agents.notes };
}

const brokerConfig = (json: Json): Json => {
  const env: string[] = json.resource.docker_container['openclaw-notes-broker'].env;
  return JSON.parse(
    env.find((e) => e.startsWith('BROKER_CONFIG='))!.slice('BROKER_CONFIG='.length),
  );
};

describe('an MCP server with egress', () => {
  const { json, agent } = synth([WITH_EGRESS, PLAIN]);
  const tracker = agent.mcpServers.tracker;
  const broker = json.resource.docker_container['openclaw-notes-broker'];
  const server = json.resource.docker_container['openclaw-notes-mcp-tracker'];
  const config = brokerConfig(json);

  test("the broker joins the server's network at its fourth address, and no other MCP network", () => {
    const [a, b, c, d] = tracker.subnet.split('/')[0].split('.').map(Number);
    expect(tracker.brokerAddress).toBe(`${a}.${b}.${c}.${d + 4}`);
    expect(broker.networks_advanced).toContainEqual({
      name: '${docker_network.openclaw-notes-mcp-tracker.name}',
      ipv4_address: tracker.brokerAddress,
    });
    expect(JSON.stringify(broker.networks_advanced)).not.toContain('mcp-memory');
    expect(agent.mcpServers.memory.brokerAddress).toBeUndefined();
    // the server itself stays on its own network only
    expect(server.networks_advanced).toEqual([
      { name: '${docker_network.openclaw-notes-mcp-tracker.name}', ipv4_address: tracker.address },
    ]);
  });

  test("its listener has only the server's allowlist and upstream, bound to one address, serving only the server", () => {
    expect(config.listeners).toEqual([
      {
        name: 'tracker',
        listen: { host: tracker.brokerAddress, port: 8080 },
        upstreams: [
          {
            name: 'github',
            baseUrl: 'https://api.github.com',
            auth: { kind: 'bearer' },
            secret: 'openclaw/notes/github',
            requestsPerMinute: 120,
          },
        ],
        connectAllowlist: ['uploads.github.com:443'],
        clients: [tracker.address],
      },
    ]);
  });

  test("the main listener is bound to the cell address and carries neither the server's route nor its hosts", () => {
    expect(config.listen).toEqual({ host: agent.addresses.broker, port: 8080 });
    expect(config.upstreams.map((u: Json) => u.name)).toEqual(['anthropic']);
    expect(config.connectAllowlist).not.toContain('api.github.com:443');
    expect(config.connectAllowlist).not.toContain('uploads.github.com:443');
    expect(broker.healthcheck.test.join(' ')).toContain(
      `http://${agent.addresses.broker}:8080/healthz`,
    );
  });

  test('the server gets the proxy and the base URL on its listener, never the key', () => {
    const url = `http://${tracker.brokerAddress}:8080`;
    expect(server.env).toEqual(
      expect.arrayContaining([
        `HTTPS_PROXY=${url}`,
        `HTTP_PROXY=${url}`,
        `NO_PROXY=${tracker.brokerAddress},127.0.0.1,localhost`,
        'NODE_USE_ENV_PROXY=1',
        `GITHUB_API_URL=${url}/github`,
        // a fixed public placeholder for a server that will not start without a token variable
        'GITHUB_PERSONAL_ACCESS_TOKEN=brokered-by-the-agent-credential-broker',
      ]),
    );
    expect(server.labels).toEqual(
      expect.arrayContaining([
        { label: 'openclaw.mcp-egress', value: 'uploads.github.com:443' },
        { label: 'openclaw.mcp-upstreams', value: 'github' },
      ]),
    );
    expect(JSON.stringify(server)).not.toMatch(/secretsmanager|openclaw\/notes\/github/);
  });

  test('the checklist passes the whole stack', () => {
    const findings = auditStack(readStack(json, 'agents')).findings.filter((f) =>
      /mcp-tracker|notes-broker/.test(f.address),
    );
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('an MCP server without egress', () => {
  const { json, agent } = synth([PLAIN], []);
  test("keeps its two-member network; the broker's BROKER_CONFIG and healthcheck are as before", () => {
    const broker = json.resource.docker_container['openclaw-notes-broker'];
    expect(JSON.stringify(broker.networks_advanced)).not.toContain('mcp-');
    const config = brokerConfig(json);
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config).not.toHaveProperty('listeners');
    expect(broker.healthcheck.test.join(' ')).toContain('http://127.0.0.1:8080/healthz');
    const server = json.resource.docker_container['openclaw-notes-mcp-memory'];
    expect(server.env.join('\n')).not.toMatch(/PROXY/);
    expect(agent.mcpServers.memory.brokerAddress).toBeUndefined();
  });
});

describe('egress declarations that are refused', () => {
  const where = 'agent "notes" MCP server "tracker"';
  test.each<[string, Partial<McpServer>, string]>([
    [
      'a wildcard',
      { egress: ['*.github.com:443'], upstreams: [] },
      `${where}: egress "*.github.com:443" is not an exact host:port (wildcards and bare hosts are not accepted); give the exact public host:port the server needs, such as "api.github.com:443"`,
    ],
    [
      'the metadata service',
      { egress: ['169.254.169.254:80'], upstreams: [] },
      `${where}: egress "169.254.169.254:80" names an IP address`,
    ],
    [
      'an internal name',
      { egress: ['metadata.google.internal:80'], upstreams: [] },
      `${where}: egress "metadata.google.internal:80" names an internal host`,
    ],
    [
      'a bare host',
      { egress: ['api.github.com'], upstreams: [] },
      `${where}: egress "api.github.com" is not an exact host:port`,
    ],
    [
      'a proxy set in env',
      { env: { HTTPS_PROXY: 'http://elsewhere:3128' } },
      `${where}: env HTTPS_PROXY is set by the library`,
    ],
    [
      'a base URL variable that is not a name',
      { upstreams: [{ credential: 'github', baseUrlEnv: 'GITHUB API' }] },
      `${where}: upstream "github" baseUrlEnv "GITHUB API" is not a variable the server may take a base URL from`,
    ],
    [
      'a token variable that is not a name',
      { upstreams: [{ credential: 'github', baseUrlEnv: 'GITHUB_API_URL', tokenEnv: 'TOKEN-1' }] },
      `${where}: upstream "github" tokenEnv "TOKEN-1" is not a variable name`,
    ],
    [
      'a token variable that is also the base URL variable',
      {
        upstreams: [
          { credential: 'github', baseUrlEnv: 'GITHUB_API_URL', tokenEnv: 'GITHUB_API_URL' },
        ],
      },
      `${where}: upstream "github" tokenEnv GITHUB_API_URL is set twice`,
    ],
  ])('%s', (_name, change, message) => {
    expect(() => synth([{ ...WITH_EGRESS, ...change }])).toThrow(message);
  });

  const agentWhere = 'agent "notes" (profile research-notes) MCP server "tracker" upstream';
  test('an upstream naming no credential of the agent', () => {
    expect(() =>
      synth([{ ...WITH_EGRESS, upstreams: [{ credential: 'gitlab', baseUrlEnv: 'X_URL' }] }]),
    ).toThrow(`${agentWhere} "gitlab" names no credential of the agent`);
  });
  test('a model credential', () => {
    expect(() =>
      synth([{ ...WITH_EGRESS, upstreams: [{ credential: 'anthropic', baseUrlEnv: 'X_URL' }] }]),
    ).toThrow(`${agentWhere} "anthropic" is a model credential`);
  });
  test('a credential without a base URL', () => {
    expect(() => synth([WITH_EGRESS], [{ ...GITHUB, upstream: undefined }])).toThrow(
      `${agentWhere} "github" has no upstream; give the credential the API's base URL and auth`,
    );
  });
  test('one credential for two servers', () => {
    expect(() => synth([WITH_EGRESS, { ...WITH_EGRESS, name: 'tracker2' }])).toThrow(
      `agent "notes" (profile research-notes) MCP server "tracker2" upstream "github" is already MCP server "tracker"'s`,
    );
  });
});

describe('the checklist holds the broker listener to what the server declared', () => {
  const { json } = synth([WITH_EGRESS]);
  const at = 'docker_container.openclaw-notes-mcp-tracker';
  /** The stack with the broker's BROKER_CONFIG changed. */
  const tampered = (change: (config: Json) => void): Json => {
    const copy = structuredClone(json);
    const broker = copy.resource.docker_container['openclaw-notes-broker'];
    const config = brokerConfig(copy);
    change(config);
    broker.env = broker.env.map((e: string) =>
      e.startsWith('BROKER_CONFIG=') ? `BROKER_CONFIG=${JSON.stringify(config)}` : e,
    );
    return copy;
  };
  const details = (j: Json) =>
    auditStack(readStack(j, 'agents'))
      .findings.filter((f) => f.address === at && f.ruleId === 'OC04-McpNoDirectEgress')
      .flatMap((f) => f.details);

  test('compliant as synthesized', () => {
    expect(details(json)).toEqual([]);
  });
  test('a CONNECT target the server did not declare is an error', () => {
    expect(
      details(tampered((c) => c.listeners[0].connectAllowlist.push('api.telegram.org:443'))),
    ).toEqual([
      expect.stringContaining(
        "the server's listener allows CONNECT to api.telegram.org:443, which the server did not declare (openclaw.mcp-egress: uploads.github.com:443)",
      ),
    ]);
  });
  test('an IP address the server declared by hand (its label) is still an error', () => {
    const copy = tampered((c) => c.listeners[0].connectAllowlist.push('169.254.169.254:80'));
    const server = copy.resource.docker_container['openclaw-notes-mcp-tracker'];
    server.labels = server.labels.map((l: Json) =>
      l.label === 'openclaw.mcp-egress'
        ? { ...l, value: 'uploads.github.com:443,169.254.169.254:80' }
        : l,
    );
    expect(details(copy)).toEqual([
      expect.stringContaining(
        "the server's listener allows CONNECT to 169.254.169.254:80, not an exact public host:port",
      ),
    ]);
  });
  test('a route the server did not declare is an error', () => {
    expect(
      details(tampered((c) => c.listeners[0].upstreams.push({ ...c.upstreams[0] }))).join('\n'),
    ).toContain("the server's listener routes anthropic, which the server did not declare");
  });
  test('a main listener on every interface is an error', () => {
    expect(details(tampered((c) => (c.listen.host = '0.0.0.0'))).join('\n')).toContain(
      'the main listener listens on 0.0.0.0',
    );
  });
  test('a listener that serves any client (the gateway too) is an error', () => {
    expect(details(tampered((c) => delete c.listeners[0].clients)).join('\n')).toContain(
      "the server's listener serves any client",
    );
  });
  test('a broker on the network without a listener of the server is an error', () => {
    expect(details(tampered((c) => delete c.listeners)).join('\n')).toContain(
      'has no listener of this server bound to its address there',
    );
  });
  test('an unreadable BROKER_CONFIG is undecidable, never a pass', () => {
    const copy = structuredClone(json);
    const broker = copy.resource.docker_container['openclaw-notes-broker'];
    broker.env = broker.env.map((e: string) =>
      e.startsWith('BROKER_CONFIG=') ? 'BROKER_CONFIG=${var.broker_config}' : e,
    );
    const finding = auditStack(readStack(copy, 'agents')).findings.find(
      (f) => f.address === at && f.ruleId === 'OC04-McpNoDirectEgress',
    );
    expect(finding?.status).toBe('undecidable');
  });
});
