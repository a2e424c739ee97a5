import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { escapeTerraformTemplate, terraformName } from '../core/terraform-string';
import { bindMountProblem } from '../container/bind-mounts';
import { CellNetwork, hostIndex } from '../container/cell-network';
import { isPrivateAddress, parseCidr } from '../openclaw/addresses';
import {
  ContainerLogging,
  BROKER_MEMORY_MIB,
  companionRuntime,
  CPU_LIMIT_LABEL,
  nodeHeapOptions,
  validateLogging,
} from '../container/hardening';
import { BrokerConfig, validateBrokerConfig } from '../../broker/src/config';
import { ModelApi, ModelProvider } from '../openclaw/config';
import { checkAwsValue } from '../core/aws-values';
import { checkNamePrefix, PROFILE_NAME } from '../core/names';
import { packageFolder } from '../core/package-folder';
import { brokerBuildContext } from './broker-source';
import {
  ImageReference,
  imageReferenceString,
  validateImageReference,
} from '../container/image-reference';
import { requireReason, WeakeningReason, WEAKENING_METADATA } from '../core/weakening';
import { publicHostPortProblem, splitHostPort } from '../../broker/src/connect-policy';
import { isIpv4 } from '../openclaw/addresses';
import { BROKER_NODE_VERSION, NODE_VERSION_LABEL } from '../openclaw/release';

/** The port the broker listens on inside the cell. */
export const BROKER_PORT = 8080;

/** An upstream the broker may reach, and the secret that holds its key. */
export interface BrokerUpstream {
  /** A known provider, or a custom upstream. */
  readonly provider: 'anthropic' | 'openai' | CustomUpstream;
  /** ARN (or name) of the Secrets Manager secret holding the key, such as AgentSecrets.secretArn('anthropic'). */
  readonly secretArn: string;
  /**
   * Requests per minute.
   * @default 120
   */
  readonly requestsPerMinute?: number;
}

/** An upstream that is not one of the known providers. */
export interface CustomUpstream {
  readonly name: string;
  /** https base URL. */
  readonly baseUrl: string;
  /** `bearer`, or the header that carries the key. */
  readonly auth: 'bearer' | { readonly header: string };
  /**
   * Methods the broker forwards to it (TRACE, TRACK and CONNECT never).
   * @default - GET, HEAD, POST, PUT, PATCH, DELETE
   */
  readonly methods?: readonly string[];
  /**
   * Request headers forwarded besides the defaults (content-type, accept, user-agent and the
   * model APIs' own, such as anthropic-version); credential headers cannot be listed.
   * @default - the defaults only
   */
  readonly forwardHeaders?: readonly string[];
  /**
   * The OpenClaw wire protocol, for a model provider; other APIs (GitHub, search) have none.
   * @default - not a model provider: modelProvider() refuses it
   */
  readonly api?: ModelApi;
}

const KNOWN = {
  anthropic: {
    name: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    auth: { kind: 'header', header: 'x-api-key' },
    api: 'anthropic-messages',
    methods: ['GET', 'POST', 'DELETE'],
  },
  openai: {
    name: 'openai',
    baseUrl: 'https://api.openai.com',
    auth: { kind: 'bearer' },
    api: 'openai-responses',
    methods: ['GET', 'POST', 'DELETE'],
  },
} as const;

/**
 * A listener of the broker for one MCP server that needs egress: the broker joins the server's
 * network at `address` and serves there only that server's upstreams and CONNECT targets.
 */
export interface McpBrokerListener {
  /** The MCP server's name: every line the listener logs carries it as `mcpServer`. */
  readonly server: string;
  /** The server's network (its name, or a reference to it, so it is created first). */
  readonly networkName: string;
  /** The broker's address on that network (McpServerContainer `brokerAddress`). */
  readonly address: string;
  /** The server's own address there: the only client the listener serves (not the gateway). */
  readonly serverAddress: string;
  /**
   * The APIs the server calls with a key the broker injects.
   * @default - none
   */
  readonly upstreams?: readonly BrokerUpstream[];
  /**
   * Exact public host:port pairs the server may tunnel to (what it declared as egress).
   * @default - none
   */
  readonly connectAllowlist?: readonly string[];
}

