import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { Construct } from 'constructs';
import { requireReason, Weakening, WeakeningReason, WEAKENING_METADATA } from '../core/weakening';
import { checkAwsValue } from '../core/aws-values';
import { checkNamePrefix, PROFILE_NAME } from '../core/names';
import { stableOutput } from '../core/outputs';

/** One credential of an agent, kept in its own secret. */
export interface AgentCredential {
  /** Name, such as `anthropic` or `gateway-token`; the secret is `<prefix>openclaw/<agent>/<name>`. */
  readonly name: string;
  /**
   * IAM role ARNs allowed to read it.
   * @default - the broker role only
   */
  readonly readers?: readonly string[];
  /** The rotation function, for credentials that can rotate. */
  readonly rotationLambdaArn?: string;
  /**
   * The rotation function's execution role, which must read and write the secret. Required with
   * rotationLambdaArn: the resource policy denies every reader it does not name.
   * @default - none
   */
  readonly rotationRoleArn?: string;
  /**
   * Days between rotations.
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * For a credential kind that cannot rotate (most vendor API keys): the reason, which the
   * checklist report shows. Rotate it by hand after any incident.
   * @default - a rotation function is required
   */
  readonly dangerouslyNoRotation?: WeakeningReason;
  /**
   * Tags on the secret, such as `openclaw:kind` and `openclaw:scopes`, which the checklist reads.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Checklist suppressions recorded on the secret, each with its reason.
   * @default - none
   */
  readonly suppressions?: readonly { readonly ruleId: string; readonly reason: string }[];
}

/** Props of {@link AgentSecrets}. */
export interface AgentSecretsProps {
  /** Agent (risk profile) name. */
  readonly agent: string;
  /**
   * The name prefix of the agent's environment, such as `staging-`: secrets are
   * `<prefix>openclaw/<agent>/<name>`, the key alias `alias/<prefix>openclaw-<agent>`.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  readonly credentials: readonly AgentCredential[];
  /** The broker's role: the default and only routine reader. */
  readonly brokerRoleArn: string;
  /** AWS region of the secrets (for the KMS via-service condition), such as `eu-west-1`. */
  readonly region: string;
  /**
   * A named break-glass role that may also read every secret.
   * @default - none
   */
  readonly breakGlassRoleArn?: string;
  /**
   * Days a deleted secret can be restored.
   * @default 7
   */
  readonly recoveryWindowDays?: number;
}

/**
 * The agent's credentials in AWS Secrets Manager: its own KMS key (rotation on), one secret per
 * credential encrypted with it, a resource policy that denies every reader but the broker (and an
 * optional break-glass role), rotation, and the broker's IAM policy naming the exact ARNs.
 *
 * Terraform never writes a value: put it with
 * `aws secretsmanager put-secret-value --secret-id openclaw/<agent>/<name> --secret-string file://key.txt`
 * (from a file, not the command line), so no value is in the plan, the state or shell history.
 */
export class AgentSecrets extends Construct {
  public readonly key: KmsKey;
  public readonly secrets: Readonly<Record<string, SecretsmanagerSecret>>;
  /** The policy to attach to the broker role: read these secrets, decrypt with this key. */
  public readonly brokerPolicy: IamPolicy;
  public readonly weakenings: readonly Weakening[];

  constructor(scope: Construct, id: string, props: AgentSecretsProps) {
    super(scope, id);
    if (!PROFILE_NAME.test(props.agent)) {
      throw new Error(
        `agent "${props.agent}" must be lower-case letters, digits and "-", such as "research"`,
      );
    }
    const window = props.recoveryWindowDays ?? 7;
    if (!Number.isInteger(window) || window < 7 || window > 30) {
      throw new Error(`recoveryWindowDays ${window} must be 7-30 (0 would delete secrets at once)`);
    }
    checkAwsValue(props.brokerRoleArn, 'brokerRoleArn', 'roleArn');
    if (props.breakGlassRoleArn !== undefined)
      checkAwsValue(props.breakGlassRoleArn, 'breakGlassRoleArn', 'roleArn');
    checkAwsValue(props.region, 'region', 'region');
    if (props.credentials.length === 0)
      throw new Error('AgentSecrets needs at least one credential');
    const weakenings: Weakening[] = [];

    this.key = new KmsKey(this, 'key', {
      description: `OpenClaw agent ${props.agent}: credentials`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const prefix = checkNamePrefix(props.namePrefix, 'namePrefix');
    const base = `${prefix}openclaw-${props.agent}`;
    this.key.overrideLogicalId(base);
    new KmsAlias(this, 'alias', {
      name: `alias/${base}`,
      targetKeyId: this.key.keyId,
    }).overrideLogicalId(base);

    const secrets: Record<string, SecretsmanagerSecret> = {};
    const names = new Set<string>();
    for (const cred of props.credentials) {
      if (!PROFILE_NAME.test(cred.name)) {
        throw new Error(
          `credential "${cred.name}" must be lower-case letters, digits and "-", such as "anthropic"`,
        );
      }
      if (names.has(cred.name)) throw new Error(`credential "${cred.name}" is listed twice`);
      names.add(cred.name);
      const secret = new SecretsmanagerSecret(this, `${cred.name}-secret`, {
        name: `${prefix}openclaw/${props.agent}/${cred.name}`,
        description: `OpenClaw agent ${props.agent}: ${cred.name}`,
        kmsKeyId: this.key.arn,
        recoveryWindowInDays: window,
        ...(cred.tags ? { tags: tagsOf(cred) } : {}),
      });
      secret.overrideLogicalId(`${base}-${cred.name}`);
      secrets[cred.name] = secret;

      const where = `credential "${cred.name}"`;
      if (cred.rotationLambdaArn !== undefined)
        checkAwsValue(cred.rotationLambdaArn, `${where} rotationLambdaArn`, 'lambdaArn');
      if (cred.rotationRoleArn !== undefined)
        checkAwsValue(cred.rotationRoleArn, `${where} rotationRoleArn`, 'roleArn');
      for (const reader of cred.readers ?? []) checkAwsValue(reader, `${where} readers`, 'roleArn');
      if (cred.rotationLambdaArn && !cred.rotationRoleArn) {
        throw new Error(
          `credential "${cred.name}" has rotationLambdaArn but no rotationRoleArn; the secret's policy denies every reader it does not name, so name the rotation function's role`,
        );
      }
      const readers = [
        ...(cred.readers ?? [props.brokerRoleArn]),
        ...(cred.rotationRoleArn ? [cred.rotationRoleArn] : []),
        ...(props.breakGlassRoleArn ? [props.breakGlassRoleArn] : []),
      ];
      const policy = new SecretsmanagerSecretPolicy(this, `${cred.name}-policy`, {
        secretArn: secret.arn,
        blockPublicPolicy: true,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OnlyNamedReaders',
              Effect: 'Deny',
              Principal: '*',
              Action: ['secretsmanager:GetSecretValue'],
              Resource: '*',
              Condition: { StringNotEquals: { 'aws:PrincipalArn': readers } },
            },
          ],
        }),
      });
      policy.overrideLogicalId(`${base}-${cred.name}`);

