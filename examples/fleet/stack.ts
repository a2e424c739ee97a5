import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import {
  AgentFleet,
  AuditTrail,
  CredentialRotation,
  DEPLOY_USER,
  FleetAgent,
  GatewayTokenRotation,
  HostTailnetKey,
  RiskProfile,
} from '../../src';
import { ACCOUNT, AgentHostStack, REGION, TAILNET_DOMAIN } from '../agent-host/stack';
import { EXAMPLE_IMAGES } from '../images';

const VENDOR_KEY: CredentialRotation = {
  dangerouslyNoRotation: {
    reason: 'vendor API keys cannot be rotated by a function; rotate by hand after any incident',
  },
};
const OAUTH_TOKEN: CredentialRotation = {
  dangerouslyNoRotation: {
    reason:
      'an OAuth token re-issued through the vendor consent flow; re-issue by hand every 90 days and after any incident',
  },
};
/**
 * Two risk profiles side by side on one host: an assistant that reads mail, and a chat agent.
 * `gatewayToken` is the rotation of the fleet's GatewayTokenRotation (README, "Gateway-token
 * rotation"), which FleetStacks creates in the identity stack.
 */
export function fleetAgents(gatewayToken: CredentialRotation): FleetAgent[] {
  return [
    {
      profile: RiskProfile.calendarAndMail(),
      allow: ['group:assistants'],
      gatewayToken,
      primaryModel: 'anthropic/claude-sonnet-4-5',
      credentials: [
        { name: 'anthropic', kind: 'model', models: [{ id: 'claude-sonnet-4-5' }], ...VENDOR_KEY },
        {
          name: 'gmail',
          kind: 'mail',
          scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
          upstream: { baseUrl: 'https://gmail.googleapis.com', auth: 'bearer' },
          ...OAUTH_TOKEN,
        },
        {
          name: 'calendar',
          kind: 'calendar',
          scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
          upstream: { baseUrl: 'https://www.googleapis.com', auth: 'bearer' },
          ...OAUTH_TOKEN,
        },
      ],
    },
    {
      profile: RiskProfile.messaging(),
      allow: ['group:support'],
      gatewayToken,
      primaryModel: 'anthropic/claude-sonnet-4-5',
      credentials: [
        { name: 'anthropic', kind: 'model', models: [{ id: 'claude-sonnet-4-5' }], ...VENDOR_KEY },
        {
          name: 'slack',
          kind: 'chat',
          scopes: ['app_mentions:read', 'chat:write'],
          ...OAUTH_TOKEN,
        },
      ],
    },
  ];
}

/**
 * The fleet on the host of an {@link AgentHostStack}, in two stacks: `agents-identity` (AWS:
 * each agent's KMS key, secrets and broker role; the host role's grant and its cells parameter;
 * the audit trail; plans offline against the host's outputs) and `agents` (Docker and Tailscale:
 * each agent's cell on the host, logging to the audit trail's log groups).
 */
export class FleetStacks {
  public readonly identity: TerraformStack;
  public readonly hostKey: TerraformStack;
  public readonly agents: TerraformStack;
  public readonly fleet: AgentFleet;
  public readonly audit: AuditTrail;
  public readonly rotation: GatewayTokenRotation;

  constructor(
    scope: Construct,
    hostStack: AgentHostStack,
    agents: (gatewayToken: CredentialRotation) => readonly FleetAgent[] = fleetAgents,
    stackPrefix = '',
  ) {
    const host = hostStack.host;
    this.identity = new TerraformStack(scope, `${stackPrefix}agents-identity`);
    new AwsProvider(this.identity, 'aws', { region: REGION });
    // the host's own single-use tailnet key, into the secret the host created (README, step 1),
    // in a stack of its own with the Tailscale provider: applied right after the host's stack
    this.hostKey = new TerraformStack(scope, `${stackPrefix}agent-host-key`);
    new AwsProvider(this.hostKey, 'aws', { region: REGION });
    new TailscaleProvider(this.hostKey, 'tailscale', {});
    new HostTailnetKey(this.hostKey, 'host-tailnet-key', {
      host: host.name,
      namePrefix: host.namePrefix,
      secretArn: host.tailnetKeySecret!.arn,
    });
    // the shipped rotation function: a new gateway token becomes current once its gateway uses it
    this.rotation = new GatewayTokenRotation(this.identity, 'gateway-token-rotation', {
      region: REGION,
      accountId: ACCOUNT,
      namePrefix: host.namePrefix,
    });
    this.agents = new TerraformStack(scope, `${stackPrefix}agents`);
    // the host's Docker engine over the tailnet (README, "Deploying for real": reaching the host)
    const docker = new DockerProvider(this.agents, 'docker', {
      host: `ssh://${DEPLOY_USER}@${host.tailnetName}.${TAILNET_DOMAIN}`,
    });
    new TailscaleProvider(this.agents, 'tailscale', {});
    this.fleet = new AgentFleet(this.agents, 'fleet', {
      tailnetDomain: TAILNET_DOMAIN,
      region: REGION,
      namePrefix: host.namePrefix,
      identityScope: this.identity,
      // the host object itself: its role, its cells parameter, no name to know
      hosts: [{ agentHost: host, docker }],
      agents: agents(this.rotation.rotation),
      // deployers reach the host's engine over Tailscale SSH, as its deploy user (README)
      tailnetPolicyOptions: {
        hostAccess: { deployers: ['group:openclaw-deployers'] },
      },
      // each container's output goes to its log group in the audit trail below
      auditLogs: true,
      images: EXAMPLE_IMAGES,
    });
    for (const agent of Object.values(this.fleet.agents))
      this.rotation.grantRotation(agent.secrets.secretArn('gateway-token'), agent.secrets.key.arn);
    this.audit = new AuditTrail(this.identity, 'audit', {
      accountId: ACCOUNT,
      region: REGION,
      // its agents' log groups, and the host's grant to write exactly those
      fleet: this.fleet,
      activeHours: { fromHourUtc: 6, toHourUtc: 20, weekdaysOnly: true },
    });
  }
}
