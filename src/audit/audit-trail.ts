import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { OpenClawChecklist } from '../checklist/openclaw-checklist';
import { checkAwsValue } from '../core/aws-values';
import { checkNamePrefix, PROFILE_NAME } from '../core/names';
import type { AgentFleet } from '../fleet/agent-fleet';
import { requireReason, Weakening, WeakeningReason, WEAKENING_METADATA } from '../core/weakening';
import {
  ActiveHours,
  AGENT_LOG_STREAMS,
  AgentLogStream,
  agentLogGroupName,
  blockedToolFilterPattern,
  brokerOutcomeFilterPattern,
  injectionFilterPattern,
  INJECTION_PHRASES,
  outOfHoursExpression,
} from './log-patterns';
import { LOG_RETENTION_DAYS, MIN_AUDIT_RETENTION_DAYS } from './retention';
import { DEFAULT_REVIEW_SCHEDULE, isAtLeastMonthly, reviewReminder } from './review-schedule';
import { stableOutput } from '../core/outputs';

/**
 * What the account's own IAM policies may be granted on the audit key: administration (never
 * lost: AWS refuses a key policy that locks the account out) and Decrypt, to read the trail.
 */
/** What CloudWatch Logs needs of a key that encrypts log groups. */
export const LOGS_KEY_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

export const KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ListAliases',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:Decrypt',
];

/** Props of {@link AuditTrail}. */
export interface AuditTrailProps {
  /** The AWS account (12 digits): key, bucket and topic policies name it. */
  readonly accountId: string;
  /** The region of the log groups, the topic and the schedule (the trail covers every region). */
  readonly region: string;
  /**
   * The agents whose gateway, broker and sidecar logs are kept (their names).
   * @default - every agent of `fleet` (one of the two is required)
   */
  readonly agents?: readonly string[];
  /**
   * The fleet whose logs the trail keeps. Each of its AgentHosts' roles is then granted writing
   * to exactly its own agents' log groups (the Docker daemon ships the containers' output with
   * the host's role), next to the log groups, so the host's stack never names them.
   * @default - no fleet: give `agents`, and grant the hosts yourself (`logGroupArns`)
   */
  readonly fleet?: AgentFleet;
  /**
   * The name prefix of the environment, such as `staging-`: log groups
   * `/<prefix>openclaw/<agent>/<stream>`, filters, alarms and metric namespaces of the agents, and
   * the default `name`.
   * @default - the fleet's namePrefix, else "" (no prefix)
   */
  readonly namePrefix?: string;
  /**
   * When the agents are expected to be busy. Broker requests outside these hours raise an alarm.
   * `"around-the-clock"` turns that alarm off.
   */
  readonly activeHours: ActiveHours | 'around-the-clock';
  /**
   * Base of every name: trail, bucket, key alias, topic, schedule, roles.
   * @default "<namePrefix>openclaw-audit"
   */
  readonly name?: string;
  /**
   * Email addresses subscribed to the alarm and review topic (each confirms by mail).
   * @default - none: subscribe on the topic yourself
   */
  readonly notifyEmails?: readonly string[];
  /**
   * Days the log groups keep logs; one of CloudWatch's values.
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * Keep logs for less than a year. The reason is shown in the checklist report.
   * @default - retention below 365 days is refused
   */
  readonly dangerouslyShortRetention?: WeakeningReason;
  /**
   * The trail's S3 bucket.
   * @default "<name>-<accountId>-<region>"
   */
  readonly bucketName?: string;
  /**
   * When the security review reminder is published: an EventBridge Scheduler `cron(...)`
   * expression, or `rate(N days)` with N at most 31.
   * @default "cron(0 9 1 * ? *)": 09:00 on the first of each month
   */
  readonly reviewSchedule?: string;
  /**
   * Time zone of the review schedule (IANA name).
   * @default "UTC"
   */
  readonly reviewTimezone?: string;
  /**
   * Phrases watched for in gateway logs, on top of {@link INJECTION_PHRASES}.
   * @default - only the built-in phrases
   */
  readonly extraInjectionPhrases?: readonly string[];
  /**
   * Width of the anomaly detection band for broker requests, in standard deviations.
   * @default 3
   */
  readonly requestSpikeBandWidth?: number;
}

/** The alarms of one agent, by what they watch. */
export interface AgentAlarms {
  readonly injection: CloudwatchMetricAlarm;
  readonly blockedTools: CloudwatchMetricAlarm;
  readonly refusedEgress: CloudwatchMetricAlarm;
  readonly requestSpike: CloudwatchMetricAlarm;
  readonly outOfHours?: CloudwatchMetricAlarm;
}

