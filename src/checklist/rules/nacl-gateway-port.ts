import { OPENCLAW_GATEWAY_PORT } from '../../openclaw/render-config';
import { blocks, coversPort, isAnywhere } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Item 1: no network ACL allows inbound 18789 (or all traffic) from the internet. */
export const naclGatewayPort: ResourceRule = (resource) => {
  const entries: {
    action: unknown;
    from: unknown;
    to: unknown;
    protocol: unknown;
    cidr: unknown;
  }[] = [];
  if (resource.type === 'aws_network_acl') {
    for (const i of blocks(resource.attributes.ingress)) {
      entries.push({
        action: i.action,
        from: i.from_port,
        to: i.to_port,
        protocol: i.protocol,
        cidr: i.cidr_block ?? i.ipv6_cidr_block,
      });
    }
  } else if (resource.type === 'aws_network_acl_rule') {
    if (resource.attributes.egress === true) return notApplicable();
    const a = resource.attributes;
    entries.push({
      action: a.rule_action,
      from: a.from_port,
      to: a.to_port,
      protocol: a.protocol,
      cidr: a.cidr_block ?? a.ipv6_cidr_block,
    });
  } else {
    return notApplicable();
  }
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const e of entries) {
    if ([e.action, e.from, e.to, e.protocol, e.cidr].some(isUnresolved)) {
      unknown.push('an inbound entry is not resolved');
    } else if (
      e.action === 'allow' &&
      isAnywhere(e.cidr) &&
      coversPort(e.from, e.to, e.protocol, OPENCLAW_GATEWAY_PORT)
    ) {
      problems.push(
        `allows inbound ${e.protocol === '-1' ? 'all traffic' : `${e.from}-${e.to}`} from ${e.cidr}, which includes ${OPENCLAW_GATEWAY_PORT}`,
      );
    }
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
