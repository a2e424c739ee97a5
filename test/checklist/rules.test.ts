import * as fs from 'fs';
import * as path from 'path';
import { auditStack, OPENCLAW_CHECKLIST_RULES, readStack } from '../../src';
import { withElsewhere } from '../../src/checklist/model';
import { brokenStack, compliantStack, configOf, gw, Json, setConfig } from './fixtures';

const audit = (json: Json) => auditStack(readStack(json, 'fixture'));

/** One way to break the compliant stack per rule, and the address the finding must name. */
const BREAKS: Record<string, [string, (s: Json) => void]> = {
  'OC01-GatewayPortNotPublished': [
    'docker_container.gw',
    (s) => (gw(s).ports = [{ internal: 18789, external: 18789 }]),
  ],
  'OC01-NoPublicIngress': [
    'aws_security_group.host',
    (s) =>
      (s.resource.aws_security_group.host.ingress = [
        { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
      ]),
  ],
  'OC01-GatewayPortNotOpen': [
    'aws_security_group_rule.lb',
    (s) =>
      Object.assign(s.resource.aws_security_group_rule.lb, {
        from_port: 18000,
        to_port: 19000,
        cidr_blocks: ['0.0.0.0/1', '128.0.0.0/1'],
        source_security_group_id: undefined,
      }),
  ],
  'OC01-ServeNoFunnel': [
    'docker_container.gw-tailscale',
    (s) =>
      s.resource.docker_container['gw-tailscale'].env.push(
        `TS_SERVE_CONFIG=${JSON.stringify({ AllowFunnel: { 'gw.tail1234.ts.net:443': true } })}`,
      ),
  ],
  'OC01-NaclGatewayPort': [
    'aws_network_acl.private',
    (s) => (s.resource.aws_network_acl_rule.deny6.rule_action = 'allow'),
  ],
  'OC01-InstancePrivate': [
    'aws_instance.host',
    (s) => (s.resource.aws_instance.host.key_name = 'deploy'),
  ],
  'OC11-InstanceImdsv2': [
    'aws_instance.host',
    (s) => (s.resource.aws_instance.host.metadata_options.http_tokens = 'optional'),
  ],
  'OC11-VolumesEncrypted': [
    'aws_instance.host',
    (s) => (s.resource.aws_instance.host.root_block_device.encrypted = false),
  ],
  'OC01-ConfigExposure': [
    'local.openclaw_config_gw',
    (s) => setConfig(s, (d) => (d.gateway.bind = 'lan')),
  ],
  'OC01-TailnetPolicy': [
    'tailscale_acl.policy',
    (s) =>
      (s.resource.tailscale_acl.policy.acl = JSON.stringify({
        grants: [
          { src: ['group:research'], dst: ['tag:openclaw-research'], ip: ['tcp:443', 'tcp:18789'] },
        ],
      })),
  ],
  'OC02-TrustedProxiesExact': [
    'local.openclaw_config_gw',
    (s) => setConfig(s, (d) => (d.gateway.trustedProxies = ['172.16.0.0/12'])),
  ],
  'OC02-TrustedProxiesMatchProxy': [
    'docker_container.gw',
    (s) =>
      (gw(s).env = gw(s).env.map((e: string) =>
        e.startsWith('OPENCLAW_CONFIG_JSON=') ? e.replace('172.30.0.2/32', '172.30.0.9/32') : e,
      )),
  ],
  'OC03-MdnsOff': [
    'local.openclaw_config_gw',
    (s) => setConfig(s, (d) => (d.discovery.mdns.mode = 'minimal')),
  ],
  'OC03-ContainerBonjourOff': ['docker_container.gw', (s) => (gw(s).env = [])],
  'OC04-GatewayNoEgress': [
    'docker_container.gw',
    (s) => (s.resource.docker_network.cell.internal = false),
  ],
  'OC04-McpNoDirectEgress': [
    'docker_container.gw-mcp-notes',
    (s) =>
      s.resource.docker_container['gw-mcp-notes'].networks_advanced.push({
        name: '${docker_network.cell.name}',
      }),
  ],
  'OC07-McpSecretsOwnContainer': [
    'docker_container.gw',
    (s) =>
      gw(s).mounts.push({
        type: 'bind',
        source: '/run/openclaw/gw-mcp-notes/secrets',
        target: '/srv/notes-secrets',
        read_only: true,
      }),
  ],
  'OC05-CapabilitiesDropped': [
    'docker_container.gw',
    (s) => (gw(s).capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }),
  ],
  'OC05-NoNewPrivileges': [
    'docker_container.gw',
    (s) => (gw(s).security_opts = gw(s).security_opts.slice(1)),
  ],
  'OC05-SeccompProfile': [
    'docker_container.gw',
    (s) =>
      (gw(s).security_opts = [
        'no-new-privileges:true',
        'seccomp=unconfined',
        'apparmor=docker-default',
      ]),
  ],
  'OC05-AppArmorProfile': [
    'docker_container.gw',
    (s) => (gw(s).security_opts = gw(s).security_opts.slice(0, 2).concat('apparmor=unconfined')),
  ],
  'OC05-NotPrivileged': ['docker_container.gw', (s) => (gw(s).privileged = true)],
  'OC06-NonRootUser': ['docker_container.gw', (s) => (gw(s).user = '0:0')],
  'OC06-ReadOnlyRoot': ['docker_container.gw', (s) => delete gw(s).read_only],
  'OC06-TmpfsNoexec': ['docker_container.gw', (s) => (gw(s).tmpfs = { '/tmp': 'rw,size=1g' })],
  'OC06-ResourceLimits': ['docker_container.gw', (s) => delete gw(s).memory],
  'OC06-ProcessLimit': ['docker_container.gw', (s) => delete gw(s).cgroup_parent],
  'OC07-BindMountsSafe': [
    'docker_container.gw',
    (s) =>
      gw(s).mounts.push({
        type: 'bind',
        source: '/var/run/docker.sock',
        target: '/var/run/docker.sock',
        read_only: true,
      }),
  ],
  'OC07-NoDockerSocket': [
    'docker_container.gw',
    (s) =>
      gw(s).mounts.push({
        type: 'bind',
        source: '/run/docker.sock',
        target: '/var/run/docker.sock',
        read_only: true,
      }),
  ],
  'OC07-BindMountsReadOnly': ['docker_container.gw', (s) => (gw(s).mounts[1].read_only = false)],
  'OC08-ShellAllowlistApproval': [
    'local.openclaw_config_gw',
    (s) => setConfig(s, (d) => (d.tools.exec = { mode: 'full' })),
  ],
  'OC09-IamLeastPrivilege': [
    'aws_iam_policy.broker',
    (s) =>
      (s.resource.aws_iam_policy.broker.policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }],
      })),
  ],
  'OC09-MinimalScopes': [
    'aws_secretsmanager_secret.token',
    (s) =>
      (s.resource.aws_secretsmanager_secret.token.tags['openclaw:scopes'] =
        'https://mail.google.com/'),
  ],
  'OC10-NoSharedCredentials': [
    'docker_container.gw2-broker',
    (s) => {
      const env = [...s.resource.docker_container['gw-broker'].env];
      env[0] = env[0].replace('"agent":"gw"', '"agent":"gw2"');
      s.resource.docker_container['gw2-broker'] = {
        ...s.resource.docker_container['gw-broker'],
        name: 'gw2-broker',
        env,
        networks_advanced: [{ name: 'other-cell' }],
      };
    },
  ],
  'OC10-NoShellWithPersonalData': [
    'docker_container.gw',
    (s) => {
      const env = gw(s).env as string[];
      const i = env.findIndex((e) => e.startsWith('OPENCLAW_CONFIG_JSON='));
      const doc = JSON.parse(env[i].slice('OPENCLAW_CONFIG_JSON='.length));
      doc.tools.exec = { security: 'allowlist', ask: 'always' };
      doc.tools.deny = doc.tools.deny.filter((t: string) => t !== 'group:runtime');
      env[i] = `OPENCLAW_CONFIG_JSON=${JSON.stringify(doc)}`;
      const broker = s.resource.docker_container['gw-broker'];
      broker.env = [
        broker.env[0].replace(
          '"connectAllowlist":[]',
          '"connectAllowlist":["gmail.googleapis.com:443"]',
        ),
      ];
    },
  ],
  'OC10-SeparateCells': [
    'docker_container.gw2',
    (s) => (s.resource.docker_container.gw2 = { ...gw(s), name: 'gw2' }),
  ],
  'OC11-SecretValueNotInState': [
    'aws_secretsmanager_secret_version.token',
    (s) =>
      (s.resource.aws_secretsmanager_secret_version.token = {
        secret_id: '${aws_secretsmanager_secret.token.id}',
        secret_string: 'hunter2',
      }),
  ],
  'OC11-SecretEncryptedWithCmk': [
    'aws_secretsmanager_secret.token',
    (s) => delete s.resource.aws_secretsmanager_secret.token.kms_key_id,
  ],
  'OC11-KmsKeyRotation': [
    'aws_kms_key.agent',
    (s) => (s.resource.aws_kms_key.agent.enable_key_rotation = false),
  ],
  'OC11-SecretRotation': [
    'aws_secretsmanager_secret.token',
    (s) => delete s.resource.aws_secretsmanager_secret_rotation,
  ],
  'OC11-NoLiteralSecretsInConfig': [
    'local.openclaw_config_gw',
    (s) => setConfig(s, (d) => (d.gateway.auth.token = 'a-literal-token-value')),
  ],
  'OC11-NoSecretsInContainerEnv': [
    'docker_container.gw',
    (s) => gw(s).env.push('GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz012345'),
  ],
  'OC11-NoSecretsInUserData': [
    'aws_instance.host',
    (s) =>
      (s.resource.aws_instance.host.user_data =
        '#!/bin/bash\nexport ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz\n'),
  ],
  'OC11-TailnetKeySingleUse': [
    'tailscale_tailnet_key.gw',
    (s) => (s.resource.tailscale_tailnet_key.gw.reusable = true),
  ],
  'OC12-BrokeredCredentials': [
    'docker_container.gw',
    (s) => gw(s).env.push('ANTHROPIC_API_KEY=${var.key}'),
  ],
  'OC13-ImageVersionTag': [
    'docker_image.gw',
    (s) => (s.resource.docker_image.gw.name = 'ghcr.io/openclaw/openclaw:latest'),
  ],
  'OC13-ImageDigest': [
    'docker_image.gw',
    (s) => (s.resource.docker_image.gw.name = 'ghcr.io/openclaw/openclaw:2026.9.6'),
  ],
  'OC13-McpPluginsPinned': [
    'local.openclaw_config_gw',
    (s) =>
      setConfig(
        s,
        (d) =>
          (d.mcp = {
            servers: { gh: { url: 'https://mcp.example.com/mcp', transport: 'streamable-http' } },
          }),
      ),
  ],
  'OC13-McpOwnContainer': [
    'local.openclaw_config_gw',
    (s) =>
      setConfig(
        s,
        (d) =>
          (d.mcp = {
            servers: {
              gh: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github@1.0.0'] },
            },
          }),
      ),
  ],
  'OC14-AuditLogging': [
    'local.openclaw_config_gw',
    (s) => setConfig(s, (d) => (d.logging.audit.enabled = false)),
  ],
  'OC14-LogGroupRetentionKms': [
    'aws_cloudwatch_log_group.gw',
    (s) => delete s.resource.aws_cloudwatch_log_group.gw.retention_in_days,
  ],
  'OC14-TrailValidation': [
    'aws_cloudtrail.trail',
    (s) => (s.resource.aws_cloudtrail.trail.enable_log_file_validation = false),
  ],
  'OC14-ContainerLogging': ['docker_container.gw', (s) => (gw(s).log_driver = 'none')],
  'OC15-RuntimePatched': [
    'docker_image.gw',
    (s) => (s.resource.docker_image.gw.name = 'ghcr.io/openclaw/openclaw:2026.5.18'),
  ],
  'OC15-NodeImagePatched': [
    'docker_image.broker',
    (s) => (s.resource.docker_image.broker.build.label['openclaw.node-version'] = '24.11.1'),
  ],
  'OC15-NoSelfUpdate': [
    'local.openclaw_config_gw',
    (s) => setConfig(s, (d) => (d.update.auto.enabled = true)),
  ],
  'OC16-MonthlyReview': ['docker_container.gw', (s) => delete s.resource.aws_scheduler_schedule],
};

