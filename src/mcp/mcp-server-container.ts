import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Construct } from 'constructs';
import { escapeTerraformTemplate, terraformName } from '../core/terraform-string';
import { checkNamePrefix } from '../core/names';
import {
  ContainerLogging,
  CPU_LIMIT_LABEL,
  COMPANION_MEMORY_MIB,
  companionRuntime,
  nodeHeapOptions,
  validateLogging,
} from '../container/hardening';
import { isPrivateAddress, parseCidr } from '../openclaw/addresses';
import { BROKER_NODE_VERSION, NODE_VERSION_LABEL } from '../openclaw/release';
import {
  MCP_BRIDGE_PORT,
  MCP_STATE_DIR,
  mcpBuildContext,
  mcpBuildFiles,
  mcpBuildHash,
} from './mcp-image';
import {
  MCP_SECRETS_DIR,
  McpSecretFile,
  McpServer,
  mcpSecretsHostPath,
  validateMcpServer,
} from './mcp-server';
import {
  hasEgress,
  MCP_EGRESS_LABEL,
  MCP_UPSTREAMS_LABEL,
  mcpEgressEnv,
  McpUpstream,
} from './mcp-egress';
import { BROKER_PORT } from '../broker/credential-broker';
import type { McpServerAttachment } from '../container/hardened-container';

/** The container role label of an MCP server. */
export const MCP_SERVER_ROLE = 'mcp-server';
/** The label naming the MCP server a container or network belongs to. */
export const MCP_SERVER_LABEL = 'openclaw.mcp-server';
/** The network role label of an MCP server's own network. */
export const MCP_NETWORK_ROLE = 'mcp-network';

/** Props of {@link McpServerContainer}. */
export interface McpServerContainerProps {
  /** The agent the server belongs to. */
  readonly agent: string;
  /**
   * The name prefix of the agent's environment (OpenClawAgent `namePrefix`): the container,
   * network and volume are `<prefix>openclaw-<agent>-mcp-<server>`.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  /** The server. */
  readonly server: McpServer;
  /**
   * The server's own network: a private IPv4 /29 (or smaller block) that only the server and the
   * agent's gateway join; the gateway takes its second host address, the server its third.
   */
  readonly subnet: string;
  /**
   * The cgroup slice that enforces the process limit (the cell's).
   * @default - not enforced (the checklist reports it)
   */
  readonly processLimitSlice?: string;
  /**
   * Docker log driver and options.
   * @default - json-file, 10 MiB per file, 5 files
   */
  readonly logging?: ContainerLogging;
}

/**
 * One MCP server of one agent, in a hardened container of its own: every capability dropped,
 * no-new-privileges, the library's seccomp profile, read-only root, uid 1000, limits and logs, as
 * every cell container. The image is built on the Docker host from the exact package pinned with
 * its integrity, with a small bridge on the official MCP SDK that serves the stdio server over
 * streamable HTTP. Its network is internal and has two members: the server and the gateway, which
 * reaches it at {@link McpServerContainer.url}; a server that declares `egress` or `upstreams`
 * has a third, the agent's broker at {@link McpServerContainer.brokerAddress}, with a listener of
 * this server alone, its only way out. The gateway never starts the server itself.
 */
export class McpServerContainer extends Construct implements McpServerAttachment {
  public readonly name: string;
  public readonly serverName: string;
  public readonly networkName: string;
  public readonly network: Network;
  public readonly image: Image;
  public readonly container: Container;
  public readonly stateVolume: Volume;
  /** The server's address on its network. */
  public readonly address: string;
  /** The gateway's address on the server's network. */
  public readonly gatewayAddress: string;
  /** The subnet of the server's network. */
  public readonly subnet: string;
  /** Where the gateway reaches the server (streamable HTTP). */
  public readonly url: string;
  /** The server's tool filter, for the gateway config. */
  public readonly tools?: readonly string[];
  /**
   * The broker's address on the server's network (the block's fourth host address), when the
   * server declares egress or upstreams: the agent's broker joins the network there with a
   * listener of this server's own. Undefined for a server that reaches nothing but its gateway.
   */
  public readonly brokerAddress?: string;
  /** The host:port pairs the server declared (its broker listener's CONNECT allowlist). */
  public readonly egress: readonly string[];
  /** The APIs the server calls through its broker listener. */
  public readonly upstreams: readonly McpUpstream[];
  /**
   * The host directory of the server's secret files, mounted read-only at `/run/secrets/mcp`
   * into this container only; unset when the server has none.
   */
  public readonly secretsHostPath?: string;
  /** The server's secret files, as given. */
  public readonly secretFiles: readonly McpSecretFile[];

