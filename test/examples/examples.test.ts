import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildExamples } from '../../examples/app';
import { usageApp } from '../../examples/usage/app';

/** Synthesizes every example into a temp folder, as `npm run synth` does. */
function synthExamples(): { outdir: string; stacks: Record<string, Record<string, unknown>> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-openclaw-examples-'));
  const app = new App({ outdir });
  buildExamples(app);
  app.synth();
  const stacksDir = path.join(outdir, 'stacks');
  const stacks: Record<string, Record<string, unknown>> = {};
  for (const name of fs.readdirSync(stacksDir)) {
    stacks[name] = JSON.parse(fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'));
  }
  return { outdir, stacks };
}

const { outdir, stacks } = synthExamples();
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** The findings the checklist wrote next to a synthesized stack (openclaw-checklist.json). */
function findingsOf(outdir: string, stack: string): { ruleId: string; severity: string }[] {
  const file = path.join(outdir, 'stacks', stack, 'openclaw-checklist.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).stacks[0].findings;
}

/** Every addressable thing in a stack: resources, data sources, locals and outputs. */
function addresses(stack: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries((stack.resource ?? {}) as Record<string, object>)) {
    for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  }
  for (const [type, byName] of Object.entries((stack.data ?? {}) as Record<string, object>)) {
    for (const name of Object.keys(byName)) out.push(`data.${type}.${name}`);
  }
  for (const name of Object.keys((stack.locals ?? {}) as object)) out.push(`local.${name}`);
  for (const name of Object.keys((stack.output ?? {}) as object)) out.push(`output.${name}`);
  return out.sort();
}

describe('examples', () => {
  test('the example stacks and their Terraform addresses are stable (renames are breaking)', () => {
    expect(
      Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, addresses(s)])),
    ).toEqual({
      'agent-host': [
        'aws_iam_instance_profile.openclaw-host-1-host',
        'aws_iam_role.openclaw-host-1-host',
        'aws_iam_role_policy.openclaw-host-1-reconcile',
        'aws_iam_role_policy.openclaw-host-1-secrets',
        'aws_iam_role_policy_attachment.openclaw-host-1-ssm',
        'aws_instance.openclaw-host-1',
        'aws_kms_key.openclaw-host-1-ebs',
        'aws_kms_key.openclaw-host-1-secrets-key',
        'aws_network_acl_rule.openclaw-host-1-deny-18789-v4',
        'aws_network_acl_rule.openclaw-host-1-deny-18789-v6',
        'aws_secretsmanager_secret.openclaw-host-1-tailnet-key',
        'aws_secretsmanager_secret_policy.openclaw-host-1-tailnet-key',
        'aws_security_group.openclaw-host-1-host',
        'output.cross-stack-output-aws_iam_roleopenclaw-host-1-hostarn',
        'output.cross-stack-output-aws_iam_roleopenclaw-host-1-hostname',
        'output.cross-stack-output-aws_secretsmanager_secretopenclaw-host-1-tailnet-keyarn',
        'output.openclaw-host-1-instance-id',
        'output.tailnet-key-secret',
      ],
      'agent-host-key': [
        'aws_secretsmanager_secret_version.openclaw-host-1-tailnet-key',
        'data.terraform_remote_state.cross-stack-reference-input-agent-host',
        'tailscale_tailnet_key.openclaw-host-1-tailnet-key',
      ],
      'agent-secrets': [
        'aws_cloudwatch_log_group.openclaw-rotate-gateway-token',
        'aws_iam_policy.openclaw-research-broker',
        'aws_iam_role.openclaw-research-broker',
        'aws_iam_role.openclaw-rotate-gateway-token',
        'aws_iam_role_policy.openclaw-rotate-gateway-token',
        'aws_iam_role_policy_attachment.openclaw-research-broker',
        'aws_kms_alias.openclaw-research',
        'aws_kms_key.openclaw-research',
        'aws_kms_key.openclaw-rotate-gateway-token-logs',
        'aws_lambda_function.openclaw-rotate-gateway-token',
        'aws_lambda_permission.openclaw-rotate-gateway-token',
        'aws_secretsmanager_secret.openclaw-research-anthropic',
        'aws_secretsmanager_secret.openclaw-research-gateway-token',
        'aws_secretsmanager_secret_policy.openclaw-research-anthropic',
        'aws_secretsmanager_secret_policy.openclaw-research-gateway-token',
        'aws_secretsmanager_secret_rotation.openclaw-research-gateway-token',
        'output.openclaw-research-anthropic-secret-arn',
        'output.openclaw-research-gateway-token-secret-arn',
      ],
      agents: [
        'data.terraform_remote_state.cross-stack-reference-input-agents-identity',
        'docker_container.openclaw-calendar-and-mail-broker',
        'docker_container.openclaw-calendar-and-mail-gateway',
        'docker_container.openclaw-calendar-and-mail-tailscale',
        'docker_container.openclaw-calendar-and-mail-tailscale-key',
        'docker_container.openclaw-messaging-broker',
        'docker_container.openclaw-messaging-gateway',
        'docker_container.openclaw-messaging-tailscale',
        'docker_container.openclaw-messaging-tailscale-key',
        'docker_image.openclaw-calendar-and-mail-broker',
        'docker_image.openclaw-calendar-and-mail-gateway',
        'docker_image.openclaw-calendar-and-mail-tailscale',
        'docker_image.openclaw-messaging-broker',
        'docker_image.openclaw-messaging-gateway',
        'docker_image.openclaw-messaging-tailscale',
        'docker_network.openclaw-calendar-and-mail',
        'docker_network.openclaw-calendar-and-mail-broker-egress',
        'docker_network.openclaw-calendar-and-mail-tailnet',
        'docker_network.openclaw-messaging',
        'docker_network.openclaw-messaging-broker-egress',
        'docker_network.openclaw-messaging-tailnet',
        'docker_volume.openclaw-calendar-and-mail-gateway-state',
        'docker_volume.openclaw-messaging-gateway-state',
        'local.openclaw_config_fleet_calendar_and_mail_gateway_config',
        'local.openclaw_config_fleet_messaging_gateway_config',
        'output.openclaw-calendar-and-mail-tailnet-name',
        'output.openclaw-messaging-tailnet-name',
        'output.tailnet_policy',
        'tailscale_tailnet_key.openclaw-calendar-and-mail',
        'tailscale_tailnet_key.openclaw-messaging',
      ],
      'agents-identity': [
        'aws_cloudtrail.openclaw-audit',
        'aws_cloudwatch_log_group.openclaw-calendar-and-mail-broker',
        'aws_cloudwatch_log_group.openclaw-calendar-and-mail-gateway',
        'aws_cloudwatch_log_group.openclaw-calendar-and-mail-mcp',
        'aws_cloudwatch_log_group.openclaw-calendar-and-mail-sidecar',
        'aws_cloudwatch_log_group.openclaw-messaging-broker',
        'aws_cloudwatch_log_group.openclaw-messaging-gateway',
        'aws_cloudwatch_log_group.openclaw-messaging-mcp',
        'aws_cloudwatch_log_group.openclaw-messaging-sidecar',
        'aws_cloudwatch_log_group.openclaw-rotate-gateway-token',
        'aws_cloudwatch_log_metric_filter.openclaw-calendar-and-mail-blocked-tools',
        'aws_cloudwatch_log_metric_filter.openclaw-calendar-and-mail-injection',
        'aws_cloudwatch_log_metric_filter.openclaw-calendar-and-mail-refused-egress',
        'aws_cloudwatch_log_metric_filter.openclaw-calendar-and-mail-requests',
        'aws_cloudwatch_log_metric_filter.openclaw-messaging-blocked-tools',
        'aws_cloudwatch_log_metric_filter.openclaw-messaging-injection',
        'aws_cloudwatch_log_metric_filter.openclaw-messaging-refused-egress',
        'aws_cloudwatch_log_metric_filter.openclaw-messaging-requests',
        'aws_cloudwatch_metric_alarm.openclaw-calendar-and-mail-blocked-tools',
        'aws_cloudwatch_metric_alarm.openclaw-calendar-and-mail-injection',
        'aws_cloudwatch_metric_alarm.openclaw-calendar-and-mail-out-of-hours',
        'aws_cloudwatch_metric_alarm.openclaw-calendar-and-mail-refused-egress',
        'aws_cloudwatch_metric_alarm.openclaw-calendar-and-mail-request-spike',
        'aws_cloudwatch_metric_alarm.openclaw-messaging-blocked-tools',
        'aws_cloudwatch_metric_alarm.openclaw-messaging-injection',
        'aws_cloudwatch_metric_alarm.openclaw-messaging-out-of-hours',
        'aws_cloudwatch_metric_alarm.openclaw-messaging-refused-egress',
        'aws_cloudwatch_metric_alarm.openclaw-messaging-request-spike',
        'aws_iam_policy.openclaw-calendar-and-mail-broker',
        'aws_iam_policy.openclaw-messaging-broker',
        'aws_iam_role.openclaw-audit-review',
        'aws_iam_role.openclaw-calendar-and-mail-broker-role',
        'aws_iam_role.openclaw-messaging-broker-role',
        'aws_iam_role.openclaw-rotate-gateway-token',
        'aws_iam_role_policy.openclaw-audit-review',
        'aws_iam_role_policy.openclaw-host-1-agents',
        'aws_iam_role_policy.openclaw-host-1-logs',
        'aws_iam_role_policy.openclaw-rotate-gateway-token',
        'aws_iam_role_policy_attachment.openclaw-calendar-and-mail-broker-secrets',
        'aws_iam_role_policy_attachment.openclaw-messaging-broker-secrets',
        'aws_kms_alias.openclaw-audit',
        'aws_kms_alias.openclaw-calendar-and-mail',
        'aws_kms_alias.openclaw-messaging',
        'aws_kms_key.openclaw-audit',
        'aws_kms_key.openclaw-calendar-and-mail',
        'aws_kms_key.openclaw-messaging',
        'aws_kms_key.openclaw-rotate-gateway-token-logs',
        'aws_lambda_function.openclaw-rotate-gateway-token',
        'aws_lambda_permission.openclaw-rotate-gateway-token',
        'aws_s3_bucket.openclaw-audit',
        'aws_s3_bucket_ownership_controls.openclaw-audit',
        'aws_s3_bucket_policy.openclaw-audit',
        'aws_s3_bucket_public_access_block.openclaw-audit',
        'aws_s3_bucket_server_side_encryption_configuration.openclaw-audit',
        'aws_s3_bucket_versioning.openclaw-audit',
        'aws_scheduler_schedule.openclaw-audit-monthly-review',
        'aws_secretsmanager_secret.openclaw-calendar-and-mail-anthropic',
        'aws_secretsmanager_secret.openclaw-calendar-and-mail-calendar',
        'aws_secretsmanager_secret.openclaw-calendar-and-mail-gateway-token',
        'aws_secretsmanager_secret.openclaw-calendar-and-mail-gmail',
        'aws_secretsmanager_secret.openclaw-messaging-anthropic',
        'aws_secretsmanager_secret.openclaw-messaging-gateway-token',
        'aws_secretsmanager_secret.openclaw-messaging-slack',
        'aws_secretsmanager_secret_policy.openclaw-calendar-and-mail-anthropic',
        'aws_secretsmanager_secret_policy.openclaw-calendar-and-mail-calendar',
        'aws_secretsmanager_secret_policy.openclaw-calendar-and-mail-gateway-token',
        'aws_secretsmanager_secret_policy.openclaw-calendar-and-mail-gmail',
        'aws_secretsmanager_secret_policy.openclaw-messaging-anthropic',
        'aws_secretsmanager_secret_policy.openclaw-messaging-gateway-token',
        'aws_secretsmanager_secret_policy.openclaw-messaging-slack',
        'aws_secretsmanager_secret_rotation.openclaw-calendar-and-mail-gateway-token',
        'aws_secretsmanager_secret_rotation.openclaw-messaging-gateway-token',
        'aws_sns_topic.openclaw-audit',
        'aws_sns_topic_policy.openclaw-audit',
        'aws_ssm_parameter.openclaw-host-1-cells',
        'data.terraform_remote_state.cross-stack-reference-input-agent-host',
        'output.cross-stack-output-aws_iam_roleopenclaw-calendar-and-mail-broker-rolearn',
        'output.cross-stack-output-aws_iam_roleopenclaw-messaging-broker-rolearn',
        'output.openclaw-audit-topic-arn',
        'output.openclaw-audit-trail-arn',
        'output.openclaw-calendar-and-mail-anthropic-secret-arn',
        'output.openclaw-calendar-and-mail-calendar-secret-arn',
        'output.openclaw-calendar-and-mail-gateway-token-secret-arn',
        'output.openclaw-calendar-and-mail-gmail-secret-arn',
        'output.openclaw-messaging-anthropic-secret-arn',
        'output.openclaw-messaging-gateway-token-secret-arn',
        'output.openclaw-messaging-slack-secret-arn',
      ],
      'docker-host-agents': [
        'data.terraform_remote_state.cross-stack-reference-input-docker-host-identity',
        'docker_container.openclaw-team-chat-broker',
        'docker_container.openclaw-team-chat-gateway',
        'docker_container.openclaw-team-chat-tailscale',
        'docker_container.openclaw-team-chat-tailscale-key',
        'docker_container.openclaw-team-research-broker',
        'docker_container.openclaw-team-research-gateway',
        'docker_container.openclaw-team-research-mcp-memory',
        'docker_container.openclaw-team-research-tailscale',
        'docker_container.openclaw-team-research-tailscale-key',
        'docker_image.openclaw-team-chat-broker',
        'docker_image.openclaw-team-chat-gateway',
        'docker_image.openclaw-team-chat-tailscale',
        'docker_image.openclaw-team-research-broker',
        'docker_image.openclaw-team-research-gateway',
        'docker_image.openclaw-team-research-mcp-memory',
        'docker_image.openclaw-team-research-tailscale',
        'docker_network.openclaw-team-chat',
        'docker_network.openclaw-team-chat-broker-egress',
        'docker_network.openclaw-team-chat-tailnet',
        'docker_network.openclaw-team-research',
        'docker_network.openclaw-team-research-broker-egress',
        'docker_network.openclaw-team-research-mcp-memory',
        'docker_network.openclaw-team-research-tailnet',
        'docker_volume.openclaw-team-chat-gateway-state',
        'docker_volume.openclaw-team-research-gateway-state',
        'docker_volume.openclaw-team-research-mcp-memory-state',
        'local.openclaw_config_fleet_team_chat_gateway_config',
        'local.openclaw_config_fleet_team_research_gateway_config',
        'output.openclaw-team-chat-tailnet-name',
        'output.openclaw-team-research-tailnet-name',
        'output.tailnet_policy',
        'tailscale_tailnet_key.openclaw-team-chat',
        'tailscale_tailnet_key.openclaw-team-research',
      ],
      'docker-host-identity': [
        'aws_cloudtrail.openclaw-audit',
        'aws_cloudwatch_log_group.openclaw-team-chat-broker',
        'aws_cloudwatch_log_group.openclaw-team-chat-gateway',
        'aws_cloudwatch_log_group.openclaw-team-chat-mcp',
        'aws_cloudwatch_log_group.openclaw-team-chat-sidecar',
        'aws_cloudwatch_log_group.openclaw-team-research-broker',
        'aws_cloudwatch_log_group.openclaw-team-research-gateway',
        'aws_cloudwatch_log_group.openclaw-team-research-mcp',
        'aws_cloudwatch_log_group.openclaw-team-research-sidecar',
        'aws_cloudwatch_log_metric_filter.openclaw-team-chat-blocked-tools',
        'aws_cloudwatch_log_metric_filter.openclaw-team-chat-injection',
        'aws_cloudwatch_log_metric_filter.openclaw-team-chat-refused-egress',
        'aws_cloudwatch_log_metric_filter.openclaw-team-chat-requests',
        'aws_cloudwatch_log_metric_filter.openclaw-team-research-blocked-tools',
        'aws_cloudwatch_log_metric_filter.openclaw-team-research-injection',
        'aws_cloudwatch_log_metric_filter.openclaw-team-research-refused-egress',
        'aws_cloudwatch_log_metric_filter.openclaw-team-research-requests',
        'aws_cloudwatch_metric_alarm.openclaw-team-chat-blocked-tools',
        'aws_cloudwatch_metric_alarm.openclaw-team-chat-injection',
        'aws_cloudwatch_metric_alarm.openclaw-team-chat-refused-egress',
        'aws_cloudwatch_metric_alarm.openclaw-team-chat-request-spike',
        'aws_cloudwatch_metric_alarm.openclaw-team-research-blocked-tools',
        'aws_cloudwatch_metric_alarm.openclaw-team-research-injection',
        'aws_cloudwatch_metric_alarm.openclaw-team-research-refused-egress',
        'aws_cloudwatch_metric_alarm.openclaw-team-research-request-spike',
        'aws_iam_policy.openclaw-team-chat-broker',
        'aws_iam_policy.openclaw-team-research-broker',
        'aws_iam_role.openclaw-audit-review',
        'aws_iam_role.openclaw-team-chat-broker-role',
        'aws_iam_role.openclaw-team-research-broker-role',
        'aws_iam_role_policy.openclaw-audit-review',
        'aws_iam_role_policy_attachment.openclaw-team-chat-broker-secrets',
        'aws_iam_role_policy_attachment.openclaw-team-research-broker-secrets',
        'aws_kms_alias.openclaw-audit',
        'aws_kms_alias.openclaw-team-chat',
        'aws_kms_alias.openclaw-team-research',
        'aws_kms_key.openclaw-audit',
        'aws_kms_key.openclaw-team-chat',
        'aws_kms_key.openclaw-team-research',
        'aws_s3_bucket.openclaw-audit',
        'aws_s3_bucket_ownership_controls.openclaw-audit',
        'aws_s3_bucket_policy.openclaw-audit',
        'aws_s3_bucket_public_access_block.openclaw-audit',
        'aws_s3_bucket_server_side_encryption_configuration.openclaw-audit',
        'aws_s3_bucket_versioning.openclaw-audit',
        'aws_scheduler_schedule.openclaw-audit-monthly-review',
        'aws_secretsmanager_secret.openclaw-team-chat-anthropic',
        'aws_secretsmanager_secret.openclaw-team-chat-gateway-token',
        'aws_secretsmanager_secret.openclaw-team-chat-slack',
        'aws_secretsmanager_secret.openclaw-team-research-anthropic',
        'aws_secretsmanager_secret.openclaw-team-research-gateway-token',
        'aws_secretsmanager_secret_policy.openclaw-team-chat-anthropic',
        'aws_secretsmanager_secret_policy.openclaw-team-chat-gateway-token',
        'aws_secretsmanager_secret_policy.openclaw-team-chat-slack',
        'aws_secretsmanager_secret_policy.openclaw-team-research-anthropic',
        'aws_secretsmanager_secret_policy.openclaw-team-research-gateway-token',
        'aws_sns_topic.openclaw-audit',
        'aws_sns_topic_policy.openclaw-audit',
        'output.cross-stack-output-aws_iam_roleopenclaw-team-chat-broker-rolearn',
        'output.cross-stack-output-aws_iam_roleopenclaw-team-research-broker-rolearn',
        'output.openclaw-audit-topic-arn',
        'output.openclaw-audit-trail-arn',
        'output.openclaw-team-chat-anthropic-secret-arn',
        'output.openclaw-team-chat-gateway-token-secret-arn',
        'output.openclaw-team-chat-slack-secret-arn',
        'output.openclaw-team-research-anthropic-secret-arn',
        'output.openclaw-team-research-gateway-token-secret-arn',
      ],
      'gateway-config': [
        'docker_container.openclaw-research-broker',
        'docker_container.openclaw-research-gateway',
        'docker_container.openclaw-research-tailscale',
        'docker_container.openclaw-research-tailscale-key',
        'docker_image.openclaw-research-broker',
        'docker_image.openclaw-research-gateway',
        'docker_image.openclaw-research-tailscale',
        'docker_network.openclaw-research',
        'docker_network.openclaw-research-broker-egress',
        'docker_network.openclaw-research-tailnet',
        'docker_volume.openclaw-research-gateway-state',
        'local.openclaw_config_loopback',
        'local.openclaw_config_research_gateway_config',
        'output.openclaw-research-tailnet-name',
        'output.tailnet_policy',
        'tailscale_tailnet_key.openclaw-research',
      ],
    });
  });

  test('every example carries at least one rendered hardened config, also as an asset file', () => {
    const stack = stacks['gateway-config'];
    const configs = Object.entries(stack.locals as Record<string, string>).filter(([k]) =>
      k.startsWith('openclaw_config_'),
    );
    expect(configs.length).toBeGreaterThan(0);
    for (const [, json] of configs) {
      expect(JSON.parse(json).gateway.auth.mode).toBe('token');
    }
    // the config files, beside the broker's build context (the broker is built on the host)
    const assets = fs
      .readdirSync(path.join(outdir, 'stacks', 'gateway-config', 'assets'))
      .filter((a) => a !== 'openclaw-broker-source');
    expect(assets.length).toBe(configs.length);
  });

  test('no secret value in any synthesized file', () => {
    const text = Object.values(stacks)
      .map((s) => JSON.stringify(s))
      .join('\n');
    expect(text).not.toMatch(
      /sk-ant-|\bsk-[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|ghp_|xox[bp]-|PRIVATE KEY/,
    );
    for (const [, json] of Object.entries(
      stacks['gateway-config'].locals as Record<string, string>,
    )) {
      expect(JSON.parse(json).gateway.auth.token).toEqual({
        source: 'file',
        provider: 'gateway-token',
        id: 'value',
      });
    }
  });

  test('the Docker example runs a hardened gateway container with no weakening', () => {
    const stack = stacks['gateway-config'] as Record<
      string,
      Record<string, Record<string, Record<string, unknown>>>
    >;
    const gateway = stack.resource.docker_container['openclaw-research-gateway'];
    expect(gateway).toMatchObject({
      read_only: true,
      user: '1000:1000',
      capabilities: { drop: ['ALL'] },
      cgroup_parent: 'openclaw-research.slice',
    });
    const labels = gateway.labels as { label: string }[];
    expect(labels.filter((l) => l.label.startsWith('openclaw.weakening.'))).toEqual([]);
    expect(stack.resource.docker_network['openclaw-research']).toMatchObject({ internal: true });
  });

  test('every example stack has zero error findings, and its checklist reports are written', () => {
    for (const name of Object.keys(stacks)) {
      const dir = path.join(outdir, 'stacks', name);
      const errors = findingsOf(outdir, name).filter((f) => f.severity === 'error');
      expect([name, errors]).toEqual([name, []]);
      expect(fs.readFileSync(path.join(dir, 'openclaw-checklist.md'), 'utf8')).toContain(
        '| 1 | Gateway never exposed',
      );
    }
  });

  test('the examples pin images by release tag, no made-up digest: OC13-ImageDigest reports each image (but lockfile-built MCP images), and nothing else warns', () => {
    for (const name of Object.keys(stacks)) {
      // an MCP server's image built from its lockfile has its bytes pinned: its OC13-ImageDigest
      // is suppressed with that reason (McpServerContainer), so it reports no finding
      const images = Object.keys(
        ((stacks[name].resource ?? {}) as Record<string, object>).docker_image ?? {},
      )
        .filter((key) => !/-mcp-/.test(key))
        .map((key) => `docker_image.${key}`);
      const findings = findingsOf(outdir, name) as { ruleId: string; address?: string }[];
      expect([name, findings.filter((f) => f.ruleId !== 'OC13-ImageDigest')]).toEqual([name, []]);
      expect([name, findings.map((f) => f.address).sort()]).toEqual([name, images.sort()]);
      for (const [, image] of Object.entries(
        ((stacks[name].resource ?? {}) as Record<string, Record<string, { name: string }>>)
          .docker_image ?? {},
      )) {
        expect(image.name).not.toMatch(/@sha256:/);
      }
    }
  });

  test('the audit trail covers the app: no stack misses the monthly review', () => {
    for (const name of Object.keys(stacks)) {
      const review = findingsOf(outdir, name).filter((f) => f.ruleId === 'OC16-MonthlyReview');
      expect([name, review]).toEqual([name, []]);
    }
    expect(JSON.stringify(stacks['agents-identity'].resource)).toContain(
      '"aws_scheduler_schedule"',
    );
  });

  test('no machine path in any synthesized stack, so the snapshots hold on every checkout', () => {
    const machinePaths = [path.resolve(__dirname, '..', '..'), process.cwd(), outdir, os.homedir()];
    for (const [name, stack] of Object.entries(stacks)) {
      const text = JSON.stringify(stack);
      expect([name, machinePaths.filter((p) => text.includes(`${p}/`))]).toEqual([name, []]);
    }
  });

  test.each(Object.keys(stacks).sort())('the whole %s stack matches its snapshot', (name) => {
    expect(stacks[name]).toMatchSnapshot();
  });
});

