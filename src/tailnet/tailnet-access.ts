import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Construct } from 'constructs';
import { escapeTerraformTemplate, terraformName } from '../core/terraform-string';
import { Weakening } from '../core/weakening';
import { bindMountProblem } from '../container/bind-mounts';
import { CellNetwork } from '../container/cell-network';
import {
  ImageReference,
  imageReferenceString,
  validateImageReference,
} from '../container/image-reference';
import {
  ContainerLogging,
  CPU_LIMIT_LABEL,
  hardenedRuntime,
  validateLogging,
} from '../container/hardening';
import { TailnetKey } from '../generated/tailscale/tailnet-key';
import { isPrivateAddress, parseCidr } from '../openclaw/addresses';
import { OPENCLAW_GATEWAY_PORT } from '../openclaw/render-config';
import { renderServeConfig } from './serve-config';
import { agentTag } from './tailnet-policy-document';
import { checkNamePrefix, HOST_NAME, PROFILE_NAME } from '../core/names';
import { stableOutput } from '../core/outputs';

/** The Tailscale image the sidecar runs: a release tag, never a moving one. */
export const TAILSCALE_IMAGE: ImageReference = {
  repository: 'tailscale/tailscale',
  tag: 'v1.102.3',
};

/** The `openclaw.role` label of the never-started container that delivers the auth key. */
export const KEY_DROP_ROLE = 'tailnet-key-drop';

/** The longest auth key lifetime accepted, in seconds (one day). */
export const MAX_AUTH_KEY_SECONDS = 86_400;

/** Where things live inside the sidecar. */
export const SIDECAR_PATHS = {
  state: '/var/lib/tailscale',
  authKey: '/var/lib/tailscale/authkey',
  runDir: '/run/tailscale',
  serveConfig: '/run/tailscale/serve.json',
} as const;

/** What the gateway needs to know about the proxy in front of it. */
export interface TailnetFront {
  /** The sidecar's address on the cell network (the only trusted proxy). */
  readonly proxyAddress: string;
  /** The agent's HTTPS tailnet origin, such as `https://openclaw-research.tail1234.ts.net`. */
  readonly origin: string;
  /** The gateway address Serve proxies to. */
  readonly gatewayAddress: string;
}

/** Props of {@link TailnetAccess}. */
export interface TailnetAccessProps {
  /** Risk profile name; the node is tagged `tag:openclaw-<profile>`. */
  readonly profile: string;
  /** The cell's internal network, shared with the gateway. */
  readonly network: CellNetwork;
  /** The sidecar's static address on the cell network. */
  readonly address: string;
  /** The gateway's address on the cell network; Serve proxies https:443 to it on 18789. */
  readonly gatewayAddress: string;
  /** The tailnet's DNS suffix, such as `tail1234.ts.net` (Admin console, DNS page). */
  readonly tailnetDomain: string;
  /**
   * The name prefix of the agent's environment, such as `staging-`: the tag is
   * `tag:<prefix>openclaw-<profile>` and the default host name `<prefix>openclaw-<profile>`.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  /**
   * The node's tailnet host name.
   * @default "<namePrefix>openclaw-<profile>"
   */
  readonly hostname?: string;
  /**
   * Host directory for the node state (created by the host, owned by uid 1000, mode 0700). It
   * survives restarts so the single-use key is needed only once.
   * @default "/var/lib/openclaw/<hostname>/tailscale"
   */
  readonly stateHostPath?: string;
  /**
   * Lifetime of the auth key in seconds; it only has to outlive the first start.
   * @default 3600
   */
  readonly authKeyExpirySeconds?: number;
  /**
   * The sidecar image.
   * @default TAILSCALE_IMAGE
   */
  readonly image?: ImageReference;
  /**
   * Subnet of the sidecar's own egress network (to the coordination server and DERP relays).
   * @default "172.31.<n>.0/28"-style block chosen by Docker
   */
  readonly egressSubnet?: string;
  /**
   * The cgroup slice that enforces the sidecar's process limit.
   * @default - not enforced (the checklist reports it)
   */
  readonly processLimitSlice?: string;
  /**
   * Docker log driver and options, for the audit trail (awslogs to the agent's log group).
   * @default - json-file, 10 MiB per file, 5 files
   */
  readonly logging?: ContainerLogging;
}

/**
 * Private access to one agent over the tailnet: a single-use, short-lived, tagged auth key and a
 * Tailscale sidecar in userspace mode (no capability, no /dev/net/tun) that terminates HTTPS on
 * 443 with Serve and proxies to the gateway's internal address on 18789. Funnel is off. The key
 * reaches the sidecar as a file in its state directory (`TS_AUTHKEY=file:...`), written there by
 * a container that is never started, never in any container's environment.
 *
 * Pass it to the gateway's HardenedContainer as `servedBy`: the gateway then trusts exactly this
 * sidecar (`/32`) and accepts the Control UI only from the agent's HTTPS tailnet name.
 */
