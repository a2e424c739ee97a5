import { OPENCLAW_GATEWAY_PORT } from '../../openclaw/render-config';
import { blocks, coversPort, flag, referenced } from '../inspect';
import { admitsInternetInOrder } from '../internet';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  StackRule,
  StackRuleResult,
  TfResource,
  undecidable,
} from '../model';

interface Entry {
  readonly number: number;
  readonly action: unknown;
  readonly from: unknown;
  readonly to: unknown;
  readonly protocol: unknown;
  readonly cidr: unknown;
  readonly ipv6: boolean;
}

/**
 * Item 1: no network ACL lets inbound 18789 in from the internet. Entries are evaluated as AWS
 * does: per ACL, lowest rule number first, first match wins; so a deny on 18789 ahead of the
 * usual return-traffic allow passes.
 */
export const naclGatewayPort: StackRule = (stack) => {
  const acls = new Map<string, { owner: TfResource; entries: Entry[] }>();
  // an entry written with every attribute carries the unused family as "" or null
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  const entryOf = (n: unknown, a: Record<string, unknown>, action: unknown): Entry => ({
    number: Number(n),
    action: String(action).toLowerCase(),
    from: a.from_port,
    to: a.to_port,
    protocol: a.protocol,
    cidr: given(a.cidr_block) ? a.cidr_block : a.ipv6_cidr_block,
    ipv6: !given(a.cidr_block) && given(a.ipv6_cidr_block),
  });
  for (const r of stack.resources) {
    if (r.type === 'aws_network_acl' || r.type === 'aws_default_network_acl') {
      const acl = acls.get(r.address) ?? { owner: r, entries: [] };
      acl.owner = r;
      for (const i of blocks(r.attributes.ingress))
        acl.entries.push(entryOf(i.rule_no, i, i.action));
      acls.set(r.address, acl);
    }
  }
  for (const r of stack.resources) {
    if (r.type !== 'aws_network_acl_rule' || flag(r.attributes.egress) === true) continue;
    const target = referenced(stack, r.attributes.network_acl_id);
    const key = target?.address ?? r.address;
    const acl = acls.get(key) ?? { owner: target ?? r, entries: [] };
    acl.entries.push(entryOf(r.attributes.rule_number, r.attributes, r.attributes.rule_action));
    acls.set(key, acl);
  }
  const results: StackRuleResult[] = [];
  for (const [address, { entries }] of acls) {
    const problems: string[] = [];
    const unknown: string[] = [];
    for (const ipv6 of [false, true]) {
      const ordered = entries.filter((e) => e.ipv6 === ipv6).sort((a, b) => a.number - b.number);
      const relevant: { cidr: string; allow: boolean; number: number }[] = [];
      for (const e of ordered) {
        if (
          [e.action, e.from, e.to, e.protocol, e.cidr, e.number].some(isUnresolved) ||
          Number.isNaN(e.number)
        ) {
          unknown.push(
            `inbound entry ${String(e.number)} is not resolved, so the order cannot be evaluated`,
          );
          break;
        }
        if (!coversPort(e.from, e.to, e.protocol, OPENCLAW_GATEWAY_PORT)) continue;
        relevant.push({ cidr: String(e.cidr), allow: e.action === 'allow', number: e.number });
      }
      if (admitsInternetInOrder(relevant)) {
        const allows = relevant.filter((e) => e.allow).map((e) => `${e.number} (${e.cidr})`);
        problems.push(
          `inbound rules ${allows.join(', ')} let 18789 in from the internet (${ipv6 ? 'IPv6' : 'IPv4'}; no earlier deny covers it)`,
        );
      }
    }
    results.push({
      address,
      outcome:
        problems.length > 0
          ? nonCompliant(...problems)
          : unknown.length > 0
            ? undecidable(...unknown)
            : compliant(),
    });
  }
  return results;
};
