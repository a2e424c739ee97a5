import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { checkAwsValue } from '../core/aws-values';
import { checkNamePrefix, PROFILE_NAME } from '../core/names';
import { requireReason, Weakening, WeakeningReason, WEAKENING_METADATA } from '../core/weakening';
import { BrokerUpstream, CredentialBroker, CustomUpstream } from '../broker/credential-broker';
import { CellNetwork } from '../container/cell-network';
import { HardenedContainer } from '../container/hardened-container';
import { ImageReference } from '../container/image-reference';
import { HostCell, HostMcpSecretFile } from '../host/user-data';
import { ModelEntry } from '../openclaw/config';
import { McpServer } from '../mcp/mcp-server';
import { mcpBlock, McpServerContainer, mcpSubnets } from '../mcp/mcp-server-container';
import { splitPackageSpec } from '../openclaw/pinned-package';
import { AgentCredential, AgentSecrets } from '../secrets/agent-secrets';
import { AgentLogStream, awslogsDriver } from '../audit/log-patterns';
import { TailnetAccess } from '../tailnet/tailnet-access';
import { AgentAccess } from '../tailnet/tailnet-policy-document';
import { BROAD_SCOPES, CredentialKind, RiskProfile } from './risk-profile';

/** How a credential rotates: a function, or a written reason why it cannot. */
export interface CredentialRotation {
  /** The rotation function. */
  readonly rotationLambdaArn?: string;
  /** The rotation function's role (required with rotationLambdaArn). */
  readonly rotationRoleArn?: string;
  /**
   * Days between rotations.
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * For a kind that cannot rotate: the reason, shown in the checklist report.
   * @default - a rotation function is required
   */
  readonly dangerouslyNoRotation?: WeakeningReason;
}

/** A service the broker calls with a credential that is not a model key. */
export interface ServiceUpstream {
  /** https base URL, such as `https://api.github.com`. */
  readonly baseUrl: string;
  /** `bearer`, or the header that carries the key. */
  readonly auth: 'bearer' | { readonly header: string };
}

/** A credential attached to one agent. */
export interface AgentCredentialSpec extends CredentialRotation {
  /** Name, unique in the agent: the secret is `openclaw/<agent>/<name>` and the broker route `/<name>`. */
  readonly name: string;
  /** What it lets the agent do; the profile must accept the kind. */
  readonly kind: CredentialKind;
  /**
   * The OAuth scopes the token carries; each must be within the profile's widest scopes.
   * @default - none (an API key or bot token)
   */
  readonly scopes?: readonly string[];
  /**
   * Carry scopes wider than the profile allows. The reason is shown in the checklist report.
   * @default - scopes must be within the profile
   */
  readonly dangerouslyWidenScopes?: WeakeningReason;
  /**
   * For `model`: the provider the broker calls. For other kinds: the service the broker calls.
   * @default - the credential name, for `anthropic` and `openai` models; none for other kinds,
   *   whose secret is then only stored (read by the broker's role)
   */
  readonly upstream?: 'anthropic' | 'openai' | CustomUpstream | ServiceUpstream;
  /**
   * Models offered through a `model` credential.
   * @default - none listed
   */
  readonly models?: readonly ModelEntry[];
  /**
   * A secret that already exists (its exact ARN) instead of a new `openclaw/<agent>/<name>`, with
   * the KMS key that encrypts it. It must not be attached to any other agent.
   * @default - a new secret under the agent's own KMS key
   */
  readonly existingSecret?: { readonly arn: string; readonly kmsKeyArn: string };
}