export class TailnetAccess extends Construct implements TailnetFront {
  public readonly key: TailnetKey;
  public readonly sidecar: Container;
  /**
   * The never-started container that writes the auth key into the sidecar's state directory
   * (see the constructor for why the sidecar cannot take the upload itself).
   */
  public readonly keyDrop: Container;
  public readonly image: Image;
  /** The sidecar's own network with a route out (the gateway never joins it). */
  public readonly egressNetwork: Network;
  public readonly tag: string;
  public readonly hostname: string;
  /** The sidecar's state directory on the host (the host must create it, 0700, uid 1000). */
  public readonly stateHostPath: string;
  public readonly proxyAddress: string;
  public readonly gatewayAddress: string;
  public readonly origin: string;
  public readonly weakenings: readonly Weakening[];

  constructor(scope: Construct, id: string, props: TailnetAccessProps) {
    super(scope, id);
    validateLogging(props.logging, 'sidecar');
    if (!PROFILE_NAME.test(props.profile)) {
      throw new Error(
        `profile "${props.profile}" cannot be part of a tag; use lower-case letters, digits and "-", such as "research"`,
      );
    }
    const prefix = checkNamePrefix(props.namePrefix, 'namePrefix');
    this.tag = agentTag(props.profile, prefix);
    this.hostname = props.hostname ?? `${prefix}openclaw-${props.profile}`;
    if (!HOST_NAME.test(this.hostname)) {
      throw new Error(
        `hostname "${this.hostname}" is not a tailnet host name; use lower-case letters, digits and "-"`,
      );
    }
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.ts\.net$/.test(props.tailnetDomain)) {
      throw new Error(
        `tailnetDomain "${props.tailnetDomain}" is not a tailnet DNS name; copy it from the admin console, such as "tail1234.ts.net"`,
      );
    }
    for (const [what, address] of [
      ['sidecar address', props.address],
      ['gateway address', props.gatewayAddress],
    ] as const) {
      if (!props.network.contains(address)) {
        throw new Error(
          `${what} "${address}" is not a usable host address in the cell subnet ${props.network.subnet}`,
        );
      }
    }
    if (props.address === props.gatewayAddress) {
      throw new Error(
        `the sidecar and the gateway both use ${props.address}; give each its own address`,
      );
    }
    const expiry = props.authKeyExpirySeconds ?? 3600;
    if (!Number.isInteger(expiry) || expiry < 300 || expiry > MAX_AUTH_KEY_SECONDS) {
      throw new Error(
        `authKeyExpirySeconds ${expiry} is outside 300-${MAX_AUTH_KEY_SECONDS}; the key only has to outlive the first start (3600 is the default)`,
      );
    }
    const imageRef = props.image ?? TAILSCALE_IMAGE;
    validateImageReference(imageRef, 'sidecar image');
    if (imageRef.tag === 'stable' || imageRef.tag === 'unstable') {
      throw new Error(
        `sidecar image tag "${imageRef.tag}" moves; pin a release such as "${TAILSCALE_IMAGE.tag}"`,
      );
    }
    if (props.egressSubnet !== undefined) {
      const parsed = parseCidr(props.egressSubnet);
      if (!parsed || parsed.family !== 4 || !isPrivateAddress(parsed.address)) {
        throw new Error(
          `egressSubnet "${props.egressSubnet}" must be a private IPv4 block, such as "172.31.0.0/28"`,
        );
      }
    }
    const statePath = props.stateHostPath ?? `/var/lib/openclaw/${this.hostname}/tailscale`;
    this.stateHostPath = statePath;
    const problem = bindMountProblem({ hostPath: statePath, containerPath: SIDECAR_PATHS.state });
    if (problem) throw new Error(problem);

    this.proxyAddress = props.address;
    this.gatewayAddress = props.gatewayAddress;
    this.origin = `https://${this.hostname}.${props.tailnetDomain}`;
    const stateReason =
      'Tailscale keeps the node key here so the single-use auth key is needed only once';
    this.weakenings = [
      {
        id: `writable-mount:${SIDECAR_PATHS.state}`,
        what: `${statePath} is mounted writable at ${SIDECAR_PATHS.state}`,
        reason: stateReason,
      },
    ];

    this.key = new TailnetKey(this, 'key', {
      description: `openclaw ${props.profile}`.slice(0, 50),
      reusable: false,
      ephemeral: false,
      preauthorized: true,
      expiry,
      tags: [this.tag],
    });
    this.key.overrideLogicalId(terraformName(this.hostname));

    this.image = new Image(this, 'image', {
      name: imageReferenceString(imageRef),
      keepLocally: true,
    });
    this.image.overrideLogicalId(terraformName(`${this.hostname}-tailscale`));

    this.egressNetwork = new Network(this, 'egress', {
      name: `${this.hostname}-tailnet`,
      driver: 'bridge',
      internal: false,
      attachable: false,
      ...(props.egressSubnet ? { ipamConfig: [{ subnet: props.egressSubnet }] } : {}),
      labels: [{ label: 'openclaw.role', value: 'tailnet-egress' }],
    });
    this.egressNetwork.overrideLogicalId(terraformName(`${this.hostname}-tailnet`));

