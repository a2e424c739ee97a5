import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { APPLIED_VERSION_TAG } from '../host/host-names';
import { TerraformProvider, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { checkAwsValue } from '../core/aws-values';
import { checkNamePrefix, HOST_NAME } from '../core/names';
import { AgentHost } from '../host/agent-host';
import { dockerEngine, sameEngine } from './docker-engine';
import { cellsDocument } from '../host/cells-document';
import { ImageReference } from '../container/image-reference';
import { HostCell } from '../host/user-data';
import { TailnetPolicy, TailnetPolicyProps } from '../tailnet/tailnet-policy';
import {
  AgentCredentialSpec,
  cellAddresses,
  defaultCellIndex,
  OpenClawAgent,
  OpenClawAgentProps,
} from './openclaw-agent';
import { PERSONAL_DATA_KINDS } from './risk-profile';

/**
 * An {@link AgentHost} the fleet places agents on: the way to run a fleet on EC2. The fleet takes
 * the host's name and role from it and, in its identity scope, grants that role exactly what the
 * host's agents need (see {@link AgentFleet}); the host's own stack knows nothing of the agents.
 */
export interface FleetAgentHost {
  /** The host, from its own stack (or this one): cdktf wires the references between stacks. */
  readonly agentHost: AgentHost;
  /**
   * The docker provider that reaches this host's engine.
   * @default - the stack's default docker provider
   */
  readonly docker?: TerraformProvider;
  /**
   * The host's CPU cores (`nproc`); see {@link FleetHost.cpus}.
   * @default - not known: the limit is checked only when the container is created
   */
  readonly cpus?: number;
}

/** Any other Docker host the fleet places agents on, known by its name and AWS identity. */
export interface FleetHost {
  /** Host name, such as `openclaw-host-1`; agents name it in `host`. */
  readonly name: string;
  /**
   * The IAM role the host's AWS credentials belong to: it reads the gateway tokens, and each
   * broker assumes its own role from it. For an AgentHost, give a {@link FleetAgentHost} instead.
   */
  readonly roleArn: string;
  /**
   * The docker provider that reaches this host's engine.
   * @default - the stack's default docker provider
   */
  readonly docker?: TerraformProvider;
  /**
   * The host's CPU cores (`nproc`). When given, the fleet refuses an agent whose gateway asks for
   * more: Docker would refuse that container at create ("range of CPUs is from 0.01 to N").
   * @default - not known: the limit is checked only when the container is created
   */
  readonly cpus?: number;
}

/** One agent of the fleet: {@link OpenClawAgentProps} without what the fleet gives every agent. */
export interface FleetAgent extends Omit<
  OpenClawAgentProps,
  'tailnetDomain' | 'region' | 'hostRoleArn' | 'identityScope' | 'namePrefix'
> {
  /**
   * The host it runs on (a FleetHost name).
   * @default - the fleet's only host; required when there are several
   */
  readonly host?: string;
}

/** The images every agent of a fleet runs, each pinned by digest where you give one. */
export interface FleetImages {
  /**
   * The gateway image.
   * @default - the pinned OpenClaw release (OPENCLAW_RELEASE)
   */
  readonly gateway?: ImageReference;
  /**
   * The Tailscale sidecar image.
   * @default - TAILSCALE_IMAGE, a release tag without digest
   */
  readonly tailscale?: ImageReference;
  /**
   * A prebuilt credential broker image from your registry (see {@link CredentialBrokerProps.image}).
   * @default - built on each Docker host from this package's `broker/` sources
   */
  readonly broker?: ImageReference;
}

/** Props of {@link AgentFleet}. */
export interface AgentFleetProps {
  /** The tailnet's DNS suffix, such as `tail1234.ts.net`. */
  readonly tailnetDomain: string;
  /** AWS region of the agents' secrets. */
  readonly region: string;
  /** The Docker hosts: AgentHosts ({@link FleetAgentHost}) or any other ({@link FleetHost}). */
  readonly hosts: readonly (FleetAgentHost | FleetHost)[];
  /**
   * The name prefix of the fleet's environment, such as `staging-`, given to every agent (see
   * {@link OpenClawAgentProps.namePrefix}) and to the cells parameters; AgentHosts of the fleet
   * must have the same.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  /** The agents, one per risk profile (or more, each with its own name). */
  readonly agents: readonly FleetAgent[];
  /**
   * Where the agents' AWS resources go (keys, secrets, broker roles, and for each AgentHost the
   * grant on its role and its cells parameter), normally a stack of their own.
   * @default - inside each agent (the AgentHost grants inside the fleet)
   */
  readonly identityScope?: Construct;
  /**
   * The tailnet policy for the agents: `output` hands the document out, `acl` manages it,
   * `none` leaves it to you (merge every agent's `access` into your policy).
   * @default "output"
   */
  readonly tailnetPolicy?: 'output' | 'acl' | 'none';
  /**
   * Options of the managed tailnet policy (tag owners, overwriting an edited policy).
   * @default - tag owners autogroup:admin
   */
  readonly tailnetPolicyOptions?: Omit<TailnetPolicyProps, 'agents' | 'mode'>;
  /**
   * Every agent ships its containers' output to its AuditTrail log groups (awslogs); see
   * {@link OpenClawAgentProps.auditLogs}. An agent may still set its own.
   * @default false
   */
  readonly auditLogs?: boolean;
  /**
   * The images of every agent, such as each pinned by digest; an agent's own `image`,
   * `tailscaleImage` or `brokerImage` wins.
   * @default - each image's own default (the OpenClaw release, TAILSCALE_IMAGE, the broker built
   *   on the host), none pinned by digest unless the release table has one
   */
  readonly images?: FleetImages;
}

/**
 * Many agents that share nothing: each has its own secrets and KMS key, its own broker role, its
 * own tailnet tag, cell network, volumes and, for profiles that ask for it, its own host. Names
 * derive from agent names only, so adding an agent never renames another's resources.
 *
 * On EC2, give each host as the {@link AgentHost} object (`hosts: [{ agentHost, docker }]`, see
 * {@link FleetAgentHost}). The host's stack then knows nothing of the agents; the fleet, in its
 * identity scope, grants the host's role exactly its agents' gateway-token secrets, their KMS keys
 * (through Secrets Manager) and broker roles, makes each broker trust that role, and writes the
 * host's cells parameter ({@link cellsParameterName}) that the host reads at run time. An
 * {@link AuditTrail} given the fleet grants the host its agents' log groups. Adding, removing or
 * changing an agent never changes the host.
 *
 * Refused when constructed, naming the agents and the fix: the same credential on two agents,
 * a shell agent next to an agent holding mail, calendar or chat credentials, two agents on one
 * cell network, an agent with the cell index of an agent of another AgentFleet of the app on the
 * same Docker engine (the same AgentHost, docker provider, or literal provider `host`; engines
 * synth cannot tell apart, such as a provider `host` that is a token, are never taken for one),
 * a profile that asks for its own host sharing one; and, per agent (see
 * {@link OpenClawAgent}): credential kinds or scopes the profile does not allow, MCP servers
 * outside its allowlist or without an exact version.
 */
export class AgentFleet extends Construct {
  /** The agents by name. */
  public readonly agents: Readonly<Record<string, OpenClawAgent>>;
  /** The name prefix of the fleet's environment ("" for none). */
  public readonly namePrefix: string;
  /** The AgentHosts of the fleet with their agents (for an AuditTrail's log grants). */
  public readonly agentHosts: readonly {
    readonly host: AgentHost;
    readonly agents: readonly OpenClawAgent[];
  }[];
  /** The grant on each AgentHost's role, by host name. */
  public readonly hostGrants: Readonly<Record<string, IamRolePolicy>>;
  /** The cells parameter of each AgentHost, by host name. */
  public readonly cellsParameters: Readonly<Record<string, SsmParameter>>;
  /** The tailnet policy, unless `none`. */
  public readonly tailnetPolicy?: TailnetPolicy;
  private readonly placement: ReadonlyMap<string, string>;
  /** Each agent's cell index and host, for the fleets built after this one. */
  private readonly cells?: readonly FleetCell[];

  constructor(scope: Construct, id: string, props: AgentFleetProps) {
    super(scope, id);
    if (props.agents.length === 0) throw new Error('AgentFleet needs at least one agent');
    if (props.hosts.length === 0) throw new Error('AgentFleet needs at least one host');
    this.namePrefix = checkNamePrefix(props.namePrefix, 'AgentFleet namePrefix');
    checkAwsValue(props.region, 'AgentFleet region', 'region');
    const hosts = new Map<string, PlacedHost>();
    for (const given of props.hosts) {
      const host = this.placedHost(given, props);
      if (!HOST_NAME.test(host.name)) {
        throw new Error(
          `host "${host.name}" must be lower-case letters, digits and "-", such as "openclaw-host-1"`,
        );
      }
      if (hosts.has(host.name)) throw new Error(`host "${host.name}" is listed twice`);
      for (const other of hosts.values()) {
        const sameRole =
          other.roleArn === host.roleArn ||
          (host.agentHost !== undefined && other.agentHost === host.agentHost);
        if (sameRole || (host.docker && other.docker === host.docker)) {
          throw new Error(
            `hosts "${other.name}" and "${host.name}" share a ${sameRole ? 'role' : 'docker provider'}, so they are one host; give each its own docker provider and role`,
          );
        }
      }
      if (host.cpus !== undefined && !(Number.isInteger(host.cpus) && host.cpus >= 1)) {
        throw new Error(
          `host "${host.name}" cpus ${host.cpus} is not a number of CPU cores; give what nproc prints on the host, such as 2`,
        );
      }
      hosts.set(host.name, host);
    }
    if (hosts.size > 1 && [...hosts.values()].some((h) => !h.docker)) {
      throw new Error(
        `with ${hosts.size} hosts, every host needs its docker provider; ${[...hosts.values()]
          .filter((h) => !h.docker)
          .map((h) => `"${h.name}"`)
          .join(', ')} has none, so its agents would land on the default engine`,
      );
    }

    const agentName = (a: FleetAgent) => a.name ?? a.profile.name;
    const placement = new Map<string, string>();
    const seen = new Set<string>();
    for (const agent of props.agents) {
      const name = agentName(agent);
      if (seen.has(name)) {
        throw new Error(
          `two agents are named "${name}"; give the second one a name of its own, such as "${name}-2" (every resource name derives from it)`,
        );
      }
      seen.add(name);
      const host = agent.host ?? (hosts.size === 1 ? [...hosts.keys()][0] : undefined);
      if (host === undefined) {
        throw new Error(
          `agent "${name}" has no host and the fleet has ${hosts.size}; set host to one of ${[...hosts.keys()].join(', ')}`,
        );
      }
      if (!hosts.has(host)) {
        throw new Error(
          `agent "${name}" names host "${host}", which is not in hosts (${[...hosts.keys()].join(', ')})`,
        );
      }
      const cores = hosts.get(host)!.cpus;
      const wanted = agent.gatewayCpus ?? 2;
      if (cores !== undefined && wanted > cores) {
        throw new Error(
          `agent "${name}" gives its gateway cpus ${wanted}, but host "${host}" has ${cores} CPU core${cores === 1 ? '' : 's'}, and Docker refuses a CPU limit above the host's cores at create; set gatewayCpus to ${cores} or less, or put the agent on a bigger host`,
        );
      }
      placement.set(name, host);
    }
    this.placement = placement;
    const placed = props.agents.map((a) => ({
      spec: a,
      name: agentName(a),
      host: placement.get(agentName(a))!,
      cellIndex: a.cellIndex ?? defaultCellIndex(agentName(a), this.namePrefix),
    }));
    checkFleet(placed);
    const cells = placed.map((a) => ({
      agent: `${this.namePrefix}${a.name}`,
      index: a.cellIndex,
      host: hosts.get(a.host)!,
    }));
    this.checkOtherFleets(cells);
    this.cells = cells;

    const agents: Record<string, OpenClawAgent> = {};
    for (const spec of props.agents) {
      const name = agentName(spec);
      const host = hosts.get(placement.get(name)!)!;
      const { host: _host, ...agentProps } = spec;
      void _host;
      const agent = new OpenClawAgent(this, name, {
        auditLogs: props.auditLogs,
        ...agentProps,
        tailnetDomain: props.tailnetDomain,
        region: props.region,
        namePrefix: this.namePrefix,
        hostRoleArn: host.roleArn,
        identityScope: props.identityScope,
        image: agentProps.image ?? props.images?.gateway,
        tailscaleImage: agentProps.tailscaleImage ?? props.images?.tailscale,
        brokerImage: agentProps.brokerImage ?? props.images?.broker,
      });
      if (host.docker) {
        for (const child of agent.node.findAll()) {
          if (
            child instanceof TerraformResource &&
            child.terraformResourceType.startsWith('docker_')
          ) {
            child.provider = host.docker;
          }
        }
      }
      agents[name] = agent;
    }
    this.agents = agents;

    const agentHosts: { host: AgentHost; agents: OpenClawAgent[] }[] = [];
    const grants: Record<string, IamRolePolicy> = {};
    const parameters: Record<string, SsmParameter> = {};
    for (const host of hosts.values()) {
      if (!host.agentHost) continue;
      const onHost = Object.values(agents).filter((a) => placement.get(a.name) === host.name);
      if (onHost.length === 0) continue;
      agentHosts.push({ host: host.agentHost, agents: onHost });
      const wiring = wireAgentHost(
        props.identityScope ?? this,
        host.agentHost,
        onHost,
        props.region,
      );
      grants[host.name] = wiring.grant;
      parameters[host.name] = wiring.cells;
    }
    this.agentHosts = agentHosts;
    this.hostGrants = grants;
    this.cellsParameters = parameters;

    const mode = props.tailnetPolicy ?? 'output';
    if (mode !== 'none') {
      const hostAccess = props.tailnetPolicyOptions?.hostAccess;
      if (hostAccess?.namePrefix !== undefined && hostAccess.namePrefix !== this.namePrefix) {
        throw new Error(
          `tailnetPolicyOptions.hostAccess namePrefix "${hostAccess.namePrefix}" is not the fleet's "${this.namePrefix}"; leave it out (the fleet's hosts take the fleet's prefix)`,
        );
      }
      this.tailnetPolicy = new TailnetPolicy(this, 'tailnet-policy', {
        ...props.tailnetPolicyOptions,
        // the hosts of this fleet carry its prefix in their tag
        ...(hostAccess ? { hostAccess: { ...hostAccess, namePrefix: this.namePrefix } } : {}),
        mode,
        agents: Object.values(agents).map((a) => a.access),
      });
    }
  }

  /**
   * Refuses an agent of this fleet and one of any AgentFleet built before it in the app that
   * would get the same cell index on one Docker engine: their cell, egress and MCP networks
   * would clash, which Docker finds only at apply. Two hosts are one engine when they are the
   * same AgentHost, use the same docker provider (given, or the stack's default), or use
   * DockerProviders with the same literal `host` (or both none: DOCKER_HOST, else the local
   * socket); a provider host that is a token, or a provider that is not a DockerProvider, is
   * compared by identity only, so no clash is guessed between engines synth cannot tell apart.
   */
  private checkOtherFleets(cells: readonly FleetCell[]): void {
    const earlier = this.node.root.node
      .findAll()
      .filter((c): c is AgentFleet => c instanceof AgentFleet && c !== this && !!c.cells)
      .flatMap((fleet) => fleet.cells!.map((cell) => ({ fleet, cell })));
    if (earlier.length === 0) return;
    const problems: string[] = [];
    const suggested = new Set<number>();
    for (const mine of cells) {
      const engine = dockerEngine(this, mine.host.agentHost, mine.host.docker);
      const onEngine = earlier
        .map((o) => ({
          ...o,
          same: sameEngine(
            engine,
            dockerEngine(o.fleet, o.cell.host.agentHost, o.cell.host.docker),
          ),
        }))
        .filter((o) => o.same !== undefined);
      for (const other of onEngine.filter((o) => o.cell.index === mine.index)) {
        const used = new Set([
          ...cells.map((c) => c.index),
          ...onEngine.map((o) => o.cell.index),
          ...suggested,
        ]);
        const free = [...Array(256).keys()].find((i) => !used.has(i));
        if (free !== undefined) suggested.add(free);
        problems.push(
          `agents "${other.cell.agent}" (AgentFleet "${other.fleet.node.path}") and "${mine.agent}" (AgentFleet "${this.node.path}") run on one Docker engine (${other.same}) and would share the cell network ${cellAddresses(mine.index).subnet}; ${
            free === undefined
              ? `every cellIndex is taken there, so put "${mine.agent}" on another Docker engine`
              : `give one of them its own cellIndex (0-255), such as ${free} for "${mine.agent}"`
          }`,
        );
      }
    }
    if (problems.length > 0) {
      throw new Error(
        `The agent fleets are not isolated from each other:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
  }

  /** A host as given, with its name and role taken from an AgentHost, checked against the fleet. */
  private placedHost(given: FleetAgentHost | FleetHost, props: AgentFleetProps): PlacedHost {
    if (!('agentHost' in given)) {
      checkAwsValue(
        given.roleArn,
        `host "${given.name}" roleArn`,
        'roleArn',
        'arn:aws:iam::123456789012:role/openclaw-docker-host',
      );
      return given;
    }
    const host = given.agentHost;
    const shown = `${host.namePrefix}${host.name}`;
    if (host.namePrefix !== this.namePrefix) {
      throw new Error(
        `host "${shown}" has namePrefix "${host.namePrefix}" but the fleet has "${this.namePrefix}"; one environment's agents run on its own hosts, so give both the same namePrefix`,
      );
    }
    const owner = TAKEN_HOSTS.get(host);
    if (owner !== undefined && owner !== this) {
      throw new Error(
        `host "${shown}" is already given to AgentFleet "${owner.node.path}"; a host publishes one cells parameter, so put all of its agents in one fleet`,
      );
    }
    TAKEN_HOSTS.set(host, this);
    if (
      !Token.isUnresolved(props.region) &&
      !Token.isUnresolved(host.region) &&
      props.region !== host.region
    ) {
      throw new Error(
        `host "${shown}" runs in ${host.region} but the fleet's region is ${props.region}; the host reads its agents' secrets through Secrets Manager in its own region, so give the fleet region "${host.region}"`,
      );
    }
    return {
      name: host.name,
      roleArn: host.role.arn,
      agentHost: host,
      docker: given.docker,
      cpus: given.cpus,
    };
  }

  /**
   * What one host must prepare for its agents: for a host that is not an AgentHost (an
   * AgentHost given to the fleet reads them from its cells parameter, which the fleet writes).
   */
  public hostCells(host: string): HostCell[] {
    const cells = Object.values(this.agents)
      .filter((a) => this.placement.get(a.name) === host)
      .map((a) => a.hostCell);
    if (cells.length === 0) throw new Error(`no agent of the fleet runs on host "${host}"`);
    return cells;
  }
}

/** A host as the fleet places agents on it. */
interface PlacedHost {
  readonly name: string;
  readonly roleArn: string;
  readonly agentHost?: AgentHost;
  readonly docker?: TerraformProvider;
  readonly cpus?: number;
}

/** An agent's cell as the check across fleets sees it. */
interface FleetCell {
  /** The agent's name with the fleet's prefix. */
  readonly agent: string;
  readonly index: number;
  readonly host: PlacedHost;
}

/** Every AgentHost an AgentFleet of the app has taken, so no host gets two cells parameters. */
const TAKEN_HOSTS = new WeakMap<AgentHost, AgentFleet>();

/**
 * What an AgentHost's role gets for its agents, next to the agents' own AWS resources (so the
 * host's stack never refers to them): reading exactly their gateway-token secrets, decrypting
 * with exactly their keys through Secrets Manager, assuming exactly their broker roles, and
 * reading its own cells parameter, which holds the host's cells for its reconciler.
 */
function wireAgentHost(
  scope: Construct,
  host: AgentHost,
  agents: readonly OpenClawAgent[],
  region: string,
): { grant: IamRolePolicy; cells: SsmParameter } {
  const base = `${host.namePrefix}${host.name}`;
  if (host.handWrittenCells !== undefined) {
    throw new Error(
      `host "${base}" was given hand-written cells, and its cells parameter holds only those; give an AgentFleet's host no \`cells\` (the fleet publishes its agents' cells itself)`,
    );
  }
  const document = cellsDocument(agents.map((a) => a.hostCell));
  if (document.length > 8192) {
    throw new Error(
      `host "${base}" runs ${agents.length} agents, whose cells document (${document.length} characters) exceeds the 8 KB of an SSM parameter; put some of the agents on another host`,
    );
  }
  const cells = new SsmParameter(scope, `${base}-cells`, {
    name: host.cellsParameterName,
    description: `OpenClaw host ${base}: the cells it runs (read by its reconciler)`,
    type: 'String',
    // a standard parameter holds 4 KB; an advanced one 8 KB
    tier: document.length > 4096 ? 'Advanced' : 'Standard',
    value: document,
    tags: { 'openclaw:host': base },
  });
  cells.overrideLogicalId(`${base}-cells`);
  const sorted = [...agents].sort((a, b) => a.name.localeCompare(b.name));
  const grant = new IamRolePolicy(scope, `${base}-agents`, {
    role: host.role.name,
    name: 'openclaw-agents',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadOwnCells',
          Effect: 'Allow',
          Action: ['ssm:GetParameter'],
          Resource: [cells.arn],
        },
        {
          Sid: 'ReadAgentGatewayTokens',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: sorted.map((a) => a.secrets.secretArn('gateway-token')),
        },
        {
          // the host's reconciler follows rotations of these tokens, and records the version
          // its gateway accepts (the only tag it may set); see GatewayTokenRotation
          Sid: 'FollowAgentGatewayTokenRotations',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret'],
          Resource: sorted.map((a) => a.secrets.secretArn('gateway-token')),
        },
        {
          Sid: 'RecordAppliedAgentGatewayTokens',
          Effect: 'Allow',
          Action: ['secretsmanager:TagResource'],
          Resource: sorted.map((a) => a.secrets.secretArn('gateway-token')),
          Condition: {
            'ForAllValues:StringEquals': { 'aws:TagKeys': [APPLIED_VERSION_TAG] },
          },
        },
        {
          Sid: 'DecryptAgentGatewayTokens',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: sorted.map((a) => a.secrets.key.arn),
          Condition: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
          },
        },
        ...mcpSecretStatements(sorted, region),
        {
          Sid: 'BrokersAssumeTheirOwnRoles',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: sorted.map((a) => a.brokerRole.arn),
        },
      ],
    }),
  });
  grant.overrideLogicalId(`${base}-agents`);
  return { grant, cells };
}

