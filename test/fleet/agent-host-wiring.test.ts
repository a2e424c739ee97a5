/**
 * A fleet on AgentHosts: the host stacks know no agent; the fleet's identity stack grants each
 * host's role exactly its own agents' gateway tokens, keys and broker roles, the audit trail its
 * agents' log groups, and writes the host's cells parameter, all with real references.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import {
  AgentFleet,
  AgentFleetProps,
  AgentHost,
  AgentHostProps,
  AuditTrail,
  cellsDocument,
  cellsParameterName,
  errorsOf,
  OpenClawChecklist,
  RiskProfile,
} from '../../src';
import { MEMORY_SERVER, NOTES_TOKEN } from '../mcp/fixtures';
import { Json, presetAgents } from './helpers';

const HOST_PROPS = {
  amiId: 'ami-0123456789abcdef0',
  vpcId: 'vpc-0123456789abcdef0',
  subnetId: 'subnet-0123456789abcdef0',
  region: 'eu-west-1',
  tailnetKeySecretArn:
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/hosts/tailnet-key-AbCdEf',
};

interface Built {
  readonly app: App;
  readonly hosts: Record<string, AgentHost>;
  readonly fleet: AgentFleet;
  readonly audit: AuditTrail;
}

/** One environment: a stack per host, an identity stack and an agents stack, named by prefix. */
function environment(
  app: App,
  prefix = '',
  overrides: { host?: Partial<AgentHostProps>; fleet?: Partial<AgentFleetProps> } = {},
): Built {
  const hosts: Record<string, AgentHost> = {};
  for (const name of ['host-1', 'host-2']) {
    const stack = new TerraformStack(app, `${prefix}${name}`);
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    hosts[name] = new AgentHost(stack, 'host', {
      ...HOST_PROPS,
      name,
      namePrefix: prefix,
      ...overrides.host,
    });
  }
  const identity = new TerraformStack(app, `${prefix}identity`);
  new AwsProvider(identity, 'aws', { region: 'eu-west-1' });
  const agents = new TerraformStack(app, `${prefix}agents`);
  new TailscaleProvider(agents, 'tailscale', {});
  const docker = (name: string) =>
    new DockerProvider(agents, name, { alias: name, host: `ssh://openclaw@${prefix}${name}` });
  const fleet = new AgentFleet(agents, 'fleet', {
    tailnetDomain: 'tail1234.ts.net',
    region: 'eu-west-1',
    namePrefix: prefix,
    identityScope: identity,
    auditLogs: true,
    hosts: [
      { agentHost: hosts['host-1'], docker: docker('host-1') },
      { agentHost: hosts['host-2'], docker: docker('host-2') },
    ],
    agents: presetAgents(),
    ...overrides.fleet,
  });
  const audit = new AuditTrail(identity, 'audit', {
    accountId: '123456789012',
    region: 'eu-west-1',
    fleet,
    activeHours: 'around-the-clock',
  });
  return { app, hosts, fleet, audit };
}

/** Synthesizes the app: every stack's JSON by name. */
function synthApp(app: App): Record<string, Json> {
  app.synth();
  const dir = path.join(app.outdir, 'stacks');
  const out: Record<string, Json> = {};
  for (const name of fs.readdirSync(dir))
    out[name] = JSON.parse(fs.readFileSync(path.join(dir, name, 'cdk.tf.json'), 'utf8'));
  return out;
}

const newApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'wiring-')) });

/** The host-1 / host-2 placement of presetAgents(). */
const ON_HOST = {
  'host-1': ['calendar-and-mail', 'messaging', 'research'],
  'host-2': ['shell'],
} as const;

