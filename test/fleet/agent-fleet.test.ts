import * as fs from 'fs';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { AgentFleet, cellAddresses, defaultCellIndex, OpenClawAgent, RiskProfile } from '../../src';
import { PROFILE_PARTS } from '../../src/fleet/risk-profile';
import {
  addresses,
  anthropic,
  buildFleet,
  fleetError,
  HOST_1,
  Json,
  NO_ROTATION,
  presetAgents,
  synth,
} from './helpers';

function env(container: Json): Map<string, string> {
  return new Map(
    (container.env as string[]).map((e) => [
      e.slice(0, e.indexOf('=')),
      e.slice(e.indexOf('=') + 1),
    ]),
  );
}

describe('AgentFleet: one agent per preset', () => {
  const { docker, identity, fleet } = buildFleet();
  const out = synth(docker);
  const ids = synth(identity);
  const names = ['messaging', 'calendar-and-mail', 'research', 'shell'];

  test('every agent has its own cell: network, sidecar, broker, gateway, volume', () => {
    for (const n of names) {
      expect(out.resource.docker_network[`openclaw-${n}`].internal).toBe(true);
      expect(out.resource.docker_container[`openclaw-${n}-gateway`]).toBeDefined();
      expect(out.resource.docker_container[`openclaw-${n}-broker`]).toBeDefined();
      expect(out.resource.docker_container[`openclaw-${n}-tailscale`]).toBeDefined();
      expect(out.resource.docker_volume[`openclaw-${n}-gateway-state`]).toBeDefined();
    }
    const subnets = names.map(
      (n) => out.resource.docker_network[`openclaw-${n}`].ipam_config[0].subnet,
    );
    expect(new Set(subnets).size).toBe(names.length);
    const gatewayNetworks = names.map((n) =>
      JSON.stringify(out.resource.docker_container[`openclaw-${n}-gateway`].networks_advanced),
    );
    expect(new Set(gatewayNetworks).size).toBe(names.length);
  });

  test('every agent has its own tailnet tag and key, and the policy grants each on 443 only', () => {
    const tags = names.map((n) => out.resource.tailscale_tailnet_key[`openclaw-${n}`].tags);
    expect(tags).toEqual(names.map((n) => [`tag:openclaw-${n}`]));
    const policy = JSON.parse(out.output.tailnet_policy.value);
    expect(policy.grants).toEqual(
      expect.arrayContaining([
        { src: ['group:ops'], dst: ['tag:openclaw-shell'], ip: ['tcp:443'] },
      ]),
    );
    expect(policy.grants).toHaveLength(names.length);
  });

  test('every agent has its own KMS key, secrets and broker role; roles read only their own agent', () => {
    for (const n of names) {
      expect(ids.resource.aws_kms_key[`openclaw-${n}`]).toBeDefined();
      expect(ids.resource.aws_secretsmanager_secret[`openclaw-${n}-anthropic`].name).toBe(
        `openclaw/${n}/anthropic`,
      );
      expect(ids.resource.aws_secretsmanager_secret[`openclaw-${n}-gateway-token`]).toBeDefined();
      const role = ids.resource.aws_iam_role[`openclaw-${n}-broker-role`];
      expect(role.name).toBe(`openclaw-${n}-broker`);
      const trust = JSON.parse(role.assume_role_policy);
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Principal: {
            AWS: n === 'shell' ? 'arn:aws:iam::123456789012:role/openclaw-host-2-host' : HOST_1,
          },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:RoleSessionName': `openclaw-${n}-broker` } },
        }),
      ]);
      const policy = JSON.parse(ids.resource.aws_iam_policy[`openclaw-${n}-broker`].policy);
      const read = policy.Statement.find((s: Json) => s.Sid === 'ReadOwnSecrets');
      for (const arn of read.Resource as string[]) {
        expect(arn).toMatch(new RegExp(`aws_secretsmanager_secret\\.openclaw-${n}-`));
      }
      expect(
        ids.resource.aws_iam_role_policy_attachment[`openclaw-${n}-broker-secrets`],
      ).toBeDefined();
    }
    // the gateway token is read by the host, the keys by the agent's broker role only
    const tokenPolicy = JSON.parse(
      ids.resource.aws_secretsmanager_secret_policy['openclaw-research-gateway-token'].policy,
    );
    expect(tokenPolicy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
      HOST_1,
    ]);
    const keyPolicy = JSON.parse(
      ids.resource.aws_secretsmanager_secret_policy['openclaw-research-anthropic'].policy,
    );
    expect(keyPolicy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
      '${aws_iam_role.openclaw-research-broker-role.arn}',
    ]);
  });

  test('the broker assumes its own role and reaches only what the profile grants', () => {
    const broker = out.resource.docker_container['openclaw-calendar-and-mail-broker'];
    const e = env(broker);
    expect(e.get('BROKER_ROLE_ARN')).toMatch(/openclaw-calendar-and-mail-broker-role/);
    const config = JSON.parse(e.get('BROKER_CONFIG')!);
    expect(config.upstreams.map((u: Json) => [u.name, u.secret])).toEqual([
      ['anthropic', 'openclaw/calendar-and-mail/anthropic'],
      ['gmail', 'openclaw/calendar-and-mail/gmail'],
      ['calendar', 'openclaw/calendar-and-mail/calendar'],
    ]);
    expect(config.connectAllowlist).toEqual([
      'gmail.googleapis.com:443',
      'oauth2.googleapis.com:443',
      'www.googleapis.com:443',
    ]);
    const research = JSON.parse(
      env(out.resource.docker_container['openclaw-research-broker']).get('BROKER_CONFIG')!,
    );
    expect(research.connectAllowlist).toEqual(['docs.python.org:443']);
    const shell = JSON.parse(
      env(out.resource.docker_container['openclaw-shell-broker']).get('BROKER_CONFIG')!,
    );
    expect(shell.connectAllowlist).toEqual([]);
  });

  test('each gateway config follows its profile', () => {
    const doc = (n: string) =>
      JSON.parse(
        env(out.resource.docker_container[`openclaw-${n}-gateway`]).get('OPENCLAW_CONFIG_JSON')!,
      );
    const messaging = doc('messaging');
    expect(messaging.tools.profile).toBe('messaging');
    expect(messaging.tools.exec).toEqual({ mode: 'deny' });
    expect(messaging.tools.deny).toEqual(
      expect.arrayContaining(['group:runtime', 'group:fs', 'group:web']),
    );
    expect(messaging.proxy).toBeUndefined();
    const broker = fleet.agents.messaging.addresses.broker;
    expect(
      env(out.resource.docker_container['openclaw-messaging-gateway']).get('HTTPS_PROXY'),
    ).toBe(`http://${broker}:8080`);
    expect(
      env(out.resource.docker_container['openclaw-messaging-gateway']).get('NO_PROXY')!.split(','),
    ).toContain(broker);
    const research = doc('research');
    expect(research.tools.alsoAllow).toEqual(['web_fetch', 'web_search']);
    expect(research.models.providers.anthropic.baseUrl).toBe(
      `http://${fleet.agents.research.addresses.broker}:8080/anthropic`,
    );
    expect(research.agents.defaults.model.primary).toBe('anthropic/claude-sonnet-4-5');
    const shell = doc('shell');
    expect(shell.tools.exec).toMatchObject({ security: 'allowlist', ask: 'always' });
    expect(shell.tools.alsoAllow).toEqual(['exec']);
    expect(shell.proxy).toBeUndefined();
    expect(env(out.resource.docker_container['openclaw-shell-gateway']).get('HTTPS_PROXY')).toBe(
      undefined,
    );
    const mail = doc('calendar-and-mail');
    expect(mail.tools.exec).toEqual({ mode: 'deny' });
    expect(mail.models.providers.gmail).toBeUndefined();
  });

  test('the shell gateway applies its allowlist to the approvals store before it starts', () => {
    const gateway = out.resource.docker_container['openclaw-shell-gateway'];
    const approvals = JSON.parse(env(gateway).get('OPENCLAW_EXEC_APPROVALS_JSON')!);
    expect(approvals.agents.main).toMatchObject({
      security: 'allowlist',
      ask: 'always',
      askFallback: 'deny',
    });
    expect(approvals.agents.main.allowlist.map((e: Json) => e.pattern)).toEqual(
      PROFILE_PARTS.readOnlyCommands,
    );
    const script: string = gateway.entrypoint[2];
    expect(script.indexOf('approvals set --stdin')).toBeGreaterThan(0);
    expect(script.indexOf('approvals set --stdin')).toBeLessThan(script.indexOf('gateway run'));
    // agents without a shell carry no approvals document
    expect(
      env(out.resource.docker_container['openclaw-research-gateway']).has(
        'OPENCLAW_EXEC_APPROVALS_JSON',
      ),
    ).toBe(false);
    expect(out.resource.docker_container['openclaw-research-gateway'].entrypoint[2]).not.toMatch(
      /approvals/,
    );
  });

  test('the shell agent runs on its own host; the others on the shared one', () => {
    for (const [type, byName] of Object.entries(
      out.resource as Record<string, Record<string, Json>>,
    )) {
      if (!type.startsWith('docker_')) continue;
      for (const [n, r] of Object.entries(byName)) {
        expect([n, r.provider]).toEqual([
          n,
          n.startsWith('openclaw-shell') ? 'docker.host-2' : 'docker.host-1',
        ]);
      }
    }
    expect(fleet.hostCells('host-2')).toEqual([
      {
        gateway: 'openclaw-shell-gateway',
        gatewayTokenSecret: 'openclaw/shell/gateway-token',
        slice: 'openclaw-shell.slice',
        maxProcesses: 100,
        brokerAddress: fleet.agents.shell.addresses.brokerEgress,
        sidecarStateDir: '/var/lib/openclaw/openclaw-shell/tailscale',
        cellSubnet: fleet.agents.shell.addresses.subnet,
      },
    ]);
    expect(fleet.hostCells('host-1').map((c) => c.gateway)).toEqual([
      'openclaw-messaging-gateway',
      'openclaw-calendar-and-mail-gateway',
      'openclaw-research-gateway',
    ]);
  });

  test('gateways are labelled with agent, profile and credential kinds; secrets with kind and scopes', () => {
    const labels = Object.fromEntries(
      out.resource.docker_container['openclaw-calendar-and-mail-gateway'].labels.map((l: Json) => [
        l.label,
        l.value,
      ]),
    );
    expect(labels).toMatchObject({
      'openclaw.agent': 'calendar-and-mail',
      'openclaw.profile': 'calendar-and-mail',
      'openclaw.credential-kinds': 'calendar,mail,model',
    });
    expect(ids.resource.aws_secretsmanager_secret['openclaw-calendar-and-mail-gmail'].tags).toEqual(
      {
        'openclaw:kind': 'mail',
        'openclaw:scopes': 'https://www.googleapis.com/auth/gmail.readonly',
      },
    );
  });
});

