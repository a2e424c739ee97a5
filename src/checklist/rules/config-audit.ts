import { configRule } from './config-rule';

/** Item 14: audit logging on; OpenClaw's own audit not suppressed. */
export const configAudit = configRule('audit');