/**
 * The audit trail of a fleet, in the account that holds its secrets (checklist items 14 and 16):
 *
 * - a log group per agent for its gateway, broker and sidecar (`/openclaw/<agent>/<stream>`),
 *   encrypted with the trail's own KMS key and kept 365 days; the containers' awslogs driver
 *   writes to them (`auditLogs` on OpenClawAgent or AgentFleet);
 * - CloudTrail in every region, with log file validation, the same key, and read events, so each
 *   `GetSecretValue` is recorded with the agent's own broker role as the caller; its bucket is
 *   versioned, private, owner-enforced and TLS-only;
 * - metric filters and alarms per agent: injection phrases and blocked tool calls in the gateway's
 *   log, requests the broker refused, a spike in broker requests (anomaly detection), and
 *   requests outside the active hours; all notify one KMS-encrypted SNS topic;
 * - a monthly EventBridge Scheduler reminder on that topic with the exact review commands.
 */
export class AuditTrail extends Construct {
  public readonly key: KmsKey;
  public readonly topic: SnsTopic;
  public readonly trail: Cloudtrail;
  public readonly bucket: S3Bucket;
  public readonly review: SchedulerSchedule;
  /** Log groups by agent, then stream. */
  public readonly logGroups: Readonly<Record<string, Record<AgentLogStream, CloudwatchLogGroup>>>;
  /** Alarms by agent. */
  public readonly alarms: Readonly<Record<string, AgentAlarms>>;
  /** Weakenings taken through dangerously* props. */
  public readonly weakenings: readonly Weakening[];
  /** The log grant on each of the fleet's AgentHosts' roles, by host name. */
  public readonly hostLogGrants: Readonly<Record<string, IamRolePolicy>>;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const prefix = checkNamePrefix(
      props.namePrefix ?? props.fleet?.namePrefix,
      'AuditTrail namePrefix',
    );
    const name = props.name ?? `${prefix}openclaw-audit`;
    const { accountId, region } = props;
    const agents = props.agents ?? Object.keys(props.fleet?.agents ?? {});
    if (props.agents === undefined && props.fleet === undefined) {
      throw new Error(
        "AuditTrail needs its agents: give fleet (an AgentFleet, whose hosts it then grants writing their agents' logs) or agents (the agent names)",
      );
    }
    validateProps(props, name, agents);
    const weakenings: Weakening[] = [];
    const retention = props.retentionDays ?? MIN_AUDIT_RETENTION_DAYS;
    let shortRetentionReason: string | undefined;
    if (retention < MIN_AUDIT_RETENTION_DAYS) {
      if (!props.dangerouslyShortRetention) {
        throw new Error(
          `retentionDays ${retention} keeps audit logs less than a year; use ${MIN_AUDIT_RETENTION_DAYS} or more, or give dangerouslyShortRetention with a reason`,
        );
      }
      shortRetentionReason = requireReason(
        props.dangerouslyShortRetention,
        'dangerouslyShortRetention',
      );
      weakenings.push({
        id: 'short-log-retention',
        what: `audit logs kept ${retention} days`,
        reason: shortRetentionReason,
      });
    }

    const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
    const topicName = `${name}-alerts`;
    const topicArn = `arn:aws:sns:${region}:${accountId}:${topicName}`;
    const bucketName = props.bucketName ?? `${name}-${accountId}-${region}`;
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    const root = `arn:aws:iam::${accountId}:root`;

