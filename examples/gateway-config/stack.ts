import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GatewayConfig, OpenClawConfigProps, OpenClawSecret } from '../../src';

/**
 * The gateway config of one agent cell, as the cell wires it: the gateway listens only on its
 * internal network address, trusts exactly the Tailscale sidecar in front of it, accepts the
 * Control UI only from its tailnet name, and sends model traffic to the credential broker.
 */
export const cellGatewayConfig: OpenClawConfigProps = {
  gatewayToken: OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token'),
  bindAddress: '172.30.0.10',
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

/** Synthesizes offline: no provider calls, only the rendered configs and their assets. */
export class GatewayConfigStack extends TerraformStack {
  public readonly cell: GatewayConfig;
  public readonly loopback: GatewayConfig;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.cell = new GatewayConfig(this, 'research-cell', cellGatewayConfig);
    this.loopback = new GatewayConfig(this, 'loopback', loopbackGatewayConfig);
  }
}
