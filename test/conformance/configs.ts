/**
 * Every config the library renders in its tests and examples, as the conformance suite feeds
 * them to the real OpenClaw. Add a case here whenever a new preset or example config appears.
 */
import { cellGatewayConfig, loopbackGatewayConfig } from '../../examples/gateway-config/stack';
import { OpenClawConfigProps, OpenClawSecret } from '../../src';

export interface ConformanceCase {
  readonly name: string;
  readonly props: OpenClawConfigProps;
}

const token = OpenClawSecret.fromFile('/run/secrets/openclaw/gateway-token');

export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  { name: 'example: cell gateway behind the Serve sidecar', props: cellGatewayConfig },
  { name: 'example: loopback gateway', props: loopbackGatewayConfig },
  {
    name: 'shell allowlist with approval always',
    props: {
      gatewayToken: token,
      toolsProfile: 'coding',
      shell: { mode: 'allowlist', commands: ['ls', 'cat', 'grep', 'head', 'tail'] },
    },
  },
  {
    name: 'messaging profile with pinned MCP server and plugin allowlist',
    props: {
      gatewayToken: token,
      toolsProfile: 'messaging',
      bindAddress: '10.20.0.10',
      trustedProxies: ['10.20.0.2'],
      controlUiOrigins: ['https://chat-agent.tail1234.ts.net'],
      mcpServers: [
        {
          name: 'github',
          package: '@modelcontextprotocol/server-github@2025.4.8',
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' },
          tools: ['get_issue', 'list_issues'],
        },
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