/**
 * The host writes its agents' MCP secret files: it reads exactly those secrets and decrypts with
 * exactly their keys, through Secrets Manager. No statement when no server has one.
 */
function mcpSecretStatements(agents: readonly OpenClawAgent[], region: string): object[] {
  const secrets = agents.flatMap((a) => a.mcpSecrets);
  if (secrets.length === 0) return [];
  return [
    {
      Sid: 'ReadAgentMcpSecretFiles',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: secrets.map((s) => s.secretArn),
    },
    {
      Sid: 'DecryptAgentMcpSecretFiles',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [...new Set(secrets.map((s) => s.kmsKeyArn))],
      Condition: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
      },
    },
  ];
}

interface PlacedAgent {
  readonly spec: FleetAgent;
  readonly name: string;
  readonly host: string;
  /** Its cellIndex, or the default of the fleet's prefix and its name. */
  readonly cellIndex: number;
}

/** The cross-agent guarantees, checked before anything is built. */
function checkFleet(agents: readonly PlacedAgent[]): void {
  const problems: string[] = [];

  // one credential, one agent
  const byObject = new Map<AgentCredentialSpec, string>();
  const bySecret = new Map<string, string>();
  for (const a of agents) {
    for (const cred of a.spec.credentials) {
      const other = byObject.get(cred);
      if (other !== undefined && other !== a.name) {
        problems.push(
          `credential "${cred.name}" is attached to agents "${other}" and "${a.name}"; give each agent its own credential (its own token, with only the scopes that agent needs)`,
        );
      }
      byObject.set(cred, a.name);
      const arn = cred.existingSecret?.arn;
      if (arn !== undefined) {
        const owner = bySecret.get(arn);
        if (owner !== undefined && owner !== a.name) {
          problems.push(
            `secret ${arn} is attached to agents "${owner}" and "${a.name}"; give each agent its own secret`,
          );
        }
        bySecret.set(arn, a.name);
      }
    }
  }

  // one cell network per agent
  const byCell = new Map<number, string>();
  for (const a of agents) {
    const owner = byCell.get(a.cellIndex);
    if (owner !== undefined) {
      problems.push(
        `agents "${owner}" and "${a.name}" would share the cell network ${cellAddresses(a.cellIndex).subnet}; give one of them its own cellIndex (0-255)`,
      );
    }
    byCell.set(a.cellIndex, a.name);
  }

  // shells never next to personal data; own-host profiles alone
  for (const a of agents) {
    const neighbours = agents.filter((b) => b !== a && b.host === a.host);
    if (a.spec.profile.shell.mode !== 'off') {
      for (const b of neighbours) {
        const kinds = PERSONAL_DATA_KINDS.filter((k) =>
          b.spec.credentials.some((c) => c.kind === k),
        );
        if (kinds.length > 0) {
          problems.push(
            `agent "${a.name}" has shell access and shares host "${a.host}" with agent "${b.name}", which holds ${kinds.join(', ')} credentials; put "${a.name}" on a host of its own`,
          );
        }
      }
    }
    if (
      a.spec.profile.placement === 'own-host' &&
      neighbours.length > 0 &&
      !a.spec.dangerouslyShareHost
    ) {
      problems.push(
        `agent "${a.name}" (profile ${a.spec.profile.name}) asks for a host of its own but shares host "${a.host}" with ${neighbours.map((b) => `"${b.name}"`).join(', ')}; add a host for it and set host, or set dangerouslyShareHost with a reason`,
      );
    }
  }

  if (problems.length > 0) {
    throw new Error(
      `The agent fleet is not isolated:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}
