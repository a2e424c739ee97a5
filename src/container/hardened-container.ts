import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Construct } from 'constructs';
import { escapeTerraformTemplate, terraformName } from '../core/terraform-string';
import { requireReason, Weakening, WeakeningReason, WEAKENING_METADATA } from '../core/weakening';
import { OpenClawConfigProps } from '../openclaw/config';
import { GatewayConfig } from '../openclaw/gateway-config';
import { OPENCLAW_GATEWAY_PORT } from '../openclaw/render-config';
import { OpenClawSecret } from '../openclaw/secret';
import { OPENCLAW_CLI } from '../openclaw/release';
import { BindMount, bindMountProblem, normalizePath } from './bind-mounts';
import { CellNetwork } from './cell-network';
import {
  ImageReference,
  imageReferenceString,
  pinnedOpenClawImage,
  validateImageReference,
} from './image-reference';
import {
  ContainerLogging,
  CPU_LIMIT_LABEL,
  hardenedRuntime,
  nodeHeapOptions,
  validateLogging,
} from './hardening';
import type { TailnetFront } from '../tailnet/tailnet-access';
import { DOCKER_NAME } from '../core/names';

/** Where things live inside the gateway container. */
export const GATEWAY_PATHS = {
  /** The named state volume (the image's home directory, owned by uid 1000). */
  home: '/home/node',
  /** OpenClaw's state directory, inside the state volume. */
  stateDir: '/home/node/.openclaw',
  /** A small tmpfs, owned by the gateway user, where the config is written at each start. */
  runDir: '/run/openclaw',
  /** The config file the gateway reads. */
  configFile: '/run/openclaw/openclaw.json',
  /** Read-only mount of the host directory holding the gateway token file. */
  secretsDir: '/run/secrets/openclaw',
  /** The gateway token file. */
  tokenFile: '/run/secrets/openclaw/gateway-token',
} as const;

/** The gateway config inputs the container does not decide itself. */
export type GatewayOptions = Omit<OpenClawConfigProps, 'gatewayToken' | 'bindAddress' | 'port'>;