describe('picking an example', () => {
  const stackNames = (names: string[]) => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'pick-')) });
    buildExamples(app, names);
    return app.node.children.map((c) => c.node.id).sort();
  };

  test('each example is its own set of stacks', () => {
    expect(stackNames(['docker-host'])).toEqual(['docker-host-agents', 'docker-host-identity']);
    expect(stackNames(['aws'])).toEqual([
      'agent-host',
      'agent-host-key',
      'agents',
      'agents-identity',
    ]);
    expect(stackNames(['gateway-config'])).toEqual(['gateway-config']);
    expect(stackNames(['agent-secrets'])).toEqual(['agent-secrets']);
  });

  test('GIVEN an unknown name THEN refused, listing the examples', () => {
    expect(() => stackNames(['gcp'])).toThrow(
      'unknown example "gcp"; pick from aws, gateway-config, docker-host, agent-secrets',
    );
  });
});

describe('the README usage example', () => {
  /** Code without whitespace and trailing commas, so formatting differences do not count. */
  const normalize = (code: string) =>
    code
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, ''))
      .join('')
      .replace(/\s+/g, '')
      .replace(/,([}\])])/g, '$1');

  test('is the code of examples/usage/app.ts, which synthesizes with no error finding', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const usage = readme.slice(readme.indexOf('## Usage'));
    const block = usage.slice(
      usage.indexOf('```ts') + 5,
      usage.indexOf('```', usage.indexOf('```ts') + 5),
    );
    const file = fs.readFileSync(path.join(__dirname, '../../examples/usage/app.ts'), 'utf8');
    const body = file.slice(file.indexOf('// README:begin') + 15, file.indexOf('// README:end'));
    expect(normalize(body)).toBe(
      normalize(block.replace('const app = new App();', '').replace('app.synth();', '')),
    );

    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-'));
    const app = new App({ outdir });
    usageApp(app);
    app.synth();
    for (const name of ['agents', 'agents-identity']) {
      const errors = findingsOf(outdir, name).filter((f) => f.severity === 'error');
      expect([name, errors]).toEqual([name, []]);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});
