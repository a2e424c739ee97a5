// https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/dns_preferences
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DnsPreferencesConfig extends cdktf.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/dns_preferences#magic_dns DnsPreferences#magic_dns}
  */
  readonly magicDns: boolean | cdktf.IResolvable;
}

/**
* Represents a {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/dns_preferences tailscale_dns_preferences}
*/
export class DnsPreferences extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "tailscale_dns_preferences";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DnsPreferences resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DnsPreferences to import
  * @param importFromId The id of the existing DnsPreferences that should be imported. Refer to the {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/dns_preferences#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DnsPreferences to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "tailscale_dns_preferences", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/dns_preferences tailscale_dns_preferences} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DnsPreferencesConfig
  */
  public constructor(scope: Construct, id: string, config: DnsPreferencesConfig) {
    super(scope, id, {
      terraformResourceType: 'tailscale_dns_preferences',
      terraformGeneratorMetadata: {
        providerName: 'tailscale',
        providerVersionConstraint: '~> 0.29'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._magicDns = config.magicDns;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // magic_dns - computed: false, optional: false, required: true
  private _magicDns?: boolean | cdktf.IResolvable; 
  public get magicDns() {
    return this.getBooleanAttribute('magic_dns');
  }
  public set magicDns(value: boolean | cdktf.IResolvable) {
    this._magicDns = value;
  }
  // Temporarily expose input value. Use with caution.
  public get magicDnsInput() {
    return this._magicDns;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      magic_dns: cdktf.booleanToTerraform(this._magicDns),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      magic_dns: {
        value: cdktf.booleanToHclTerraform(this._magicDns),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
