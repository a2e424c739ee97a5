import { configRule } from './config-rule';

/** Item 8: shell allowlist with human approval, tool scopes, sandbox. */
export const configShell = configRule('shell');
