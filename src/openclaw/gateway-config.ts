import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, AssetType, TerraformAsset, TerraformLocal, TerraformStack } from 'cdktf';
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

    this.asset = new TerraformAsset(this, 'file', {
      path: stagedConfig(this, this.rendered.json),
      type: AssetType.FILE,
    });

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

/**
 * Writes the config where the asset is copied from at synth: in the app's own output folder
 * (`.staging/openclaw-config-<hash>/openclaw.json`, as the MCP build contexts are), named by
 * its content, so a synth leaves nothing outside that folder and one config is one file there.
 * (A temp folder per config, as before, was never removed: one more in /tmp per agent per synth.)
 */
function stagedConfig(scope: Construct, json: string): string {
  const hash = crypto.createHash('sha256').update(json).digest('hex').slice(0, 32);
  const dir = path.resolve(
    App.of(TerraformStack.of(scope)).outdir,
    '.staging',
    `openclaw-config-${hash}`,
  );
  const file = path.join(dir, 'openclaw.json');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // written whole, then renamed into place: another synth reading it never sees half a file
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, json, { mode: 0o600 });
  fs.renameSync(partial, file);
  return file;
}

function logicalSuffix(nodePath: string): string {
  return nodePath
    .split('/')
    .slice(1)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase();
}
