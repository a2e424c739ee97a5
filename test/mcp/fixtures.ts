/** MCP servers the tests use: the reference "memory" server, as npm publishes it. */
import * as path from 'path';
import { Testing } from 'cdktf';
import {
  AgentCredentialSpec,
  CellNetwork,
  HardenedContainer,
  HardenedContainerProps,
  McpServer,
  McpServerContainer,
  RiskProfile,
} from '../../src';
import { NO_ROTATION } from '../fleet/helpers';

export const MEMORY_PACKAGE = '@modelcontextprotocol/server-memory';
export const MEMORY_VERSION = '2026.8.31';
/** `npm view @modelcontextprotocol/server-memory@2026.8.31 dist.integrity` */
export const MEMORY_INTEGRITY =
  'sha512-ljj/3S4aGjxdNSQWw6gucKKGnTLdBPWxzapyY/MT2tOVyZwvxChvevXSLPwx59nKJAlVpUVW+cOlnVRXRwiqMQ==';
/** The docker-host example's lockfile for it. */
export const MEMORY_LOCKFILE = path.resolve(
  __dirname,
  '../../examples/docker-host/mcp-memory.package-lock.json',
);

/** The memory server pinned by its integrity. */
export const MEMORY_SERVER: McpServer = {
  name: 'memory',
  package: `${MEMORY_PACKAGE}@${MEMORY_VERSION}`,
  integrity: MEMORY_INTEGRITY,
  env: { MEMORY_FILE_PATH: '/data/memory.jsonl' },
};

/** The research preset allowing the memory server. */
export const NOTES_PROFILE = RiskProfile.custom(RiskProfile.research(), {
  name: 'research-notes',
  mcpPackages: [MEMORY_PACKAGE],
});

/** A credential an MCP server reads from a secret file (no upstream: not brokered). */
export const NOTES_TOKEN: AgentCredentialSpec = {
  name: 'notes-token',
  kind: 'code',
  scopes: ['public_repo'],
  ...NO_ROTATION,
};

/**
 * Synthesizes agent "x"'s gateway with one MCP server container beside it (cell openclaw-x, the
 * server's block 172.28.0.0/29), the gateway given `extra` props: for refusals of the pair.
 */
export function synthGatewayBesideMcp(
  server: McpServer,
  extra: Partial<HardenedContainerProps>,
): string {
  return Testing.synthScope((scope) => {
    const network = new CellNetwork(scope, 'n', { name: 'openclaw-x' });
    const mcp = new McpServerContainer(scope, 'm', {
      agent: 'x',
      server,
      subnet: '172.28.0.0/29',
    });
    new HardenedContainer(scope, 'g', {
      name: 'openclaw-x-gateway',
      network,
      ipv4Address: '172.30.0.10',
      mcpServers: [mcp],
      ...extra,
    });
  });
}
