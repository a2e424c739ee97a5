import { OPENCLAW_GATEWAY_PORT } from '../../openclaw/render-config';
import { blocks, coversPort, describe, isAnywhere, list } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/**
 * Item 1: security groups admit nothing from the internet, and nothing at all on 18789.
 * Covers aws_security_group ingress blocks, aws_security_group_rule and
 * aws_vpc_security_group_ingress_rule.
 */
export const noPublicIngress: ResourceRule = (resource) => {
  const rules: { from: unknown; to: unknown; protocol: unknown; sources: unknown[] }[] = [];
  switch (resource.type) {
    case 'aws_security_group':
      for (const i of blocks(resource.attributes.ingress)) {
        rules.push({
          from: i.from_port,
          to: i.to_port,
          protocol: i.protocol,
          sources: [
            ...list(i.cidr_blocks),
            ...list(i.ipv6_cidr_blocks),
            ...list(i.security_groups),
            ...list(i.prefix_list_ids),
          ],
        });
      }
      break;
    case 'aws_security_group_rule':
      if (resource.attributes.type !== 'ingress') return notApplicable();
      rules.push({
        from: resource.attributes.from_port,
        to: resource.attributes.to_port,
        protocol: resource.attributes.protocol,
        sources: [
          ...list(resource.attributes.cidr_blocks),
          ...list(resource.attributes.ipv6_cidr_blocks),
          ...list(resource.attributes.source_security_group_id),
          ...list(resource.attributes.prefix_list_ids),
        ],
      });
      break;
    case 'aws_vpc_security_group_ingress_rule':
      rules.push({
        from: resource.attributes.from_port,
        to: resource.attributes.to_port,
        protocol: resource.attributes.ip_protocol,
        sources: [
          ...list(resource.attributes.cidr_ipv4),
          ...list(resource.attributes.cidr_ipv6),
          ...list(resource.attributes.referenced_security_group_id),
          ...list(resource.attributes.prefix_list_id),
        ],
      });
      break;
    default:
      return notApplicable();
  }
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const r of rules) {
    const ports =
      r.protocol === '-1' || r.protocol === 'all'
        ? 'all ports'
        : `ports ${describe(r.from)}-${describe(r.to ?? r.from)}/${describe(r.protocol)}`;
    if ([r.from, r.to, r.protocol].some(isUnresolved)) {
      if (r.sources.some(isAnywhere))
        problems.push(`opens ${ports} to the internet (${describe(r.sources.filter(isAnywhere))})`);
      else unknown.push(`ingress on ${ports} is not resolved`);
      continue;
    }
    if (coversPort(r.from, r.to, r.protocol, OPENCLAW_GATEWAY_PORT)) {
      problems.push(
        `opens ${ports}, which includes the gateway port ${OPENCLAW_GATEWAY_PORT}, to ${describe(r.sources)}`,
      );
    } else if (r.sources.some(isAnywhere)) {
      problems.push(`opens ${ports} to the internet (${describe(r.sources.filter(isAnywhere))})`);
    } else if (r.sources.some(isUnresolved)) {
      unknown.push(`ingress on ${ports} from ${describe(r.sources)} is not resolved`);
    }
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
