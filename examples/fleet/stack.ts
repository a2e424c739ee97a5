import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import {
  AgentFleet,
  agentLogGroupArns,
  AuditTrail,
  CredentialRotation,
  FleetAgent,
  HostCell,
  RiskProfile,
} from '../../src';
import { PINNED_IMAGES } from '../images';

/** The account and host the example deploys into (see the agent-host stack). */
export const ACCOUNT = '123456789012';
export const FLEET_REGION = 'eu-west-1';
export const FLEET_HOST = 'openclaw-host-1';
export const FLEET_HOST_ROLE = `arn:aws:iam::${ACCOUNT}:role/${FLEET_HOST}-host`;

const VENDOR_KEY: CredentialRotation = {
  dangerouslyNoRotation: {
    reason: 'vendor API keys cannot be rotated by a function; rotate by hand after any incident',
  },
};
const ROTATED: CredentialRotation = {
  rotationLambdaArn: `arn:aws:lambda:${FLEET_REGION}:${ACCOUNT}:function:openclaw-rotate-token`,
  rotationRoleArn: `arn:aws:iam::${ACCOUNT}:role/openclaw-rotate-token`,
};

/** Two risk profiles side by side on one host: an assistant that reads mail, and a chat agent. */
export function fleetAgents(): FleetAgent[] {
  return [
    {
      profile: RiskProfile.calendarAndMail(),
      allow: ['group:assistants'],
      gatewayToken: ROTATED,
      primaryModel: 'anthropic/claude-sonnet-4-5',
      credentials: [
        { name: 'anthropic', kind: 'model', models: [{ id: 'claude-sonnet-4-5' }], ...VENDOR_KEY },
        {
          name: 'gmail',
          kind: 'mail',
          scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
          upstream: { baseUrl: 'https://gmail.googleapis.com', auth: 'bearer' },
          ...ROTATED,
        },
        {
          name: 'calendar',
          kind: 'calendar',
          scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
          upstream: { baseUrl: 'https://www.googleapis.com', auth: 'bearer' },
          ...ROTATED,
        },
      ],
    },
    {
      profile: RiskProfile.messaging(),
      allow: ['group:support'],
      gatewayToken: ROTATED,
      primaryModel: 'anthropic/claude-sonnet-4-5',
      credentials: [
        { name: 'anthropic', kind: 'model', models: [{ id: 'claude-sonnet-4-5' }], ...VENDOR_KEY },
        { name: 'slack', kind: 'chat', scopes: ['app_mentions:read', 'chat:write'], ...ROTATED },
      ],
    },
  ];
}

/**
 * The fleet in two stacks: `agents-identity` (AWS: each agent's KMS key, secrets and broker role,
 * and the audit trail; plans offline) and `agents` (Docker and Tailscale: each agent's cell on the
 * host, logging to the audit trail's log groups).
 */
export class FleetStacks {
  public readonly identity: TerraformStack;
  public readonly agents: TerraformStack;
  public readonly fleet: AgentFleet;
  public readonly audit: AuditTrail;

  constructor(scope: Construct) {
    this.identity = new TerraformStack(scope, 'agents-identity');
    new AwsProvider(this.identity, 'aws', { region: FLEET_REGION });
    this.agents = new TerraformStack(scope, 'agents');
    const docker = new DockerProvider(this.agents, 'docker', {
      host: `ssh://openclaw@${FLEET_HOST}.tail1234.ts.net`,
    });
    new TailscaleProvider(this.agents, 'tailscale', {});
    this.fleet = new AgentFleet(this.agents, 'fleet', {
      tailnetDomain: 'tail1234.ts.net',
      region: FLEET_REGION,
      identityScope: this.identity,
      hosts: [{ name: FLEET_HOST, roleArn: FLEET_HOST_ROLE, docker }],
      agents: fleetAgents(),
      // each container's output goes to its log group in the audit trail below
      auditLogs: true,
      // every image pinned by digest (placeholders: examples/images.ts)
      images: PINNED_IMAGES,
    });
    this.audit = new AuditTrail(this.identity, 'audit', {
      accountId: ACCOUNT,
      region: FLEET_REGION,
      agents: Object.keys(this.fleet.agents),
      activeHours: { fromHourUtc: 6, toHourUtc: 20, weekdaysOnly: true },
      notifyEmails: ['security@example.com'],
    });
  }

  /** What the host prepares for the fleet: cells, gateway tokens to read, broker roles. */
  public hostNeeds(): {
    cells: HostCell[];
    gatewayTokenArns: string[];
    brokerRoleArns: string[];
    logGroupArns: string[];
  } {
    const agents = Object.values(this.fleet.agents);
    return {
      cells: this.fleet.hostCells(FLEET_HOST),
      // exact ARNs end in a suffix Secrets Manager picks at creation: copy them from the
      // agents-identity outputs after its first apply
      gatewayTokenArns: agents.map(
        (a) =>
          `arn:aws:secretsmanager:${FLEET_REGION}:${ACCOUNT}:secret:openclaw/${a.name}/gateway-token-AbCdEf`,
      ),
      brokerRoleArns: agents.map((a) => `arn:aws:iam::${ACCOUNT}:role/openclaw-${a.name}-broker`),
      // the Docker daemon writes the containers' output with the host's role
      logGroupArns: agentLogGroupArns(FLEET_REGION, ACCOUNT, Object.keys(this.fleet.agents)),
    };
  }
}
