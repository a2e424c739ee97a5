import * as fs from 'fs';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { AuditTrail, AuditTrailProps, auditStack, OpenClawChecklist, readStack } from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const base: AuditTrailProps = {
  accountId: '123456789012',
  region: 'eu-west-1',
  agents: ['research', 'messaging'],
  activeHours: { fromHourUtc: 7, toHourUtc: 19, weekdaysOnly: true },
};

function build(props: Partial<AuditTrailProps> = {}, full = false): Json {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new AuditTrail(stack, 'audit', { ...base, ...props });
  return JSON.parse(full ? Testing.synth(stack, false) : Testing.synth(stack));
}

const statements = (policy: string) => JSON.parse(policy).Statement as Json[];
const sid = (policy: string, id: string) => statements(policy).find((s) => s.Sid === id);

describe('AuditTrail', () => {
  const out = build({ notifyEmails: ['security@example.com'] });
  const r = out.resource;

  describe('the key', () => {
    const key = r.aws_kms_key['openclaw-audit'];

    test('rotates, and lets each service use it only for its own resources', () => {
      expect(key.enable_key_rotation).toBe(true);
      expect(r.aws_kms_alias['openclaw-audit'].name).toBe('alias/openclaw-audit');
      const logs = sid(key.policy, 'CloudWatchLogsEncryptsAgentLogs');
      expect(logs.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
      expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toBe(
        'arn:aws:logs:eu-west-1:123456789012:log-group:/openclaw/*',
      );
      const trail = sid(key.policy, 'CloudTrailEncryptsLogFiles');
      expect(trail.Condition.StringEquals['aws:SourceArn']).toBe(
        'arn:aws:cloudtrail:eu-west-1:123456789012:trail/openclaw-audit',
      );
      expect(sid(key.policy, 'CloudWatchAlarmsPublishToTopic').Action).toEqual([
        'kms:Decrypt',
        'kms:GenerateDataKey',
      ]);
    });

    test('lets the review role publish to the encrypted topic (IAM alone has no effect)', () => {
      expect(sid(key.policy, 'AccountPublishesToTopicViaSns')).toMatchObject({
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } },
      });
      const role = r.aws_iam_role_policy['openclaw-audit-review'].policy;
      expect(sid(role, 'EncryptForTopic').Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    });

    test('lets CloudTrail decrypt the S3 bucket key, for this trail only', () => {
      expect(sid(key.policy, 'CloudTrailDecryptsBucketKey')).toMatchObject({
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:Decrypt',
        Condition: {
          StringEquals: {
            'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/openclaw-audit',
          },
        },
      });
    });

    test('names exact actions, never a wildcard', () => {
      const actions = statements(key.policy).flatMap((s) => [s.Action].flat());
      expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
      expect(sid(key.policy, 'AccountAdministers').Action).toContain('kms:PutKeyPolicy');
    });
  });

  test('each agent has a gateway, broker, sidecar and MCP log group, KMS-encrypted, kept a year', () => {
    const groups = Object.values(r.aws_cloudwatch_log_group) as Json[];
    expect(groups.map((g) => g.name).sort()).toEqual([
      '/openclaw/messaging/broker',
      '/openclaw/messaging/gateway',
      '/openclaw/messaging/mcp',
      '/openclaw/messaging/sidecar',
      '/openclaw/research/broker',
      '/openclaw/research/gateway',
      '/openclaw/research/mcp',
      '/openclaw/research/sidecar',
    ]);
    for (const g of groups) {
      expect(g.retention_in_days).toBe(365);
      expect(g.kms_key_id).toBe('${aws_kms_key.openclaw-audit.arn}');
    }
  });

  describe('CloudTrail', () => {
    const trail = r.aws_cloudtrail['openclaw-audit'];

    test('covers every region, validates and encrypts its files', () => {
      expect(trail).toMatchObject({
        name: 'openclaw-audit',
        is_multi_region_trail: true,
        include_global_service_events: true,
        enable_log_file_validation: true,
        enable_logging: true,
        kms_key_id: '${aws_kms_key.openclaw-audit.arn}',
        s3_bucket_name: '${aws_s3_bucket.openclaw-audit.id}',
      });
      expect(trail.depends_on).toEqual(['aws_s3_bucket_policy.openclaw-audit']);
    });

    test('records management events with reads, so every GetSecretValue is kept', () => {
      expect(trail.advanced_event_selector).toEqual([
        {
          name: expect.stringContaining('GetSecretValue'),
          field_selector: [{ field: 'eventCategory', equals: ['Management'] }],
        },
      ]);
    });

    test('its bucket is versioned, private, owner-enforced, KMS-encrypted and TLS-only', () => {
      expect(r.aws_s3_bucket['openclaw-audit'].bucket).toBe(
        'openclaw-audit-123456789012-eu-west-1',
      );
      expect(r.aws_s3_bucket_versioning['openclaw-audit'].versioning_configuration.status).toBe(
        'Enabled',
      );
      expect(r.aws_s3_bucket_public_access_block['openclaw-audit']).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(r.aws_s3_bucket_ownership_controls['openclaw-audit'].rule.object_ownership).toBe(
        'BucketOwnerEnforced',
      );
      const sse = r.aws_s3_bucket_server_side_encryption_configuration['openclaw-audit'].rule[0];
      expect(sse.apply_server_side_encryption_by_default).toEqual({
        sse_algorithm: 'aws:kms',
        kms_master_key_id: '${aws_kms_key.openclaw-audit.arn}',
      });
      const policy = r.aws_s3_bucket_policy['openclaw-audit'].policy;
      expect(sid(policy, 'DenyInsecureTransport')).toMatchObject({
        Effect: 'Deny',
        Principal: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      expect(sid(policy, 'CloudTrailWritesLogFiles')).toMatchObject({
        Resource: 'arn:aws:s3:::openclaw-audit-123456789012-eu-west-1/AWSLogs/123456789012/*',
        Condition: {
          StringEquals: {
            'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/openclaw-audit',
          },
        },
      });
    });
  });

  describe('alerts', () => {
    test('the topic is KMS-encrypted, TLS-only, and takes alarms from this account only', () => {
      expect(r.aws_sns_topic['openclaw-audit']).toMatchObject({
        name: 'openclaw-audit-alerts',
        kms_master_key_id: '${aws_kms_key.openclaw-audit.arn}',
      });
      const policy = r.aws_sns_topic_policy['openclaw-audit'].policy;
      expect(sid(policy, 'DenyInsecureTransport').Effect).toBe('Deny');
      expect(sid(policy, 'CloudWatchAlarmsPublish').Condition.StringEquals).toEqual({
        'aws:SourceAccount': '123456789012',
      });
      const subs = Object.values(r.aws_sns_topic_subscription) as Json[];
      expect(subs).toEqual([
        expect.objectContaining({ protocol: 'email', endpoint: 'security@example.com' }),
      ]);
    });

    test('metric filters watch the gateway and broker logs of each agent', () => {
      const f = r.aws_cloudwatch_log_metric_filter;
      expect(Object.keys(f).sort()).toEqual(
        ['blocked-tools', 'injection', 'refused-egress', 'requests']
          .flatMap((k) => [`openclaw-messaging-${k}`, `openclaw-research-${k}`])
          .sort(),
      );
      expect(f['openclaw-research-injection'].log_group_name).toBe(
        '${aws_cloudwatch_log_group.openclaw-research-gateway.name}',
      );
      expect(f['openclaw-research-injection'].pattern).toMatch(/^%.*\[Ii\]\[Gg\]\[Nn\]/);
      expect(f['openclaw-research-blocked-tools'].pattern).toContain('tool_call_blocked');
      expect(f['openclaw-research-refused-egress']).toMatchObject({
        log_group_name: '${aws_cloudwatch_log_group.openclaw-research-broker.name}',
        pattern: '{ ($.outcome = "refused") }',
        metric_transformation: {
          name: 'RefusedRequests',
          namespace: 'OpenClaw/research',
          value: '1',
        },
      });
    });

    test('five alarms per agent notify the topic', () => {
      const alarms = r.aws_cloudwatch_metric_alarm;
      expect(
        Object.keys(alarms)
          .filter((k) => k.startsWith('openclaw-research-'))
          .sort(),
      ).toEqual([
        'openclaw-research-blocked-tools',
        'openclaw-research-injection',
        'openclaw-research-out-of-hours',
        'openclaw-research-refused-egress',
        'openclaw-research-request-spike',
      ]);
      for (const a of Object.values(alarms) as Json[]) {
        expect(a.alarm_actions).toEqual(['${aws_sns_topic.openclaw-audit.arn}']);
        expect(a.treat_missing_data).toBe('notBreaching');
      }
      expect(alarms['openclaw-research-injection']).toMatchObject({
        namespace: 'OpenClaw/research',
        metric_name: 'InjectionPhrases',
        threshold: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
      });
    });

    test('a spike in broker requests is found by anomaly detection', () => {
      const spike = r.aws_cloudwatch_metric_alarm['openclaw-research-request-spike'];
      expect(spike.comparison_operator).toBe('GreaterThanUpperThreshold');
      expect(spike.threshold_metric_id).toBe('band');
      expect(spike.metric_query).toContainEqual(
        expect.objectContaining({ id: 'band', expression: 'ANOMALY_DETECTION_BAND(requests, 3)' }),
      );
      expect(spike.metric_query).toContainEqual(
        expect.objectContaining({
          id: 'requests',
          metric: expect.objectContaining({ metric_name: 'Requests', stat: 'Sum' }),
        }),
      );
    });

    test('requests outside the active hours raise an alarm', () => {
      const late = r.aws_cloudwatch_metric_alarm['openclaw-research-out-of-hours'];
      expect(late.metric_query).toContainEqual(
        expect.objectContaining({
          id: 'outside',
          expression:
            'IF((HOUR(requests) < 7 || HOUR(requests) >= 19) || DAY(requests) > 5, requests, 0)',
          return_data: true,
        }),
      );
      expect(late.threshold).toBe(0);
    });

    test('around the clock: no out-of-hours alarm', () => {
      const alarms = build({ activeHours: 'around-the-clock' }).resource
        .aws_cloudwatch_metric_alarm;
      expect(Object.keys(alarms).filter((k) => k.endsWith('out-of-hours'))).toEqual([]);
    });
  });

  describe('the monthly review', () => {
    const schedule = r.aws_scheduler_schedule['openclaw-audit-monthly-review'];

    test('publishes the review commands to the topic on the first of each month', () => {
      expect(schedule).toMatchObject({
        schedule_expression: 'cron(0 9 1 * ? *)',
        schedule_expression_timezone: 'UTC',
        state: 'ENABLED',
        flexible_time_window: { mode: 'OFF' },
      });
      expect(schedule.target.arn).toBe('${aws_sns_topic.openclaw-audit.arn}');
      expect(schedule.target.input).toContain('npx cdktf-openclaw audit cdktf.out');
      expect(schedule.target.input).toContain(
        'docker exec openclaw-research-gateway node /app/openclaw.mjs security audit --json',
      );
    });

    test('its role is assumed only by the scheduler of this account, and may only publish', () => {
      const role = r.aws_iam_role['openclaw-audit-review'];
      expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      });
      const policy = r.aws_iam_role_policy['openclaw-audit-review'].policy;
      expect(sid(policy, 'PublishReminder')).toMatchObject({
        Action: 'sns:Publish',
        Resource: 'arn:aws:sns:eu-west-1:123456789012:openclaw-audit-alerts',
      });
    });
  });

  test('the checklist finds nothing to report on it', () => {
    const audit = auditStack(readStack(out, 'test'));
    expect(audit.findings).toEqual([]);
  });
});

