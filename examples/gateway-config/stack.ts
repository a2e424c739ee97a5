import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  CellNetwork,
  GatewayConfig,
  GatewayOptions,
  HardenedContainer,
  OpenClawConfigProps,
  OpenClawSecret,
} from '../../src';

/**
 * The research agent's gateway options: the Control UI only from its tailnet name, forwarded
 * headers trusted only from the Tailscale sidecar, model traffic only to the credential broker.
 */
export const researchGateway: GatewayOptions = {
  trustedProxies: ['172.30.0.2/32'],
  controlUiOrigins: ['https://research-agent.tail1234.ts.net'],
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
  public readonly gateway: HardenedContainer;
  public readonly loopback: GatewayConfig;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // DOCKER_HOST (or the provider's host) picks the Docker engine at deploy time.
    new DockerProvider(this, 'docker', {});
    this.network = new CellNetwork(this, 'research-network', {
      name: 'openclaw-research',
      subnet: '172.30.0.0/24',
    });
    this.gateway = new HardenedContainer(this, 'research-gateway', {
      name: 'openclaw-research-gateway',
      network: this.network,
      ipv4Address: '172.30.0.10',
      gateway: researchGateway,
      processLimitSlice: 'openclaw-research.slice',
    });
    this.loopback = new GatewayConfig(this, 'loopback', loopbackGatewayConfig);
  }
}
