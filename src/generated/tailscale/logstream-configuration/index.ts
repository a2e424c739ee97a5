// https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface LogstreamConfigurationConfig extends cdktf.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#compression_format LogstreamConfiguration#compression_format}
  */
  readonly compressionFormat?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#destination_type LogstreamConfiguration#destination_type}
  */
  readonly destinationType: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#gcs_bucket LogstreamConfiguration#gcs_bucket}
  */
  readonly gcsBucket?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#gcs_credentials LogstreamConfiguration#gcs_credentials}
  */
  readonly gcsCredentials?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#gcs_key_prefix LogstreamConfiguration#gcs_key_prefix}
  */
  readonly gcsKeyPrefix?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#gcs_scopes LogstreamConfiguration#gcs_scopes}
  */
  readonly gcsScopes?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#log_type LogstreamConfiguration#log_type}
  */
  readonly logType: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_access_key_id LogstreamConfiguration#s3_access_key_id}
  */
  readonly s3AccessKeyId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_authentication_type LogstreamConfiguration#s3_authentication_type}
  */
  readonly s3AuthenticationType?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_bucket LogstreamConfiguration#s3_bucket}
  */
  readonly s3Bucket?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_external_id LogstreamConfiguration#s3_external_id}
  */
  readonly s3ExternalId?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_key_prefix LogstreamConfiguration#s3_key_prefix}
  */
  readonly s3KeyPrefix?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_region LogstreamConfiguration#s3_region}
  */
  readonly s3Region?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_role_arn LogstreamConfiguration#s3_role_arn}
  */
  readonly s3RoleArn?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#s3_secret_access_key LogstreamConfiguration#s3_secret_access_key}
  */
  readonly s3SecretAccessKey?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#token LogstreamConfiguration#token}
  */
  readonly token?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#upload_period_minutes LogstreamConfiguration#upload_period_minutes}
  */
  readonly uploadPeriodMinutes?: number;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#url LogstreamConfiguration#url}
  */
  readonly url?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#user LogstreamConfiguration#user}
  */
  readonly user?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration tailscale_logstream_configuration}
