import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { escapeTerraformTemplate } from '../core/terraform-string';
import { requireReason, WeakeningReason, WEAKENING_METADATA } from '../core/weakening';
import { Acl } from '../generated/tailscale/acl';
import { renderTailnetPolicy, TailnetPolicyOptions } from './tailnet-policy-document';

/** Props of {@link TailnetPolicy}. */
export interface TailnetPolicyProps extends TailnetPolicyOptions {
  /**
   * `acl` manages the tailnet policy with a `tailscale_acl`; `output` only hands the document out
   * (output `tailnet_policy`) for teams that keep their policy elsewhere.
   * @default "output"
   */
  readonly mode?: 'acl' | 'output';
  /**
   * Let `tailscale_acl` replace a policy that was edited before (Tailscale answers 412 otherwise).
   * Without it, import the existing policy first: `terraform import <address> acl`.
   * @default - an existing, edited policy is never overwritten
   */
  readonly dangerouslyOverwriteExistingPolicy?: WeakeningReason;
}

/**
 * The tailnet policy for the agent cells (see {@link renderTailnetPolicy}): tag owners, grants from
 * user groups to each agent tag on tcp:443 only, nothing between agents, and policy tests that
 * Tailscale runs on every change.
 */
export class TailnetPolicy extends Construct {
  /** The policy document. */
  public readonly document: Record<string, unknown>;
  /** The managed policy, in `acl` mode. */
  public readonly acl?: Acl;

  constructor(scope: Construct, id: string, props: TailnetPolicyProps) {
    super(scope, id);
    this.document = renderTailnetPolicy(props);
    const json = escapeTerraformTemplate(JSON.stringify(this.document, null, 2));
    if ((props.mode ?? 'output') === 'acl') {
      let overwrite = false;
      if (props.dangerouslyOverwriteExistingPolicy) {
        const reason = requireReason(
          props.dangerouslyOverwriteExistingPolicy,
          'dangerouslyOverwriteExistingPolicy',
        );
        this.node.addMetadata(WEAKENING_METADATA, {
          id: 'overwrite-tailnet-policy',
          what: 'replaces an edited tailnet policy',
          reason,
        });
        overwrite = true;
      }
      this.acl = new Acl(this, 'acl', {
        acl: json,
        overwriteExistingContent: overwrite,
        resetAclOnDestroy: false,
      });
    } else {
      new TerraformOutput(this, 'policy', {
        value: json,
        description: 'Tailnet policy for the OpenClaw agent cells',
      }).overrideLogicalId('tailnet_policy');
    }
  }
}