describe('AgentFleet: names derive from agent names only', () => {
  test('adding an agent renames nothing', () => {
    const three = buildFleet({ agents: presetAgents().slice(0, 3) });
    const four = buildFleet();
    const before = [...addresses(synth(three.docker)), ...addresses(synth(three.identity))];
    const after = [...addresses(synth(four.docker)), ...addresses(synth(four.identity))];
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.length).toBeGreaterThan(before.length);
    // and nobody's cell moves
    for (const n of ['messaging', 'calendar-and-mail', 'research']) {
      expect(four.fleet.agents[n].addresses).toEqual(three.fleet.agents[n].addresses);
    }
  });

  test('the cell index depends on the name (and the prefix) alone', () => {
    expect(defaultCellIndex('research')).toBe(defaultCellIndex('research'));
    expect(cellAddresses(7)).toEqual({
      subnet: '172.30.7.0/24',
      sidecar: '172.30.7.2',
      broker: '172.30.7.3',
      gateway: '172.30.7.10',
      brokerEgressSubnet: '172.31.7.0/28',
      brokerEgress: '172.31.7.2',
      sidecarEgressSubnet: '172.29.7.0/28',
    });
    expect(() => cellAddresses(256)).toThrow(/cellIndex 256 must be a whole number from 0 to 255/);
  });
});