describe('AuditTrail retention', () => {
  test('GIVEN less than a year without a reason THEN refused', () => {
    expect(() => build({ retentionDays: 90 })).toThrow(
      'retentionDays 90 keeps audit logs less than a year; use 365 or more, or give dangerouslyShortRetention with a reason',
    );
  });

  test('GIVEN a value CloudWatch does not take THEN refused, listing the values', () => {
    expect(() => build({ retentionDays: 100 })).toThrow(
      /retentionDays 100 is not a value CloudWatch Logs accepts; use one of 1, 3, 5/,
    );
  });

  test('GIVEN a short reason THEN refused', () => {
    expect(() =>
      build({ retentionDays: 90, dangerouslyShortRetention: { reason: 'cost' } }),
    ).toThrow(/dangerouslyShortRetention needs a reason of at least 20 characters/);
  });

  test('GIVEN a reason THEN kept shorter, and the report shows why', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const trail = new AuditTrail(stack, 'audit', {
      ...base,
      retentionDays: 90,
      dangerouslyShortRetention: {
        reason: 'logs are copied to the SIEM, which keeps them 7 years',
      },
    });
    expect(trail.weakenings).toEqual([
      expect.objectContaining({ id: 'short-log-retention', what: 'audit logs kept 90 days' }),
    ]);
    OpenClawChecklist.check(stack, { reports: false });
    const dir = Testing.fullSynth(stack);
    const json = JSON.parse(
      fs.readFileSync(path.join(dir, 'stacks', 'test', 'cdk.tf.json'), 'utf8'),
    );
    expect(
      json.resource.aws_cloudwatch_log_group['openclaw-research-gateway'].retention_in_days,
    ).toBe(90);
    const audit = auditStack(readStack(json, 'test'));
    expect(audit.findings).toEqual([]);
    expect(audit.suppressed.map((f) => [f.ruleId, f.address, f.suppressedBecause])).toContainEqual([
      'OC14-LogGroupRetentionKms',
      'aws_cloudwatch_log_group.openclaw-research-gateway',
      'weakened on purpose (short-log-retention): logs are copied to the SIEM, which keeps them 7 years',
    ]);
  });
});

