/**
 * GIVEN an agent whose MCP server needs a credential and does not take a base URL
 * WHEN the credential is given as a secret file
 * THEN it is mounted read-only into that server's container only, from its own host directory;
 *      the gateway, the broker and the environment never hold it; the host (not the broker) may
 *      read the secret, and the cells document tells the host which file to write where.
 */
import { auditStack, McpServer, readStack } from '../../src';
import { validateMcpServer } from '../../src/mcp/mcp-server';
import { AgentCredentialSpec } from '../../src';
import { buildFleet, presetAgents, synth } from '../fleet/helpers';
import { MEMORY_SERVER, NOTES_PROFILE, NOTES_TOKEN, synthGatewayBesideMcp } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const profile = NOTES_PROFILE;
const research = presetAgents().find((a) => a.profile.name === 'research')!;
const notesToken = NOTES_TOKEN;
const withFile: McpServer = {
  ...MEMORY_SERVER,
  env: { ...MEMORY_SERVER.env, NOTES_TOKEN_FILE: '/run/secrets/mcp/notes-token' },
  secretFiles: [{ secret: 'notes-token', file: 'notes-token' }],
};

function build(
  servers: McpServer[] = [withFile],
  credentials = [...research.credentials, notesToken],
) {
  return buildFleet({
    agents: [{ ...research, name: 'notes', profile, credentials, mcpServers: servers }],
  });
}

describe('an MCP server with a secret file', () => {
  const { fleet, docker, identity } = build();
  const json: Json = synth(docker);
  const ids: Json = synth(identity);
  const agent = fleet.agents.notes;
  const containers = json.resource.docker_container;
  const server = containers['openclaw-notes-mcp-memory'];
  const dir = '/run/openclaw/openclaw-notes-mcp-memory/secrets';

  test("is mounted read-only at /run/secrets/mcp from the server's own host directory", () => {
    expect(server.mounts).toContainEqual({
      type: 'bind',
      source: dir,
      target: '/run/secrets/mcp',
      read_only: true,
    });
    expect(agent.mcpServers.memory.secretsHostPath).toBe(dir);
  });

  test('no other container mounts it, and no env, label or command carries the secret', () => {
    const others = Object.entries<Json>(containers).filter(
      ([k]) => k !== 'openclaw-notes-mcp-memory',
    );
    expect(others.length).toBeGreaterThan(2);
    for (const [, c] of others)
      expect(JSON.stringify(c.mounts ?? [])).not.toContain('openclaw-notes-mcp-memory');
    // the server is told the path only, by a value the user wrote
    expect(server.env).toContain('NOTES_TOKEN_FILE=/run/secrets/mcp/notes-token');
    const gateway = containers['openclaw-notes-gateway'];
    expect(JSON.stringify(gateway)).not.toContain('notes-token');
  });

  test("the gateway's broker gets no CONNECT to the credential's API: the server holds it, not the gateway", () => {
    const env: string[] = containers['openclaw-notes-broker'].env;
    const config: Json = JSON.parse(
      env.find((e) => e.startsWith('BROKER_CONFIG='))!.slice('BROKER_CONFIG='.length),
    );
    // a code credential's allowance is api.github.com:443; the research profile's own hosts stay
    expect(config.connectAllowlist).not.toContain('api.github.com:443');
    expect(config.upstreams.map((u: Json) => u.name)).toEqual(['anthropic']);
  });

  test('the checklist passes the stack', () => {
    const findings = auditStack(readStack(json, 'agents')).findings;
    expect(findings.filter((f) => f.ruleId === 'OC07-McpSecretsOwnContainer')).toEqual([]);
    expect(
      findings.filter((f) => f.address === 'docker_container.openclaw-notes-mcp-memory'),
    ).toEqual([]);
  });

  test("the secret is read by the host's role only: not by the broker", () => {
    const policy = JSON.parse(
      ids.resource.aws_secretsmanager_secret_policy['openclaw-notes-notes-token'].policy,
    );
    expect(policy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
      'arn:aws:iam::123456789012:role/openclaw-host-1-host',
    ]);
    const broker = JSON.parse(ids.resource.aws_iam_policy['openclaw-notes-broker'].policy);
    expect(JSON.stringify(broker.Statement[0].Resource)).not.toContain('notes-token');
    expect(JSON.stringify(broker.Statement[0].Resource)).toContain('openclaw-notes-anthropic');
  });

  test('the cells document lists the file: server, secret, file and host directory', () => {
    expect(agent.hostCell.mcpSecretFiles).toEqual([
      { server: 'memory', secret: 'openclaw/notes/notes-token', file: 'notes-token', dir },
    ]);
  });

  test("an environment's name prefix names the directory and the secret", () => {
    const prefixed = buildFleet({
      namePrefix: 'staging-',
      agents: [
        {
          ...research,
          name: 'notes',
          profile,
          credentials: [...research.credentials, notesToken],
          mcpServers: [withFile],
        },
      ],
    }).fleet.agents.notes;
    expect(prefixed.hostCell.mcpSecretFiles).toEqual([
      {
        server: 'memory',
        secret: 'staging-openclaw/notes/notes-token',
        file: 'notes-token',
        dir: '/run/openclaw/staging-openclaw-notes-mcp-memory/secrets',
      },
    ]);
  });

  test('an existing secret is named by its ARN, with its own key', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/notes-AbCdEf';
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const a = build(undefined, [
      ...research.credentials,
      { ...notesToken, existingSecret: { arn, kmsKeyArn } },
    ]).fleet.agents.notes;
    expect(a.hostCell.mcpSecretFiles![0].secret).toBe(arn);
    expect(a.mcpSecrets).toEqual([{ secretArn: arn, kmsKeyArn }]);
  });

  test('a server without secret files mounts nothing of the kind', () => {
    const plain = synth(build([MEMORY_SERVER]).docker);
    const c = plain.resource.docker_container['openclaw-notes-mcp-memory'];
    expect(c.mounts.map((m: Json) => m.type)).toEqual(['volume']);
    expect(build([MEMORY_SERVER]).fleet.agents.notes.hostCell.mcpSecretFiles).toBeUndefined();
  });
});