describe('the rule pack', () => {
  test('pins the rule ids per severity', () => {
    const ids = (severity: string) =>
      OPENCLAW_CHECKLIST_RULES.filter((r) => r.severity === severity).map((r) => r.id);
    expect({ error: ids('error'), warning: ids('warning') }).toMatchInlineSnapshot(`
     {
       "error": [
         "OC01-GatewayPortNotPublished",
         "OC01-NoPublicIngress",
         "OC01-GatewayPortNotOpen",
         "OC01-NaclGatewayPort",
         "OC01-InstancePrivate",
         "OC01-ConfigExposure",
         "OC01-TailnetPolicy",
         "OC01-ServeNoFunnel",
         "OC02-TrustedProxiesExact",
         "OC02-TrustedProxiesMatchProxy",
         "OC03-MdnsOff",
         "OC03-ContainerBonjourOff",
         "OC04-GatewayNoEgress",
         "OC04-McpNoDirectEgress",
         "OC05-CapabilitiesDropped",
         "OC05-NoNewPrivileges",
         "OC05-SeccompProfile",
         "OC05-NotPrivileged",
         "OC06-NonRootUser",
         "OC06-ReadOnlyRoot",
         "OC06-ResourceLimits",
         "OC07-NoDockerSocket",
         "OC07-BindMountsSafe",
         "OC07-McpSecretsOwnContainer",
         "OC08-ShellAllowlistApproval",
         "OC09-IamLeastPrivilege",
         "OC09-MinimalScopes",
         "OC10-SeparateCells",
         "OC10-NoSharedCredentials",
         "OC10-NoShellWithPersonalData",
         "OC11-SecretValueNotInState",
         "OC11-SecretEncryptedWithCmk",
         "OC11-KmsKeyRotation",
         "OC11-InstanceImdsv2",
         "OC11-VolumesEncrypted",
         "OC11-NoLiteralSecretsInConfig",
         "OC11-NoSecretsInContainerEnv",
         "OC11-NoSecretsInUserData",
         "OC11-TailnetKeySingleUse",
         "OC12-BrokeredCredentials",
         "OC13-ImageVersionTag",
         "OC13-McpPluginsPinned",
         "OC13-McpOwnContainer",
         "OC14-AuditLogging",
         "OC14-LogGroupRetentionKms",
         "OC14-TrailValidation",
         "OC14-ContainerLogging",
         "OC15-RuntimePatched",
         "OC15-NodeImagePatched",
         "OC15-NoSelfUpdate",
       ],
       "warning": [
         "OC05-AppArmorProfile",
         "OC06-TmpfsNoexec",
         "OC06-ProcessLimit",
         "OC07-BindMountsReadOnly",
         "OC11-SecretRotation",
         "OC13-ImageDigest",
         "OC16-MonthlyReview",
       ],
     }
    `);
  });

  test('covers each of the 16 checklist items', () => {
    expect([...new Set(OPENCLAW_CHECKLIST_RULES.map((r) => r.item))].sort((a, b) => a - b)).toEqual(
      [...Array(16).keys()].map((i) => i + 1),
    );
  });

  test('every rule has a fixture here', () => {
    expect(Object.keys(BREAKS).sort()).toEqual(OPENCLAW_CHECKLIST_RULES.map((r) => r.id).sort());
  });
});

