import * as fs from 'fs';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import { AgentFleet, AuditTrail, CredentialRotation, FleetAgent, RiskProfile } from '../../src';
import { EXAMPLE_IMAGES } from '../images';

/** The account that holds the agents' secrets and the audit trail. */
export const DOCKER_HOST_ACCOUNT = '123456789012';
export const DOCKER_HOST_REGION = 'eu-central-1';
/**
 * The identity the Docker host's AWS credentials belong to (an IAM Roles Anywhere role, for a
 * machine outside AWS): each broker assumes its agent's own role from it.
 */
export const DOCKER_HOST_ROLE = `arn:aws:iam::${DOCKER_HOST_ACCOUNT}:role/openclaw-docker-host`;
/** Where those credentials sit on the host; each broker mounts the file read-only. */
export const DOCKER_HOST_AWS_CREDENTIALS = '/srv/openclaw/aws/credentials';

const VENDOR_KEY: CredentialRotation = {
  dangerouslyNoRotation: {
    reason: 'vendor API keys cannot be rotated by a function; rotate by hand after any incident',
  },
};
/**
 * A Docker host that is not an AgentHost has no reconciler to pick up a rotated gateway token
 * (GatewayTokenRotation waits for one): it is rotated by hand, written down here.
 */
const SLACK_TOKEN: CredentialRotation = {
  dangerouslyNoRotation: {
    reason:
      "Slack's bot token is re-issued on the app's page: re-issue by hand every 90 days and after any incident",
  },
};
const GATEWAY_TOKEN_BY_HAND: CredentialRotation = {
  dangerouslyNoRotation: {
    reason:
      'no reconciler on this host to pick up a rotated token: put a new value, rewrite the token file and restart that gateway by hand every 90 days and after any incident',
  },
};

/** This example's folder in the repository: `npm run synth` runs the compiled copy in dist/. */
const SOURCE_DIR = fs.existsSync(path.join(__dirname, 'stack.ts'))
  ? __dirname
  : path.resolve(__dirname, '..', '..', '..', 'examples', 'docker-host');

/**
 * The reference "memory" MCP server (a knowledge graph the agent keeps), pinned by its lockfile:
 * made with `npm install --package-lock-only --save-exact @modelcontextprotocol/server-memory@2026.8.31`.
 * It needs no network; its graph lives in the server's own state volume.
 */
export const MEMORY_MCP_SERVER = {
  name: 'memory',
  package: '@modelcontextprotocol/server-memory@2026.8.31',
  lockfile: path.join(SOURCE_DIR, 'mcp-memory.package-lock.json'),
  env: { MEMORY_FILE_PATH: '/data/memory.jsonl' },
} as const;

/**
 * Two profiles on one Docker host: a research agent that reads the web and keeps notes in an
 * MCP server of its own, and a chat agent.
 */
export function dockerHostAgents(): FleetAgent[] {
  const common = {
    gatewayToken: GATEWAY_TOKEN_BY_HAND,
    primaryModel: 'anthropic/claude-sonnet-4-5',
    awsCredentialsHostPath: DOCKER_HOST_AWS_CREDENTIALS,
  };
  return [
    {
      ...common,
      profile: RiskProfile.custom(RiskProfile.research(['docs.python.org:443', 'pypi.org:443']), {
        name: 'research-notes',
        description: 'research, keeping notes in the reference memory MCP server',
        mcpPackages: ['@modelcontextprotocol/server-memory'],
      }),
      name: 'team-research',
      mcpServers: [MEMORY_MCP_SERVER],
      allow: ['group:engineering'],
      credentials: [
        { name: 'anthropic', kind: 'model', models: [{ id: 'claude-sonnet-4-5' }], ...VENDOR_KEY },
      ],
    },
    {
      ...common,
      profile: RiskProfile.messaging(),
      name: 'team-chat',
      allow: ['group:support'],
      credentials: [
        { name: 'anthropic', kind: 'model', models: [{ id: 'claude-sonnet-4-5' }], ...VENDOR_KEY },
        {
          name: 'slack',
          kind: 'chat',
          scopes: ['app_mentions:read', 'chat:write'],
          ...SLACK_TOKEN,
        },
      ],
    },
  ];
}

/**
 * The Docker-host example: a fleet on any Docker engine the docker provider reaches (it reads
 * DOCKER_HOST, such as `ssh://admin@build-box.tail1234.ts.net`), in two stacks:
 * `docker-host-identity` (AWS: keys, secrets, broker roles, the audit trail; plans offline) and
 * `docker-host-agents` (Docker and Tailscale: the cells, logging to the audit trail).
 */
export class DockerHostStacks {
  public readonly identity: TerraformStack;
  public readonly agents: TerraformStack;
  public readonly fleet: AgentFleet;
  public readonly audit: AuditTrail;

  constructor(scope: Construct) {
    this.identity = new TerraformStack(scope, 'docker-host-identity');
    new AwsProvider(this.identity, 'aws', { region: DOCKER_HOST_REGION });
    this.agents = new TerraformStack(scope, 'docker-host-agents');
    // no host here: the provider takes DOCKER_HOST (and DOCKER_CERT_PATH) from the environment
    const docker = new DockerProvider(this.agents, 'docker', {});
    new TailscaleProvider(this.agents, 'tailscale', {});
    this.fleet = new AgentFleet(this.agents, 'fleet', {
      tailnetDomain: 'tail1234.ts.net',
      region: DOCKER_HOST_REGION,
      identityScope: this.identity,
      hosts: [{ name: 'docker-host', roleArn: DOCKER_HOST_ROLE, docker }],
      agents: dockerHostAgents(),
      auditLogs: true,
      // by release tag until you add their digests (examples/images.ts)
      images: EXAMPLE_IMAGES,
    });
    this.audit = new AuditTrail(this.identity, 'audit', {
      accountId: DOCKER_HOST_ACCOUNT,
      region: DOCKER_HOST_REGION,
      agents: Object.keys(this.fleet.agents),
      activeHours: 'around-the-clock',
    });
  }
}