describe('GIVEN a fleet on two AgentHosts in their own stacks', () => {
  const built = environment(newApp());
  const stacks = synthApp(built.app);
  const identity = stacks.identity;
  const policy = (name: string) =>
    JSON.parse(identity.resource.aws_iam_role_policy[name].policy) as Json;
  const remote = (host: string, attr: string) =>
    `\${data.terraform_remote_state.cross-stack-reference-input-${host}.outputs.cross-stack-output-aws_iam_role${host}-host${attr}}`;

  test("THEN the host stacks name no agent: their role reads only the host's own tailnet key", () => {
    for (const host of ['host-1', 'host-2']) {
      const text = JSON.stringify(stacks[host]);
      // every agent's names carry openclaw-<agent> ("shell" alone is also a word of user data)
      for (const agent of ['messaging', 'calendar-and-mail', 'research', 'shell'])
        expect([host, text.includes(`openclaw-${agent}`)]).toEqual([host, false]);
      const own = JSON.parse(stacks[host].resource.aws_iam_role_policy[`${host}-secrets`].policy);
      expect(own.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: [HOST_PROPS.tailnetKeySecretArn],
        },
      ]);
    }
  });

  test.each(Object.entries(ON_HOST))(
    "THEN %s's role may read and decrypt exactly its agents' gateway tokens, assume exactly their broker roles and read its cells parameter",
    (host, agents) => {
      const grant = identity.resource.aws_iam_role_policy[`${host}-agents`];
      expect(grant.role).toBe(remote(host, 'name'));
      const doc = policy(`${host}-agents`);
      expect(doc.Statement).toEqual([
        {
          Sid: 'ReadOwnCells',
          Effect: 'Allow',
          Action: ['ssm:GetParameter'],
          Resource: [`\${aws_ssm_parameter.${host}-cells.arn}`],
        },
        {
          Sid: 'ReadAgentGatewayTokens',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: agents.map(
            (a) => `\${aws_secretsmanager_secret.openclaw-${a}-gateway-token.arn}`,
          ),
        },
        {
          Sid: 'FollowAgentGatewayTokenRotations',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret'],
          Resource: agents.map(
            (a) => `\${aws_secretsmanager_secret.openclaw-${a}-gateway-token.arn}`,
          ),
        },
        {
          Sid: 'RecordAppliedAgentGatewayTokens',
          Effect: 'Allow',
          Action: ['secretsmanager:TagResource'],
          Resource: agents.map(
            (a) => `\${aws_secretsmanager_secret.openclaw-${a}-gateway-token.arn}`,
          ),
          Condition: {
            'ForAllValues:StringEquals': { 'aws:TagKeys': ['openclaw:applied-version'] },
          },
        },
        {
          Sid: 'DecryptAgentGatewayTokens',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: agents.map((a) => `\${aws_kms_key.openclaw-${a}.arn}`),
          Condition: {
            StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
          },
        },
        {
          Sid: 'BrokersAssumeTheirOwnRoles',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: agents.map((a) => `\${aws_iam_role.openclaw-${a}-broker-role.arn}`),
        },
      ]);
      // every key and secret named is one the stack creates: a real reference, no literal ARN
      for (const s of doc.Statement.slice(1)) {
        for (const r of s.Resource as string[]) {
          const [type, name] = r.slice(2, -5).split('.');
          expect([r, identity.resource[type]?.[name] !== undefined]).toEqual([r, true]);
        }
      }
    },
  );

  test.each(Object.entries(ON_HOST))(
    "THEN the audit trail grants %s's role writing exactly its agents' log groups",
    (host, agents) => {
      const doc = policy(`${host}-logs`);
      expect(identity.resource.aws_iam_role_policy[`${host}-logs`].role).toBe(remote(host, 'name'));
      expect(doc.Statement).toEqual([
        {
          Sid: 'WriteOwnAgentsLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: agents.flatMap((a) =>
            ['gateway', 'broker', 'sidecar', 'mcp'].map(
              (s) => `\${aws_cloudwatch_log_group.openclaw-${a}-${s}.arn}:*`,
            ),
          ),
        },
      ]);
    },
  );

  test("THEN only the host's role may read a gateway token, and each broker trusts only its host's role", () => {
    for (const [host, agents] of Object.entries(ON_HOST)) {
      for (const a of agents) {
        const secretPolicy = JSON.parse(
          identity.resource.aws_secretsmanager_secret_policy[`openclaw-${a}-gateway-token`].policy,
        );
        expect(secretPolicy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
          remote(host, 'arn'),
        ]);
        const trust = JSON.parse(
          identity.resource.aws_iam_role[`openclaw-${a}-broker-role`].assume_role_policy,
        );
        expect(trust.Statement[0].Principal).toEqual({ AWS: remote(host, 'arn') });
      }
    }
  });

  test.each(Object.entries(ON_HOST))(
    "THEN %s has its cells parameter: a String holding exactly its agents' cells",
    (host, agents) => {
      const parameter = identity.resource.aws_ssm_parameter[`${host}-cells`];
      expect(parameter).toMatchObject({
        name: cellsParameterName(host),
        type: 'String',
        tier: 'Standard',
      });
      expect(parameter.value).toBe(
        cellsDocument(agents.map((a) => built.fleet.agents[a].hostCell)),
      );
      expect(built.hosts[host].cellsParameterName).toBe(`/openclaw/hosts/${host}/cells`);
    },
  );
});