describe('AuditTrail refuses bad input', () => {
  test.each<[string, Partial<AuditTrailProps>, RegExp]>([
    ['an account id', { accountId: '1234' }, /accountId "1234" is not a 12-digit AWS account id/],
    [
      'a region',
      { region: 'Europe' },
      /region "Europe" is not an AWS region; give a literal such as "eu-west-1" or a reference/,
    ],
    ['a name', { name: 'Audit Trail' }, /name "Audit Trail" must be 3-41 lower-case letters/],
    [
      'a bucket name too long',
      { name: 'a'.repeat(41) },
      /bucket name "a{41}-123456789012-eu-west-1" is not a valid S3 bucket name/,
    ],
    [
      'two emails with one Terraform name',
      { notifyEmails: ['a.b@example.com', 'a-b@example.com'] },
      /notifyEmails "a.b@example.com" and "a-b@example.com" map to one Terraform name/,
    ],
    ['no agents', { agents: [] }, /agents is empty; list the agent names/],
    ['an agent name', { agents: ['Research'] }, /agent "Research" must be lower-case letters/],
    ['an agent twice', { agents: ['a', 'a'] }, /agent "a" is listed twice/],
    [
      'a quarterly review',
      { reviewSchedule: 'rate(90 days)' },
      /reviewSchedule "rate\(90 days\)" is not at least monthly/,
    ],
    ['an email', { notifyEmails: ['security'] }, /notifyEmails entry "security" is not an email/],
    [
      'a band width',
      { requestSpikeBandWidth: 0 },
      /requestSpikeBandWidth 0 must be between 0 and 10/,
    ],
    [
      'active hours',
      { activeHours: { fromHourUtc: 9, toHourUtc: 9 } },
      /activeHours from 9 to 9 is empty/,
    ],
    [
      'an injection phrase with a quote',
      { extraInjectionPhrases: ['say "yes"'] },
      /phrase "say "yes"" can hold only letters/,
    ],
  ])('%s', (_, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
