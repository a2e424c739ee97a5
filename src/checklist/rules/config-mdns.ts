import { configRule } from './config-rule';

/** Item 3: mDNS announcements off. */
export const configMdns = configRule('mdns');
