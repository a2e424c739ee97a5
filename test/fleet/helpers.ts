import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import {
  AgentCredentialSpec,
  AgentFleet,
  AgentFleetProps,
  CredentialRotation,
  FleetAgent,
  RiskProfile,
} from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const NO_ROTATION: CredentialRotation = {
  dangerouslyNoRotation: { reason: 'vendor API keys cannot be rotated by a function' },
};
export const HOST_1 = 'arn:aws:iam::123456789012:role/openclaw-host-1-host';
export const HOST_2 = 'arn:aws:iam::123456789012:role/openclaw-host-2-host';

export function anthropic(): AgentCredentialSpec {
  return {
    name: 'anthropic',
    kind: 'model',
    models: [{ id: 'claude-sonnet-4-5' }],
    ...NO_ROTATION,
  };
}

/** One agent of each preset, the shell agent on a host of its own. */
export function presetAgents(): FleetAgent[] {
  return [
    {
      profile: RiskProfile.messaging(),
      allow: ['group:support'],
      host: 'host-1',
      gatewayToken: NO_ROTATION,
      credentials: [
        anthropic(),
        {
          name: 'slack',
          kind: 'chat',
          scopes: ['chat:write', 'app_mentions:read'],
          ...NO_ROTATION,
        },
      ],
    },
    {
      profile: RiskProfile.calendarAndMail(),
      allow: ['group:assistants'],
      host: 'host-1',
      gatewayToken: NO_ROTATION,
      credentials: [
        anthropic(),
        {
          name: 'gmail',
          kind: 'mail',
          scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
          upstream: { baseUrl: 'https://gmail.googleapis.com', auth: 'bearer' },
          ...NO_ROTATION,
        },
        {
          name: 'calendar',
          kind: 'calendar',
          scopes: ['https://www.googleapis.com/auth/calendar.readonly'],
          upstream: { baseUrl: 'https://www.googleapis.com', auth: 'bearer' },
          ...NO_ROTATION,
        },
      ],
    },
    {
      profile: RiskProfile.research(['docs.python.org:443']),
      allow: ['group:research'],
      host: 'host-1',
      gatewayToken: NO_ROTATION,
      primaryModel: 'anthropic/claude-sonnet-4-5',
      credentials: [anthropic()],
    },
    {
      profile: RiskProfile.shell(),
      allow: ['group:ops'],
      host: 'host-2',
      gatewayToken: NO_ROTATION,
      credentials: [anthropic()],
    },
  ];
}

export interface BuiltFleet {
  readonly app: App;
  readonly docker: TerraformStack;
  readonly identity: TerraformStack;
  readonly fleet: AgentFleet;
}

/** A Docker stack with the fleet, and an AWS stack with the agents' identities. */
export function buildFleet(overrides: Partial<AgentFleetProps> = {}): BuiltFleet {
  const app = Testing.app();
  const identity = new TerraformStack(app, 'identity');
  new AwsProvider(identity, 'aws', { region: 'eu-west-1' });
  const docker = new TerraformStack(app, 'agents');
  const host1 = new DockerProvider(docker, 'host-1', {
    alias: 'host-1',
    host: 'ssh://openclaw@host-1',
  });
  const host2 = new DockerProvider(docker, 'host-2', {
    alias: 'host-2',
    host: 'ssh://openclaw@host-2',
  });
  new TailscaleProvider(docker, 'tailscale', {});
  const fleet = new AgentFleet(docker, 'fleet', {
    tailnetDomain: 'tail1234.ts.net',
    region: 'eu-west-1',
    identityScope: identity,
    hosts: [
      { name: 'host-1', roleArn: HOST_1, docker: host1 },
      { name: 'host-2', roleArn: HOST_2, docker: host2 },
    ],
    agents: presetAgents(),
    ...overrides,
  });
  return { app, docker, identity, fleet };
}

/** The message of the error `build` throws (and a failure when it throws none). */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}

/** The error thrown while building a fleet with `overrides`. */
export function fleetError(overrides: Partial<AgentFleetProps>): string {
  return errorOf(() => buildFleet(overrides));
}

export function synth(stack: TerraformStack): Json {
  return JSON.parse(Testing.synth(stack));
}

/** Every Terraform address (type.name) in a synthesized stack. */
export function addresses(out: Json): string[] {
  return Object.entries(out.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName as object).map((n) => `${type}.${n}`))
    .sort();
}
