import { configRule } from './config-rule';

/** Item 1: bind, auth, Funnel, origins, terminal, channels, hooks: who can reach the gateway. */
export const configExposure = configRule('exposure');