describe('secret files are refused with the fix', () => {
  const where = 'agent "notes"';
  test.each<[string, McpServer['secretFiles'], string]>([
    [
      'a path in the file name',
      [{ secret: 'notes-token', file: 'sub/token' }],
      'secret file "sub/token" must be a plain file name (letters, digits, ".", "_", "-"; no "/" and not ".."), such as "github-token"; it is placed in /run/secrets/mcp',
    ],
    ['".."', [{ secret: 'notes-token', file: '..' }], 'secret file ".." must be a plain file name'],
    [
      'an empty name',
      [{ secret: 'notes-token', file: '' }],
      'secret file "" must be a plain file name',
    ],
    [
      'a name twice',
      [
        { secret: 'notes-token', file: 'token' },
        { secret: 'other', file: 'token' },
      ],
      'secret file "token" is listed twice; give each secret file its own name',
    ],
    [
      'a secret that is not a credential name',
      [{ secret: 'arn:aws:secretsmanager:eu-west-1:1:secret:x', file: 'token' }],
      'names secret "arn:aws:secretsmanager:eu-west-1:1:secret:x", which is not a credential name; give the name of one of the agent\'s credentials, such as "github"',
    ],
  ])('%s', (_what, secretFiles, message) => {
    expect(() => validateMcpServer({ ...MEMORY_SERVER, secretFiles }, where)).toThrow(message);
  });

  test('a credential-looking env value, under any name, points to secret files', () => {
    expect(() =>
      validateMcpServer(
        { ...MEMORY_SERVER, env: { GH: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' } },
        where,
      ),
    ).toThrow(
      "env GH would carry a credential in the container's environment, where docker inspect shows it; give the server its credential through the broker or as a secret file (secretFiles), and tell it the path, such as GH_FILE=/run/secrets/mcp/<file>",
    );
  });

  const agentError = (servers: McpServer[], credentials: AgentCredentialSpec[]) => {
    try {
      build(servers, credentials);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected the agent to be refused');
  };

  test('a credential the agent does not have', () => {
    expect(agentError([withFile], [...research.credentials])).toContain(
      'agent "notes" (profile research-notes) MCP server "memory" secret file "notes-token" names credential "notes-token", which the agent does not have; add { name: "notes-token", kind: ..., scopes: [...] } to its credentials',
    );
  });

  test('a brokered credential (one with an upstream, or a model key)', () => {
    const brokered = {
      ...notesToken,
      upstream: { baseUrl: 'https://api.github.com', auth: 'bearer' as const },
    };
    expect(agentError([withFile], [...research.credentials, brokered])).toContain(
      'names credential "notes-token", which the broker injects for its upstream; a secret file hands the real key to the server, so give the server a credential of its own without upstream',
    );
    const model = { ...withFile, secretFiles: [{ secret: 'anthropic', file: 'key' }] };
    expect(agentError([model], [...research.credentials])).toContain(
      'names credential "anthropic", which the broker injects for its upstream',
    );
  });

  test('one credential in two secret files', () => {
    const twice = {
      ...withFile,
      secretFiles: [
        { secret: 'notes-token', file: 'a' },
        { secret: 'notes-token', file: 'b' },
      ],
    };
    expect(agentError([twice], [...research.credentials, notesToken])).toContain(
      'secret file "b" names credential "notes-token", which another secret file already holds; give each server its own credential',
    );
  });
});

test("a gateway given a bind mount of its MCP server's secret files is refused", () => {
  for (const hostPath of [
    '/run/openclaw/openclaw-x-mcp-memory/secrets',
    '/run/openclaw/openclaw-x-mcp-memory',
    '/run/openclaw/openclaw-x-mcp-memory/secrets/notes-token',
  ]) {
    expect(() =>
      synthGatewayBesideMcp(withFile, { bindMounts: [{ hostPath, containerPath: '/srv/notes' }] }),
    ).toThrow(
      `bind mount "${hostPath}" would hand the gateway the MCP server secret files in /run/openclaw/openclaw-x-mcp-memory/secrets; only that server's container mounts them, so remove the mount`,
    );
  }
});
