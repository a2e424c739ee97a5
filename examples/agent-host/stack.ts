import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AgentHost, HostCell } from '../../src';

/** More cells for the host, such as an AgentFleet's (FleetStacks.hostNeeds()). */
export interface MoreCells {
  readonly cells: readonly HostCell[];
  readonly gatewayTokenArns: readonly string[];
  readonly brokerRoleArns: readonly string[];
  readonly logGroupArns: readonly string[];
}

/** The host's tailnet name; the agents' docker provider reaches it over the tailnet. */
export const HOST_NAME = 'openclaw-host-1';
export const TAILNET_DOMAIN = 'tail1234.ts.net';

/**
 * A private EC2 host for the research cell, in its own stack. Plans offline: the AMI id and the
 * network ids are given (lookups are data sources, which cannot plan without AWS).
 */
export class AgentHostStack extends TerraformStack {
  public readonly host: AgentHost;

  constructor(scope: Construct, id: string, more?: MoreCells) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    this.host = new AgentHost(this, 'host', {
      name: HOST_NAME,
      amiId: 'ami-0123456789abcdef0',
      vpcId: 'vpc-0123456789abcdef0',
      subnetId: 'subnet-0123456789abcdef0',
      networkAclId: 'acl-0123456789abcdef0',
      region: 'eu-west-1',
      tailnetKeySecretArn:
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/host-1/tailnet-key-AbCdEf',
      readableSecretArns: [
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/research/gateway-token-AbCdEf',
        ...(more?.gatewayTokenArns ?? []),
      ],
      brokerRoleArns: more?.brokerRoleArns,
      logGroupArns: more?.logGroupArns,
      readableKeyArns: [
        'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000',
      ],
      cells: [
        {
          gateway: 'openclaw-research-gateway',
          gatewayTokenSecret: 'openclaw/research/gateway-token',
          slice: 'openclaw-research.slice',
          maxProcesses: 100,
          brokerAddress: '172.31.0.2',
          sidecarStateDir: '/var/lib/openclaw/openclaw-research/tailscale',
        },
        ...(more?.cells ?? []),
      ],
    });
    // read by the agents' stack (a cross-stack reference)
    new TerraformOutput(this, 'docker-host', {
      value: `ssh://openclaw@${HOST_NAME}.${TAILNET_DOMAIN}`,
    });
  }
}