describe('the compliant fixture', () => {
  const result = audit(compliantStack());

  test('has no finding', () => {
    expect(result.findings).toEqual([]);
  });

  test('exercises every rule (none is merely not applicable)', () => {
    const applied = result.items.flatMap((i) => i.rules);
    expect(OPENCLAW_CHECKLIST_RULES.map((r) => r.id).filter((id) => !applied.includes(id))).toEqual(
      [],
    );
    expect(result.items.every((i) => i.status === 'pass')).toBe(true);
  });
});

describe.each(Object.entries(BREAKS))('%s', (ruleId, [address, change]) => {
  test('the non-compliant fixture is caught at the right address', () => {
    const result = audit(brokenStack(change));
    const hits = result.findings.filter((f) => f.ruleId === ruleId);
    expect(hits.map((f) => [f.address, f.status])).toContainEqual([address, 'non-compliant']);
    const rule = OPENCLAW_CHECKLIST_RULES.find((r) => r.id === ruleId)!;
    expect(hits[0].severity).toBe(rule.severity);
    expect(hits[0].details.length).toBeGreaterThan(0);
  });
});

describe('OC04-McpNoDirectEgress with an MCP server that has egress through its broker listener', () => {
  /** The compliant fixture, its notes server given egress: the broker joins its network at .4. */
  const withEgress = (change: (listener: Json, config: Json) => void = () => undefined) =>
    brokenStack((s) => {
      const broker = s.resource.docker_container['gw-broker'];
      const config = JSON.parse(broker.env[0].slice('BROKER_CONFIG='.length));
      config.listen.host = '172.30.0.3';
      config.listeners = [
        {
          name: 'notes',
          listen: { host: '172.28.0.4', port: 8080 },
          upstreams: [],
          connectAllowlist: ['api.notes.example.com:443'],
          clients: ['172.28.0.3'],
        },
      ];
      change(config.listeners[0], config);
      broker.env[0] = `BROKER_CONFIG=${JSON.stringify(config)}`;
      broker.networks_advanced.push({
        name: '${docker_network.mcp-notes.name}',
        ipv4_address: '172.28.0.4',
      });
      s.resource.docker_container['gw-mcp-notes'].labels.push(
        { label: 'openclaw.mcp-egress', value: 'api.notes.example.com:443' },
        { label: 'openclaw.mcp-upstreams', value: '' },
      );
    });
  const hits = (json: Json) =>
    audit(json).findings.filter((f) => f.ruleId === 'OC04-McpNoDirectEgress');

  test('compliant: the listener allows exactly what the server declared', () => {
    expect(hits(withEgress())).toEqual([]);
  });
  test('non-compliant: the listener allows a host the server did not declare', () => {
    const found = hits(withEgress((l) => l.connectAllowlist.push('api.telegram.org:443')));
    expect(found.map((f) => [f.address, f.status])).toEqual([
      ['docker_container.gw-mcp-notes', 'non-compliant'],
    ]);
    expect(found[0].details).toEqual([
      "docker_container.gw-broker on docker_network.mcp-notes: the server's listener allows CONNECT to api.telegram.org:443, which the server did not declare (openclaw.mcp-egress: api.notes.example.com:443); declare them in the server's egress or remove them",
    ]);
  });
  test("non-compliant: the broker's main listener on every interface", () => {
    const found = hits(withEgress((_l, c) => (c.listen.host = '0.0.0.0')));
    expect(found[0].details.join('\n')).toContain('the main listener listens on 0.0.0.0');
  });
});