/** Props of {@link OpenClawAgent}. */
export interface OpenClawAgentProps {
  /** The risk profile: tools, shell, credential kinds and scopes, egress, MCP servers, placement. */
  readonly profile: RiskProfile;
  /**
   * The agent's name. Every resource name derives from it (secrets `openclaw/<name>/...`, tag
   * `tag:openclaw-<name>`, network `openclaw-<name>`), so it never changes once deployed.
   * @default - the profile name
   */
  readonly name?: string;
  /**
   * The name prefix of the agent's environment, such as `staging-`, put before every name the
   * agent gives: IAM roles and policies, the KMS alias, secrets (`<prefix>openclaw/<name>/...`),
   * log groups (`/<prefix>openclaw/<name>/...`), Docker containers, networks and volumes, the
   * tailnet tag (`tag:<prefix>openclaw-<name>`) and host name. Two environments then share an
   * account and a tailnet without a name in common. The default
   * {@link OpenClawAgentProps.cellIndex} hashes it in, so their agents of one name get different
   * cell networks on one Docker engine.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  /** The tailnet's DNS suffix, such as `tail1234.ts.net`. */
  readonly tailnetDomain: string;
  /** Groups or users that may reach the agent over the tailnet (tcp:443 only). */
  readonly allow: readonly string[];
  /** AWS region of the agent's secrets. */
  readonly region: string;
  /** The agent's credentials: at least one `model` credential. */
  readonly credentials: readonly AgentCredentialSpec[];
  /** Rotation of the gateway token (`<prefix>openclaw/<name>/gateway-token`, read by the host). */
  readonly gatewayToken: CredentialRotation;
  /**
   * The IAM role of the Docker host (an AgentHost's role): it reads the gateway token at boot,
   * and the broker assumes the agent's own broker role from it.
   */
  readonly hostRoleArn: string;
  /**
   * The cell's index, 0-255: the cell network is `172.30.<i>.0/24`, the broker's egress
   * `172.31.<i>.0/28`, the sidecar's `172.29.<i>.0/28`, its MCP servers' `172.28.<i>.0/24`.
   * Agents on one Docker engine need distinct indexes (AgentFleet checks its own agents and those
   * of every other fleet on the same engine).
   * @default - {@link defaultCellIndex} of the prefix and name, so adding an agent never moves
   *   another
   */
  readonly cellIndex?: number;
  /**
   * The model agents use by default, as `<credential>/<model>`.
   * @default - OpenClaw's default
   */
  readonly primaryModel?: string;
  /**
   * MCP servers, each allowed by the profile, pinned to an exact version with its integrity, and
   * run in a hardened container of its own on a network shared only with the gateway
   * (`172.28.<cellIndex>.0/24`, one /29 per server).
   * @default - none
   */
  readonly mcpServers?: readonly McpServer[];
  /**
   * Where the AWS resources go (KMS key, secrets, the broker's role): normally a stack of their
   * own, so `terraform plan` covers them without the Docker provider.
   * @default - this agent's own scope
   */
  readonly identityScope?: Construct;
  /**
   * On a Docker host without an instance role: a host file with the AWS credentials the broker
   * assumes its role from.
   * @default - the instance role
   */
  readonly awsCredentialsHostPath?: string;
  /**
   * Run a profile that asks for a host of its own on a shared host. The reason is shown in the
   * checklist report.
   * @default - AgentFleet refuses to share the host
   */
  readonly dangerouslyShareHost?: WeakeningReason;
  /**
   * The gateway image; give its digest to pin it.
   * @default - the pinned OpenClaw release (OPENCLAW_RELEASE)
   */
  readonly image?: ImageReference;
  /**
   * The Tailscale sidecar image; give its digest to pin it.
   * @default - TAILSCALE_IMAGE, a release tag without digest (the checklist reports it)
   */
  readonly tailscaleImage?: ImageReference;
  /**
   * A prebuilt credential broker image from your registry, pinned by digest
   * (see {@link CredentialBrokerProps.image}).
   * @default - built on the Docker host from this package's `broker/` sources
   */
  readonly brokerImage?: ImageReference;
  /**
   * The gateway's process limit, enforced by the host's slice `openclaw-<name>.slice`.
   * @default 100
   */
  readonly maxProcesses?: number;
  /**
   * The gateway's CPU limit. Docker refuses a limit above the host's cores when it creates the
   * container, so a 1-core host needs 1 or less (a FleetHost with `cpus` checks it at synth).
   * @default 2
   */
  readonly gatewayCpus?: number;
  /**
   * Ship the gateway's, broker's and sidecar's output to CloudWatch Logs with Docker's awslogs
   * driver, into `/openclaw/<name>/<gateway|broker|sidecar>` in `region`: the log groups an
   * AuditTrail listing this agent creates. The Docker daemon writes with its own AWS credentials
   * (an AgentHost's role, given `agentLogGroupArns(...)` as its `logGroupArns`).
   * @default false - json-file logs on the host, 10 MiB x 5 per container
   */
  readonly auditLogs?: boolean;
}