/** Props of {@link CredentialBroker}. */
export interface CredentialBrokerProps {
  readonly agent: string;
  /**
   * The name prefix of the agent's environment: the container is `<prefix>openclaw-<agent>-broker`.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
  /** The cell network the gateway is on. */
  readonly network: CellNetwork;
  /** The broker's static address on the cell network. */
  readonly address: string;
  readonly upstreams: readonly BrokerUpstream[];
  /** AWS region of the secrets. */
  readonly region: string;
  /**
   * host:port pairs the gateway may tunnel to (channels), exact only.
   * @default - none
   */
  readonly connectAllowlist?: readonly string[];
  /**
   * CONNECT targets that are IP addresses outside the public internet (private, loopback,
   * link-local), as exact `ip:port`, with the reason. A granted name never reaches such an
   * address; only an IP listed here does. Recorded as a weakening in the checklist report.
   * @default - none: every tunnel goes to a public address
   */
  readonly dangerouslyAllowPrivateConnectTargets?: {
    readonly targets: readonly string[];
  } & WeakeningReason;
  /**
   * On a Docker host without an instance role: a host file with AWS credentials for the broker's
   * identity, mounted read-only into the broker only. On an AgentHost the broker uses the
   * instance role and no other container can reach the metadata service.
   * @default - the instance role
   */
  readonly awsCredentialsHostPath?: string;
  /**
   * The broker's egress network subnet and its fixed address there. On an AgentHost, give both
   * and list the address as the cell's brokerAddress: the host firewall lets only that address
   * reach the metadata service (the broker's AWS traffic leaves through this network).
   * @default - Docker picks the subnet and address
   */
  readonly egress?: { readonly subnet: string; readonly address: string };
  /**
   * The cgroup slice that enforces the process limit.
   * @default - not enforced (the checklist reports it)
   */
  readonly processLimitSlice?: string;
  /**
   * The broker's own IAM role, assumed from the host's credentials (the instance role, or
   * awsCredentialsHostPath), so each agent's secret reads carry its own identity.
   * @default - the host's credentials are used as they are
   */
  readonly roleArn?: string;
  /**
   * Docker log driver and options, for the audit trail (awslogs to the agent's log group).
   * @default - json-file, 10 MiB per file, 5 files
   */
  readonly logging?: ContainerLogging;
  /**
   * Listeners of the agent's MCP servers that need egress, one each on the server's own network.
   * The main listener is then bound to the cell network address only, so no server reaches the
   * cell's routes.
   * @default - none: the broker joins no MCP network
   */
  readonly mcpListeners?: readonly McpBrokerListener[];
  /**
   * A prebuilt broker image, pulled instead of built on the host: build this package's `broker/`
   * folder, push the image to your registry and give its digest, so the image is pinned (the
   * checklist's OC13-ImageDigest) and every host runs the same bytes.
   * @default - built on the Docker host from this package's `broker/` sources and tagged with
   *   the package version; a local build has no registry digest, so the checklist reports it
   */
  readonly image?: ImageReference;
}

/**
 * The credential broker of one cell, built on the Docker host from this package's `broker/`
 * folder and run hardened like the gateway. It is the only member of the cell with a route out
 * (its own egress network), and the only holder of the cell's API keys.
 */
export class CredentialBroker extends Construct {
  public readonly image: Image;
  public readonly container: Container;
  public readonly egressNetwork: Network;
  public readonly address: string;
  /** The broker's fixed address on its egress network, when given. */
  public readonly egressAddress?: string;
  private readonly routes: { name: string; api?: ModelApi }[];

