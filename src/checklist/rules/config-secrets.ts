import { configRule } from './config-rule';

/** Item 11: no literal secret anywhere in the config. */
export const configSecrets = configRule('secrets');