describe('AgentFleet rejects', () => {
  const [messaging, mail, research, shell] = presetAgents();

  test('one credential attached to two agents', () => {
    const shared = anthropic();
    expect(
      fleetError({
        agents: [
          { ...research, credentials: [shared] },
          { ...messaging, credentials: [shared] },
        ],
      }),
    ).toMatch(
      /credential "anthropic" is attached to agents "research" and "messaging"; give each agent its own credential/,
    );
    const existing = {
      arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/anthropic-AbCdEf',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000',
    };
    expect(
      fleetError({
        agents: [
          { ...research, credentials: [{ ...anthropic(), existingSecret: existing }] },
          { ...messaging, credentials: [{ ...anthropic(), existingSecret: existing }] },
        ],
      }),
    ).toMatch(
      /secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:team\/anthropic-AbCdEf is attached to agents "research" and "messaging"/,
    );
  });

  test('a shell agent on the same host as mail, calendar or chat credentials', () => {
    expect(
      fleetError({
        agents: [
          mail,
          {
            ...shell,
            host: 'host-1',
            dangerouslyShareHost: { reason: 'a single host in the test lab for now' },
          },
        ],
      }),
    ).toMatch(
      /agent "shell" has shell access and shares host "host-1" with agent "calendar-and-mail", which holds mail, calendar credentials; put "shell" on a host of its own/,
    );
  });

  test('a profile that asks for its own host sharing one, unless a reason is given', () => {
    expect(fleetError({ agents: [research, { ...shell, host: 'host-1' }] })).toMatch(
      /agent "shell" \(profile shell\) asks for a host of its own but shares host "host-1" with "research"; add a host for it and set host, or set dangerouslyShareHost with a reason/,
    );
    const { fleet } = buildFleet({
      agents: [
        research,
        {
          ...shell,
          host: 'host-1',
          dangerouslyShareHost: { reason: 'a single host in the test lab for now' },
        },
      ],
    });
    expect(fleet.agents.shell.weakenings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'shared-host',
          reason: 'a single host in the test lab for now',
        }),
      ]),
    );
  });

  test('a credential with scopes to check but none listed', () => {
    expect(
      fleetError({
        agents: [
          { ...mail, credentials: [anthropic(), { name: 'gmail', kind: 'mail', ...NO_ROTATION }] },
        ],
      }),
    ).toMatch(/credential "gmail" lists no scopes; give the OAuth scopes its token carries/);
  });

  test('hosts that are one host under two names, or several hosts without their providers', () => {
    expect(
      fleetError({
        hosts: [
          { name: 'host-1', roleArn: HOST_1 },
          { name: 'host-2', roleArn: HOST_1 },
        ],
      }),
    ).toMatch(/hosts "host-1" and "host-2" share a role, so they are one host/);
    expect(
      fleetError({
        hosts: [
          { name: 'host-1', roleArn: HOST_1 },
          { name: 'host-2', roleArn: 'arn:aws:iam::123456789012:role/openclaw-host-2-host' },
        ],
      }),
    ).toMatch(/with 2 hosts, every host needs its docker provider; "host-1", "host-2" has none/);
  });

  test('two agents on one internal network', () => {
    expect(
      fleetError({
        agents: [
          { ...research, cellIndex: 9 },
          { ...messaging, cellIndex: 9 },
        ],
      }),
    ).toMatch(
      /agents "research" and "messaging" would share the cell network 172.30.9.0\/24; give one of them its own cellIndex/,
    );
  });

  test('two agents with one name, an unknown host, a missing host', () => {
    expect(fleetError({ agents: [research, { ...research }] })).toMatch(
      /two agents are named "research"; give the second one a name of its own, such as "research-2"/,
    );
    expect(fleetError({ agents: [{ ...research, host: 'host-9' }] })).toMatch(
      /agent "research" names host "host-9", which is not in hosts \(host-1, host-2\)/,
    );
    expect(fleetError({ agents: [{ ...research, host: undefined }] })).toMatch(
      /agent "research" has no host and the fleet has 2; set host to one of host-1, host-2/,
    );
  });

  test('credential kinds the profile does not accept', () => {
    expect(
      fleetError({
        agents: [
          { ...shell, credentials: [anthropic(), { name: 'gmail', kind: 'mail', ...NO_ROTATION }] },
        ],
      }),
    ).toMatch(
      /agent "shell" \(profile shell\) may not hold mail credential "gmail"; the profile accepts model/,
    );
  });

  test('scopes wider than the profile, unless reason-gated', () => {
    expect(
      fleetError({
        agents: [
          {
            ...mail,
            credentials: [
              anthropic(),
              { name: 'gmail', kind: 'mail', scopes: ['https://mail.google.com/'], ...NO_ROTATION },
            ],
          },
        ],
      }),
    ).toMatch(
      /credential "gmail" has scopes wider than the profile allows: "https:\/\/mail.google.com\/" grants full Gmail access .*use "https:\/\/www.googleapis.com\/auth\/gmail.readonly". Narrow the token, or set dangerouslyWidenScopes with a reason/,
    );
    expect(
      fleetError({
        agents: [
          {
            ...research,
            credentials: [
              anthropic(),
              { name: 'github', kind: 'code', scopes: ['repo'], ...NO_ROTATION },
            ],
          },
        ],
      }),
    ).toMatch(/"repo" grants read and write on every private repository; use "public_repo"/);

    const { fleet, identity } = buildFleet({
      agents: [
        {
          ...research,
          credentials: [
            anthropic(),
            {
              name: 'github',
              kind: 'code',
              scopes: ['repo'],
              dangerouslyWidenScopes: { reason: 'the agent reads one private repository of docs' },
              upstream: { baseUrl: 'https://api.github.com', auth: 'bearer' },
              ...NO_ROTATION,
            },
          ],
        },
      ],
    });
    expect(fleet.agents.research.weakenings).toEqual(
      expect.arrayContaining([
        {
          id: 'wide-scopes:github',
          what: 'github carries repo',
          reason: 'the agent reads one private repository of docs',
        },
      ]),
    );
    const dir = Testing.fullSynth(identity);
    const full = JSON.parse(
      fs.readFileSync(path.join(dir, 'stacks', 'identity', 'cdk.tf.json'), 'utf8'),
    );
    const secret = full.resource.aws_secretsmanager_secret['openclaw-research-github'];
    expect(secret.tags).toEqual({ 'openclaw:kind': 'code', 'openclaw:scopes': 'repo' });
    expect(secret['//'].openclaw_checklist.suppressions).toEqual(
      expect.arrayContaining([
        {
          ruleId: 'OC09-MinimalScopes',
          reason: 'scopes widened on purpose: the agent reads one private repository of docs',
        },
      ]),
    );
  });

  test('MCP servers outside the profile allowlist, or without an exact version', () => {
    expect(
      fleetError({
        agents: [
          {
            ...research,
            mcpServers: [
              { name: 'github', package: '@modelcontextprotocol/server-github@2025.4.8' },
            ],
          },
        ],
      }),
    ).toMatch(
      /MCP server "github" runs @modelcontextprotocol\/server-github, which the profile does not allow \(none\); allow it in a custom profile's mcpPackages/,
    );
    const profile = RiskProfile.custom(RiskProfile.research(), {
      name: 'research-github',
      mcpPackages: ['@modelcontextprotocol/server-github'],
    });
    expect(
      fleetError({
        agents: [
          {
            ...research,
            profile,
            mcpServers: [{ name: 'github', package: '@modelcontextprotocol/server-github@latest' }],
          },
        ],
      }),
    ).toMatch(/MCP server "github".*exact version/);
    const { fleet } = buildFleet({
      agents: [
        {
          ...research,
          profile,
          mcpServers: [
            {
              name: 'github',
              package: '@modelcontextprotocol/server-github@2025.4.8',
              integrity: `sha512-${'A'.repeat(86)}==`,
            },
          ],
        },
      ],
    });
    expect(fleet.agents['research-github']).toBeDefined();
    expect(Object.keys(fleet.agents['research-github'].mcpServers)).toEqual(['github']);
  });

  test('an agent without a model credential, or a model credential without an upstream', () => {
    expect(fleetError({ agents: [{ ...research, credentials: [] }] })).toMatch(
      /agent "research" \(profile research\) has no model credential/,
    );
    expect(
      fleetError({
        agents: [{ ...research, credentials: [{ name: 'claude', kind: 'model', ...NO_ROTATION }] }],
      }),
    ).toMatch(/model credential "claude" needs an upstream/);
  });

  test('a reserved or repeated credential name, a bad host role, a bad existing secret', () => {
    expect(
      fleetError({
        agents: [
          {
            ...research,
            credentials: [
              anthropic(),
              { name: 'gateway-token', kind: 'model', upstream: 'openai', ...NO_ROTATION },
            ],
          },
        ],
      }),
    ).toMatch(
      /lists credential "gateway-token" twice \(or uses the reserved name "gateway-token"\)/,
    );
    expect(
      fleetError({ hosts: [{ name: 'host-1', roleArn: 'host-role' }], agents: [research] }),
    ).toMatch(/host "host-1" roleArn "host-role" is not an IAM role ARN/);
    expect(fleetError({ region: 'Frankfurt' })).toMatch(
      /AgentFleet region "Frankfurt" is not an AWS region; give a literal such as "eu-west-1" or a reference/,
    );
    expect(
      fleetError({
        agents: [
          {
            ...research,
            credentials: [
              {
                ...anthropic(),
                existingSecret: {
                  arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/*',
                  kmsKeyArn: 'x',
                },
              },
            ],
          },
        ],
      }),
    ).toMatch(
      /existingSecret.arn ".*" is not the ARN of a Secrets Manager secret \(exact, no wildcard\); give a literal such as ".*" or a reference/,
    );
  });
});

describe('OpenClawAgent on its own', () => {
  test('without an identity scope, its AWS resources sit inside it', () => {
    const stack = new TerraformStack(Testing.app(), 'one');
    const agent = new OpenClawAgent(stack, 'research', {
      profile: RiskProfile.research(),
      tailnetDomain: 'tail1234.ts.net',
      allow: ['group:research'],
      region: 'eu-west-1',
      hostRoleArn: HOST_1,
      gatewayToken: NO_ROTATION,
      credentials: [anthropic()],
    });
    expect(agent.brokerRole.node.path).toBe('one/research/identity/broker-role');
    expect(agent.gateway.gatewayConfig.rendered.document).toMatchObject({
      tools: { profile: 'minimal' },
    });
  });

  test('GIVEN a host with fewer cores than a gateway asks for THEN synth says so (Docker would refuse it at create)', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const make = (id: string, cpus: number, gatewayCpus?: number): AgentFleet =>
      new AgentFleet(stack, id, {
        tailnetDomain: 'tail1234.ts.net',
        region: 'eu-west-1',
        hosts: [{ name: 'small-host', roleArn: HOST_1, cpus }],
        agents: [
          {
            ...presetAgents()[2],
            host: 'small-host',
            ...(gatewayCpus !== undefined ? { gatewayCpus } : {}),
          },
        ],
      });
    expect(() => make('a', 1)).toThrow(
      /gives its gateway cpus 2, but host "small-host" has 1 CPU core, and Docker refuses a CPU limit above the host's cores at create; set gatewayCpus to 1 or less/,
    );
    expect(() => make('b', 0)).toThrow(/host "small-host" cpus 0 is not a number of CPU cores/);
    const fleet = make('c', 1, 1);
    const gateway = Object.values(fleet.agents)[0].gateway.container;
    expect(gateway.cpuQuotaInput).toBe(100000);
  });

  test('AgentFleet needs agents and hosts', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(
      () =>
        new AgentFleet(stack, 'f', {
          tailnetDomain: 'tail1234.ts.net',
          region: 'eu-west-1',
          hosts: [],
          agents: [presetAgents()[2]],
        }),
    ).toThrow(/at least one host/);
    expect(
      () =>
        new AgentFleet(stack, 'g', {
          tailnetDomain: 'tail1234.ts.net',
          region: 'eu-west-1',
          hosts: [{ name: 'h', roleArn: HOST_1 }],
          agents: [],
        }),
    ).toThrow(/at least one agent/);
  });
});

describe('AgentFleet audit logs', () => {
  test('GIVEN auditLogs THEN every container of every agent writes to its own log group', () => {
    const { docker } = buildFleet({ auditLogs: true });
    const all = Object.values(synth(docker).resource.docker_container) as Json[];
    // the tailnet key drops are never started, so they have nothing to log
    const containers = all.filter((c) => c.start !== false);
    expect(all).toHaveLength(16);
    expect(containers).toHaveLength(12);
    const groups = containers.map((c) => {
      expect(c.log_driver).toBe('awslogs');
      expect(c.log_opts['awslogs-create-group']).toBe('false');
      expect(c.log_opts['awslogs-region']).toBe('eu-west-1');
      return c.log_opts['awslogs-group'];
    });
    expect(new Set(groups).size).toBe(12);
    expect(groups).toContain('/openclaw/research/gateway');
    expect(groups).toContain('/openclaw/shell/broker');
    expect(groups).toContain('/openclaw/messaging/sidecar');
  });

  test('by default the containers keep json-file logs on the host', () => {
    const { docker } = buildFleet();
    const containers = Object.values(synth(docker).resource.docker_container) as Json[];
    expect(containers.map((c) => c.log_driver)).toEqual(containers.map(() => 'json-file'));
  });
});
