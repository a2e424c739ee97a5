import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import {
  CellNetwork,
  GatewayConfig,
  GatewayOptions,
  HardenedContainer,
  OpenClawConfigProps,
  OpenClawSecret,
  TailnetAccess,
  TailnetPolicy,
} from '../../src';

/**
 * The research agent's gateway options: model traffic only to the credential broker. Its proxy
 * and Control UI origin come from the Tailscale sidecar in front of it (servedBy).
 */
export const researchGateway: GatewayOptions = {
  modelProviders: [
    {
      id: 'anthropic',
      api: 'anthropic-messages',
      baseUrl: 'http://172.30.0.3:8080/anthropic',
      models: [{ id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5' }],
    },
  ],
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
  public readonly gateway: HardenedContainer;
  public readonly loopback: GatewayConfig;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // DOCKER_HOST (or the provider's host) picks the Docker engine at deploy time.
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
    });
    this.gateway = new HardenedContainer(this, 'research-gateway', {
      name: 'openclaw-research-gateway',
      network: this.network,
      ipv4Address: '172.30.0.10',
      gateway: researchGateway,
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
