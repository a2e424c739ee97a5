import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AgentHost, OpenClawChecklist } from '../../src';

/** The account, region and tailnet the AWS example deploys into: the only values to change. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const TAILNET_DOMAIN = 'tail1234.ts.net';

/** The host's name (its tailnet host name is the same, after the fleet's name prefix). */
export const HOST_NAME = 'openclaw-host-1';

/** Your network: the VPC, a private subnet with a route out (NAT), its network ACL, an AMI. */
export const NETWORK = {
  vpcId: 'vpc-0123456789abcdef0',
  subnetId: 'subnet-0123456789abcdef0',
  networkAclId: 'acl-0123456789abcdef0',
  amiId: 'ami-0123456789abcdef0',
};

/**
 * A private EC2 host in its own stack, knowing nothing of the agents: the fleet's stack grants
 * its role what its agents need and publishes its cells, so adding an agent never changes this
 * stack. Plans offline: the AMI id and the network ids are given (lookups are data sources,
 * which cannot plan without AWS).
 */
export class AgentHostStack extends TerraformStack {
  public readonly host: AgentHost;

  constructor(scope: Construct, id: string, namePrefix = '') {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: REGION });
    // The host's single-use tailnet auth key, put by hand before the first boot (README).
    const keyKey = new KmsKey(this, 'tailnet-key-key', {
      description: `OpenClaw host ${namePrefix}${HOST_NAME}: tailnet auth key`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    keyKey.overrideLogicalId(`${namePrefix}${HOST_NAME}-tailnet-key`);
    const tailnetKey = new SecretsmanagerSecret(this, 'tailnet-key', {
      name: `${namePrefix}openclaw/hosts/${HOST_NAME}/tailnet-key`,
      description: `OpenClaw host ${namePrefix}${HOST_NAME}: single-use tailnet auth key`,
      kmsKeyId: keyKey.arn,
      recoveryWindowInDays: 7,
    });
    tailnetKey.overrideLogicalId(`${namePrefix}${HOST_NAME}-tailnet-key`);
    OpenClawChecklist.suppress(
      tailnetKey,
      'OC11-SecretRotation',
      'a single-use, pre-authorized tailnet auth key, read once at the first boot; a new host gets a new key',
    );
    this.host = new AgentHost(this, 'host', {
      name: HOST_NAME,
      namePrefix,
      ...NETWORK,
      region: REGION,
      tailnetKeySecretArn: tailnetKey.arn,
      readableKeyArns: [keyKey.arn],
    });
    new TerraformOutput(this, 'tailnet-key-secret', { value: tailnetKey.name });
  }
}