    const serve = renderServeConfig(`http://${props.gatewayAddress}:${OPENCLAW_GATEWAY_PORT}`);
    const runtime = {
      user: '1000:1000',
      memoryMiB: 256,
      cpus: 0.5,
      processLimitSlice: props.processLimitSlice,
      tmpfs: {
        '/tmp': 'rw,noexec,nosuid,nodev,size=16m',
        [SIDECAR_PATHS.runDir]: 'rw,noexec,nosuid,nodev,size=1m,uid=1000,gid=1000,mode=0700',
      },
      logDriver: props.logging?.driver,
      logOptions: props.logging ? (props.logging.options ?? {}) : undefined,
    };
    const stateMount = {
      type: 'bind',
      source: statePath,
      target: SIDECAR_PATHS.state,
      readOnly: false,
    };

    // The auth key cannot be uploaded into the sidecar: the provider uploads every file as an
    // archive at "/", which the engine refuses for a read-only root ("container rootfs is marked
    // read-only"), and env, labels and command all show in `docker inspect`. So a container that
    // is created but never started (no network, nothing to run) takes the upload: the engine
    // extracts it through that container's mount of the sidecar's state directory, so the key
    // lands on the host in the sidecar's 0700 state directory, outside every container's config.
    this.keyDrop = new Container(this, 'key-drop', {
      name: `${this.hostname}-tailscale-key`,
      image: this.image.imageId,
      // never started, so nothing to log: json-file, not the agent's log group
      ...hardenedRuntime({ ...runtime, logDriver: undefined, logOptions: undefined }),
      readOnly: false,
      start: false,
      mustRun: false,
      restart: 'no',
      networkMode: 'none',
      entrypoint: ['/bin/false'],
      mounts: [stateMount],
      upload: [{ file: SIDECAR_PATHS.authKey, content: this.key.key, permissions: '0444' }],
      labels: [
        { label: 'openclaw.role', value: KEY_DROP_ROLE },
        { label: 'openclaw.max-processes', value: '100' },
        { label: CPU_LIMIT_LABEL, value: '0.5' },
        { label: `openclaw.weakening.writable-mount:${SIDECAR_PATHS.state}`, value: stateReason },
      ],
    });
    this.keyDrop.overrideLogicalId(terraformName(`${this.hostname}-tailscale-key`));

    this.sidecar = new Container(this, 'sidecar', {
      name: `${this.hostname}-tailscale`,
      image: this.image.imageId,
      entrypoint: ['/bin/sh', '-c', sidecarStartScript()],
      command: ['tailscale-sidecar'],
      env: [
        'TS_USERSPACE=true',
        `TS_STATE_DIR=${SIDECAR_PATHS.state}`,
        'TS_AUTH_ONCE=true',
        `TS_AUTHKEY=file:${SIDECAR_PATHS.authKey}`,
        `TS_HOSTNAME=${this.hostname}`,
        'TS_ACCEPT_DNS=false',
        `TS_EXTRA_ARGS=--advertise-tags=${this.tag}`,
        `TS_SERVE_CONFIG=${SIDECAR_PATHS.serveConfig}`,
        `TS_SERVE_CONFIG_JSON=${escapeTerraformTemplate(JSON.stringify(serve))}`,
        'TS_SOCKET=/tmp/tailscaled.sock',
        'TS_ENABLE_HEALTH_CHECK=true',
        'TS_LOCAL_ADDR_PORT=127.0.0.1:9002',
      ],
      ...hardenedRuntime(runtime),
      networksAdvanced: [
        { name: props.network.network.name, ipv4Address: props.address },
        { name: this.egressNetwork.name },
      ],
      mounts: [stateMount],
      healthcheck: {
        test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9002/healthz'],
        interval: '30s',
        timeout: '5s',
        retries: 3,
        startPeriod: '30s',
      },
      labels: [
        { label: 'openclaw.role', value: 'tailnet-sidecar' },
        { label: 'openclaw.serves', value: props.gatewayAddress },
        { label: 'openclaw.max-processes', value: '100' },
        { label: CPU_LIMIT_LABEL, value: '0.5' },
        { label: `openclaw.weakening.writable-mount:${SIDECAR_PATHS.state}`, value: stateReason },
      ],
      dependsOn: [this.keyDrop],
    });
    this.sidecar.overrideLogicalId(terraformName(`${this.hostname}-tailscale`));
    stableOutput(
      this,
      `${this.hostname}-tailnet-name`,
      `${this.hostname}.${props.tailnetDomain}`,
      `Where the ${props.profile} agent answers on the tailnet (https, port 443)`,
    );
  }
}

/** The sidecar entrypoint: write the Serve config to its tmpfs, then run containerboot. */
export function sidecarStartScript(): string {
  return [
    'umask 077',
    `printf '%s' "$TS_SERVE_CONFIG_JSON" > ${SIDECAR_PATHS.serveConfig}`,
    'unset TS_SERVE_CONFIG_JSON',
    'exec /usr/local/bin/containerboot',
  ].join(' && ');
}
