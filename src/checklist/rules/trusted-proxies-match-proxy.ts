import { blocks, imageOf, isGatewayContainer, labelsOf, list, obj } from '../inspect';
import {
  compliant,
  nonCompliant,
  notApplicable,
  ResourceRule,
  TfResource,
  TfStack,
} from '../model';

function isSidecar(r: TfResource, stack: TfStack): boolean {
  if (r.type !== 'docker_container') return false;
  if (labelsOf(r).get('openclaw.role') === 'tailnet-sidecar') return true;
  return /(^|\/)tailscale\/tailscale[:@]/.test(imageOf(r, stack).name ?? '');
}

/**
 * Item 2: a gateway behind a Tailscale sidecar trusts exactly that sidecar: its config's
 * trustedProxies is the sidecar's address on their shared network (as a single host).
 */
export const trustedProxiesMatchProxy: ResourceRule = (gateway, stack) => {
  if (!isGatewayContainer(gateway, stack)) return notApplicable();
  const config = stack.byAddress.get(`${gateway.address}:OPENCLAW_CONFIG_JSON`);
  const networks = new Set(blocks(gateway.attributes.networks_advanced).map((n) => String(n.name)));
  const proxies: string[] = [];
  for (const r of stack.resources) {
    if (!isSidecar(r, stack)) continue;
    for (const n of blocks(r.attributes.networks_advanced)) {
      if (networks.has(String(n.name)) && typeof n.ipv4_address === 'string')
        proxies.push(n.ipv4_address);
    }
  }
  if (proxies.length === 0) return notApplicable();
  if (!config || typeof config.attributes.document !== 'object') {
    return nonCompliant(
      `a Tailscale sidecar (${proxies.join(', ')}) fronts this gateway but its config is not visible to check trustedProxies`,
    );
  }
  const trusted = list(obj(obj(config.attributes.document).gateway).trustedProxies).map(String);
  const normalized = trusted.map((t) => t.replace(/\/32$/, ''));
  const expected = [...new Set(proxies)].sort();
  if (
    normalized.length === expected.length &&
    [...normalized].sort().every((t, i) => t === expected[i])
  )
    return compliant();
  return nonCompliant(
    `trustedProxies is ${JSON.stringify(trusted)} but the proxy in front of the gateway is ${expected.map((p) => `${p}/32`).join(', ')}`,
  );
};
