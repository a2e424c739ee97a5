import { describe, envOf, list, obj } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  TfStack,
  undecidable,
} from '../model';
import { isHostTag } from '../../host/host-names';

/**
 * Item 1: a tailnet policy (tailscale_acl) grants agent tags (`tag:openclaw-*`) only tcp:443 and
 * gives no node Funnel.
 */
export const tailnetPolicy: ResourceRule = (resource, stack) => {
  if (resource.type !== 'tailscale_acl') return notApplicable();
  const raw = resource.attributes.acl;
  if (typeof raw !== 'string' || isUnresolved(raw))
    return undecidable(
      `the policy document is ${describe(typeof raw === 'string' ? 'a reference' : raw)}`,
    );
  let policy: Record<string, unknown>;
  try {
    policy = obj(JSON.parse(stripHuJson(raw)));
  } catch {
    return undecidable('the policy document is not JSON this rule can read');
  }
  const problems: string[] = [];
  // agent tags: ours (tag:openclaw-*), and whatever tags the stack's agent keys and sidecars carry
  const agentTags = agentTagsOf(stack);
  // the hosts' own tag is no agent's: deployers reach it over SSH (checked below)
  const isAgentTag = (t: string) =>
    !isHostTag(t) && (t.startsWith('tag:openclaw-') || agentTags.has(t));
  // a destination that reaches agent nodes: their tags, every tagged node, or everything
  const reachesAgents = (d: unknown) =>
    typeof d === 'string' && (isAgentTag(d) || d === '*' || d === 'autogroup:tagged');
  // a source that includes agent nodes themselves (an agent-to-agent path)
  const includesAgents = (s0: unknown) =>
    typeof s0 === 'string' && (isAgentTag(s0) || s0 === '*' || s0 === 'autogroup:tagged');
  for (const grant of list(policy.grants).map(obj)) {
    if (!list(grant.dst).some(reachesAgents)) continue;
    const ports = list(grant.ip);
    const bad = ports.filter((p) => p !== 'tcp:443');
    if (ports.length === 0 || bad.length > 0) {
      problems.push(
        `grant to ${describe(grant.dst)} allows ${describe(ports.length ? bad : '*')} on agent nodes; grant only "tcp:443"`,
      );
    }
    if (list(grant.src).some(includesAgents)) {
      problems.push(
        `grant from ${describe(grant.src)} to ${describe(grant.dst)} lets agents reach each other`,
      );
    }
  }
  for (const acl of list(policy.acls).map(obj)) {
    if (acl.action !== 'accept') continue;
    for (const dst of list(acl.dst).map(String)) {
      const cut = dst.lastIndexOf(':');
      const [host, port] = [dst.slice(0, cut), dst.slice(cut + 1)];
      if (!reachesAgents(host)) continue;
      if (port !== '443')
        problems.push(`acl to "${dst}" allows ports other than 443 on agent nodes`);
      if (list(acl.src).some(includesAgents))
        problems.push(`acl from ${describe(acl.src)} to "${dst}" lets agents reach each other`);
    }
  }
  for (const grant of list(policy.grants).map(obj)) {
    if (list(grant.dst).some(isHostTagValue) && list(grant.src).some(includesAgents))
      problems.push(
        `grant from ${describe(grant.src)} lets agents reach the hosts (${list(grant.dst).filter(isHostTagValue).join(', ')}); only deployers may`,
      );
  }
  for (const rule of list(policy.ssh).map(obj)) {
    if (rule.action !== 'accept' && rule.action !== 'check') continue;
    if (list(rule.dst).some(isHostTagValue) && list(rule.src).some(includesAgents))
      problems.push(
        `ssh rule from ${describe(rule.src)} lets agents into the hosts (${list(rule.dst).filter(isHostTagValue).join(', ')}); only deployers may`,
      );
    const dst = list(rule.dst).filter(reachesAgents);
    if (dst.length > 0)
      problems.push(
        `ssh rule from ${describe(rule.src)} reaches agent nodes ${describe(dst)}; agents take no Tailscale SSH, use SSM for the host`,
      );
  }
  for (const attr of list(policy.nodeAttrs).map(obj)) {
    if (list(attr.attr).includes('funnel')) {
      problems.push(
        `nodeAttrs give ${describe(attr.target)} Funnel, which publishes to the internet`,
      );
    }
  }
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};

function isHostTagValue(t: unknown): boolean {
  return typeof t === 'string' && isHostTag(t);
}

/** Tags the stack gives agent nodes: its tailnet keys' tags and sidecars' --advertise-tags. */
function agentTagsOf(stack: TfStack): Set<string> {
  const tags = new Set<string>();
  for (const r of stack.resources) {
    if (r.type === 'tailscale_tailnet_key')
      for (const t of Array.isArray(r.attributes.tags) ? r.attributes.tags : [])
        if (typeof t === 'string' && !isHostTag(t)) tags.add(t);
    if (r.type === 'docker_container')
      for (const [, v] of envOf(r)) {
        const m = /--advertise-tags[= ]([^\s]+)/.exec(v);
        if (m) for (const t of m[1].split(',')) tags.add(t);
      }
  }
  return tags;
}

/** Removes // and /* *\/ comments and trailing commas (HuJSON), outside strings. */
function stripHuJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
      if (i === 0) break;
    } else {
      out += c;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