/** Addresses of one cell, from its index. */
export interface CellAddresses {
  readonly subnet: string;
  readonly sidecar: string;
  readonly broker: string;
  readonly gateway: string;
  readonly brokerEgressSubnet: string;
  readonly brokerEgress: string;
  readonly sidecarEgressSubnet: string;
}

/** The cell layout for an index. */
export function cellAddresses(index: number): CellAddresses {
  if (!Number.isInteger(index) || index < 0 || index > 255) {
    throw new Error(`cellIndex ${index} must be a whole number from 0 to 255`);
  }
  return {
    subnet: `172.30.${index}.0/24`,
    sidecar: `172.30.${index}.2`,
    broker: `172.30.${index}.3`,
    gateway: `172.30.${index}.10`,
    brokerEgressSubnet: `172.31.${index}.0/28`,
    brokerEgress: `172.31.${index}.2`,
    sidecarEgressSubnet: `172.29.${index}.0/28`,
  };
}

/**
 * The default cell index of an agent: FNV-1a (32-bit) of `namePrefix` followed by the name, modulo
 * 256, so it depends on nothing else. Without a prefix it is the hash of the name alone; with one,
 * two environments' agents of one name get different cells (on one Docker engine their networks
 * would clash, which AgentFleet refuses at synth).
 */
