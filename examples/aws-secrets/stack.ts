import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AgentSecrets, GatewayTokenRotation } from '../../src';

/** The region the example deploys to. */
export const EXAMPLE_REGION = 'eu-west-1';

/**
 * The research agent's credentials in Secrets Manager: its KMS key, one secret per credential,
 * read only by the broker's role. Synthesizes and plans offline; no value is ever written by
 * Terraform (see the README for the put-secret-value step).
 */
export class AgentSecretsStack extends TerraformStack {
  public readonly secrets: AgentSecrets;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: EXAMPLE_REGION });

    const brokerRole = new IamRole(this, 'openclaw-research-broker', {
      name: 'openclaw-research-broker',
      description:
        'The research cell credential broker (on the agent host, through its instance profile)',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ec2.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    });

    // the shipped rotation function (it waits for the host to use a new token before it is current)
    const rotation = new GatewayTokenRotation(this, 'gateway-token-rotation', {
      region: EXAMPLE_REGION,
      accountId: '123456789012',
    });
    this.secrets = new AgentSecrets(this, 'research-secrets', {
      agent: 'research',
      region: EXAMPLE_REGION,
      brokerRoleArn: brokerRole.arn,
      credentials: [
        {
          name: 'anthropic',
          dangerouslyNoRotation: {
            reason:
              'Anthropic API keys cannot be rotated by a function; rotate by hand after any incident',
          },
        },
        {
          name: 'gateway-token',
          ...rotation.rotation,
          rotationDays: 30,
        },
      ],
    });
    rotation.grantRotation(this.secrets.secretArn('gateway-token'), this.secrets.key.arn);
    new IamRolePolicyAttachment(this, 'broker-secrets', {
      role: brokerRole.name,
      policyArn: this.secrets.brokerPolicy.arn,
    }).overrideLogicalId('openclaw-research-broker');
  }
}
