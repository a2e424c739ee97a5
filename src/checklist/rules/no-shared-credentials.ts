import { unescapeTerraformTemplate } from '../../core/terraform-string';
import { blocks, envOf, labelsOf, list, obj } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  StackRule,
  StackRuleResult,
  TfResource,
  TfStack,
  undecidable,
} from '../model';

/** Agent-owned secret names: `openclaw/<agent>/<credential>`. */
const AGENT_SECRET =
  /(?:^|:secret:)openclaw\/([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*?)(?:-[A-Za-z0-9]{6})?$/;

/** Secrets a host reads for its cells at boot (and its own tailnet key): not agent credentials. */
const HOST_READ = new Set(['gateway-token', 'tailnet-key']);

const IAM_POLICIES = new Set([
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
]);

/** The broker config in a container's environment, if any. */
export function brokerConfigOf(container: TfResource): Record<string, unknown> | undefined {
  if (container.type !== 'docker_container') return undefined;
  const raw = envOf(container).get('BROKER_CONFIG');
  if (raw === undefined || isUnresolved(raw.replace(/\$\$\{/g, ''))) return undefined;
  try {
    return obj(JSON.parse(unescapeTerraformTemplate(raw)));
  } catch {
    return undefined;
  }
}

/**
 * Item 10: one credential, one agent. No secret is read by the brokers of two agents, and no IAM
 * policy lets one identity read the credentials of two agents (a host reading its cells' gateway
 * tokens and its own tailnet key is the exception).
 */
export const noSharedCredentials: StackRule = (stack) => {
  const results: StackRuleResult[] = [];
  const readers = new Map<string, Set<string>>();
  const brokers: { resource: TfResource; agent: string; secrets: string[] }[] = [];
  for (const r of stack.resources) {
    const config = brokerConfigOf(r);
    if (!config) {
      if (isBroker(r))
        results.push({
          address: r.address,
          outcome: undecidable(
            "the broker's BROKER_CONFIG cannot be read at synth time, so the secrets it reads are unknown",
          ),
        });
      continue;
    }
    const agent = String(config.agent ?? r.address);
    // the upstreams of its MCP servers' listeners too: their keys are the agent's as well
    const secrets = [
      ...blocks(config.upstreams),
      ...blocks(config.listeners).flatMap((l) => blocks(l.upstreams)),
    ]
      .map((u) => u.secret)
      .filter((s): s is string => typeof s === 'string');
    brokers.push({ resource: r, agent, secrets });
    for (const s of secrets) readers.set(s, (readers.get(s) ?? new Set()).add(agent));
  }
  for (const b of brokers) {
    const shared = b.secrets.flatMap((s) => {
      const others = [...(readers.get(s) ?? [])].filter((a) => a !== b.agent);
      return others.length > 0 ? [`secret ${s} is also read by agent ${others.join(', ')}`] : [];
    });
    results.push({
      address: b.resource.address,
      outcome:
        shared.length > 0
          ? nonCompliant(...shared.map((m) => `${m}; give each agent its own credential`))
          : compliant(),
    });
  }

  for (const r of stack.resources) {
    if (!IAM_POLICIES.has(r.type) || typeof r.attributes.policy !== 'string') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(r.attributes.policy);
    } catch {
      const ref = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(
        r.attributes.policy,
      );
      if (isUnresolved(r.attributes.policy) && !(ref && stack.byAddress.has(ref[1])))
        results.push({
          address: r.address,
          outcome: undecidable(
            `the policy is ${r.attributes.policy.slice(0, 60)}, so whose credentials it reads is unknown`,
          ),
        });
      continue;
    }
    const agents = new Set<string>();
    for (const st of list(obj(doc).Statement).map(obj)) {
      if (st.Effect !== 'Allow') continue;
      const actions = list(st.Action).map(String);
      if (!actions.some((a) => /^(\*|secretsmanager:(\*|GetSecretValue))$/i.test(a))) continue;
      for (const res of list(st.Resource).map(String)) {
        const name = secretName(res, stack);
        const m = name ? AGENT_SECRET.exec(name) : null;
        if (m && !HOST_READ.has(m[2])) agents.add(m[1]);
      }
    }
    if (agents.size > 1) {
      results.push({
        address: r.address,
        outcome: nonCompliant(
          `one identity reads the credentials of agents ${[...agents].sort().join(', ')}; give each agent's broker its own role`,
        ),
      });
    } else if (agents.size === 1) {
      results.push({ address: r.address, outcome: compliant() });
    }
  }
  return results;
};

/** A credential broker by our label or its image, whether or not its config can be read. */
export function isBroker(r: TfResource): boolean {
  if (r.type !== 'docker_container') return false;
  if (labelsOf(r).get('openclaw.role') === 'credential-broker') return true;
  return /credential-broker/.test(String(r.attributes.image ?? ''));
}

/** A secret ARN or name, read through a `${aws_secretsmanager_secret.x.arn}` reference. */
function secretName(value: string, stack: TfStack): string | undefined {
  const ref = /^\$\{(aws_secretsmanager_secret\.[A-Za-z0-9_-]+)\.(arn|id)\}$/.exec(value);
  if (ref) {
    const name = stack.byAddress.get(ref[1])?.attributes.name;
    return typeof name === 'string' ? name : undefined;
  }
  return value;
}