*/
export class LogstreamConfiguration extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "tailscale_logstream_configuration";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a LogstreamConfiguration resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the LogstreamConfiguration to import
  * @param importFromId The id of the existing LogstreamConfiguration that should be imported. Refer to the {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the LogstreamConfiguration to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "tailscale_logstream_configuration", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/tailscale/tailscale/latest/docs/resources/logstream_configuration tailscale_logstream_configuration} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options LogstreamConfigurationConfig
  */
  public constructor(scope: Construct, id: string, config: LogstreamConfigurationConfig) {
    super(scope, id, {
      terraformResourceType: 'tailscale_logstream_configuration',
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
    this._compressionFormat = config.compressionFormat;
    this._destinationType = config.destinationType;
    this._gcsBucket = config.gcsBucket;
    this._gcsCredentials = config.gcsCredentials;
    this._gcsKeyPrefix = config.gcsKeyPrefix;
    this._gcsScopes = config.gcsScopes;
    this._logType = config.logType;
    this._s3AccessKeyId = config.s3AccessKeyId;
    this._s3AuthenticationType = config.s3AuthenticationType;
    this._s3Bucket = config.s3Bucket;
    this._s3ExternalId = config.s3ExternalId;
    this._s3KeyPrefix = config.s3KeyPrefix;
    this._s3Region = config.s3Region;
    this._s3RoleArn = config.s3RoleArn;
    this._s3SecretAccessKey = config.s3SecretAccessKey;
    this._token = config.token;
    this._uploadPeriodMinutes = config.uploadPeriodMinutes;
    this._url = config.url;
    this._user = config.user;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // compression_format - computed: true, optional: true, required: false
  private _compressionFormat?: string; 
  public get compressionFormat() {
    return this.getStringAttribute('compression_format');
  }
  public set compressionFormat(value: string) {
    this._compressionFormat = value;
  }
  public resetCompressionFormat() {
    this._compressionFormat = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get compressionFormatInput() {
    return this._compressionFormat;
  }

  // destination_type - computed: false, optional: false, required: true
  private _destinationType?: string; 
  public get destinationType() {
    return this.getStringAttribute('destination_type');
  }
  public set destinationType(value: string) {
    this._destinationType = value;
  }
  // Temporarily expose input value. Use with caution.
  public get destinationTypeInput() {
    return this._destinationType;
  }

  // gcs_bucket - computed: true, optional: true, required: false
  private _gcsBucket?: string; 
  public get gcsBucket() {
    return this.getStringAttribute('gcs_bucket');
  }
  public set gcsBucket(value: string) {
    this._gcsBucket = value;
  }
  public resetGcsBucket() {
    this._gcsBucket = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gcsBucketInput() {
    return this._gcsBucket;
  }

  // gcs_credentials - computed: true, optional: true, required: false
  private _gcsCredentials?: string; 
  public get gcsCredentials() {
    return this.getStringAttribute('gcs_credentials');
  }
  public set gcsCredentials(value: string) {
    this._gcsCredentials = value;
  }
  public resetGcsCredentials() {
    this._gcsCredentials = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gcsCredentialsInput() {
    return this._gcsCredentials;
  }

  // gcs_key_prefix - computed: true, optional: true, required: false
  private _gcsKeyPrefix?: string; 
  public get gcsKeyPrefix() {
    return this.getStringAttribute('gcs_key_prefix');
  }
  public set gcsKeyPrefix(value: string) {
    this._gcsKeyPrefix = value;
  }
  public resetGcsKeyPrefix() {
    this._gcsKeyPrefix = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gcsKeyPrefixInput() {
    return this._gcsKeyPrefix;
  }

  // gcs_scopes - computed: true, optional: true, required: false
  private _gcsScopes?: string[]; 
  public get gcsScopes() {
    return cdktf.Fn.tolist(this.getListAttribute('gcs_scopes'));
  }
  public set gcsScopes(value: string[]) {
    this._gcsScopes = value;
  }
  public resetGcsScopes() {
    this._gcsScopes = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get gcsScopesInput() {
    return this._gcsScopes;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // log_type - computed: false, optional: false, required: true
  private _logType?: string; 
  public get logType() {
    return this.getStringAttribute('log_type');
  }
  public set logType(value: string) {
    this._logType = value;
  }
  // Temporarily expose input value. Use with caution.
  public get logTypeInput() {
    return this._logType;
  }

  // s3_access_key_id - computed: true, optional: true, required: false
  private _s3AccessKeyId?: string; 
  public get s3AccessKeyId() {
    return this.getStringAttribute('s3_access_key_id');
  }
  public set s3AccessKeyId(value: string) {
    this._s3AccessKeyId = value;
  }
  public resetS3AccessKeyId() {
    this._s3AccessKeyId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3AccessKeyIdInput() {
    return this._s3AccessKeyId;
  }

  // s3_authentication_type - computed: false, optional: true, required: false
  private _s3AuthenticationType?: string; 
  public get s3AuthenticationType() {
    return this.getStringAttribute('s3_authentication_type');
  }
  public set s3AuthenticationType(value: string) {
    this._s3AuthenticationType = value;
  }
  public resetS3AuthenticationType() {
    this._s3AuthenticationType = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3AuthenticationTypeInput() {
    return this._s3AuthenticationType;
  }

  // s3_bucket - computed: true, optional: true, required: false
  private _s3Bucket?: string; 
  public get s3Bucket() {
    return this.getStringAttribute('s3_bucket');
  }
  public set s3Bucket(value: string) {
    this._s3Bucket = value;
  }
  public resetS3Bucket() {
    this._s3Bucket = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3BucketInput() {
    return this._s3Bucket;
  }

  // s3_external_id - computed: true, optional: true, required: false
  private _s3ExternalId?: string; 
  public get s3ExternalId() {
    return this.getStringAttribute('s3_external_id');
  }
  public set s3ExternalId(value: string) {
    this._s3ExternalId = value;
  }
  public resetS3ExternalId() {
    this._s3ExternalId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3ExternalIdInput() {
    return this._s3ExternalId;
  }

  // s3_key_prefix - computed: true, optional: true, required: false
  private _s3KeyPrefix?: string; 
  public get s3KeyPrefix() {
    return this.getStringAttribute('s3_key_prefix');
  }
  public set s3KeyPrefix(value: string) {
    this._s3KeyPrefix = value;
  }
  public resetS3KeyPrefix() {
    this._s3KeyPrefix = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3KeyPrefixInput() {
    return this._s3KeyPrefix;
  }

  // s3_region - computed: true, optional: true, required: false
  private _s3Region?: string; 
  public get s3Region() {
    return this.getStringAttribute('s3_region');
  }
  public set s3Region(value: string) {
    this._s3Region = value;
  }
  public resetS3Region() {
    this._s3Region = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3RegionInput() {
    return this._s3Region;
  }

  // s3_role_arn - computed: true, optional: true, required: false
  private _s3RoleArn?: string; 
  public get s3RoleArn() {
    return this.getStringAttribute('s3_role_arn');
  }
  public set s3RoleArn(value: string) {
    this._s3RoleArn = value;
  }
  public resetS3RoleArn() {
    this._s3RoleArn = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3RoleArnInput() {
    return this._s3RoleArn;
  }

  // s3_secret_access_key - computed: false, optional: true, required: false
  private _s3SecretAccessKey?: string; 
  public get s3SecretAccessKey() {
    return this.getStringAttribute('s3_secret_access_key');
  }
  public set s3SecretAccessKey(value: string) {
    this._s3SecretAccessKey = value;
  }
  public resetS3SecretAccessKey() {
    this._s3SecretAccessKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get s3SecretAccessKeyInput() {
    return this._s3SecretAccessKey;
  }

  // token - computed: false, optional: true, required: false
  private _token?: string; 
  public get token() {
    return this.getStringAttribute('token');
  }
  public set token(value: string) {
    this._token = value;
  }
  public resetToken() {
    this._token = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tokenInput() {
    return this._token;
  }

  // upload_period_minutes - computed: true, optional: true, required: false
  private _uploadPeriodMinutes?: number; 
  public get uploadPeriodMinutes() {
    return this.getNumberAttribute('upload_period_minutes');
  }
  public set uploadPeriodMinutes(value: number) {
    this._uploadPeriodMinutes = value;
  }
  public resetUploadPeriodMinutes() {
    this._uploadPeriodMinutes = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get uploadPeriodMinutesInput() {
    return this._uploadPeriodMinutes;
  }

  // url - computed: true, optional: true, required: false
  private _url?: string; 
  public get url() {
    return this.getStringAttribute('url');
  }
  public set url(value: string) {
    this._url = value;
  }
  public resetUrl() {
    this._url = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get urlInput() {
    return this._url;
  }

  // user - computed: true, optional: true, required: false
  private _user?: string; 
  public get user() {
    return this.getStringAttribute('user');
  }
  public set user(value: string) {
    this._user = value;
  }
  public resetUser() {
    this._user = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get userInput() {
    return this._user;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      compression_format: cdktf.stringToTerraform(this._compressionFormat),
      destination_type: cdktf.stringToTerraform(this._destinationType),
      gcs_bucket: cdktf.stringToTerraform(this._gcsBucket),
      gcs_credentials: cdktf.stringToTerraform(this._gcsCredentials),
      gcs_key_prefix: cdktf.stringToTerraform(this._gcsKeyPrefix),
      gcs_scopes: cdktf.listMapper(cdktf.stringToTerraform, false)(this._gcsScopes),
      log_type: cdktf.stringToTerraform(this._logType),
      s3_access_key_id: cdktf.stringToTerraform(this._s3AccessKeyId),
      s3_authentication_type: cdktf.stringToTerraform(this._s3AuthenticationType),
      s3_bucket: cdktf.stringToTerraform(this._s3Bucket),
      s3_external_id: cdktf.stringToTerraform(this._s3ExternalId),
      s3_key_prefix: cdktf.stringToTerraform(this._s3KeyPrefix),
      s3_region: cdktf.stringToTerraform(this._s3Region),
      s3_role_arn: cdktf.stringToTerraform(this._s3RoleArn),
      s3_secret_access_key: cdktf.stringToTerraform(this._s3SecretAccessKey),
      token: cdktf.stringToTerraform(this._token),
      upload_period_minutes: cdktf.numberToTerraform(this._uploadPeriodMinutes),
      url: cdktf.stringToTerraform(this._url),
      user: cdktf.stringToTerraform(this._user),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      compression_format: {
        value: cdktf.stringToHclTerraform(this._compressionFormat),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      destination_type: {
        value: cdktf.stringToHclTerraform(this._destinationType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      gcs_bucket: {
        value: cdktf.stringToHclTerraform(this._gcsBucket),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      gcs_credentials: {
        value: cdktf.stringToHclTerraform(this._gcsCredentials),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      gcs_key_prefix: {
        value: cdktf.stringToHclTerraform(this._gcsKeyPrefix),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      gcs_scopes: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._gcsScopes),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      log_type: {
        value: cdktf.stringToHclTerraform(this._logType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_access_key_id: {
        value: cdktf.stringToHclTerraform(this._s3AccessKeyId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_authentication_type: {
        value: cdktf.stringToHclTerraform(this._s3AuthenticationType),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_bucket: {
        value: cdktf.stringToHclTerraform(this._s3Bucket),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_external_id: {
        value: cdktf.stringToHclTerraform(this._s3ExternalId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_key_prefix: {
        value: cdktf.stringToHclTerraform(this._s3KeyPrefix),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_region: {
        value: cdktf.stringToHclTerraform(this._s3Region),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_role_arn: {
        value: cdktf.stringToHclTerraform(this._s3RoleArn),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      s3_secret_access_key: {
        value: cdktf.stringToHclTerraform(this._s3SecretAccessKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      token: {
        value: cdktf.stringToHclTerraform(this._token),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      upload_period_minutes: {
        value: cdktf.numberToHclTerraform(this._uploadPeriodMinutes),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      url: {
        value: cdktf.stringToHclTerraform(this._url),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      user: {
        value: cdktf.stringToHclTerraform(this._user),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
