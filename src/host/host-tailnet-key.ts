import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Construct } from 'constructs';
import { checkAwsValue } from '../core/aws-values';
import { checkNamePrefix, HOST_NAME } from '../core/names';
import { TailnetKey } from '../generated/tailscale/tailnet-key';
import { MAX_AUTH_KEY_SECONDS } from '../tailnet/tailnet-access';
import { hostTag } from './host-names';

/** Props of {@link HostTailnetKey}. */
export interface HostTailnetKeyProps {
  /** The host's name (AgentHost `name`). */
  readonly host: string;
  /** The host's tailnet key secret (AgentHost `tailnetKeySecret.arn`, a cross-stack reference). */
  readonly secretArn: string;
  /**
   * The host's name prefix (AgentHost `namePrefix`): the key's tag is `tag:<prefix>openclaw-host`.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  /**
   * Lifetime of the key in seconds: it only has to outlive the host's first reconciler run.
   * @default 3600
   */
  readonly expirySeconds?: number;
}

/**
 * The host's own tailnet credential: a single-use, pre-authorized, `tag:openclaw-host` auth key,
 * created with the Tailscale provider and put into the host's secret, which only the host's role
 * reads. The host's reconciler joins the tailnet with it on its next run, then it is spent.
 *
 * Goes in a stack with the Tailscale and AWS providers, applied after the host's stack and
 * before the agents' stack (whose Docker provider reaches the host over the tailnet).
 *
 * What lands in Terraform state: this key, twice (the `tailscale_tailnet_key` and the secret
 * version), as for the sidecars' keys. It is single use, expires within the hour by default, and
 * is worthless once the host has joined. A new host needs a new key:
 * `terraform apply -replace=<the tailscale_tailnet_key's address>`.
 */
export class HostTailnetKey extends Construct {
  public readonly key: TailnetKey;
  public readonly version: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: HostTailnetKeyProps) {
    super(scope, id);
    if (!HOST_NAME.test(props.host))
      throw new Error(`host name "${props.host}" must be lower-case letters, digits and "-"`);
    checkAwsValue(props.secretArn, 'secretArn', 'secretArn');
    const prefix = checkNamePrefix(props.namePrefix, `host "${props.host}" namePrefix`);
    const base = `${prefix}${props.host}`;
    const expiry = props.expirySeconds ?? 3600;
    if (!Number.isInteger(expiry) || expiry < 300 || expiry > MAX_AUTH_KEY_SECONDS) {
      throw new Error(
        `expirySeconds ${expiry} is outside 300-${MAX_AUTH_KEY_SECONDS}; the key only has to outlive the host's first reconciler run (3600 is the default)`,
      );
    }
    this.key = new TailnetKey(this, 'key', {
      description: `openclaw host ${base}`.slice(0, 50),
      reusable: false,
      ephemeral: false,
      preauthorized: true,
      expiry,
      tags: [hostTag(prefix)],
    });
    this.key.overrideLogicalId(`${base}-tailnet-key`);
    this.version = new SecretsmanagerSecretVersion(this, 'version', {
      secretId: props.secretArn,
      secretString: this.key.key,
    });
    this.version.overrideLogicalId(`${base}-tailnet-key`);
    this.version.addOverride('//.openclaw_checklist.suppressions', [
      {
        ruleId: 'OC11-SecretValueNotInState',
        reason:
          'the host tailnet key: single use, expires within the hour, already in state by its tailscale_tailnet_key, and spent once the host joins',
      },
    ]);
  }
}
