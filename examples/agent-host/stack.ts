import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AgentHost } from '../../src';

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
    // the host creates its own tailnet-key secret (only its role reads it); the fleet's identity
    // stack fills it with a HostTailnetKey, and the host's reconciler joins with it
    this.host = new AgentHost(this, 'host', {
      name: HOST_NAME,
      namePrefix,
      ...NETWORK,
      region: REGION,
    });
    new TerraformOutput(this, 'tailnet-key-secret', { value: this.host.tailnetKeySecret!.name });
  }
}
