import { configRule } from './config-rule';

/**
 * Item 13: no MCP server runs inside the gateway container (a `command` in `mcp.servers`): it
 * would run with the gateway's permissions and state. Servers run in containers of their own.
 */
export const mcpOwnContainer = configRule('mcpInGateway');