/** Props of {@link HardenedContainer}. */
export interface HardenedContainerProps {
  /** Container name on the Docker host, such as `openclaw-research-gateway`. */
  readonly name: string;
  /** The cell's internal network; the gateway joins no other network but its MCP servers' own. */
  readonly network: CellNetwork;
  /** The gateway's static address on the cell network; the gateway listens only there (and on its own loopback). */
  readonly ipv4Address: string;
  /**
   * The gateway's OpenClaw config, without what the container wires itself (token file, bind
   * address, port).
   * @default - the hardened baseline with nothing added
   */
  readonly gateway?: GatewayOptions;
  /**
   * The Tailscale sidecar in front of the gateway (a TailnetAccess). The gateway then trusts
   * exactly that sidecar (`/32`) and accepts the Control UI only from the agent's HTTPS tailnet
   * name; do not also set trustedProxies or controlUiOrigins.
   * @default - no proxy: nothing is trusted and the Control UI follows `gateway`
   */
  readonly servedBy?: TailnetFront;
  /**
   * Host directory holding the `gateway-token` file (mode 0600, owned by uid 1000), mounted
   * read-only. Keep it on a tmpfs: the AgentHost writes it there from Secrets Manager at boot.
   * @default "/run/openclaw/<name>/secrets"
   */
  readonly secretsHostPath?: string;
  /**
   * The image. A version tag is required; a digest pins it.
   * @default - the pinned OpenClaw release (see OPENCLAW_RELEASE)
   */
  readonly image?: ImageReference;
  /**
   * Memory limit in MiB; swap is set equal, so the container cannot swap. The Node heap limit
   * follows (75%).
   * @default 2048
   */
  readonly memoryMiB?: number;
  /**
   * CPU limit.
   * @default 2
   */
  readonly cpus?: number;
  /**
   * The cgroup parent slice that enforces the process limit (`pids.max`). The docker provider has
   * no `pids_limit`, so the limit is enforced by a slice the host creates (AgentHost creates
   * `openclaw-<name>.slice` with `pids.max = maxProcesses`). Without a slice the limit is not
   * enforced and the checklist reports it.
   * @default - none: the process limit is not enforced on this host
   */
  readonly processLimitSlice?: string;
  /**
   * The process limit the slice must enforce, recorded on the container for the host and the checklist.
   * @default 100
   */
  readonly maxProcesses?: number;
  /**
   * Name of an AppArmor profile loaded on the host. `unconfined` is rejected.
   * @default "docker-default"
   */
  readonly apparmorProfile?: string;
  /**
   * Extra bind mounts, read-only unless marked writable with a reason.
   * @default - none
   */
  readonly bindMounts?: readonly BindMount[];
  /**
   * Add Linux capabilities (all are dropped by default). Capabilities that amount to root on the
   * host (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ...) are always rejected.
   * @default - none added
   */
  readonly dangerouslyAddCapabilities?: AddedCapabilities;
  /**
   * Run as another non-root user than 1000:1000.
   * @default - 1000:1000, the image's `node` user
   */
  readonly dangerouslyRunAs?: OtherUser;
  /**
   * A /tmp larger than 100 MiB.
   * @default - 100 MiB
   */
  readonly dangerouslyEnlargeTmpfs?: LargerTmpfs;
  /**
   * Publish container ports on the host's loopback. The gateway port can never be published.
   * @default - nothing published
   */
  readonly dangerouslyPublishPorts?: readonly PublishedPort[];
  /**
   * Docker log driver and options, for the audit trail.
   * @default - json-file, 10 MiB per file, 5 files
   */
  readonly logging?: ContainerLogging;
  /**
   * MCP servers in containers of their own: the gateway joins each server's internal network and
   * reaches it over streamable HTTP; do not also set `gateway.mcpServers`.
   * @default - none
   */
  readonly mcpServers?: readonly McpServerAttachment[];
  /**
   * Extra container labels, such as the agent's profile. Keys under `openclaw.weakening.` and the
   * labels this construct sets itself are refused.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An MCP server's own network, which the gateway joins to reach it (an McpServerContainer). */
export interface McpServerAttachment {
  /** The server name (its tool prefix). */
  readonly serverName: string;
  /** The server's internal network, shared only by the server and this gateway. */
  readonly networkName: string;
  /** The gateway's address on that network. */
  readonly gatewayAddress: string;
  /** Where the gateway reaches the server. */
  readonly url: string;
  /** The only tools exposed from the server. */
  readonly tools?: readonly string[];
  /** The host directory of the server's secret files, which the gateway must never mount. */
  readonly secretsHostPath?: string;
}

/** Capabilities added back, with the reason. */
export interface AddedCapabilities extends WeakeningReason {
  /** Capability names without the `CAP_` prefix, such as `NET_BIND_SERVICE`. */
  readonly capabilities: readonly string[];
}

/** Another non-root user, with the reason. */
export interface OtherUser extends WeakeningReason {
  /** `uid:gid`, both numeric and non-zero. */
  readonly user: string;
}

/** A bigger /tmp, with the reason. */
export interface LargerTmpfs extends WeakeningReason {
  /** Size in MiB, at most 1024. */
  readonly sizeMiB: number;
}

/** A port published on 127.0.0.1 of the host. */
export interface PublishedPort extends WeakeningReason {
  /** Port inside the container. */
  readonly containerPort: number;
  /** Port on the host's loopback. */
  readonly hostPort: number;
}

/** Capabilities that are root-equivalent or break isolation; never added. */
const FORBIDDEN_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'DAC_READ_SEARCH',
  'DAC_OVERRIDE',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'BPF',
  'PERFMON',
  'SYS_TIME',
  'NET_RAW',
  'SETFCAP',
  'SETPCAP',
  'SYSLOG',
  'LINUX_IMMUTABLE',
  'SYS_RESOURCE',
  'AUDIT_CONTROL',
  'SYS_CHROOT',
  'CHECKPOINT_RESTORE',
  'MKNOD',
  'BLOCK_SUSPEND',
  'WAKE_ALARM',
  'SYS_PACCT',
  'SYS_TTY_CONFIG',
  'LEASE',
  'IPC_OWNER',
]);
const KNOWN_CAPABILITIES = new Set([
  ...FORBIDDEN_CAPABILITIES,
  'CHOWN',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'IPC_LOCK',
  'SYS_NICE',
  'AUDIT_WRITE',
  'AUDIT_READ',
]);

/** Container label keys the checklist reads. */
export const CONTAINER_LABELS = {
  role: 'openclaw.role',
  maxProcesses: 'openclaw.max-processes',
  processLimit: 'openclaw.process-limit',
  weakeningPrefix: 'openclaw.weakening.',
} as const;

const DEFAULT_TMPFS_MIB = 100;

