import * as path from 'path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AssetType, Lazy, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { KEY_ADMIN_ACTIONS, LOGS_KEY_ACTIONS } from '../audit/audit-trail';
import { MIN_AUDIT_RETENTION_DAYS } from '../audit/retention';
import { checkAwsValue } from '../core/aws-values';
import { APPLIED_VERSION_TAG } from '../host/host-names';
import { runtimeDir } from '../host/user-data';

/** Props of {@link GatewayTokenRotation}. */
export interface GatewayTokenRotationProps {
  /** AWS region of the function and the secrets it rotates. */
  readonly region: string;
  /** The account (for the log key's policy and the invoke permission's source account). */
  readonly accountId: string;
  /**
   * Prefix of the function's, role's and log group's names, such as `staging-`.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
}

/**
 * The rotation function of the gateway tokens, shipped in the package (runtime/rotate-gateway-token)
 * and deployed here: a Node.js Lambda with its own role, its own log group (a year, encrypted with
 * its own key), and an invoke permission for Secrets Manager in this account only.
 *
 * A new token becomes AWSCURRENT only after the gateway uses it: the function puts it as
 * AWSPENDING, the host's reconciler applies it to that gateway alone, checks the gateway accepts
 * it and tags the secret `openclaw:applied-version`; the function's testSecret step fails until
 * that tag names the new version (Secrets Manager retries), then finishSecret moves AWSCURRENT.
 *
 * Give {@link GatewayTokenRotation.rotation} as an agent's `gatewayToken`, and call
 * {@link GatewayTokenRotation.grantRotation} with each token secret and its key: the role may touch
 * exactly those.
 */
export class GatewayTokenRotation extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** What an agent's `gatewayToken` takes. */
  public readonly rotation: {
    readonly rotationLambdaArn: string;
    readonly rotationRoleArn: string;
  };
  private readonly secretArns: string[] = [];
  private readonly keyArns: string[] = [];
  private readonly region: string;

  constructor(scope: Construct, id: string, props: GatewayTokenRotationProps) {
    super(scope, id);
    checkAwsValue(props.region, 'region', 'region');
    checkAwsValue(props.accountId, 'accountId', 'accountId');
    this.region = props.region;
    const prefix = props.namePrefix ?? '';
    if (prefix !== '' && !/^[a-z0-9][a-z0-9-]{0,20}-$/.test(prefix))
      throw new Error(
        `name prefix "${prefix}" must be lower-case letters, digits and "-", ending in "-", such as "staging-"`,
      );
    const name = `${prefix}openclaw-rotate-gateway-token`;
    const logGroupName = `/aws/lambda/${name}`;

    const logKey = new KmsKey(this, 'log-key', {
      description: `OpenClaw ${name}: its logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministers',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: KEY_ADMIN_ACTIONS,
            Resource: '*',
          },
          {
            Sid: 'CloudWatchLogsEncryptsTheFunctionLogs',
            Effect: 'Allow',
            Principal: { Service: `logs.${props.region}.amazonaws.com` },
            Action: LOGS_KEY_ACTIONS,
            Resource: '*',
            Condition: {
              ArnEquals: {
                'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`,
              },
            },
          },
        ],
      }),
    });
    logKey.overrideLogicalId(`${name}-logs`);
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: logGroupName,
      retentionInDays: MIN_AUDIT_RETENTION_DAYS,
      kmsKeyId: logKey.arn,
    });
    this.logGroup.overrideLogicalId(name);

    this.role = new IamRole(this, 'role', {
      name,
      description: 'Rotates the OpenClaw gateway tokens it is granted',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    });
    this.role.overrideLogicalId(name);
    new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      name: 'rotate-granted-gateway-tokens',
      policy: Lazy.stringValue({ produce: () => this.policy() }),
    }).overrideLogicalId(name);

    const source = path.join(runtimeDir(), 'rotate-gateway-token');
    const asset = new TerraformAsset(this, 'code', {
      path: source,
      type: AssetType.ARCHIVE,
    });
    this.function = new LambdaFunction(this, 'function', {
      functionName: name,
      description: 'Rotates OpenClaw gateway tokens once the host has applied the new one',
      role: this.role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      timeout: 300,
      memorySize: 128,
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      dependsOn: [this.logGroup],
    });
    this.function.overrideLogicalId(name);
    new LambdaPermission(this, 'invoke', {
      functionName: this.function.functionName,
      action: 'lambda:InvokeFunction',
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: props.accountId,
    }).overrideLogicalId(name);
    this.rotation = { rotationLambdaArn: this.function.arn, rotationRoleArn: this.role.arn };
  }

  /**
   * Lets the function rotate one gateway token secret encrypted with this key (exact ARNs; the
   * fleet calls it for each agent's `gateway-token`).
   */
  public grantRotation(secretArn: string, kmsKeyArn: string): void {
    checkAwsValue(secretArn, 'secretArn', 'secretArn');
    checkAwsValue(kmsKeyArn, 'kmsKeyArn', 'kmsKeyArn');
    this.secretArns.push(secretArn);
    this.keyArns.push(kmsKeyArn);
  }

  private policy(): string {
    if (this.secretArns.length === 0)
      throw new Error(
        `GatewayTokenRotation "${this.node.path}" rotates no secret; call grantRotation(secretArn, kmsKeyArn) for each gateway token it is the rotation function of`,
      );
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RotateGrantedTokens',
          Effect: 'Allow',
          Action: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          Resource: [...new Set(this.secretArns)],
        },
        {
          Sid: 'RemoveTheHostsRecord',
          Effect: 'Allow',
          Action: ['secretsmanager:UntagResource'],
          Resource: [...new Set(this.secretArns)],
          Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [APPLIED_VERSION_TAG] } },
        },
        {
          Sid: 'EncryptViaSecretsManager',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: [...new Set(this.keyArns)],
          Condition: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` },
          },
        },
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${this.logGroup.arn}:*`],
        },
      ],
    });
  }
}