describe('GIVEN an agent whose MCP server reads a credential from a file', () => {
  const MEMORY = '@modelcontextprotocol/server-memory';
  const agents = presetAgents().map((a) =>
    a.profile.name !== 'research'
      ? a
      : {
          ...a,
          name: 'research',
          profile: RiskProfile.custom(a.profile, { name: 'research-notes', mcpPackages: [MEMORY] }),
          credentials: [...a.credentials, NOTES_TOKEN],
          mcpServers: [
            {
              ...MEMORY_SERVER,
              secretFiles: [{ secret: 'notes-token', file: 'notes-token' }],
            },
          ],
        },
  );
  const app = newApp();
  const built = environment(app, '', { fleet: { agents } });
  OpenClawChecklist.check(app);
  const stacks = synthApp(app);
  const identity = stacks.identity;
  const policy = (name: string) =>
    JSON.parse(identity.resource.aws_iam_role_policy[name].policy) as Json;

  test("THEN its host's role may read exactly that secret and decrypt it with exactly its key, through Secrets Manager", () => {
    const statements = policy('host-1-agents').Statement as Json[];
    expect(statements.filter((s) => /Mcp/.test(s.Sid))).toEqual([
      {
        Sid: 'ReadAgentMcpSecretFiles',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: ['${aws_secretsmanager_secret.openclaw-research-notes-token.arn}'],
      },
      {
        Sid: 'DecryptAgentMcpSecretFiles',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: ['${aws_kms_key.openclaw-research.arn}'],
        Condition: {
          StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
        },
      },
    ]);
    // the other host, whose agent has no secret file, gets no such grant
    expect(JSON.stringify(policy('host-2-agents'))).not.toContain('Mcp');
  });

  test("THEN only that host's role may read the secret: the broker may not", () => {
    const secretPolicy = JSON.parse(
      identity.resource.aws_secretsmanager_secret_policy['openclaw-research-notes-token'].policy,
    );
    expect(secretPolicy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
      '${data.terraform_remote_state.cross-stack-reference-input-host-1.outputs.cross-stack-output-aws_iam_rolehost-1-hostarn}',
    ]);
    const broker = JSON.stringify(
      JSON.parse(identity.resource.aws_iam_policy['openclaw-research-broker'].policy),
    );
    expect(broker).not.toContain('notes-token');
  });

  test("THEN the host's cells parameter lists the file, and the checklist finds no error", () => {
    const doc = JSON.parse(identity.resource.aws_ssm_parameter['host-1-cells'].value);
    const research = doc.cells.find((c: Json) => c.gateway === 'openclaw-research-gateway');
    expect(research.mcpSecretFiles).toEqual([
      {
        server: 'memory',
        secret: 'openclaw/research/notes-token',
        file: 'notes-token',
        dir: '/run/openclaw/openclaw-research-mcp-memory/secrets',
      },
    ]);
    expect(built.fleet.agents.research.hostCell.mcpSecretFiles).toEqual(research.mcpSecretFiles);
    for (const [name, json] of Object.entries(stacks)) {
      const errors = errorsOf(OpenClawChecklist.auditSynthesized(json, name));
      expect([name, errors.map((e) => `${e.ruleId} ${e.address}`)]).toEqual([name, []]);
    }
  });
});

