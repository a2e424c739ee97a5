import { configRule } from './config-rule';

/** Item 2: trustedProxies exactly the proxy in front of the gateway. */
export const configTrustedProxies = configRule('trustedProxies');