/**
 * The OpenClaw gateway as a hardened Docker container, the `docker run` line of the hardening
 * checklist made the default: all capabilities dropped, no-new-privileges, the library's seccomp
 * profile inline, AppArmor, read-only root, a small noexec tmpfs, memory/swap/CPU limits, user
 * 1000:1000, init, a JSON-checking health check, no published ports and only the cell's internal
 * network.
 *
 * The rendered openclaw.json reaches the read-only container through the environment variable
 * `OPENCLAW_CONFIG_JSON` (it holds no secret: the renderer refuses them) and is written at each
 * start, with umask 077, to a tmpfs owned by the gateway user; the token is a file on a read-only
 * mount. See the README for why not `upload`.
 */
export class HardenedContainer extends Construct {
  /** The docker_container resource. */
  public readonly container: Container;
  /** The docker_image resource. */
  public readonly image: Image;
  /** The state volume (the gateway user's home). */
  public readonly stateVolume: Volume;
  /** The gateway config as rendered for this container. */
  public readonly gatewayConfig: GatewayConfig;
  /** Hardened defaults weakened on purpose, with reasons. */
  public readonly weakenings: readonly Weakening[];

  constructor(scope: Construct, id: string, props: HardenedContainerProps) {
    super(scope, id);
    if (!DOCKER_NAME.test(props.name)) {
      throw new Error(
        `container name "${props.name}" is not a Docker container name; use letters, digits, ".", "_" or "-", such as "openclaw-research-gateway"`,
      );
    }
    if (!props.network.contains(props.ipv4Address)) {
      throw new Error(
        `gateway address "${props.ipv4Address}" is not a usable host address in the cell subnet ${props.network.subnet}; pick one such as "${exampleAddress(props.network.subnet)}"`,
      );
    }
    const weakenings: Weakening[] = [];

    const imageRef = props.image ?? pinnedOpenClawImage();
    validateImageReference(imageRef, 'gateway image');

    const memoryMiB = props.memoryMiB ?? 2048;
    if (!Number.isInteger(memoryMiB) || memoryMiB < 1024 || memoryMiB > 65536) {
      throw new Error(
        `memoryMiB ${memoryMiB} is outside 1024-65536; the gateway needs at least 1024 MiB (2048 is the default)`,
      );
    }
    const cpus = props.cpus ?? 2;
    if (!(cpus > 0 && cpus <= 64)) {
      throw new Error(`cpus ${cpus} is outside (0, 64]; give a CPU limit such as 2`);
    }
    const maxProcesses = props.maxProcesses ?? 100;
    if (!Number.isInteger(maxProcesses) || maxProcesses < 32 || maxProcesses > 4096) {
      throw new Error(
        `maxProcesses ${maxProcesses} is outside 32-4096; 100 is the checklist's limit`,
      );
    }
    if (
      props.processLimitSlice !== undefined &&
      !/^[a-zA-Z0-9_.@-]+\.slice$/.test(props.processLimitSlice)
    ) {
      throw new Error(
        `processLimitSlice "${props.processLimitSlice}" is not a systemd slice name; use one ending in ".slice", such as "openclaw-${props.name}.slice"`,
      );
    }

    const apparmor = props.apparmorProfile ?? 'docker-default';
    if (apparmor === 'unconfined' || !/^[A-Za-z0-9_.-]+$/.test(apparmor)) {
      throw new Error(
        `apparmorProfile "${apparmor}" ${apparmor === 'unconfined' ? 'turns AppArmor off' : 'is not a profile name'}; use "docker-default" or a profile loaded on the host, such as "openclaw-gateway"`,
      );
    }

    let user = '1000:1000';
    if (props.dangerouslyRunAs) {
      const reason = requireReason(props.dangerouslyRunAs, 'dangerouslyRunAs');
      const match = /^(\d+):(\d+)$/.exec(props.dangerouslyRunAs.user);
      if (!match) {
        throw new Error(
          `user "${props.dangerouslyRunAs.user}" is not a numeric "uid:gid"; use a non-root pair such as "1000:1000"`,
        );
      }
      if (match[1] === '0' || match[2] === '0') {
        throw new Error(
          `user "${props.dangerouslyRunAs.user}" runs the gateway as root; use a non-root "uid:gid" such as "1000:1000"`,
        );
      }
      user = props.dangerouslyRunAs.user;
      weakenings.push({ id: 'other-user', what: `runs as ${user} instead of 1000:1000`, reason });
    }
    const [uid, gid] = user.split(':');

    let tmpfsMiB = DEFAULT_TMPFS_MIB;
    if (props.dangerouslyEnlargeTmpfs) {
      const reason = requireReason(props.dangerouslyEnlargeTmpfs, 'dangerouslyEnlargeTmpfs');
      const size = props.dangerouslyEnlargeTmpfs.sizeMiB;
      if (!Number.isInteger(size) || size <= DEFAULT_TMPFS_MIB || size > 1024) {
        throw new Error(
          `dangerouslyEnlargeTmpfs.sizeMiB ${size} must be a whole number above ${DEFAULT_TMPFS_MIB} and at most 1024`,
        );
      }
      tmpfsMiB = size;
      weakenings.push({
        id: 'larger-tmpfs',
        what: `/tmp is ${size} MiB instead of ${DEFAULT_TMPFS_MIB}`,
        reason,
      });
    }

    const capAdd: string[] = [];
    if (props.dangerouslyAddCapabilities) {
      const reason = requireReason(props.dangerouslyAddCapabilities, 'dangerouslyAddCapabilities');
      for (const raw of props.dangerouslyAddCapabilities.capabilities) {
        const cap = raw.toUpperCase().replace(/^CAP_/, '');
        if (FORBIDDEN_CAPABILITIES.has(cap)) {
          throw new Error(
            `capability "${raw}" breaks container isolation and is never added; find a way that needs no capability (the gateway needs none)`,
          );
        }
        if (!KNOWN_CAPABILITIES.has(cap)) {
          throw new Error(
            `capability "${raw}" is not a Linux capability; use a name such as "NET_BIND_SERVICE"`,
          );
        }
        capAdd.push(cap);
      }
      if (capAdd.length > 0) {
        weakenings.push({
          id: `added-capabilities:${capAdd.join('+')}`,
          what: `adds ${capAdd.join(', ')}`,
          reason,
        });
      }
    }

    const secretsHostPath = props.secretsHostPath ?? `/run/openclaw/${props.name}/secrets`;
    const mounts: BindMount[] = [
      { hostPath: secretsHostPath, containerPath: GATEWAY_PATHS.secretsDir },
      ...(props.bindMounts ?? []),
    ];
    const targets = new Set<string>();
    const mcpSecrets = (props.mcpServers ?? [])
      .map((m) => m.secretsHostPath)
      .filter((p): p is string => p !== undefined);
    for (const mount of mounts) {
      const problem = bindMountProblem(mount);
      if (problem) throw new Error(problem);
      const host = normalizePath(mount.hostPath);
      const secrets = mcpSecrets.find(
        (d) => host === d || host.startsWith(`${d}/`) || d.startsWith(`${host}/`),
      );
      if (secrets !== undefined) {
        throw new Error(
          `bind mount "${mount.hostPath}" would hand the gateway the MCP server secret files in ${secrets}; only that server's container mounts them, so remove the mount`,
        );
      }
      const target = mount.containerPath.replace(/\/+$/, '') || '/';
      if (targets.has(target)) {
        throw new Error(
          `two bind mounts target "${mount.containerPath}"; give each its own container path`,
        );
      }
      targets.add(target);
      if (mount.dangerouslyWritable) {
        const reason = requireReason(
          mount.dangerouslyWritable,
          `bind mount "${mount.hostPath}" dangerouslyWritable`,
        );
        weakenings.push({
          id: `writable-mount:${mount.containerPath}`,
          what: `${mount.hostPath} is mounted writable at ${mount.containerPath}`,
          reason,
        });
      }
    }

    const ports = props.dangerouslyPublishPorts ?? [];
    for (const port of ports) {
      if (port.containerPort === OPENCLAW_GATEWAY_PORT || port.hostPort === OPENCLAW_GATEWAY_PORT) {
        throw new Error(
          `publishing port ${OPENCLAW_GATEWAY_PORT} is never allowed: the gateway is reached only over the tailnet through the Serve sidecar`,
        );
      }
      for (const p of [port.containerPort, port.hostPort]) {
        if (!Number.isInteger(p) || p < 1 || p > 65535) {
          throw new Error(`published port ${p} is not a TCP port number`);
        }
      }
      const reason = requireReason(port, `published port ${port.containerPort}`);
      weakenings.push({
        id: `published-port:${port.containerPort}`,
        what: `container port ${port.containerPort} published on 127.0.0.1:${port.hostPort}`,
        reason,
      });
    }

    validateLogging(props.logging, 'gateway');

    let gatewayOptions: GatewayOptions = props.gateway ?? {};
    if (props.servedBy) {
      if (
        gatewayOptions.trustedProxies !== undefined ||
        gatewayOptions.controlUiOrigins !== undefined
      ) {
        throw new Error(
          'servedBy wires trustedProxies and controlUiOrigins from the sidecar; remove them from gateway',
        );
      }
      if (props.servedBy.gatewayAddress !== props.ipv4Address) {
        throw new Error(
          `the sidecar proxies to ${props.servedBy.gatewayAddress} but the gateway listens on ${props.ipv4Address}; give TailnetAccess gatewayAddress "${props.ipv4Address}"`,
        );
      }
      gatewayOptions = {
        ...gatewayOptions,
        trustedProxies: [`${props.servedBy.proxyAddress}/32`],
        controlUiOrigins: [props.servedBy.origin],
      };
    }

    const mcp = props.mcpServers ?? [];
    if (mcp.length > 0) {
      if (gatewayOptions.mcpServers !== undefined) {
        throw new Error(
          'mcpServers wires gateway.mcpServers from the server containers; remove gateway.mcpServers',
        );
      }
      gatewayOptions = {
        ...gatewayOptions,
        mcpServers: mcp.map((m) => ({
          name: m.serverName,
          url: m.url,
          ...(m.tools ? { tools: m.tools } : {}),
        })),
      };
    }

    this.gatewayConfig = new GatewayConfig(this, 'config', {
      ...gatewayOptions,
      gatewayToken: OpenClawSecret.fromFile(GATEWAY_PATHS.tokenFile),
      bindAddress: props.ipv4Address,
      port: OPENCLAW_GATEWAY_PORT,
    });
    weakenings.push(...this.gatewayConfig.rendered.weakenings);
    this.weakenings = weakenings;
    for (const w of weakenings) this.node.addMetadata(WEAKENING_METADATA, w);

    this.image = new Image(this, 'image', {
      name: imageReferenceString(imageRef),
      keepLocally: true,
    });
    // Terraform addresses follow the Docker names, so they stay stable and readable
    // (docker_container.openclaw-research-gateway), whatever the construct tree looks like.
    // Overridden before anything references the resource.
    this.image.overrideLogicalId(terraformName(props.name));

    this.stateVolume = new Volume(this, 'state', {
      name: `${props.name}-state`,
      labels: [{ label: CONTAINER_LABELS.role, value: 'gateway-state' }],
    });
    this.stateVolume.overrideLogicalId(terraformName(`${props.name}-state`));

    const labels: Record<string, string> = {
      [CONTAINER_LABELS.role]: 'gateway',
      [CONTAINER_LABELS.maxProcesses]: String(maxProcesses),
      [CPU_LIMIT_LABEL]: String(cpus),
      [CONTAINER_LABELS.processLimit]: props.processLimitSlice
        ? `cgroup-slice:${props.processLimitSlice}`
        : 'unenforced',
    };
    for (const [key, value] of Object.entries(props.labels ?? {})) {
      if (key in labels || key.startsWith(CONTAINER_LABELS.weakeningPrefix)) {
        throw new Error(
          `label "${key}" is set by HardenedContainer; weakenings are recorded only through their dangerously... props`,
        );
      }
      labels[key] = escapeTerraformTemplate(value);
    }
    for (const w of weakenings)
      labels[`${CONTAINER_LABELS.weakeningPrefix}${w.id}`] = escapeTerraformTemplate(w.reason);
    const execApprovals = this.gatewayConfig.rendered.execApprovals;

    const config: ContainerConfig = {
      name: props.name,
      image: this.image.imageId,
      entrypoint: [
        '/bin/sh',
        '-c',
        startScript({ applyExecApprovals: execApprovals !== undefined }),
      ],
      // sh -c takes this as $0; setting it keeps the image's CMD from being appended.
      command: ['openclaw-gateway'],
      env: [
        `OPENCLAW_CONFIG_JSON=${escapeTerraformTemplate(JSON.stringify(this.gatewayConfig.rendered.document))}`,
        ...(execApprovals
          ? [
              `OPENCLAW_EXEC_APPROVALS_JSON=${escapeTerraformTemplate(JSON.stringify(execApprovals))}`,
            ]
          : []),
        `OPENCLAW_CONFIG_PATH=${GATEWAY_PATHS.configFile}`,
        `OPENCLAW_STATE_DIR=${GATEWAY_PATHS.stateDir}`,
        `HOME=${GATEWAY_PATHS.home}`,
        'NODE_ENV=production',
        nodeHeapOptions(memoryMiB),
        'OPENCLAW_DISABLE_BONJOUR=1',
        'OPENCLAW_NIX_MODE=1',
        'OPENCLAW_NO_RESPAWN=1',
        'OPENCLAW_NO_AUTO_UPDATE=1',
        'OPENCLAW_SKIP_GMAIL_WATCHER=1',
        'TZ=UTC',
        ...this.gatewayConfig.rendered.environment,
      ],
      ...hardenedRuntime({
        user,
        memoryMiB,
        cpus,
        addCapabilities: capAdd,
        apparmorProfile: apparmor,
        processLimitSlice: props.processLimitSlice,
        tmpfs: {
          '/tmp': `rw,noexec,nosuid,nodev,size=${tmpfsMiB}m`,
          [GATEWAY_PATHS.runDir]: `rw,noexec,nosuid,nodev,size=1m,uid=${uid},gid=${gid},mode=0700`,
        },
        logDriver: props.logging?.driver,
        logOptions: props.logging ? (props.logging.options ?? {}) : undefined,
      }),
      stopSignal: 'SIGTERM',
      stopTimeout: 30,
      // No network_mode: the provider creates the container, disconnects it from the default
      // bridge and connects only networks_advanced before it starts.
      networksAdvanced: [
        { name: props.network.network.name, ipv4Address: props.ipv4Address },
        ...mcp.map((m) => ({ name: m.networkName, ipv4Address: m.gatewayAddress })),
      ],
      ports: ports.map((p) => ({
        internal: p.containerPort,
        external: p.hostPort,
        ip: '127.0.0.1',
        protocol: 'tcp',
      })),
      mounts: [
        {
          type: 'volume',
          source: this.stateVolume.name,
          target: GATEWAY_PATHS.home,
          readOnly: false,
        },
        ...mounts.map((m) => ({
          type: 'bind',
          source: m.hostPath,
          target: m.containerPath,
          readOnly: m.dangerouslyWritable === undefined,
        })),
      ],
      healthcheck: {
        test: ['CMD', 'node', '-e', healthProbe()],
        interval: '30s',
        timeout: '5s',
        retries: 3,
        startPeriod: '60s',
      },
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
    };
    this.container = new Container(this, 'container', config);

    this.container.overrideLogicalId(terraformName(props.name));
  }
}