export function defaultCellIndex(name: string, namePrefix = ''): number {
  let hash = 0x811c9dc5;
  for (const ch of Buffer.from(`${namePrefix}${name}`, 'utf8')) {
    hash ^= ch;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 256;
}

/**
 * One agent: one cell for one risk profile. It composes the cell's internal network, the
 * Tailscale sidecar and its key, the credential broker with its own IAM role, the agent's secrets
 * under their own KMS key, and the hardened gateway whose config the profile fixes. Nothing is
 * shared with another agent; {@link AgentFleet} checks that across agents.
 */
export class OpenClawAgent extends Construct {
  public readonly name: string;
  /** The name prefix of the agent's environment ("" for none). */
  public readonly namePrefix: string;
  public readonly profile: RiskProfile;
  public readonly cellIndex: number;
  public readonly addresses: CellAddresses;
  public readonly network: CellNetwork;
  public readonly tailnet: TailnetAccess;
  public readonly broker: CredentialBroker;
  public readonly gateway: HardenedContainer;
  /** The MCP servers' containers, by server name. */
  public readonly mcpServers: Readonly<Record<string, McpServerContainer>>;
  /**
   * The secrets the host writes into MCP servers' secret files, with their KMS keys: what the
   * host's role must read (an AgentFleet grants an AgentHost exactly these).
   */
  public readonly mcpSecrets: readonly { readonly secretArn: string; readonly kmsKeyArn: string }[];
  public readonly secrets: AgentSecrets;
  /** The broker's own role, assumed from the host's role. */
  public readonly brokerRole: IamRole;
  /** The credentials as given, for the fleet's checks. */
  public readonly credentials: readonly AgentCredentialSpec[];
  /** Weakenings of this agent, each with its reason. */
  public readonly weakenings: readonly Weakening[];
  /** Who may reach the agent, for the tailnet policy. */
  public readonly access: AgentAccess;
  /** What a host needs to run this cell (for AgentHost `cells`). */
  public readonly hostCell: HostCell;
  /** The reason the agent may share a host despite its profile, if given. */
  public readonly shareHostReason?: string;

  constructor(scope: Construct, id: string, props: OpenClawAgentProps) {
    super(scope, id);
    const profile = props.profile;
    const name = props.name ?? profile.name;
    if (!PROFILE_NAME.test(name)) {
      throw new Error(
        `agent "${name}" must be lower-case letters, digits and "-" (at most 41), such as "research"`,
      );
    }
    this.name = name;
    this.namePrefix = checkNamePrefix(props.namePrefix, `agent "${name}" namePrefix`);
    this.profile = profile;
    this.credentials = props.credentials;
    this.cellIndex = props.cellIndex ?? defaultCellIndex(name, this.namePrefix);
    this.addresses = cellAddresses(this.cellIndex);
    const weakenings: Weakening[] = [];
    const where = `agent "${name}" (profile ${profile.name})`;

    // --- credentials against the profile ---
    const names = new Set<string>(['gateway-token']);
    for (const cred of props.credentials) {
      if (names.has(cred.name)) {
        throw new Error(
          `${where} lists credential "${cred.name}" twice (or uses the reserved name "gateway-token"); give each credential its own name`,
        );
      }
      names.add(cred.name);
      const allowance = profile.allowance(cred.kind);
      if (!allowance) {
        throw new Error(
          `${where} may not hold ${cred.kind} credential "${cred.name}"; the profile accepts ${profile.credentials.map((c) => c.kind).join(', ')}. Give it to an agent whose profile does, or build a custom profile`,
        );
      }
      if ((allowance.maxScopes ?? []).length > 0 && (cred.scopes ?? []).length === 0) {
        throw new Error(
          `${where} credential "${cred.name}" lists no scopes; give the OAuth scopes its token carries (at most ${JSON.stringify(allowance.maxScopes)}), so they are checked and tagged`,
        );
      }
      const wider = (cred.scopes ?? []).filter((s) => !(allowance.maxScopes ?? []).includes(s));
      if (wider.length > 0) {
        if (!cred.dangerouslyWidenScopes) {
          const hints = wider.map((s) =>
            BROAD_SCOPES[s]
              ? `"${s}" grants ${BROAD_SCOPES[s].grants}; use "${BROAD_SCOPES[s].instead}"`
              : `"${s}" is not among ${JSON.stringify(allowance.maxScopes ?? [])}`,
          );
          throw new Error(
            `${where} credential "${cred.name}" has scopes wider than the profile allows: ${hints.join('; ')}. Narrow the token, or set dangerouslyWidenScopes with a reason`,
          );
        }
        const reason = requireReason(
          cred.dangerouslyWidenScopes,
          `${where} credential "${cred.name}" dangerouslyWidenScopes`,
        );
        weakenings.push({
          id: `wide-scopes:${cred.name}`,
          what: `${cred.name} carries ${wider.join(', ')}`,
          reason,
        });
      }
      if (cred.existingSecret) {
        const { arn, kmsKeyArn } = cred.existingSecret;
        checkAwsValue(arn, `${where} credential "${cred.name}" existingSecret.arn`, 'secretArn');
        checkAwsValue(
          kmsKeyArn,
          `${where} credential "${cred.name}" existingSecret.kmsKeyArn`,
          'kmsKeyArn',
        );
      }
      if (cred.kind === 'model' && cred.upstream === undefined) {
        if (cred.name !== 'anthropic' && cred.name !== 'openai') {
          throw new Error(
            `${where} model credential "${cred.name}" needs an upstream: "anthropic", "openai" or a custom upstream with an api`,
          );
        }
      }
    }
    if (!props.credentials.some((c) => c.kind === 'model')) {
      throw new Error(
        `${where} has no model credential; attach one, such as { name: "anthropic", kind: "model", ... }`,
      );
    }

    // --- MCP servers against the profile ---
    for (const server of props.mcpServers ?? []) {
      const pkg = splitPackageSpec(server.package).name;
      if (!profile.mcpPackages.includes(pkg)) {
        throw new Error(
          `${where} MCP server "${server.name}" runs ${pkg}, which the profile does not allow (${profile.mcpPackages.length > 0 ? profile.mcpPackages.join(', ') : 'none'}); allow it in a custom profile's mcpPackages`,
        );
      }
    }

    const mcpSecretFiles = checkMcpSecretFiles(props, where);

    if (props.dangerouslyShareHost) {
      this.shareHostReason = requireReason(
        props.dangerouslyShareHost,
        `${where} dangerouslyShareHost`,
      );
      weakenings.push({
        id: 'shared-host',
        what: `${name} may share its Docker host although profile ${profile.name} asks for its own`,
        reason: this.shareHostReason,
      });
    }
    checkAwsValue(
      props.hostRoleArn,
      `${where} hostRoleArn`,
      'roleArn',
      'arn:aws:iam::123456789012:role/openclaw-host-1-host',
    );
    checkAwsValue(props.region, `${where} region`, 'region');

    // --- identity: the broker's own role and the agent's secrets ---
    const prefix = this.namePrefix;
    const base = `${prefix}openclaw-${name}`;
    const identity = props.identityScope
      ? new Construct(props.identityScope, base)
      : new Construct(this, 'identity');
    this.brokerRole = new IamRole(identity, 'broker-role', {
      name: `${base}-broker`,
      description: `The ${name} agent's credential broker, assumed from the host's role`,
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'HostAssumesForThisBrokerOnly',
            Effect: 'Allow',
            Principal: { AWS: props.hostRoleArn },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:RoleSessionName': `${base}-broker` } },
          },
        ],
      }),
      tags: { 'openclaw:agent': name, 'openclaw:profile': profile.name },
    });
    this.brokerRole.overrideLogicalId(`${base}-broker-role`);

    const secretCredentials: AgentCredential[] = [
      {
        name: 'gateway-token',
        readers: [props.hostRoleArn],
        ...rotationOf(props.gatewayToken),
      },
      ...props.credentials
        .filter((c) => !c.existingSecret)
        .map((c) => ({
          name: c.name,
          // an MCP server's secret file is written by the host, and the broker never reads it
          ...(mcpSecretFiles.has(c.name) ? { readers: [props.hostRoleArn] } : {}),
          ...rotationOf(c),
          tags: {
            'openclaw:kind': c.kind,
            ...(c.scopes && c.scopes.length > 0 ? { 'openclaw:scopes': c.scopes.join(' ') } : {}),
          },
          ...(c.dangerouslyWidenScopes
            ? {
                suppressions: [
                  {
                    ruleId: 'OC09-MinimalScopes',
                    reason: `scopes widened on purpose: ${c.dangerouslyWidenScopes.reason}`,
                  },
                ],
              }
            : {}),
        })),
    ];
    this.secrets = new AgentSecrets(identity, 'secrets', {
      agent: name,
      namePrefix: prefix,
      region: props.region,
      brokerRoleArn: this.brokerRole.arn,
      credentials: secretCredentials,
    });
    new IamRolePolicyAttachment(identity, 'broker-secrets', {
      role: this.brokerRole.name,
      policyArn: this.secrets.brokerPolicy.arn,
    }).overrideLogicalId(`${base}-broker-secrets`);
    const existing = props.credentials.filter((c) => c.existingSecret);
    if (existing.length > 0) {
      new IamRolePolicy(identity, 'existing-secrets', {
        role: this.brokerRole.id,
        name: 'read-attached-secrets',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadAttachedSecrets',
              Effect: 'Allow',
              Action: ['secretsmanager:GetSecretValue'],
              Resource: existing.map((c) => c.existingSecret!.arn),
            },
            {
              Sid: 'DecryptViaSecretsManager',
              Effect: 'Allow',
              Action: ['kms:Decrypt'],
              Resource: unique(existing.map((c) => c.existingSecret!.kmsKeyArn)),
              Condition: {
                StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` },
              },
            },
          ],
        }),
      }).overrideLogicalId(`${base}-broker-attached-secrets`);
    }

    // --- the cell ---
    const slice = `${base}.slice`;
    const logsTo = (stream: AgentLogStream) =>
      props.auditLogs ? awslogsDriver(props.region, name, stream, prefix) : undefined;
    this.network = new CellNetwork(this, 'network', {
      name: base,
      subnet: this.addresses.subnet,
    });
    this.tailnet = new TailnetAccess(this, 'tailnet', {
      profile: name,
      namePrefix: prefix,
      network: this.network,
      address: this.addresses.sidecar,
      gatewayAddress: this.addresses.gateway,
      tailnetDomain: props.tailnetDomain,
      egressSubnet: this.addresses.sidecarEgressSubnet,
      processLimitSlice: slice,
      logging: logsTo('sidecar'),
      image: props.tailscaleImage,
    });
    const servers = props.mcpServers ?? [];
    // credentials an MCP server calls its API with: brokered on that server's listener only
    const serverUpstreams = mcpServerUpstreams(servers, props.credentials, where, (cred) => ({
      provider: { ...(cred.upstream as CustomUpstream), name: cred.name },
      secretArn: cred.existingSecret?.arn ?? `${prefix}openclaw/${name}/${cred.name}`,
    }));
    const upstreams: BrokerUpstream[] = [];
    const modelRoutes: { name: string; models: readonly ModelEntry[] }[] = [];
    for (const cred of props.credentials) {
      if (serverUpstreams.byCredential.has(cred.name)) continue;
      const secret = cred.existingSecret?.arn ?? `${prefix}openclaw/${name}/${cred.name}`;
      const upstream = cred.upstream ?? (cred.kind === 'model' ? cred.name : undefined);
      if (upstream === undefined) continue;
      let route = cred.name;
      if (upstream === 'anthropic' || upstream === 'openai') {
        upstreams.push({ provider: upstream, secretArn: secret });
        route = upstream;
      } else if (typeof upstream === 'string') {
        throw new Error(
          `${where} credential "${cred.name}" upstream "${upstream}" is not known; use "anthropic", "openai" or a custom upstream`,
        );
      } else {
        if (cred.kind === 'model' && !('api' in upstream && upstream.api)) {
          throw new Error(
            `${where} model credential "${cred.name}" has a custom upstream without an api; give one such as "openai-completions"`,
          );
        }
        upstreams.push({ provider: { ...upstream, name: cred.name }, secretArn: secret });
      }
      if (cred.kind === 'model') modelRoutes.push({ name: route, models: cred.models ?? [] });
    }
    const connectAllowlist = unique([
      ...profile.egressHosts,
      ...props.credentials
        // a credential an MCP server holds (brokered for it, or its secret file) is the server's:
        // its API hosts are not the gateway's to reach (the server declares its own egress)
        .filter((c) => !serverUpstreams.byCredential.has(c.name) && !mcpSecretFiles.has(c.name))
        .flatMap((c) => profile.allowance(c.kind)?.hosts ?? []),
    ]);

    const seen = new Set<string>();
    for (const server of servers) {
      if (seen.has(server.name))
        throw new Error(`${where} lists MCP server "${server.name}" twice; list each server once`);
      seen.add(server.name);
    }
    const subnets = mcpSubnets(
      this.cellIndex,
      servers.map((s) => s.name),
    );
    const mcpContainers: Record<string, McpServerContainer> = {};
    for (const server of servers) {
      mcpContainers[server.name] = new McpServerContainer(this, `mcp-${server.name}`, {
        agent: name,
        namePrefix: this.namePrefix,
        server,
        subnet: subnets.get(server.name)!,
        processLimitSlice: slice,
        logging: logsTo('mcp'),
      });
    }
    this.mcpServers = mcpContainers;
    const secretFiles: HostMcpSecretFile[] = [];
    const mcpSecrets: { secretArn: string; kmsKeyArn: string }[] = [];
    for (const m of Object.values(mcpContainers)) {
      for (const f of m.secretFiles) {
        const cred = mcpSecretFiles.get(f.secret)!;
        secretFiles.push({
          server: m.serverName,
          secret: cred.existingSecret?.arn ?? `${prefix}openclaw/${name}/${cred.name}`,
          file: f.file,
          dir: m.secretsHostPath!,
        });
        mcpSecrets.push(
          cred.existingSecret
            ? { secretArn: cred.existingSecret.arn, kmsKeyArn: cred.existingSecret.kmsKeyArn }
            : { secretArn: this.secrets.secretArn(cred.name), kmsKeyArn: this.secrets.key.arn },
        );
      }
    }
    this.mcpSecrets = mcpSecrets;

    this.broker = new CredentialBroker(this, 'broker', {
      agent: name,
      namePrefix: prefix,
      network: this.network,
      address: this.addresses.broker,
      region: props.region,
      upstreams,
      connectAllowlist,
      egress: { subnet: this.addresses.brokerEgressSubnet, address: this.addresses.brokerEgress },
      processLimitSlice: slice,
      roleArn: this.brokerRole.arn,
      awsCredentialsHostPath: props.awsCredentialsHostPath,
      logging: logsTo('broker'),
      image: props.brokerImage,
      // each MCP server with egress: a listener of its own, on its own network
      mcpListeners: Object.values(mcpContainers)
        .filter((m) => m.brokerAddress !== undefined)
        .map((m) => ({
          server: m.serverName,
          networkName: m.networkName,
          address: m.brokerAddress!,
          serverAddress: m.address,
          upstreams: serverUpstreams.byServer.get(m.serverName) ?? [],
          connectAllowlist: m.egress,
        })),
    });

    const maxProcesses = props.maxProcesses ?? 100;
    this.gateway = new HardenedContainer(this, 'gateway', {
      name: `${base}-gateway`,
      network: this.network,
      ipv4Address: this.addresses.gateway,
      image: props.image,
      servedBy: this.tailnet,
      processLimitSlice: slice,
      maxProcesses,
      ...(props.gatewayCpus !== undefined ? { cpus: props.gatewayCpus } : {}),
      logging: logsTo('gateway'),
      mcpServers: Object.values(mcpContainers),
      gateway: {
        toolsProfile: profile.toolsProfile,
        allowTools: profile.allowTools,
        denyTools: profile.denyTools,
        shell: profile.shell,
        modelProviders: modelRoutes.map((r) => this.broker.modelProvider(r.name, r.models)),
        primaryModel: props.primaryModel,
        ...(connectAllowlist.length > 0 ? { egressProxyUrl: this.broker.proxyUrl } : {}),
      },
      labels: {
        'openclaw.agent': name,
        'openclaw.profile': profile.name,
        'openclaw.credential-kinds': unique(props.credentials.map((c) => c.kind))
          .sort()
          .join(','),
      },
    });

    this.weakenings = [...weakenings, ...this.secrets.weakenings, ...this.gateway.weakenings];
    for (const w of weakenings) this.node.addMetadata(WEAKENING_METADATA, w);
    this.access = { profile: name, allow: props.allow, ...(prefix ? { namePrefix: prefix } : {}) };
    this.hostCell = {
      gateway: `${base}-gateway`,
      gatewayTokenSecret: `${prefix}openclaw/${name}/gateway-token`,
      slice,
      maxProcesses,
      brokerAddress: this.addresses.brokerEgress,
      sidecarStateDir: this.tailnet.stateHostPath,
      cellSubnet: this.addresses.subnet,
      ...(servers.length > 0 ? { mcpSubnet: mcpBlock(this.cellIndex) } : {}),
      ...(secretFiles.length > 0 ? { mcpSecretFiles: secretFiles } : {}),
    };
  }
}

/**
 * The broker upstreams of the agent's MCP servers, by server, from the credentials they name:
 * each such credential has a base URL (a custom or service upstream), is no model key, and
 * serves one server only, so neither the gateway nor another server can call with it.
 */
function mcpServerUpstreams(
  servers: readonly McpServer[],
  credentials: readonly AgentCredentialSpec[],
  where: string,
  upstreamOf: (cred: AgentCredentialSpec) => BrokerUpstream,
): { byServer: Map<string, BrokerUpstream[]>; byCredential: Map<string, string> } {
  const byServer = new Map<string, BrokerUpstream[]>();
  const byCredential = new Map<string, string>();
  for (const server of servers) {
    for (const u of server.upstreams ?? []) {
      const what = `${where} MCP server "${server.name}" upstream "${u.credential}"`;
      const cred = credentials.find((c) => c.name === u.credential);
      if (!cred)
        throw new Error(
          `${what} names no credential of the agent (it has ${credentials.map((c) => c.name).join(', ')}); attach the credential to the agent first`,
        );
      if (cred.kind === 'model')
        throw new Error(
          `${what} is a model credential, which the gateway's model routes hold; give the server a credential of its own kind, such as "code"`,
        );
      if (typeof cred.upstream !== 'object')
        throw new Error(
          `${what} has no upstream; give the credential the API's base URL and auth, such as upstream: { baseUrl: "https://api.github.com", auth: "bearer" }`,
        );
      const other = byCredential.get(cred.name);
      if (other !== undefined)
        throw new Error(
          `${what} is already MCP server "${other}"'s; give each server a credential of its own`,
        );
      byCredential.set(cred.name, server.name);
      byServer.set(server.name, [...(byServer.get(server.name) ?? []), upstreamOf(cred)]);
    }
  }
  return { byServer, byCredential };
}

