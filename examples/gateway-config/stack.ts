import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import {
  CellNetwork,
  CredentialBroker,
  GatewayConfig,
  GatewayOptions,
  HardenedContainer,
  OpenClawConfigProps,
  OpenClawSecret,
  TailnetAccess,
  TailnetPolicy,
} from '../../src';
import { GATEWAY_IMAGE, TAILSCALE_SIDECAR_IMAGE } from '../images';

/**
 * The research agent's gateway options. Its model provider comes from the credential broker
 * (modelProvider), its proxy and Control UI origin from the Tailscale sidecar (servedBy).
 */
export const researchGateway: GatewayOptions = {
  primaryModel: 'anthropic/claude-sonnet-4-5',
};

/** A gateway used only from its own host (an operator's workstation or a bastion): loopback. */
export const loopbackGatewayConfig: OpenClawConfigProps = {
  gatewayToken: OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token'),
};

/**
 * One agent cell on any Docker host: the cell's internal network and the hardened gateway
 * container on it, plus a standalone loopback config. Synthesizes offline (no provider calls).
 */
export class GatewayConfigStack extends TerraformStack {
  public readonly network: CellNetwork;
  public readonly tailnet: TailnetAccess;
  public readonly broker: CredentialBroker;
  public readonly gateway: HardenedContainer;
  public readonly loopback: GatewayConfig;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // DOCKER_HOST picks the engine
    new DockerProvider(this, 'docker', {});
    // TAILSCALE_OAUTH_CLIENT_ID / _SECRET (or an API key) authenticate the provider at deploy time.
    new TailscaleProvider(this, 'tailscale', {});
    this.network = new CellNetwork(this, 'research-network', {
      name: 'openclaw-research',
      subnet: '172.30.0.0/24',
    });
    // reachable only over the tailnet: Serve on 443 in a userspace sidecar, Funnel off
    this.tailnet = new TailnetAccess(this, 'research-tailnet', {
      profile: 'research',
      network: this.network,
      address: '172.30.0.2',
      gatewayAddress: '172.30.0.10',
      tailnetDomain: 'tail1234.ts.net',
      processLimitSlice: 'openclaw-research.slice',
      image: TAILSCALE_SIDECAR_IMAGE, // by tag until you add its digest (examples/images.ts)
    });
    // the only member of the cell with a route out, and the only holder of the API key
    this.broker = new CredentialBroker(this, 'research-broker', {
      agent: 'research',
      network: this.network,
      address: '172.30.0.3',
      region: 'eu-west-1',
      upstreams: [{ provider: 'anthropic', secretArn: 'openclaw/research/anthropic' }],
      // a fixed egress address, which the host firewall lets reach the metadata service
      egress: { subnet: '172.31.0.0/28', address: '172.31.0.2' },
      processLimitSlice: 'openclaw-research.slice',
    });
    this.gateway = new HardenedContainer(this, 'research-gateway', {
      name: 'openclaw-research-gateway',
      network: this.network,
      ipv4Address: '172.30.0.10',
      image: GATEWAY_IMAGE,
      gateway: {
        ...researchGateway,
        modelProviders: [
          this.broker.modelProvider('anthropic', [
            { id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5' },
          ]),
        ],
      },
      servedBy: this.tailnet,
      processLimitSlice: 'openclaw-research.slice',
    });
    // the policy for teams that keep their tailnet policy elsewhere: an output to merge by hand
    new TailnetPolicy(this, 'tailnet-policy', {
      agents: [{ profile: 'research', allow: ['group:research'] }],
    });
    this.loopback = new GatewayConfig(this, 'loopback', loopbackGatewayConfig);
  }
}
