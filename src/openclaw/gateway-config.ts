import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssetType, TerraformAsset, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { escapeTerraformTemplate } from '../core/terraform-string';
import { OpenClawConfigProps } from './config';
import { renderOpenClawConfig, RenderedOpenClawConfig } from './render-config';

/** Metadata type under which each rendered config is recorded on its construct node. */
export const GATEWAY_CONFIG_METADATA = 'cdktf-openclaw/gateway-config';

/**
 * A hardened openclaw.json for one gateway, rendered at construction.
 *
 * The document is embedded in the synthesized stack as a Terraform local (so the checklist and
 * `terraform` see it) and shipped as a stack asset file (`openclaw.json`) for hosts that copy it
 * into place. It never contains a secret value: credentials are SecretRefs.
 */
export class GatewayConfig extends Construct {
  /** The rendered document, its JSON and any deliberate weakenings. */
  public readonly rendered: RenderedOpenClawConfig;
  /** The Terraform local holding the JSON text. */
  public readonly local: TerraformLocal;
  /** The asset holding `openclaw.json`. */
  public readonly asset: TerraformAsset;
  /** The inputs it was rendered from. */
  public readonly props: OpenClawConfigProps;

  constructor(scope: Construct, id: string, props: OpenClawConfigProps) {
    super(scope, id);
    this.props = props;
    this.rendered = renderOpenClawConfig(props);
    this.local = new TerraformLocal(this, 'json', escapeTerraformTemplate(this.rendered.json));
    this.local.overrideLogicalId(`openclaw_config_${logicalSuffix(this.node.path)}`);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-openclaw-config-'));
    const file = path.join(dir, 'openclaw.json');
    fs.writeFileSync(file, this.rendered.json, { mode: 0o600 });
    this.asset = new TerraformAsset(this, 'file', { path: file, type: AssetType.FILE });

    if (this.rendered.weakenings.length > 0) {
      // next to the config, so the checklist can show them from any synthesized stack
      new TerraformLocal(
        this,
        'weakenings',
        JSON.stringify(this.rendered.weakenings),
      ).overrideLogicalId(`openclaw_config_${logicalSuffix(this.node.path)}_weakenings`);
    }

    this.node.addMetadata(GATEWAY_CONFIG_METADATA, {
      weakenings: this.rendered.weakenings,
    });
  }

  /** The openclaw.json text. */
  public get json(): string {
    return this.rendered.json;
  }
}

function logicalSuffix(nodePath: string): string {
  return nodePath
    .split('/')
    .slice(1)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
}
