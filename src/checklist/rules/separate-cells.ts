import { blocks, isGatewayContainer } from '../inspect';
import { compliant, nonCompliant, StackRule, StackRuleResult } from '../model';
import { bindMountsOf } from './bind-mounts-safe';

/**
 * Item 10: each gateway is its own cell: no two gateway containers share a network, a volume
 * or a mounted host path (credentials, state).
 */
export const separateCells: StackRule = (stack) => {
  const gateways = stack.resources.filter((r) => isGatewayContainer(r, stack));
  const results: StackRuleResult[] = [];
  const owners = new Map<string, string>();
  for (const g of gateways) {
    const shared: string[] = [];
    const keys = [
      ...blocks(g.attributes.networks_advanced).map((n) => `network ${String(n.name)}`),
      ...blocks(g.attributes.mounts)
        .filter((m) => m.type === 'volume')
        .map((m) => `volume ${String(m.source)}`),
      ...blocks(g.attributes.volumes)
        .filter((v) => v.volume_name !== undefined && !String(v.volume_name).startsWith('/'))
        .map((v) => `volume ${String(v.volume_name)}`),
      ...bindMountsOf(g.attributes).map((m) => `host path ${String(m.hostPath)}`),
    ];
    for (const key of keys) {
      const owner = owners.get(key);
      if (owner && owner !== g.address) shared.push(`shares ${key} with ${owner}`);
      else owners.set(key, g.address);
    }
    results.push({
      address: g.address,
      outcome: shared.length > 0 ? nonCompliant(...shared) : compliant(),
    });
  }
  return results;
};