    // --- the key: logs, trail and topic; IAM policies of this account may grant more ---
    this.key = new KmsKey(this, 'key', {
      description: `OpenClaw audit trail ${name}: logs, CloudTrail, alerts`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministers',
            Effect: 'Allow',
            Principal: { AWS: root },
            // exact actions: administration, and Decrypt for whoever reads the trail's files
            Action: KEY_ADMIN_ACTIONS,
            Resource: '*',
          },
          {
            Sid: 'CloudWatchLogsEncryptsAgentLogs',
            Effect: 'Allow',
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: LOGS_KEY_ACTIONS,
            Resource: '*',
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:/${prefix}openclaw/*`,
              },
            },
          },
          {
            Sid: 'CloudTrailEncryptsLogFiles',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey',
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceArn': trailArn },
              StringLike: {
                'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*`,
              },
            },
          },
          {
            Sid: 'CloudTrailDescribesKey',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:DescribeKey',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          },
          {
            // the review schedule's role (and anyone the account's IAM policies allow) publishes
            // to the encrypted topic; without this the IAM grant has no effect
            Sid: 'AccountPublishesToTopicViaSns',
            Effect: 'Allow',
            Principal: { AWS: root },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
          },
          {
            // with the S3 Bucket Key on, CloudTrail decrypts the bucket key to write log files
            Sid: 'CloudTrailDecryptsBucketKey',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          },
          {
            Sid: 'CloudWatchAlarmsPublishToTopic',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
          },
        ],
      }),
    });
    this.key.overrideLogicalId(name);
    new KmsAlias(this, 'alias', {
      name: `alias/${name}`,
      targetKeyId: this.key.keyId,
    }).overrideLogicalId(name);

    // --- the agents' log groups ---
    const logGroups: Record<string, Record<AgentLogStream, CloudwatchLogGroup>> = {};
    for (const agent of agents) {
      const groups = {} as Record<AgentLogStream, CloudwatchLogGroup>;
      for (const stream of AGENT_LOG_STREAMS) {
        const group = new CloudwatchLogGroup(this, `${agent}-${stream}`, {
          name: agentLogGroupName(agent, stream, prefix),
          retentionInDays: retention,
          kmsKeyId: this.key.arn,
          tags: { 'openclaw:agent': agent, 'openclaw:stream': stream },
        });
        group.overrideLogicalId(`${prefix}openclaw-${agent}-${stream}`);
        if (shortRetentionReason !== undefined) {
          OpenClawChecklist.suppress(
            group,
            'OC14-LogGroupRetentionKms',
            `weakened on purpose (short-log-retention): ${shortRetentionReason}`,
          );
        }
        groups[stream] = group;
      }
      logGroups[agent] = groups;
    }
    this.logGroups = logGroups;

    // --- the trail and its bucket ---
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: bucketName,
      forceDestroy: false,
      tags: { 'openclaw:purpose': 'audit-trail' },
    });
    this.bucket.overrideLogicalId(name);
    new S3BucketOwnershipControls(this, 'bucket-ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    }).overrideLogicalId(name);
    new S3BucketPublicAccessBlock(this, 'bucket-public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }).overrideLogicalId(name);
    new S3BucketVersioningA(this, 'bucket-versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    }).overrideLogicalId(name);
    new S3BucketServerSideEncryptionConfigurationA(this, 'bucket-encryption', {
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: 'aws:kms',
            kmsMasterKeyId: this.key.arn,
          },
          bucketKeyEnabled: true,
        },
      ],
    }).overrideLogicalId(name);
    const bucketPolicy = new S3BucketPolicy(this, 'bucket-policy', {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudTrailChecksAcl',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:GetBucketAcl',
            Resource: bucketArn,
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          },
          {
            Sid: 'CloudTrailWritesLogFiles',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
            Condition: {
              StringEquals: {
                'aws:SourceArn': trailArn,
                's3:x-amz-acl': 'bucket-owner-full-control',
              },
            },
          },
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucketArn, `${bucketArn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
    bucketPolicy.overrideLogicalId(name);
    this.trail = new Cloudtrail(this, 'trail', {
      name,
      s3BucketName: this.bucket.id,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: this.key.arn,
      // management events, reads included: Secrets Manager records GetSecretValue as a read
      // management event, with the caller's role session (each agent's broker role)
      advancedEventSelector: [
        {
          name: 'Management events, reads included (Secrets Manager GetSecretValue)',
          fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }],
        },
      ],
      dependsOn: [bucketPolicy],
      tags: { 'openclaw:purpose': 'audit-trail' },
    });
    this.trail.overrideLogicalId(name);

    // --- the topic: alarms and the review reminder ---
    this.topic = new SnsTopic(this, 'topic', {
      name: topicName,
      kmsMasterKeyId: this.key.arn,
    });
    this.topic.overrideLogicalId(name);
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministers',
            Effect: 'Allow',
            Principal: { AWS: root },
            Action: [
              'sns:GetTopicAttributes',
              'sns:SetTopicAttributes',
              'sns:Subscribe',
              'sns:ListSubscriptionsByTopic',
              'sns:Publish',
            ],
            Resource: topicArn,
          },
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: {
              ArnLike: {
                'aws:SourceArn': `arn:aws:cloudwatch:${region}:${accountId}:alarm:${prefix}openclaw-*`,
              },
              StringEquals: { 'aws:SourceAccount': accountId },
            },
          },
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    }).overrideLogicalId(name);
    const subscriptionIds = new Map<string, string>();
    for (const email of props.notifyEmails ?? []) {
      const logicalId = `${name}-${email.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`;
      const other = subscriptionIds.get(logicalId);
      if (other !== undefined) {
        throw new Error(
          `notifyEmails "${other}" and "${email}" map to one Terraform name (${logicalId}); list each address once`,
        );
      }
      subscriptionIds.set(logicalId, email);
      new SnsTopicSubscription(this, `notify-${email}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
      }).overrideLogicalId(logicalId);
    }

    // --- filters and alarms per agent ---
    const injection = injectionFilterPattern([
      ...INJECTION_PHRASES,
      ...(props.extraInjectionPhrases ?? []),
    ]);
    const alarms: Record<string, AgentAlarms> = {};
    for (const agent of agents) {
      const namespace = `OpenClaw/${prefix}${agent}`;
      const filter = (id: string, stream: AgentLogStream, pattern: string, metric: string) =>
        new CloudwatchLogMetricFilter(this, `${agent}-${id}`, {
          name: `${prefix}openclaw-${agent}-${id}`,
          logGroupName: logGroups[agent][stream].name,
          pattern,
          metricTransformation: { name: metric, namespace, value: '1', unit: 'Count' },
        }).overrideLogicalId(`${prefix}openclaw-${agent}-${id}`);
      filter('injection', 'gateway', injection, 'InjectionPhrases');
      filter('blocked-tools', 'gateway', blockedToolFilterPattern(), 'BlockedToolCalls');
      filter(
        'refused-egress',
        'broker',
        brokerOutcomeFilterPattern(['refused']),
        'RefusedRequests',
      );
      filter(
        'requests',
        'broker',
        brokerOutcomeFilterPattern(['forwarded', 'tunnelled']),
        'Requests',
      );

      const alarm = (id: string, description: string, config: AlarmShape) => {
        const a = new CloudwatchMetricAlarm(this, `${agent}-${id}-alarm`, {
          alarmName: `${prefix}openclaw-${agent}-${id}`,
          alarmDescription: `OpenClaw agent ${agent}: ${description}`,
          alarmActions: [this.topic.arn],
          treatMissingData: 'notBreaching',
          ...config,
        });
        a.overrideLogicalId(`${prefix}openclaw-${agent}-${id}`);
        return a;
      };
      const atLeastOne = (metricName: string): AlarmShape => ({
        namespace,
        metricName,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      const requests = {
        id: 'requests',
        returnData: false,
        metric: { namespace, metricName: 'Requests', stat: 'Sum', period: 300 },
      };
      alarms[agent] = {
        injection: alarm(
          'injection',
          'a prompt-injection phrase appeared in the gateway log; read the session and check what the agent did next',
          atLeastOne('InjectionPhrases'),
        ),
        blockedTools: alarm(
          'blocked-tools',
          'the gateway refused a tool call its profile does not allow; find the message that asked for it',
          atLeastOne('BlockedToolCalls'),
        ),
        refusedEgress: alarm(
          'refused-egress',
          'the broker refused a request to a host or route outside its allowlist',
          atLeastOne('RefusedRequests'),
        ),
        requestSpike: alarm(
          'request-spike',
          'broker requests rose above their usual band (anomaly detection)',
          {
            comparisonOperator: 'GreaterThanUpperThreshold',
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
            thresholdMetricId: 'band',
            metricQuery: [
              { ...requests, returnData: true },
              {
                id: 'band',
                expression: `ANOMALY_DETECTION_BAND(requests, ${props.requestSpikeBandWidth ?? 3})`,
                label: 'Requests (expected)',
                returnData: true,
              },
            ],
          },
        ),
        ...(props.activeHours === 'around-the-clock'
          ? {}
          : {
              outOfHours: alarm(
                'out-of-hours',
                'the broker served requests outside the active hours',
                {
                  comparisonOperator: 'GreaterThanThreshold',
                  evaluationPeriods: 1,
                  threshold: 0,
                  metricQuery: [
                    requests,
                    {
                      id: 'outside',
                      expression: outOfHoursExpression(props.activeHours, 'requests'),
                      label: 'Requests outside active hours',
                      returnData: true,
                    },
                  ],
                },
              ),
            }),
      };
    }
    this.alarms = alarms;

    // --- the monthly review ---
    const scheduler = new IamRole(this, 'review-role', {
      name: `${name}-review-${region}`,
      description: 'EventBridge Scheduler publishes the monthly OpenClaw security review reminder',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ],
      }),
    });
    scheduler.overrideLogicalId(`${name}-review`);
    new IamRolePolicy(this, 'review-policy', {
      role: scheduler.id,
      name: 'publish-review-reminder',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'PublishReminder', Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn },
          {
            Sid: 'EncryptForTopic',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: this.key.arn,
          },
        ],
      }),
    }).overrideLogicalId(`${name}-review`);
    this.review = new SchedulerSchedule(this, 'review', {
      name: `${name}-monthly-review`,
      description:
        'Monthly OpenClaw security review: rerun the checklist and OpenClaw security audit',
      scheduleExpression: props.reviewSchedule ?? DEFAULT_REVIEW_SCHEDULE,
      scheduleExpressionTimezone: props.reviewTimezone ?? 'UTC',
      state: 'ENABLED',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: this.topic.arn,
        roleArn: scheduler.arn,
        input: reviewReminder(agents, topicName, prefix),
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 86400 },
      },
    });
    this.review.overrideLogicalId(`${name}-monthly-review`);
    stableOutput(this, `${name}-trail-arn`, this.trail.arn, 'The audit CloudTrail trail');
    stableOutput(this, `${name}-topic-arn`, this.topic.arn, 'The SNS topic of alarms and reviews');

    this.hostLogGrants = this.grantHostsLogs(props.fleet, agents, prefix);
    this.weakenings = weakenings;
    for (const w of weakenings) this.node.addMetadata(WEAKENING_METADATA, w);
  }

  /**
   * For each AgentHost of the fleet: a policy on its role to write exactly its own agents' log
   * groups (of those this trail keeps), with the groups' real ARNs.
   */
  private grantHostsLogs(
    fleet: AgentFleet | undefined,
    agents: readonly string[],
    prefix: string,
  ): Record<string, IamRolePolicy> {
    const grants: Record<string, IamRolePolicy> = {};
    for (const { host, agents: onHost } of fleet?.agentHosts ?? []) {
      const kept = onHost.filter((a) => agents.includes(a.name));
      if (kept.length === 0) continue;
      const base = `${host.namePrefix}${host.name}`;
      const groups = kept
        .map((a) => a.name)
        .sort()
        .flatMap((a) => AGENT_LOG_STREAMS.map((s) => `${this.logGroups[a][s].arn}:*`));
      const grant = new IamRolePolicy(this, `${base}-logs`, {
        role: host.role.name,
        name: `${prefix}openclaw-agent-logs`,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'WriteOwnAgentsLogs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              Resource: groups,
            },
          ],
        }),
      });
      grant.overrideLogicalId(`${base}-logs`);
      grants[host.name] = grant;
    }
    return grants;
  }
}

