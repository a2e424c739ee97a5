import { configRule } from './config-rule';

/** Item 13: MCP servers and plugins allowlisted and version-pinned. */
export const configPinned = configRule('pinned');
