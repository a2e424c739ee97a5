import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import {
  AgentFleet,
  AgentHost,
  AuditTrail,
  DEPLOY_USER,
  GatewayTokenRotation,
  HostTailnetKey,
  OpenClawChecklist,
  RiskProfile,
} from '../../src';
import { EXAMPLE_IMAGES } from '../images';

const VENDOR = 'vendor API keys cannot be rotated by a function; rotate by hand after an incident';
/** Your network: a VPC, a private subnet with a route out (NAT), its network ACL, an AMI. */
const NETWORK = {
  vpcId: 'vpc-0123456789abcdef0',
  subnetId: 'subnet-0123456789abcdef0',
  networkAclId: 'acl-0123456789abcdef0',
  amiId: 'ami-0123456789abcdef0',
};

/**
 * The README's usage example, line for line between the markers (a test keeps them equal and
 * synthesizes this app).
 */
export function usageApp(app: App): void {
  // README:begin
  const state = { bucket: 'example-terraform-state', region: 'eu-west-1', encrypt: true };
  const stack = (id: string) => {
    const s = new TerraformStack(app, id);
    new S3Backend(s, { ...state, key: `openclaw/${id}.tfstate` });
    new AwsProvider(s, 'aws', { region: 'eu-west-1' });
    return s;
  };
  const host = new AgentHost(stack('agent-host'), 'host', {
    name: 'openclaw-host-1', // knows no agent: adding one never touches the instance
    region: 'eu-west-1',
    ...NETWORK,
  });
  const hostKey = stack('agent-host-key'); // the host's own single-use tailnet key
  new TailscaleProvider(hostKey, 'tailscale', {}); // TAILSCALE_OAUTH_CLIENT_ID / _SECRET
  new HostTailnetKey(hostKey, 'key', { host: host.name, secretArn: host.tailnetKeySecret!.arn });
  const identity = stack('agents-identity'); // AWS: plans without Docker
  const rotation = new GatewayTokenRotation(identity, 'rotation', {
    region: 'eu-west-1',
    accountId: '123456789012',
  });
  const agents = new TerraformStack(app, 'agents'); // Docker and Tailscale
  new S3Backend(agents, { ...state, key: 'openclaw/agents.tfstate' });
  const docker = new DockerProvider(agents, 'docker', {
    host: `ssh://${DEPLOY_USER}@${host.tailnetName}.tail1234.ts.net`, // Tailscale SSH
  });
  new TailscaleProvider(agents, 'tailscale', {});
  const fleet = new AgentFleet(agents, 'fleet', {
    tailnetDomain: 'tail1234.ts.net',
    region: 'eu-west-1',
    identityScope: identity,
    auditLogs: true,
    images: EXAMPLE_IMAGES, // release tags; add their digests (README, Deploying for real)
    hosts: [{ agentHost: host, docker }],
    tailnetPolicyOptions: { hostAccess: { deployers: ['group:openclaw-deployers'] } },
    agents: [
      {
        profile: RiskProfile.research(['docs.python.org:443']),
        allow: ['group:engineering'],
        gatewayToken: rotation.rotation,
        credentials: [
          { name: 'anthropic', kind: 'model', dangerouslyNoRotation: { reason: VENDOR } },
        ],
      },
    ],
  });
  for (const agent of Object.values(fleet.agents))
    rotation.grantRotation(agent.secrets.secretArn('gateway-token'), agent.secrets.key.arn);
  new AuditTrail(identity, 'audit', {
    accountId: '123456789012',
    region: 'eu-west-1',
    fleet,
    activeHours: { fromHourUtc: 6, toHourUtc: 20, weekdaysOnly: true },
  });
  OpenClawChecklist.check(app); // errors fail synth; reports next to each cdk.tf.json
  // README:end
}