/**
 * The credentials the agent's MCP servers read from files, by name: each one of the agent's
 * credentials, not brokered (no upstream), and given to one server file only.
 */
function checkMcpSecretFiles(
  props: OpenClawAgentProps,
  where: string,
): Map<string, AgentCredentialSpec> {
  const used = new Map<string, AgentCredentialSpec>();
  for (const server of props.mcpServers ?? []) {
    for (const f of server.secretFiles ?? []) {
      const what = `${where} MCP server "${server.name}" secret file "${f.file}"`;
      const cred = props.credentials.find((c) => c.name === f.secret);
      if (!cred) {
        throw new Error(
          `${what} names credential "${f.secret}", which the agent does not have; add { name: "${f.secret}", kind: ..., scopes: [...] } to its credentials (the secret is then ${props.namePrefix ?? ''}openclaw/<agent>/${f.secret})`,
        );
      }
      if (cred.upstream !== undefined || cred.kind === 'model') {
        throw new Error(
          `${what} names credential "${f.secret}", which the broker injects for its upstream; a secret file hands the real key to the server, so give the server a credential of its own without upstream (or reach the upstream through the broker)`,
        );
      }
      if (used.has(f.secret)) {
        throw new Error(
          `${what} names credential "${f.secret}", which another secret file already holds; give each server its own credential, with only the scopes that server needs`,
        );
      }
      used.set(f.secret, cred);
    }
  }
  return used;
}

function rotationOf(r: CredentialRotation): CredentialRotation {
  return {
    ...(r.rotationLambdaArn ? { rotationLambdaArn: r.rotationLambdaArn } : {}),
    ...(r.rotationRoleArn ? { rotationRoleArn: r.rotationRoleArn } : {}),
    ...(r.rotationDays ? { rotationDays: r.rotationDays } : {}),
    ...(r.dangerouslyNoRotation ? { dangerouslyNoRotation: r.dangerouslyNoRotation } : {}),
  };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
