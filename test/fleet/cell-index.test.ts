/**
 * Cell indexes across environments: the default index hashes the name prefix in, and fleets of
 * one app on one Docker engine may not give two agents the same cell networks.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformProvider, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import { AgentFleet, AgentHost, defaultCellIndex, FleetAgent } from '../../src';
import { MEMORY_SERVER, NOTES_PROFILE } from '../mcp/fixtures';
import { anthropic, errorOf, HOST_1, Json, NO_ROTATION, presetAgents, synth } from './helpers';

/** FNV-1a, 32 bits, over the UTF-8 bytes, written out from its definition (in BigInt). */
function fnv1a32(text: string): number {
  let hash = 2166136261n; // the offset basis
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * 16777619n) % 2n ** 32n; // the FNV prime
  }
  return Number(hash);
}

/** The messaging, calendar-and-mail and research presets, and an agent with an MCP server. */
function sharedHostAgents(): FleetAgent[] {
  return [
    ...presetAgents().slice(0, 3),
    {
      profile: NOTES_PROFILE,
      name: 'notes',
      allow: ['group:research'],
      gatewayToken: NO_ROTATION,
      credentials: [anthropic()],
      mcpServers: [MEMORY_SERVER],
    },
  ].map((a) => ({ ...a, host: undefined }));
}

/** A stack for docker resources, with the Tailscale provider and, when given, docker providers. */
function agentsStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new TailscaleProvider(stack, 'tailscale', {});
  return stack;
}

/** A fleet of one environment on one host, its AWS resources in `identity`. */
function fleet(
  stack: TerraformStack,
  prefix: string,
  agents: readonly FleetAgent[],
  host: { docker?: TerraformProvider; agentHost?: AgentHost } = {},
): AgentFleet {
  return new AgentFleet(stack, `${prefix}fleet`, {
    tailnetDomain: 'tail1234.ts.net',
    region: 'eu-west-1',
    namePrefix: prefix,
    identityScope: stack,
    hosts: [
      host.agentHost
        ? { agentHost: host.agentHost, docker: host.docker }
        : { name: 'host-1', roleArn: HOST_1, docker: host.docker },
    ],
    agents,
    tailnetPolicy: 'none',
  });
}

/** The shared-host agents forced onto the cell indexes from `first` on. */
const forced = (first: number) =>
  sharedHostAgents().map((a, i) => ({ ...a, cellIndex: first + i }));
const messaging = (cellIndex: number) => ({ ...presetAgents()[0], host: undefined, cellIndex });
const mail = (cellIndex: number) => ({ ...presetAgents()[1], host: undefined, cellIndex });
const research = (cellIndex: number) => ({ ...presetAgents()[2], host: undefined, cellIndex });

describe('GIVEN defaultCellIndex', () => {
  const names = ['research', 'messaging', 'calendar-and-mail', 'shell', 'team-chat', 'café'];

  test('WHEN no prefix or "" is given THEN it is FNV-1a of the name modulo 256, as it always was', () => {
    for (const name of names) {
      const expected = fnv1a32(name) % 256;
      expect([name, defaultCellIndex(name), defaultCellIndex(name, '')]).toEqual([
        name,
        expected,
        expected,
      ]);
    }
    // the definition written out above is FNV-1a: its published value for "a"
    expect(fnv1a32('a')).toBe(0xe40c292c);
  });

  test('WHEN a prefix is given THEN it hashes the prefix and the name together', () => {
    for (const name of names) {
      for (const prefix of ['staging-', 'prod-']) {
        expect([prefix, name, defaultCellIndex(name, prefix)]).toEqual([
          prefix,
          name,
          fnv1a32(`${prefix}${name}`) % 256,
        ]);
      }
    }
    expect(defaultCellIndex('research', 'staging-')).not.toBe(
      defaultCellIndex('research', 'prod-'),
    );
  });
});

describe('GIVEN staging- and prod- fleets with the same agents in one stack on the default docker provider', () => {
  let staging: AgentFleet;
  let prod: AgentFleet;
  let out: Json;
  // built in the first hook, so a clash fails these tests rather than the whole file
  beforeAll(() => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new DockerProvider(stack, 'docker', {});
    staging = fleet(stack, 'staging-', sharedHostAgents());
    prod = fleet(stack, 'prod-', sharedHostAgents());
    out = synth(stack);
  });

  test('THEN no two docker networks of either share a subnet', () => {
    const networks = Object.values<Json>(out.resource.docker_network);
    const subnets = networks.flatMap((n) => (n.ipam_config as Json[]).map((c) => c.subnet));
    // per agent: the cell, the broker's and the sidecar's egress; and the notes agent's MCP server
    expect(networks.length).toBe(2 * (4 * 3 + 1));
    expect(subnets.length).toBe(networks.length);
    expect(subnets.filter((s, i) => subnets.indexOf(s) !== i)).toEqual([]);
  });

  test("THEN each agent's cell index is the default of its fleet's prefix and its name", () => {
    for (const built of [staging, prod]) {
      for (const agent of Object.values(built.agents)) {
        expect([agent.name, agent.cellIndex]).toEqual([
          agent.name,
          fnv1a32(`${built.namePrefix}${agent.name}`) % 256,
        ]);
      }
    }
  });
});