/** The error thrown while building one environment with these overrides. */
function wiringError(overrides: Parameters<typeof environment>[2]): string {
  try {
    environment(newApp(), '', overrides);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the environment to be refused');
}

describe('GIVEN wiring that cannot hold THEN refused, saying what to do', () => {
  test('a host of another environment', () => {
    expect(wiringError({ host: { namePrefix: 'prod-' } })).toBe(
      'host "prod-host-1" has namePrefix "prod-" but the fleet has ""; one environment\'s agents run on its own hosts, so give both the same namePrefix',
    );
  });

  test('a host in another region than the fleet', () => {
    expect(wiringError({ host: { region: 'eu-central-1' } })).toBe(
      'host "host-1" runs in eu-central-1 but the fleet\'s region is eu-west-1; the host reads its agents\' secrets through Secrets Manager in its own region, so give the fleet region "eu-central-1"',
    );
  });

  test('one host given to two fleets', () => {
    const app = newApp();
    const { hosts } = environment(app);
    const other = new TerraformStack(app, 'other');
    expect(
      () =>
        new AgentFleet(other, 'fleet-2', {
          tailnetDomain: 'tail1234.ts.net',
          region: 'eu-west-1',
          hosts: [{ agentHost: hosts['host-1'] }],
          agents: [presetAgents()[0]],
        }),
    ).toThrow(
      'host "host-1" is already given to AgentFleet "agents/fleet"; a host publishes one cells parameter, so put all of its agents in one fleet',
    );
  });

  test('a host given hand-written cells', () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'h');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const host = new AgentHost(stack, 'host', {
      ...HOST_PROPS,
      name: 'host-1',
      cells: [
        {
          gateway: 'openclaw-manual-gateway',
          gatewayTokenSecret: 'openclaw/manual/gateway-token',
          slice: 'openclaw-manual.slice',
          maxProcesses: 100,
        },
      ],
    });
    // the host publishes them itself, in the parameter a fleet would write
    expect(host.handWrittenCells).toBeDefined();
    const agents = new TerraformStack(app, 'agents');
    new TailscaleProvider(agents, 'tailscale', {});
    expect(
      () =>
        new AgentFleet(agents, 'fleet', {
          tailnetDomain: 'tail1234.ts.net',
          region: 'eu-west-1',
          hosts: [{ agentHost: host }],
          agents: [presetAgents()[0]],
        }),
    ).toThrow(
      'host "host-1" was given hand-written cells, and its cells parameter holds only those; give an AgentFleet\'s host no `cells` (the fleet publishes its agents\' cells itself)',
    );
  });

  test('one host listed twice', () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'h');
    const host = new AgentHost(stack, 'host', { ...HOST_PROPS, name: 'host-1' });
    expect(
      () =>
        new AgentFleet(new TerraformStack(app, 'agents'), 'fleet', {
          tailnetDomain: 'tail1234.ts.net',
          region: 'eu-west-1',
          hosts: [{ agentHost: host }, { agentHost: host }],
          agents: [{ ...presetAgents()[0], host: 'host-1' }],
        }),
    ).toThrow('host "host-1" is listed twice');
  });

  test('a name prefix that is not one', () => {
    expect(wiringError({ fleet: { namePrefix: 'Staging' } })).toBe(
      'AgentFleet namePrefix "Staging" is not a name prefix; give lower-case letters, digits and "-", at most 22 characters, ending in "-", such as "staging-"',
    );
    expect(
      () => new AgentHost(newApp(), 'h', { ...HOST_PROPS, name: 'h', namePrefix: 'prod' }),
    ).toThrow(
      'host "h" namePrefix "prod" is not a name prefix; give lower-case letters, digits and "-", at most 22 characters, ending in "-", such as "staging-"',
    );
  });

  test('a prefix and name too long for a tailnet host name', () => {
    const name = 'h'.repeat(50);
    expect(
      () => new AgentHost(newApp(), 'h', { ...HOST_PROPS, name, namePrefix: `${'p'.repeat(20)}-` }),
    ).toThrow(
      `host name "${'p'.repeat(20)}-${name}" (namePrefix and name) is not a tailnet host name; give lower-case letters, digits and "-", at most 63 characters`,
    );
  });

  test('an audit trail with neither agents nor a fleet', () => {
    expect(
      () =>
        new AuditTrail(new TerraformStack(newApp(), 's'), 'audit', {
          accountId: '123456789012',
          region: 'eu-west-1',
          activeHours: 'around-the-clock',
        }),
    ).toThrow(
      "AuditTrail needs its agents: give fleet (an AgentFleet, whose hosts it then grants writing their agents' logs) or agents (the agent names)",
    );
  });

  test('more cells than an SSM parameter holds', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      ...presetAgents()[2],
      name: `research-${i}`,
      cellIndex: i,
      host: 'host-1',
    }));
    expect(wiringError({ fleet: { agents: many } })).toMatch(
      /^host "host-1" runs 30 agents, whose cells document \(\d+ characters\) exceeds the 8 KB of an SSM parameter; put some of the agents on another host$/,
    );
  });
});

describe("GIVEN deploy access in a prefixed fleet's tailnet policy", () => {
  test("THEN the deployers reach the hosts' prefixed tag, which the policy owns", () => {
    const built = environment(newApp(), 'staging-', {
      fleet: { tailnetPolicyOptions: { hostAccess: { deployers: ['group:openclaw-deployers'] } } },
    });
    const policy = JSON.parse(synthApp(built.app)['staging-agents'].output.tailnet_policy.value);
    expect(Object.keys(policy.tagOwners)).toContain('tag:staging-openclaw-host');
    expect(policy.ssh).toEqual([
      expect.objectContaining({
        src: ['group:openclaw-deployers'],
        dst: ['tag:staging-openclaw-host'],
      }),
    ]);
  });

  test("THEN a hostAccess prefix other than the fleet's is refused", () => {
    expect(() =>
      environment(newApp(), 'staging-', {
        fleet: {
          tailnetPolicyOptions: {
            hostAccess: { deployers: ['group:openclaw-deployers'], namePrefix: 'prod-' },
          },
        },
      }),
    ).toThrow(
      'tailnetPolicyOptions.hostAccess namePrefix "prod-" is not the fleet\'s "staging-"; leave it out (the fleet\'s hosts take the fleet\'s prefix)',
    );
  });
});

