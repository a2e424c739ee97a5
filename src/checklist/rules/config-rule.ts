import { ConfigProblem, findConfigProblems } from '../../openclaw/config-problems';
import { compliant, nonCompliant, notApplicable, ResourceRule, undecidable } from '../model';

/**
 * Rules over rendered OpenClaw configs (embedded as `openclaw_config_*` locals or in a container's
 * `OPENCLAW_CONFIG_JSON`): the document is checked against the hardened baseline and each rule
 * keeps the problems of its checklist item, by key path. Problems no other rule claims belong to
 * the exposure rule, so none is lost.
 */

const under =
  (...prefixes: string[]) =>
  (path: string) =>
    prefixes.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

const isSecret = (p: ConfigProblem) =>
  /literal secret|looks like|user name and password/.test(p.message);

const CLAIMS: Record<string, (p: ConfigProblem) => boolean> = {
  secrets: isSecret,
  trustedProxies: (p) => under('gateway.trustedProxies')(p.path),
  mdns: (p) => under('discovery.mdns')(p.path),
  shell: (p) => under('tools', 'gateway.tools', 'commands', 'agents', 'browser')(p.path),
  mcpInGateway: (p) =>
    under('mcp.servers', 'nodeHost.mcp.servers')(p.path) && p.path.endsWith('.command'),
  pinned: (p) => under('mcp', 'nodeHost', 'plugins')(p.path),
  audit: (p) => under('logging', 'security')(p.path),
  update: (p) => under('update')(p.path),
};

function claimedBy(p: ConfigProblem): string {
  if (isSecret(p)) return 'secrets';
  for (const [name, claims] of Object.entries(CLAIMS))
    if (name !== 'secrets' && claims(p)) return name;
  return 'exposure';
}

/** Problems per parsed document: eight rules read each config, the check runs once. */
const problemsCache = new WeakMap<object, ConfigProblem[]>();

function problemsOf(doc: unknown): ConfigProblem[] {
  if (typeof doc !== 'object' || doc === null) return findConfigProblems(doc);
  let problems = problemsCache.get(doc);
  if (!problems) {
    problems = findConfigProblems(doc);
    problemsCache.set(doc, problems);
  }
  return problems;
}

/** A rule that keeps the config problems claimed by `claim`. */
export function configRule(claim: string): ResourceRule {
  return (resource) => {
    if (resource.type !== 'openclaw_config') return notApplicable();
    const doc = resource.attributes.document;
    if (typeof doc === 'string')
      return undecidable('the config is not resolved JSON at synth time');
    const problems = problemsOf(doc).filter((p) => claimedBy(p) === claim);
    return problems.length > 0 ? nonCompliant(...problems.map((p) => p.message)) : compliant();
  };
}