type AlarmShape = Omit<
  ConstructorParameters<typeof CloudwatchMetricAlarm>[2],
  'alarmName' | 'alarmDescription' | 'alarmActions' | 'treatMissingData'
>;

function validateProps(props: AuditTrailProps, name: string, agents: readonly string[]): void {
  checkAwsValue(props.accountId, 'accountId', 'accountId');
  checkAwsValue(props.region, 'region', 'region');
  if (!/^[a-z0-9][a-z0-9-]{2,40}$/.test(name)) {
    throw new Error(
      `name "${name}" must be 3-41 lower-case letters, digits and "-", such as "openclaw-audit"`,
    );
  }
  const bucket = props.bucketName ?? `${name}-${props.accountId}-${props.region}`;
  if (!Token.isUnresolved(bucket) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(
      `bucket name "${bucket}" is not a valid S3 bucket name (3-63 lower-case letters, digits, "." and "-"); give a shorter name or bucketName`,
    );
  }
  if (agents.length === 0) {
    throw new Error('agents is empty; list the agent names whose logs the trail keeps');
  }
  const seen = new Set<string>();
  for (const agent of agents) {
    if (!PROFILE_NAME.test(agent)) {
      throw new Error(
        `agent "${agent}" must be lower-case letters, digits and "-", as in OpenClawAgent`,
      );
    }
    if (seen.has(agent)) throw new Error(`agent "${agent}" is listed twice`);
    seen.add(agent);
  }
  const retention = props.retentionDays;
  if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    throw new Error(
      `retentionDays ${retention} is not a value CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
  const schedule = props.reviewSchedule;
  if (schedule !== undefined) {
    if (!isAtLeastMonthly(schedule)) {
      throw new Error(
        `reviewSchedule "${schedule}" is not at least monthly; use a cron(...) that runs every month, such as "${DEFAULT_REVIEW_SCHEDULE}", or rate(N days) with N at most 31`,
      );
    }
  }
  for (const email of props.notifyEmails ?? []) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      throw new Error(`notifyEmails entry "${email}" is not an email address`);
    }
  }
  const band = props.requestSpikeBandWidth;
  if (band !== undefined && !(band > 0 && band <= 10)) {
    throw new Error(
      `requestSpikeBandWidth ${band} must be between 0 and 10 standard deviations, such as 3`,
    );
  }
}