  constructor(scope: Construct, id: string, props: CredentialBrokerProps) {
    super(scope, id);
    validateLogging(props.logging, 'broker');
    if (!PROFILE_NAME.test(props.agent))
      throw new Error(`agent "${props.agent}" must be lower-case letters, digits and "-"`);
    if (!props.network.contains(props.address)) {
      throw new Error(
        `broker address "${props.address}" is not a usable host address in the cell subnet ${props.network.subnet}`,
      );
    }
    if (props.upstreams.length === 0) throw new Error('the broker needs at least one upstream');
    if (props.roleArn !== undefined) checkAwsValue(props.roleArn, 'broker roleArn', 'roleArn');
    checkAwsValue(props.region, 'broker region', 'region');
    this.address = props.address;
    // the same rule as a profile's egress hosts, so a broker built by hand is held to it too
    checkConnectTargets(props.connectAllowlist ?? [], '');
    for (const l of props.mcpListeners ?? []) {
      checkConnectTargets(l.connectAllowlist ?? [], `MCP server "${l.server}" `);
      for (const [what, address] of [
        ['address', l.address],
        ['serverAddress', l.serverAddress],
      ] as const)
        if (!isIpv4(address))
          throw new Error(
            `MCP server "${l.server}" listener ${what} "${address}" must be one IPv4 address on the server's network, such as "172.28.0.4"`,
          );
    }
    const privateTargets = props.dangerouslyAllowPrivateConnectTargets;
    if (privateTargets) {
      const reason = requireReason(privateTargets, 'dangerouslyAllowPrivateConnectTargets');
      for (const hp of privateTargets.targets) {
        const parts = splitHostPort(hp);
        if (!parts || !isIpv4(parts.host))
          throw new Error(
            `private CONNECT target "${hp}" must be an exact IPv4 address and TCP port, such as "10.0.0.5:443"`,
          );
      }
      this.node.addMetadata(WEAKENING_METADATA, {
        id: 'broker-private-connect-targets',
        what: `CONNECT tunnels to non-public addresses ${privateTargets.targets.join(', ')}`,
        reason,
      });
    }
    const upstreams = props.upstreams.map(brokerUpstream);
    this.routes = upstreams.map((u) => ({ name: u.name, api: u.api }));
    const listeners = props.mcpListeners ?? [];
    const config = {
      agent: props.agent,
      // with MCP listeners, the main one is bound to the cell network only
      listen: { host: listeners.length > 0 ? props.address : '0.0.0.0', port: BROKER_PORT },
      upstreams: upstreams.map(upstreamConfig),
      connectAllowlist: [...(props.connectAllowlist ?? [])],
      ...(privateTargets ? { connectPrivateTargets: [...privateTargets.targets] } : {}),
      secretTtlSeconds: 300,
      ...(listeners.length > 0
        ? {
            listeners: listeners.map((l) => ({
              name: l.server,
              listen: { host: l.address, port: BROKER_PORT },
              upstreams: (l.upstreams ?? []).map(brokerUpstream).map(upstreamConfig),
              connectAllowlist: [...(l.connectAllowlist ?? [])],
              clients: [l.serverAddress],
            })),
          }
        : {}),
    };
    // the broker's own validation, at synth time, so bad input fails here and not at start
    validateBrokerConfig(config as BrokerConfig);
    const healthHost = config.listen.host === '0.0.0.0' ? '127.0.0.1' : config.listen.host;

    const mounts: { type: string; source: string; target: string; readOnly: boolean }[] = [];
    const env = [
      `BROKER_CONFIG=${escapeTerraformTemplate(JSON.stringify(config))}`,
      `AWS_REGION=${props.region}`,
      ...(props.roleArn ? [`BROKER_ROLE_ARN=${props.roleArn}`] : []),
      'NODE_ENV=production',
      nodeHeapOptions(BROKER_MEMORY_MIB),
    ];
    if (props.awsCredentialsHostPath) {
      const problem = bindMountProblem({
        hostPath: props.awsCredentialsHostPath,
        containerPath: '/run/aws/credentials',
      });
      if (problem) throw new Error(problem);
      mounts.push({
        type: 'bind',
        source: props.awsCredentialsHostPath,
        target: '/run/aws/credentials',
        readOnly: true,
      });
      env.push('AWS_SHARED_CREDENTIALS_FILE=/run/aws/credentials');
    }

    const name = `${checkNamePrefix(props.namePrefix, 'namePrefix')}openclaw-${props.agent}-broker`;
    if (props.image) validateImageReference(props.image, 'broker image');
    this.image = props.image
      ? new Image(this, 'image', { name: imageReferenceString(props.image), keepLocally: true })
      : new Image(this, 'image', {
          name: `cdktf-openclaw/credential-broker:${packageVersion()}`,
          keepLocally: true,
          buildAttribute: {
            context: brokerBuildContext(this, brokerSourceDir()),
            tag: [`cdktf-openclaw/credential-broker:${packageVersion()}`],
            // the Node release of broker/Dockerfile, for OC15-NodeImagePatched
            label: { [NODE_VERSION_LABEL]: BROKER_NODE_VERSION },
          },
        });
    this.image.overrideLogicalId(terraformName(name));
    if (props.egress) {
      const subnet = parseCidr(props.egress.subnet);
      if (
        !subnet ||
        subnet.family !== 4 ||
        !isPrivateAddress(subnet.address) ||
        hostIndex(props.egress.address, props.egress.subnet) === undefined
      ) {
        throw new Error(
          `broker egress ${props.egress.address} in ${props.egress.subnet} must be a usable address in a private IPv4 subnet, such as 172.31.0.2 in 172.31.0.0/28`,
        );
      }
      this.egressAddress = props.egress.address;
    }
    this.egressNetwork = new Network(this, 'egress', {
      name: `${name}-egress`,
      driver: 'bridge',
      internal: false,
      attachable: false,
      ...(props.egress ? { ipamConfig: [{ subnet: props.egress.subnet }] } : {}),
      labels: [{ label: 'openclaw.role', value: 'broker-egress' }],
    });
    this.egressNetwork.overrideLogicalId(terraformName(`${name}-egress`));
    this.container = new Container(this, 'container', {
      name,
      image: this.image.imageId,
      env,
      ...companionRuntime(props.processLimitSlice, props.logging, BROKER_MEMORY_MIB),
      networksAdvanced: [
        { name: props.network.network.name, ipv4Address: props.address },
        {
          name: this.egressNetwork.name,
          ...(props.egress ? { ipv4Address: props.egress.address } : {}),
        },
        ...listeners.map((l) => ({ name: l.networkName, ipv4Address: l.address })),
      ],
      mounts,
      healthcheck: {
        test: [
          'CMD',
          'node',
          '-e',
          `fetch('http://${healthHost}:${BROKER_PORT}/healthz').then(r=>r.json()).then(b=>process.exit(b&&b.ok===true?0:1),()=>process.exit(1))`,
        ],
        interval: '30s',
        timeout: '5s',
        retries: 3,
        startPeriod: '20s',
      },
      labels: [
        { label: 'openclaw.role', value: 'credential-broker' },
        { label: 'openclaw.max-processes', value: '100' },
        { label: CPU_LIMIT_LABEL, value: '0.5' },
      ],
    });
    this.container.overrideLogicalId(terraformName(name));
  }

