import { OPENCLAW_GATEWAY_PORT } from '../../openclaw/render-config';
import { coversInternet } from '../internet';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';
import { ingressRulesOf } from './no-public-ingress';

/**
 * Item 1, never suppressible: no security group rule opens 18789 to the internet (a CIDR set
 * whose union covers the public address space, such as 0.0.0.0/0 or 0.0.0.0/1 + 128.0.0.0/1).
 */
export const gatewayPortNotOpen: ResourceRule = (resource) => {
  const rules = ingressRulesOf(resource);
  if (rules === undefined) return notApplicable();
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const r of rules) {
    const cidrs = r.cidrs;
    const ports = [r.from, r.to, r.protocol];
    if (ports.some(isUnresolved) || cidrs.some(isUnresolved)) {
      unknown.push(`ingress ${JSON.stringify({ from: r.from, to: r.to, cidrs })} is not resolved`);
      continue;
    }
    if (r.coversGatewayPort && coversInternet(cidrs))
      problems.push(
        `opens the gateway port ${OPENCLAW_GATEWAY_PORT} to the internet (${JSON.stringify(cidrs)})`,
      );
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
