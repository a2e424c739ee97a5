import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import { AgentFleet, AuditTrail, OpenClawChecklist, RiskProfile } from '../../src';
import { EXAMPLE_IMAGES } from '../images';

const ROTATE_FN = 'arn:aws:lambda:eu-west-1:123456789012:function:openclaw-rotate-token';
const ROTATE_ROLE = 'arn:aws:iam::123456789012:role/openclaw-rotate-token';
const VENDOR = 'vendor API keys cannot be rotated by a function; rotate by hand after an incident';

/**
 * The README's usage example, line for line between the markers (a test keeps them equal and
 * synthesizes this app).
 */
export function usageApp(app: App): void {
  // README:begin
  const state = { bucket: 'example-terraform-state', region: 'eu-west-1', encrypt: true };
  const identity = new TerraformStack(app, 'agents-identity'); // AWS: plans without Docker
  new S3Backend(identity, { ...state, key: 'openclaw/agents-identity.tfstate' });
  new AwsProvider(identity, 'aws', { region: 'eu-west-1' });
  const agents = new TerraformStack(app, 'agents'); // Docker and Tailscale
  new S3Backend(agents, { ...state, key: 'openclaw/agents.tfstate' });
  const docker = new DockerProvider(agents, 'docker', {}); // DOCKER_HOST picks the engine
  new TailscaleProvider(agents, 'tailscale', {}); // TAILSCALE_OAUTH_CLIENT_ID / _SECRET
  const fleet = new AgentFleet(agents, 'fleet', {
    tailnetDomain: 'tail1234.ts.net',
    region: 'eu-west-1',
    identityScope: identity,
    auditLogs: true,
    images: EXAMPLE_IMAGES, // release tags; add their digests (README, Deploying for real)
    hosts: [{ name: 'host-1', roleArn: 'arn:aws:iam::123456789012:role/host-1', docker }],
    agents: [
      {
        profile: RiskProfile.research(['docs.python.org:443']),
        allow: ['group:engineering'],
        gatewayToken: { rotationLambdaArn: ROTATE_FN, rotationRoleArn: ROTATE_ROLE },
        credentials: [
          { name: 'anthropic', kind: 'model', dangerouslyNoRotation: { reason: VENDOR } },
        ],
      },
    ],
  });
  new AuditTrail(identity, 'audit', {
    accountId: '123456789012',
    region: 'eu-west-1',
    agents: Object.keys(fleet.agents),
    activeHours: { fromHourUtc: 6, toHourUtc: 20, weekdaysOnly: true },
  });
  OpenClawChecklist.check(app); // errors fail synth; reports next to each cdk.tf.json
  // README:end
}