test('configOf reads the fixture config', () => {
  expect(configOf(compliantStack()).gateway.mode).toBe('local');
});

test('the README lists every rule id', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  expect(
    OPENCLAW_CHECKLIST_RULES.map((r) => r.id).filter((id) => !readme.includes(`\`${id}\``)),
  ).toEqual([]);
});

describe('the audit trail rules, beyond one break each', () => {
  const findings = (ruleId: string, change: (s: Json) => void, elsewhere: Json[] = []) => {
    const stack = readStack(brokenStack(change), 'fixture');
    return auditStack(withElsewhere(stack, elsewhere)).findings.filter((f) => f.ruleId === ruleId);
  };
  const trail = (s: Json) => s.resource.aws_cloudtrail.trail;
  const details = (ruleId: string, change: (s: Json) => void) =>
    findings(ruleId, change).flatMap((f) => f.details);

  test.each<[string, (s: Json) => void, string]>([
    [
      'a single-region trail',
      (s) => (trail(s).is_multi_region_trail = false),
      'is_multi_region_trail is not true',
    ],
    [
      'write-only management events',
      (s) =>
        (trail(s).event_selector = [
          { read_write_type: 'WriteOnly', include_management_events: true },
        ]),
      'Secrets Manager reads (GetSecretValue',
    ],
    [
      'data events only',
      (s) =>
        (trail(s).advanced_event_selector = [
          {
            field_selector: [
              { field: 'eventCategory', equals: ['Data'] },
              { field: 'resources.type', equals: ['AWS::S3::Object'] },
            ],
          },
        ]),
      'Secrets Manager reads (GetSecretValue',
    ],
    [
      'management events without reads',
      (s) =>
        (trail(s).advanced_event_selector = [
          {
            field_selector: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'readOnly', equals: ['false'] },
            ],
          },
        ]),
      'Secrets Manager reads (GetSecretValue',
    ],
    [
      'management events without Secrets Manager',
      (s) =>
        (trail(s).advanced_event_selector = [
          {
            field_selector: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'eventSource', not_equals: ['secretsmanager.amazonaws.com'] },
            ],
          },
        ]),
      'Secrets Manager reads (GetSecretValue',
    ],
  ])('CloudTrail: %s is caught', (_, change, detail) => {
    expect(details('OC14-TrailValidation', change).join('\n')).toContain(detail);
  });

  test('CloudTrail: Secrets Manager left out by a prefix is caught', () => {
    expect(
      details('OC14-TrailValidation', (s) => {
        trail(s).advanced_event_selector = [
          {
            field_selector: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'eventSource', not_starts_with: ['secretsmanager'] },
            ],
          },
        ];
      }).join('\n'),
    ).toContain('Secrets Manager reads (GetSecretValue');
  });

  test('log groups: a retention unknown at synth time cannot be decided', () => {
    const [finding] = findings('OC14-LogGroupRetentionKms', (s) => {
      s.resource.aws_cloudwatch_log_group.gw.retention_in_days = '${var.days}';
    });
    expect(finding.status).toBe('undecidable');
  });

  test('CloudTrail: management events with reads pass', () => {
    expect(
      findings('OC14-TrailValidation', (s) => {
        trail(s).advanced_event_selector = [
          { field_selector: [{ field: 'eventCategory', equals: ['Management'] }] },
        ];
      }),
    ).toEqual([]);
  });

  test('log groups: less than a year is caught', () => {
    expect(
      details('OC14-LogGroupRetentionKms', (s) => {
        s.resource.aws_cloudwatch_log_group.gw.retention_in_days = 90;
      }),
    ).toEqual(['retention_in_days 90 keeps logs less than 365 days']);
  });

  const noSchedule = (s: Json) => delete s.resource.aws_scheduler_schedule;
  const scheduleElsewhere = (expr: string, state = 'ENABLED', name = 'monthly-review'): Json => ({
    type: 'aws_scheduler_schedule',
    name: 'review',
    address: 'agents-identity/aws_scheduler_schedule.review',
    attributes: {
      name,
      schedule_expression: expr,
      state,
      target: { arn: 'arn:aws:lambda:eu-west-1:1:function:job' },
    },
    suppressions: [],
  });

  test('monthly review: an unrelated frequent job does not count', () => {
    expect(
      findings('OC16-MonthlyReview', noSchedule, [
        scheduleElsewhere('rate(5 minutes)', 'ENABLED', 'cleanup'),
      ]).flatMap((f) => f.details),
    ).toEqual([
      'no enabled review schedule runs every month (agents-identity/aws_scheduler_schedule.review: rate(5 minutes), not a review (no target, or no SNS target and no "review" in its name))',
    ]);
  });

  test('monthly review: a "review" schedule with no target does not count', () => {
    const untargeted = scheduleElsewhere('rate(30 days)');
    delete untargeted.attributes.target;
    expect(
      findings('OC16-MonthlyReview', noSchedule, [untargeted]).flatMap((f) => f.details),
    ).toEqual([
      'no enabled review schedule runs every month (agents-identity/aws_scheduler_schedule.review: rate(30 days), not a review (no target, or no SNS target and no "review" in its name))',
    ]);
  });

  test('CloudTrail: a bucket that expires log files within a year is caught', () => {
    expect(
      details('OC14-TrailValidation', (s) => {
        trail(s).s3_bucket_name = '${aws_s3_bucket.trail.id}';
        s.resource.aws_s3_bucket = { trail: { bucket: 'org-trail' } };
        s.resource.aws_s3_bucket_lifecycle_configuration = {
          trail: {
            bucket: '${aws_s3_bucket.trail.id}',
            rule: [{ id: 'expire', status: 'Enabled', expiration: { days: 90 } }],
          },
        };
      }),
    ).toContain(
      "the trail's bucket expires log files after 90 days (aws_s3_bucket_lifecycle_configuration.trail), less than 365",
    );
  });

  test('monthly review: a schedule in another stack of the app counts', () => {
    expect(
      findings('OC16-MonthlyReview', noSchedule, [scheduleElsewhere('cron(0 9 1 * ? *)')]),
    ).toEqual([]);
  });

  test.each<[string, Json, string]>([
    [
      'quarterly',
      scheduleElsewhere('cron(0 9 1 1/3 ? *)'),
      'no enabled review schedule runs every month (agents-identity/aws_scheduler_schedule.review: cron(0 9 1 1/3 ? *))',
    ],
    [
      'disabled',
      scheduleElsewhere('rate(30 days)', 'DISABLED'),
      'no enabled review schedule runs every month (agents-identity/aws_scheduler_schedule.review: rate(30 days), disabled)',
    ],
  ])('monthly review: a %s schedule does not count', (_, schedule, detail) => {
    expect(
      findings('OC16-MonthlyReview', noSchedule, [schedule]).flatMap((f) => f.details),
    ).toEqual([detail]);
  });

  test('monthly review: a schedule unknown at synth time cannot be decided', () => {
    const [finding] = findings('OC16-MonthlyReview', (s) => {
      s.resource.aws_scheduler_schedule.review.schedule_expression = '${var.review}';
    });
    expect(finding.status).toBe('undecidable');
  });
});

