import { OPENCLAW_GATEWAY_PORT } from '../../openclaw/render-config';
import { blocks, coversPort, describe, isAnywhere, list } from '../inspect';
import { coversInternet } from '../internet';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  ResourceRule,
  TfResource,
  undecidable,
  notApplicable,
} from '../model';

/** One ingress rule of a security group, whichever resource type wrote it. */
export interface IngressRule {
  readonly from: unknown;
  readonly to: unknown;
  readonly protocol: unknown;
  /** CIDR blocks (IPv4 and IPv6). */
  readonly cidrs: unknown[];
  /** Security groups and prefix lists. */
  readonly peers: unknown[];
  readonly coversGatewayPort: boolean;
}

/**
 * The ingress rules of aws_security_group ingress blocks, aws_security_group_rule (type
 * ingress) and aws_vpc_security_group_ingress_rule; undefined for other resources.
 */
export function ingressRulesOf(resource: TfResource): IngressRule[] | undefined {
  const a = resource.attributes;
  const make = (
    from: unknown,
    to: unknown,
    protocol: unknown,
    cidrs: unknown[],
    peers: unknown[],
  ): IngressRule => ({
    from,
    to,
    protocol,
    cidrs,
    peers,
    coversGatewayPort: coversPort(from, to, protocol, OPENCLAW_GATEWAY_PORT),
  });
  switch (resource.type) {
    case 'aws_security_group':
      return blocks(a.ingress).map((i) =>
        make(
          i.from_port,
          i.to_port,
          i.protocol,
          [...list(i.cidr_blocks), ...list(i.ipv6_cidr_blocks)],
          [...list(i.security_groups), ...list(i.prefix_list_ids)],
        ),
      );
    case 'aws_security_group_rule':
      if (a.type !== 'ingress' && !isUnresolved(a.type)) return [];
      return [
        make(
          a.from_port,
          a.to_port,
          a.protocol,
          [...list(a.cidr_blocks), ...list(a.ipv6_cidr_blocks)],
          [...list(a.source_security_group_id), ...list(a.prefix_list_ids)],
        ),
      ];
    case 'aws_vpc_security_group_ingress_rule':
      return [
        make(
          a.from_port,
          a.to_port,
          a.ip_protocol,
          [...list(a.cidr_ipv4), ...list(a.cidr_ipv6)],
          [...list(a.referenced_security_group_id), ...list(a.prefix_list_id)],
        ),
      ];
    default:
      return undefined;
  }
}

/**
 * Item 1: security groups of agent hosts admit nothing from the internet (a CIDR set that
 * covers the public address space), and nothing at all on 18789.
 */
export const noPublicIngress: ResourceRule = (resource) => {
  const rules = ingressRulesOf(resource);
  if (rules === undefined) return notApplicable();
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const r of rules) {
    const ports =
      String(r.protocol) === '-1' || String(r.protocol).toLowerCase() === 'all'
        ? 'all ports'
        : `ports ${describe(r.from)}-${describe(r.to ?? r.from)}/${describe(r.protocol)}`;
    const internet = coversInternet(r.cidrs) || r.cidrs.some(isAnywhere);
    if ([r.from, r.to, r.protocol].some(isUnresolved)) {
      if (internet) problems.push(`opens ${ports} to the internet (${describe(r.cidrs)})`);
      else unknown.push(`ingress on ${ports} is not resolved`);
      continue;
    }
    if (r.coversGatewayPort) {
      problems.push(
        `opens ${ports}, which includes the gateway port ${OPENCLAW_GATEWAY_PORT}, to ${describe([...r.cidrs, ...r.peers])}`,
      );
    } else if (internet) {
      problems.push(`opens ${ports} to the internet (${describe(r.cidrs)})`);
    } else if ([...r.cidrs, ...r.peers].some(isUnresolved)) {
      const peersOnly = r.cidrs.every((c) => !isUnresolved(c));
      // a peer group given by reference is a group, not an address range: it cannot be the internet
      if (!peersOnly) unknown.push(`ingress on ${ports} from ${describe(r.cidrs)} is not resolved`);
    }
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