  /** The broker's route for one upstream: the gateway or an MCP server calls it without a key. */
  public routeUrl(upstream: string): string {
    if (!this.routes.some((r) => r.name === upstream))
      throw new Error(
        `the broker has no upstream "${upstream}"; known: ${this.routes.map((r) => r.name).join(', ')}`,
      );
    return `http://${this.address}:${BROKER_PORT}/${upstream}`;
  }

  /** The broker as the gateway's HTTP proxy (give it to the gateway as `egressProxyUrl`). */
  public get proxyUrl(): string {
    return `http://${this.address}:${BROKER_PORT}`;
  }

  /** The OpenClaw model provider entry for one upstream, pointed at this broker. */
  public modelProvider(upstream: string, models: ModelProvider['models'] = []): ModelProvider {
    const route = this.routes.find((r) => r.name === upstream);
    if (!route)
      throw new Error(
        `the broker has no upstream "${upstream}"; known: ${this.routes.map((r) => r.name).join(', ')}`,
      );
    if (!route.api)
      throw new Error(
        `upstream "${upstream}" has no api, so it is not a model provider; give its CustomUpstream an api such as "openai-completions"`,
      );
    return {
      id: upstream,
      api: route.api,
      baseUrl: `http://${this.address}:${BROKER_PORT}/${upstream}`,
      models,
    };
  }
}

/** A broker upstream as the broker's configuration needs it, from a known provider or a custom one. */
function brokerUpstream(u: BrokerUpstream) {
  const upstreamName = typeof u.provider === 'string' ? u.provider : u.provider.name;
  checkAwsValue(u.secretArn, `upstream "${upstreamName}" secretArn`, 'secretId');
  const known = typeof u.provider === 'string' ? KNOWN[u.provider] : undefined;
  const custom = typeof u.provider === 'object' ? u.provider : undefined;
  const base: {
    name: string;
    baseUrl: string;
    auth: { readonly kind: 'bearer' } | { readonly kind: 'header'; readonly header: string };
    api?: ModelApi;
    methods?: readonly string[];
    forwardHeaders?: readonly string[];
  } = known ?? {
    name: custom!.name,
    baseUrl: custom!.baseUrl,
    auth:
      custom!.auth === 'bearer'
        ? { kind: 'bearer' }
        : { kind: 'header', header: custom!.auth.header },
    api: custom!.api,
    methods: custom!.methods,
    forwardHeaders: custom!.forwardHeaders,
  };
  return { ...base, secret: u.secretArn, requestsPerMinute: u.requestsPerMinute ?? 120 };
}

function upstreamConfig(u: ReturnType<typeof brokerUpstream>) {
  return {
    name: u.name,
    baseUrl: u.baseUrl,
    auth: u.auth,
    secret: u.secret,
    requestsPerMinute: u.requestsPerMinute,
    ...(u.methods ? { methods: [...u.methods] } : {}),
    ...(u.forwardHeaders ? { forwardHeaders: [...u.forwardHeaders] } : {}),
  };
}

/** Throws unless every CONNECT target is an exact public host:port (tokens are skipped). */
function checkConnectTargets(targets: readonly string[], where: string): void {
  for (const hp of targets) {
    if (Token.isUnresolved(hp)) continue;
    const problem = publicHostPortProblem(hp);
    if (problem)
      throw new Error(
        `${where}CONNECT target "${hp}" ${problem}; give an exact public host:port such as "api.telegram.org:443" (an IP outside the internet only through dangerouslyAllowPrivateConnectTargets)`,
      );
  }
}

/** The broker package folder (this package's `broker/`), from source or from dist. */
export function brokerSourceDir(): string {
  return packageFolder('broker', 'Dockerfile');
}

function packageVersion(): string {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(path.dirname(brokerSourceDir()), 'package.json'), 'utf8'),
  ) as { version: string };
  return pkg.version;
}