/** Where the start script writes the config and what it then runs (overridable for tests). */
export interface StartScriptOptions {
  /** @default "/run/openclaw/openclaw.json" */
  readonly configFile?: string;
  /** @default "node /app/openclaw.mjs" */
  readonly openclaw?: string;
  /** @default "<openclaw> gateway run" */
  readonly command?: string;
  /**
   * Replace OpenClaw's exec approvals (the shell allowlist) with `$OPENCLAW_EXEC_APPROVALS_JSON`
   * before the gateway starts, so approvals a human granted earlier never outlive a restart.
   * @default false
   */
  readonly applyExecApprovals?: boolean;
}

/**
 * The container's entrypoint: write the config (no secret in it) to the tmpfs, apply the shell
 * allowlist to OpenClaw's approvals store (locally, before the gateway runs), then start.
 */
export function startScript(options: StartScriptOptions = {}): string {
  const openclaw = options.openclaw ?? OPENCLAW_CLI;
  return [
    'umask 077',
    `printf '%s' "$OPENCLAW_CONFIG_JSON" > ${options.configFile ?? GATEWAY_PATHS.configFile}`,
    'unset OPENCLAW_CONFIG_JSON',
    ...(options.applyExecApprovals
      ? [
          `printf '%s' "$OPENCLAW_EXEC_APPROVALS_JSON" | ${openclaw} approvals set --stdin --json > /dev/null`,
          'unset OPENCLAW_EXEC_APPROVALS_JSON',
        ]
      : []),
    `exec ${options.command ?? `${openclaw} gateway run`}`,
  ].join(' && ');
}

/** Health probe: passes only when /healthz answers the live JSON body (the UI answers 200 to anything). */
export function healthProbe(): string {
  return `fetch('http://127.0.0.1:${OPENCLAW_GATEWAY_PORT}/healthz').then(r=>r.json()).then(b=>process.exit(b&&b.ok===true&&b.status==='live'?0:1),()=>process.exit(1))`;
}

function exampleAddress(subnet: string): string {
  const [a, b, c] = subnet.split('/')[0].split('.');
  return `${a}.${b}.${c}.10`;
}