describe("an MCP server's secret files, beyond one break each", () => {
  const SECRETS = '/run/openclaw/gw-mcp-notes/secrets';
  const mcp = (s: Json) => s.resource.docker_container['gw-mcp-notes'];
  const hits = (ruleId: string, change: (s: Json) => void) =>
    audit(brokenStack(change))
      .findings.filter((f) => f.ruleId === ruleId)
      .map((f) => [f.address, f.status, f.details.join(' ')]);
  const mount = (source: string, target = '/srv/x', read_only = true) => ({
    type: 'bind',
    source,
    target,
    read_only,
  });

  test.each<[string, (s: Json) => void, string, string]>([
    [
      'its own mount writable',
      (s) => (mcp(s).mounts[1].read_only = false),
      'docker_container.gw-mcp-notes',
      `"${SECRETS}" holds this MCP server's credentials and is mounted writable; mount it read-only`,
    ],
    [
      'the broker mounting one file of it',
      (s) => s.resource.docker_container['gw-broker'].mounts.push(mount(`${SECRETS}/notes-token`)),
      'docker_container.gw-broker',
      `"${SECRETS}/notes-token" holds the credentials of MCP server container docker_container.gw-mcp-notes, and only that server's container may mount it`,
    ],
    [
      'the gateway mounting the directory above it',
      (s) => gw(s).mounts.push(mount('/run/openclaw/gw-mcp-notes')),
      'docker_container.gw',
      'holds the credentials of MCP server container docker_container.gw-mcp-notes',
    ],
    [
      "a hand-written container mounting another server's directory, known by its shape alone",
      (s) =>
        (s.resource.docker_container.debug = {
          name: 'debug',
          image: 'busybox:1.36',
          mounts: [mount('/run/openclaw/openclaw-chat-mcp-github/secrets/')],
        }),
      'docker_container.debug',
      '"/run/openclaw/openclaw-chat-mcp-github/secrets/" holds the credentials of MCP server container openclaw-chat-mcp-github',
    ],
    [
      "the server mounting the gateway's token directory",
      (s) => mcp(s).mounts.push(mount('/run/openclaw/gw/secrets')),
      'docker_container.gw-mcp-notes',
      `"/run/openclaw/gw/secrets" is the host directory of container gw, not this MCP server's; it mounts only /run/openclaw/<its own name>/secrets`,
    ],
  ])('%s is an error', (_what, change, address, detail) => {
    expect(hits('OC07-McpSecretsOwnContainer', change)).toContainEqual([
      address,
      'non-compliant',
      expect.stringContaining(detail),
    ]);
  });

  test("its own read-only mount, and the gateway's own token directory, pass", () => {
    expect(hits('OC07-McpSecretsOwnContainer', () => undefined)).toEqual([]);
  });

  test('an unresolved bind mount beside MCP secrets cannot be decided', () => {
    expect(
      hits('OC07-McpSecretsOwnContainer', (s) => gw(s).mounts.push(mount('${var.dir}'))),
    ).toContainEqual(['docker_container.gw', 'undecidable', expect.any(String)]);
  });

  test("a credential in an MCP server's env, under any name, is OC11-NoSecretsInContainerEnv's error", () => {
    expect(
      hits('OC11-NoSecretsInContainerEnv', (s) =>
        mcp(s).env.push('GH=ghp_abcdefghijklmnopqrstuvwxyz0123456789'),
      ),
    ).toContainEqual([
      'docker_container.gw-mcp-notes',
      'non-compliant',
      expect.stringContaining('looks like a GitHub token'),
    ]);
  });
});