  constructor(scope: Construct, id: string, props: McpServerContainerProps) {
    super(scope, id);
    const where = `agent "${props.agent}"`;
    const validated = validateMcpServer(props.server, where);
    validateLogging(props.logging, `MCP server "${props.server.name}"`);
    const subnet = parseCidr(props.subnet);
    if (
      !subnet ||
      subnet.family !== 4 ||
      !isPrivateAddress(subnet.address) ||
      subnet.prefixLength < 24 ||
      subnet.prefixLength > 29
    ) {
      throw new Error(
        `${where} MCP server "${props.server.name}" subnet "${props.subnet}" must be a private IPv4 block from /24 to /29, such as "172.28.0.0/29"`,
      );
    }
    const octets = subnet.address.split('.').map(Number);
    const size = 2 ** (32 - subnet.prefixLength);
    const first = Math.floor(octets[3] / size) * size; // the block's network address
    const at = (offset: number) => [...octets.slice(0, 3), first + offset].join('.');
    this.subnet = props.subnet;
    this.gatewayAddress = at(2);
    this.address = at(3);
    this.name = `${checkNamePrefix(props.namePrefix, `${where} namePrefix`)}openclaw-${props.agent}-mcp-${props.server.name}`;
    this.serverName = props.server.name;
    this.url = `http://${this.address}:${MCP_BRIDGE_PORT}/mcp`;
    this.tools = props.server.tools;
    this.egress = [...(props.server.egress ?? [])];
    this.upstreams = [...(props.server.upstreams ?? [])];
    // a server with egress shares its network with one more member: the broker, at .4
    if (hasEgress(props.server)) this.brokerAddress = at(4);
    const egressEnv = this.brokerAddress
      ? mcpEgressEnv(`http://${this.brokerAddress}:${BROKER_PORT}`, props.server)
      : [];
    this.secretFiles = props.server.secretFiles ?? [];
    if (this.secretFiles.length > 0) this.secretsHostPath = mcpSecretsHostPath(this.name);

    this.network = new Network(this, 'network', {
      name: this.name,
      driver: 'bridge',
      internal: true,
      attachable: false,
      ipamConfig: [{ subnet: props.subnet }],
      options: {
        'com.docker.network.bridge.enable_ip_masquerade': 'false',
        'com.docker.network.bridge.enable_icc': 'true',
      },
      labels: [
        { label: 'openclaw.role', value: MCP_NETWORK_ROLE },
        { label: MCP_SERVER_LABEL, value: props.server.name },
        { label: 'openclaw.agent', value: props.agent },
      ],
    });
    this.network.overrideLogicalId(terraformName(this.name));
    // a reference, so Terraform creates the network before the gateway joins it
    this.networkName = this.network.name;

    const files = mcpBuildFiles(validated);
    const tag = `cdktf-openclaw/mcp-${props.server.name}:${validated.pin.version}-${mcpBuildHash(files).slice(0, 12)}`;
    this.image = new Image(this, 'image', {
      name: tag,
      keepLocally: true,
      buildAttribute: {
        context: mcpBuildContext(this, files),
        tag: [tag],
        label: {
          [NODE_VERSION_LABEL]: BROKER_NODE_VERSION,
          'openclaw.mcp-package': validated.pin.spec,
        },
      },
    });
    this.image.overrideLogicalId(terraformName(this.name));
    if (validated.lockfile !== undefined) {
      // content-pinned instead of digest-pinned: the finding's concern (a re-pushed tag) does not
      // apply to bytes npm ci checks one by one; the reason shows in every checklist report
      this.image.addOverride('//.openclaw_checklist.suppressions', [
        {
          ruleId: 'OC13-ImageDigest',
          reason: `built on the Docker host from ${validated.pin.spec}'s lockfile, every package checked by its sha512 integrity (npm ci), on node:${BROKER_NODE_VERSION}-bookworm-slim; a local build has no registry digest`,
        },
      ]);
    }

    this.stateVolume = new Volume(this, 'state', {
      name: `${this.name}-state`,
      labels: [{ label: 'openclaw.role', value: 'mcp-state' }],
    });
    this.stateVolume.overrideLogicalId(terraformName(`${this.name}-state`));

    this.container = new Container(this, 'container', {
      name: this.name,
      image: this.image.imageId,
      env: [
        ...Object.entries(props.server.env ?? {}).map(
          ([k, v]) => `${k}=${escapeTerraformTemplate(v)}`,
        ),
        ...egressEnv,
        `MCP_BRIDGE_HOST=${this.address}:${MCP_BRIDGE_PORT}`,
        `HOME=${MCP_STATE_DIR}`,
        'NODE_ENV=production',
        nodeHeapOptions(COMPANION_MEMORY_MIB),
      ],
      ...companionRuntime(props.processLimitSlice, props.logging),
      networksAdvanced: [{ name: this.networkName, ipv4Address: this.address }],
      mounts: [
        { type: 'volume', source: this.stateVolume.name, target: MCP_STATE_DIR, readOnly: false },
        // the server's credentials: read-only, in this container only (never the gateway's)
        ...(this.secretsHostPath
          ? [
              {
                type: 'bind',
                source: this.secretsHostPath,
                target: MCP_SECRETS_DIR,
                readOnly: true,
              },
            ]
          : []),
      ],
      healthcheck: {
        test: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${MCP_BRIDGE_PORT}/healthz').then(r=>r.json()).then(b=>process.exit(b&&b.ok===true?0:1),()=>process.exit(1))`,
        ],
        interval: '30s',
        timeout: '5s',
        retries: 3,
        startPeriod: '20s',
      },
      labels: [
        { label: 'openclaw.role', value: MCP_SERVER_ROLE },
        { label: MCP_SERVER_LABEL, value: props.server.name },
        { label: 'openclaw.agent', value: props.agent },
        { label: 'openclaw.max-processes', value: '100' },
        { label: CPU_LIMIT_LABEL, value: '0.5' },
        // what the server declared, for the checklist to hold its broker listener to
        ...(this.brokerAddress
          ? [
              { label: MCP_EGRESS_LABEL, value: [...this.egress].sort().join(',') },
              {
                label: MCP_UPSTREAMS_LABEL,
                value: this.upstreams
                  .map((u) => u.credential)
                  .sort()
                  .join(','),
              },
            ]
          : []),
      ],
    });
    this.container.overrideLogicalId(terraformName(this.name));
  }
}

/**
 * The /29 blocks of a cell's MCP servers inside `172.28.<cell>.0/24`: each server's block from
 * its name alone (FNV-1a, then the next free block on a collision, in name order), so adding or
 * reordering servers moves no other server unless two names collide.
 */
export function mcpSubnets(cellIndex: number, names: readonly string[]): Map<string, string> {
  const taken = new Map<number, string>();
  const out = new Map<string, string>();
  if (names.length > 32)
    throw new Error(`at most 32 MCP servers fit one cell; ${names.length} given`);
  for (const name of [...names].sort()) {
    let slot = fnv(name) % 32;
    while (taken.has(slot)) slot = (slot + 1) % 32;
    taken.set(slot, name);
    out.set(name, `172.28.${cellIndex}.${slot * 8}/29`);
  }
  return out;
}

/** The block of all of a cell's MCP networks (the host firewall drops it toward the host). */
export function mcpBlock(cellIndex: number): string {
  return `172.28.${cellIndex}.0/24`;
}

function fnv(name: string): number {
  let hash = 0x811c9dc5;
  for (const ch of Buffer.from(name, 'utf8')) {
    hash ^= ch;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