describe('GIVEN two fleets on one Docker engine with agents forced to the same cellIndex', () => {
  test('WHEN both use the default docker provider of their stack THEN the second is refused, naming both agents, the subnet and a free index', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    new DockerProvider(stack, 'docker', {});
    fleet(stack, 'staging-', [research(9), messaging(10)]);
    expect(errorOf(() => fleet(stack, 'prod-', [research(9)]))).toBe(
      'The agent fleets are not isolated from each other:\n' +
        '  - agents "staging-research" (AgentFleet "agents/staging-fleet") and "prod-research" (AgentFleet "agents/prod-fleet") run on one Docker engine (docker provider "agents/docker") and would share the cell network 172.30.9.0/24; give one of them its own cellIndex (0-255), such as 0 for "prod-research"',
    );
  });

  test('WHEN the suggested index is taken on that engine or in the fleet THEN the next free one is suggested, one per clash', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    new DockerProvider(stack, 'docker', {});
    fleet(stack, 'staging-', [research(0), messaging(1)]);
    const error = errorOf(() => fleet(stack, 'prod-', [research(0), messaging(1), mail(3)]));
    expect(error.split('\n').slice(1)).toEqual([
      expect.stringMatching(
        /^ {2}- agents "staging-research" .* and "prod-research" .* would share the cell network 172\.30\.0\.0\/24; .* such as 2 for "prod-research"$/,
      ),
      expect.stringMatching(
        /^ {2}- agents "staging-messaging" .* and "prod-messaging" .* would share the cell network 172\.30\.1\.0\/24; .* such as 4 for "prod-messaging"$/,
      ),
    ]);
  });

  test('WHEN they are in two stacks with docker providers of one literal host THEN they are refused', () => {
    const app = Testing.app();
    const engine = 'ssh://openclaw@build-box.tail1234.ts.net';
    const a = agentsStack(app, 'staging-agents');
    const b = agentsStack(app, 'prod-agents');
    fleet(a, 'staging-', [research(9)], {
      docker: new DockerProvider(a, 'box', { alias: 'box', host: engine }),
    });
    expect(
      errorOf(() =>
        fleet(b, 'prod-', [research(9)], {
          docker: new DockerProvider(b, 'engine', { alias: 'engine', host: engine }),
        }),
      ),
    ).toBe(
      'The agent fleets are not isolated from each other:\n' +
        `  - agents "staging-research" (AgentFleet "staging-agents/staging-fleet") and "prod-research" (AgentFleet "prod-agents/prod-fleet") run on one Docker engine (docker host "${engine}") and would share the cell network 172.30.9.0/24; give one of them its own cellIndex (0-255), such as 0 for "prod-research"`,
    );
  });

  test('WHEN they are in two stacks whose docker providers have no host THEN they are refused (both take DOCKER_HOST)', () => {
    const app = Testing.app();
    const a = agentsStack(app, 'staging-agents');
    new DockerProvider(a, 'docker', {});
    const b = agentsStack(app, 'prod-agents');
    new DockerProvider(b, 'docker', {});
    fleet(a, 'staging-', [research(9)]);
    expect(errorOf(() => fleet(b, 'prod-', [research(9)]))).toContain(
      'run on one Docker engine (docker providers without host: DOCKER_HOST, else the local socket) and would share the cell network 172.30.9.0/24',
    );
  });

  test('WHEN they share one docker provider whose host is a token THEN they are refused (the same provider object)', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    const address = new TerraformVariable(stack, 'docker-host', { type: 'string' });
    const docker = new DockerProvider(stack, 'engine', {
      alias: 'engine',
      host: address.stringValue,
    });
    fleet(stack, 'staging-', [research(9)], { docker });
    expect(errorOf(() => fleet(stack, 'prod-', [research(9)], { docker }))).toContain(
      'run on one Docker engine (docker provider "agents/engine") and would share the cell network 172.30.9.0/24',
    );
  });

  test('WHEN their stack declares no docker provider THEN its undeclared default is one engine', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    fleet(stack, 'staging-', [research(9)]);
    expect(errorOf(() => fleet(stack, 'prod-', [research(9)]))).toContain(
      'run on one Docker engine (the default docker provider of stack "agents")',
    );
  });
});