      if (cred.rotationLambdaArn) {
        const days = cred.rotationDays ?? 30;
        if (!Number.isInteger(days) || days < 1 || days > 365)
          throw new Error(`credential "${cred.name}" rotationDays ${days} must be 1-365`);
        new SecretsmanagerSecretRotation(this, `${cred.name}-rotation`, {
          secretId: secret.id,
          rotationLambdaArn: cred.rotationLambdaArn,
          rotationRules: { automaticallyAfterDays: days },
        }).overrideLogicalId(`${base}-${cred.name}`);
      }
      const suppressions = [...(cred.suppressions ?? [])];
      if (cred.rotationLambdaArn) {
        // rotates
      } else if (cred.dangerouslyNoRotation) {
        const reason = requireReason(
          cred.dangerouslyNoRotation,
          `credential "${cred.name}" dangerouslyNoRotation`,
        );
        weakenings.push({
          id: `no-rotation:${cred.name}`,
          what: `${prefix}openclaw/${props.agent}/${cred.name} does not rotate`,
          reason,
        });
        suppressions.push({ ruleId: 'OC11-SecretRotation', reason: `cannot rotate: ${reason}` });
      } else {
        throw new Error(
          `credential "${cred.name}" has no rotation; give rotationLambdaArn, or dangerouslyNoRotation with a reason for a key kind that cannot rotate`,
        );
      }
      if (suppressions.length > 0) {
        secret.addOverride('//.openclaw_checklist.suppressions', suppressions);
      }
    }
    this.secrets = secrets;
    this.weakenings = weakenings;
    for (const w of weakenings) this.node.addMetadata(WEAKENING_METADATA, w);

    const brokerSecrets = props.credentials.filter((c) =>
      (c.readers ?? [props.brokerRoleArn]).includes(props.brokerRoleArn),
    );
    this.brokerPolicy = new IamPolicy(this, 'broker-policy', {
      name: `${base}-broker-secrets`,
      description: `The ${props.agent} credential broker reads its own secrets`,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadOwnSecrets',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue'],
            Resource: brokerSecrets.map((c) => secrets[c.name].arn),
          },
          {
            Sid: 'DecryptViaSecretsManager',
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: [this.key.arn],
            Condition: {
              StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` },
            },
          },
        ],
      }),
    });
    this.brokerPolicy.overrideLogicalId(`${base}-broker`);
    for (const [cred, secret] of Object.entries(secrets)) {
      stableOutput(
        this,
        `${base}-${cred}-secret-arn`,
        secret.arn,
        `The ${props.agent} agent's ${cred} secret`,
      );
    }
  }

  /** The ARN of one credential's secret. */
  public secretArn(name: string): string {
    const secret = this.secrets[name];
    if (!secret)
      throw new Error(`no credential "${name}"; known: ${Object.keys(this.secrets).join(', ')}`);
    return secret.arn;
  }
}

/** A credential's tags, checked against AWS's tag rules. */
function tagsOf(cred: AgentCredential): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(cred.tags ?? {})) {
    if (!/^[\w .:/=+@-]{1,128}$/.test(key) || !/^[\w .:/=+@-]{0,256}$/.test(value)) {
      throw new Error(
        `credential "${cred.name}" tag ${key}=${value} is not a valid AWS tag (keys up to 128, values up to 256 characters of letters, digits, spaces and _ . : / = + - @)`,
      );
    }
    tags[key] = value;
  }
  return tags;
}
