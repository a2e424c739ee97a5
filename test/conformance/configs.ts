/**
 * Every config the library renders in its tests and examples, as the conformance suite feeds
 * them to the real OpenClaw: the example stacks are built and every GatewayConfig in them is
 * collected, so a new example is covered without editing this file. Add presets below.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildExamples } from '../../examples/app';
import { loopbackGatewayConfig } from '../../examples/gateway-config/stack';
import {
  GatewayConfig,
  OpenClawConfigProps,
  OpenClawSecret,
  RenderedOpenClawConfig,
  renderOpenClawConfig,
  RiskProfile,
} from '../../src';
import { buildFleet, presetAgents } from '../fleet/helpers';
import { freePort, makeHome, OracleHome } from './oracle';
import { MEMORY_PACKAGE, MEMORY_SERVER } from '../mcp/fixtures';

export interface ConformanceCase {
  readonly name: string;
  readonly props: OpenClawConfigProps;
}

const token = OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token');

/** Every GatewayConfig in the example stacks (including those inside containers), by path. */
export function exampleConfigs(): ConformanceCase[] {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-examples-')) });
  buildExamples(app);
  return app.node
    .findAll()
    .filter((c): c is GatewayConfig => c instanceof GatewayConfig)
    .map((c) => ({ name: `example: ${c.node.path}`, props: c.props }));
}

/** The gateway config of every risk-profile preset (and a custom profile), as a fleet renders it. */
export function presetConfigs(): ConformanceCase[] {
  const custom = RiskProfile.custom(RiskProfile.research(), {
    name: 'research-memory',
    mcpPackages: [MEMORY_PACKAGE],
  });
  const [, , research] = presetAgents();
  const { fleet } = buildFleet({
    agents: [
      ...presetAgents(),
      {
        ...research,
        profile: custom,
        mcpServers: [{ ...MEMORY_SERVER, tools: ['read_graph', 'search_nodes'] }],
      },
    ],
  });
  return Object.values(fleet.agents).map((agent) => ({
    name: `preset: ${agent.profile.name}`,
    props: agent.gateway.gatewayConfig.props,
  }));
}

export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...exampleConfigs(),
  ...presetConfigs(),
  {
    name: 'channel egress through the broker proxy',
    props: { gatewayToken: token, egressProxyUrl: 'http://172.30.0.3:8080' },
  },
  {
    name: 'shell allowlist with approval always',
    props: {
      gatewayToken: token,
      toolsProfile: 'coding',
      shell: { mode: 'allowlist', commands: ['ls', 'cat', 'grep', 'head', 'tail'] },
    },
  },
  {
    name: 'messaging profile with an MCP server container and plugin allowlist',
    props: {
      gatewayToken: token,
      toolsProfile: 'messaging',
      bindAddress: '10.20.0.10',
      trustedProxies: ['10.20.0.2'],
      controlUiOrigins: ['https://chat-agent.tail1234.ts.net'],
      mcpServers: [
        { name: 'github', url: 'http://172.28.0.3:8808/mcp', tools: ['get_issue', 'list_issues'] },
      ],
      plugins: [{ id: 'memory-core' }],
      modelProviders: [
        {
          id: 'openai',
          api: 'openai-responses',
          baseUrl: 'http://10.20.0.3:8080/openai',
          models: [{ id: 'gpt-5' }],
        },
      ],
      primaryModel: 'openai/gpt-5',
    },
  },
];

/** The same props with the token file moved to where the test wrote it. */
export function withTokenFile(props: OpenClawConfigProps, tokenPath: string): OpenClawConfigProps {
  return {
    ...props,
    gatewayToken: OpenClawSecret.fromFile(tokenPath, {
      providerName: props.gatewayToken.ref.provider,
    }),
  };
}

/** A throwaway home and the loopback example config on a free port, its token file in that home. */
export async function loopbackOnFreePort(): Promise<{
  home: OracleHome;
  port: number;
  rendered: RenderedOpenClawConfig;
}> {
  const home = makeHome();
  const port = await freePort();
  const rendered = renderOpenClawConfig({
    ...withTokenFile(loopbackGatewayConfig, home.tokenPath),
    port,
  });
  return { home, port, rendered };
}