describe('GIVEN the same forced cellIndex on two different engines', () => {
  test('WHEN two DockerProviders have different literal hosts THEN both fleets are built and synthesize', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const docker = (name: string) =>
      new DockerProvider(stack, name, { alias: name, host: `ssh://openclaw@${name}` });
    fleet(stack, 'staging-', forced(9), { docker: docker('staging-box') });
    fleet(stack, 'prod-', forced(9), { docker: docker('prod-box') });
    const subnets = Object.values<Json>(synth(stack).resource.docker_network).map(
      (n) => n.ipam_config[0].subnet,
    );
    // the cells Docker would have refused on one engine are there, each once per engine
    for (const index of [9, 10, 11, 12]) {
      expect(subnets.filter((s) => s === `172.30.${index}.0/24`)).toHaveLength(2);
    }
  });

  test('WHEN they run on two different AgentHosts, each reached by its own docker provider THEN both are built', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    for (const prefix of ['staging-', 'prod-']) {
      const agentHost = new AgentHost(stack, `${prefix}host`, {
        name: 'host-1',
        namePrefix: prefix,
        amiId: 'ami-0123456789abcdef0',
        vpcId: 'vpc-0123456789abcdef0',
        subnetId: 'subnet-0123456789abcdef0',
        region: 'eu-west-1',
        tailnetKeySecretArn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${prefix}openclaw/hosts/tailnet-key-AbCdEf`,
      });
      const docker = new DockerProvider(stack, `${prefix}docker`, {
        alias: `${prefix}docker`,
        host: `ssh://openclaw-deploy@${agentHost.tailnetName}.tail1234.ts.net`,
      });
      expect(() => fleet(stack, prefix, forced(9), { agentHost, docker })).not.toThrow();
    }
  });

  test('WHEN the engines cannot be told apart (token hosts, or undeclared providers of two stacks) THEN no clash is guessed', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    const docker = (name: string) =>
      new DockerProvider(stack, name, {
        alias: name,
        host: new TerraformVariable(stack, `${name}-host`, { type: 'string' }).stringValue,
      });
    fleet(stack, 'staging-', forced(9), { docker: docker('a') });
    expect(() => fleet(stack, 'prod-', forced(9), { docker: docker('b') })).not.toThrow();
    fleet(agentsStack(app, 'c'), 'c-', forced(9));
    expect(() => fleet(agentsStack(app, 'd'), 'd-', forced(9))).not.toThrow();
  });

  test('WHEN one provider has no host and the other a literal one THEN no clash is guessed', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    new DockerProvider(stack, 'docker', {});
    fleet(stack, 'staging-', [research(9)]);
    const box = new DockerProvider(stack, 'box', { alias: 'box', host: 'ssh://openclaw@box' });
    expect(() => fleet(stack, 'prod-', [research(9)], { docker: box })).not.toThrow();
  });
});

describe('GIVEN a fleet with a name prefix', () => {
  test('WHEN two of its agents are forced onto one cellIndex THEN the fleet refuses them as before', () => {
    const app = Testing.app();
    const stack = agentsStack(app, 'agents');
    expect(errorOf(() => fleet(stack, 'staging-', [research(9), messaging(9)]))).toMatch(
      /agents "research" and "messaging" would share the cell network 172\.30\.9\.0\/24; give one of them its own cellIndex/,
    );
  });

  test('WHEN two agent names hash to one cell only with the prefix THEN the prefixed fleet refuses them and the unprefixed one does not', () => {
    const cell = (prefix: string, name: string) => fnv1a32(`${prefix}${name}`) % 256;
    const candidates = Array.from({ length: 64 }, (_, i) => `agent-${i}`);
    const pair = candidates
      .flatMap((a) => candidates.map((b) => [a, b]))
      .find(
        ([a, b]) =>
          a < b && cell('staging-', a) === cell('staging-', b) && cell('', a) !== cell('', b),
      );
    expect(pair).toBeDefined();
    const [a, b] = pair!;
    const agents = [a, b].map((name) => ({ ...research(0), cellIndex: undefined, name }));
    const app = Testing.app();
    expect(errorOf(() => fleet(agentsStack(app, 'staging'), 'staging-', agents))).toContain(
      `agents "${a}" and "${b}" would share the cell network 172.30.${cell('staging-', a)}.0/24`,
    );
    expect(() => fleet(agentsStack(app, 'plain'), '', agents)).not.toThrow();
  });
});