describe('GIVEN two environments, staging- and prod-, in one app and one account', () => {
  const app = newApp();
  const staging = environment(app, 'staging-');
  const prod = environment(app, 'prod-');
  void staging;
  void prod;
  const stacks = synthApp(app);

  /** Every name a resource takes in the account, the tailnet or a Docker engine. */
  function names(prefix: string): string[] {
    const out: string[] = [];
    for (const [stack, json] of Object.entries(stacks)) {
      if (!stack.startsWith(prefix)) continue;
      for (const [type, byName] of Object.entries<Json>(json.resource ?? {})) {
        // images are shared on purpose; an inline policy's name is scoped to its role
        if (type === 'docker_image' || type === 'aws_iam_role_policy') continue;
        for (const body of Object.values<Json>(byName)) {
          for (const key of ['name', 'alarm_name', 'bucket', 'hostname'])
            if (typeof body[key] === 'string') out.push(`${type} ${body[key]}`);
          if (type === 'tailscale_tailnet_key') out.push(...body.tags);
        }
      }
      const policy = json.output?.tailnet_policy?.value;
      if (policy) out.push(...Object.keys(JSON.parse(policy).tagOwners));
    }
    return out;
  }

  test('THEN they have no name in common', () => {
    const a = names('staging-');
    const b = names('prod-');
    expect(a.length).toBeGreaterThan(100);
    expect(b.length).toBe(a.length);
    expect(a.filter((n) => b.includes(n))).toEqual([]);
  });

  test('THEN the checklist finds no error in any stack of either environment', () => {
    const checked = newApp();
    environment(checked, 'staging-');
    environment(checked, 'prod-');
    OpenClawChecklist.check(checked);
    for (const [name, json] of Object.entries(synthApp(checked))) {
      const errors = errorsOf(OpenClawChecklist.auditSynthesized(json, name));
      expect([name, errors.map((e) => `${e.ruleId} ${e.address}`)]).toEqual([name, []]);
    }
  });

  test('THEN every name of an environment carries its prefix', () => {
    for (const prefix of ['staging-', 'prod-']) {
      const missing = names(prefix).filter((n) => !n.includes(prefix));
      expect([prefix, missing]).toEqual([prefix, []]);
    }
  });

  test("THEN each host's cells parameter and tailnet name carry the prefix", () => {
    expect(stacks['prod-identity'].resource.aws_ssm_parameter['prod-host-1-cells'].name).toBe(
      '/prod-openclaw/hosts/host-1/cells',
    );
    expect(prod.hosts['host-1'].tailnetName).toBe('prod-host-1');
    const cells = JSON.parse(
      stacks['prod-identity'].resource.aws_ssm_parameter['prod-host-1-cells'].value,
    ).cells;
    expect(cells.map((c: Json) => c.gatewayTokenSecret)).toEqual([
      'prod-openclaw/calendar-and-mail/gateway-token',
      'prod-openclaw/messaging/gateway-token',
      'prod-openclaw/research/gateway-token',
    ]);
  });

  test('THEN two hosts on one network ACL still need their own rule numbers', () => {
    const clash = newApp();
    const host = (prefix: string, ruleNumber?: number) =>
      new AgentHost(new TerraformStack(clash, `${prefix}acl-host-${ruleNumber ?? 1}`), 'host', {
        ...HOST_PROPS,
        name: 'host-1',
        namePrefix: prefix,
        networkAclId: 'acl-0123456789abcdef0',
        networkAclRuleNumber: ruleNumber,
      });
    host('staging-');
    expect(() => host('prod-')).toThrow(
      'hosts "staging-host-1" and "prod-host-1" would both put 18789 deny entries at rule number 1 of network ACL "acl-0123456789abcdef0" (a host takes networkAclRuleNumber and the next; "staging-host-1" takes 1 and 2); give host "prod-host-1" its own networkAclRuleNumber, such as 3',
    );
    expect(() => host('prod-', 3)).not.toThrow();
  });
});
