/**
 * The Tailscale Serve configuration (`ipn.ServeConfig`, read by the sidecar from TS_SERVE_CONFIG):
 * HTTPS on 443 terminated by Tailscale, proxied to the gateway's internal address on 18789.
 * Funnel is off (`AllowFunnel` false), so nothing is published beyond the tailnet.
 * `${TS_CERT_DOMAIN}` is replaced by the sidecar with the node's `<host>.<tailnet>.ts.net` name.
 */

/** The Serve config for one gateway. */
export interface ServeConfig {
  readonly TCP: Record<string, { readonly HTTPS: boolean }>;
  readonly Web: Record<string, { readonly Handlers: Record<string, { readonly Proxy: string }> }>;
  readonly AllowFunnel: Record<string, boolean>;
}

const CERT_HOST = '${TS_CERT_DOMAIN}:443';

/** Renders the Serve config that proxies https://<node>:443/ to `target` (e.g. `http://172.30.0.10:18789`). */
export function renderServeConfig(target: string): ServeConfig {
  if (!/^http:\/\/[0-9.]+:\d+$/.test(target)) {
    throw new Error(
      `Serve target "${target}" must be the gateway's internal http://<ipv4>:<port>, such as "http://172.30.0.10:18789"`,
    );
  }
  return {
    TCP: { '443': { HTTPS: true } },
    Web: { [CERT_HOST]: { Handlers: { '/': { Proxy: target } } } },
    AllowFunnel: { [CERT_HOST]: false },
  };
}
