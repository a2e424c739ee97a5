import { MIN_REASON_LENGTH } from '../core/weakening';
import { isUnresolved, RuleOutcome, StackRuleResult, TfResource, TfStack } from './model';
import { UnreadableValue } from './inspect';
import { inScope } from './scope';
import {
  CHECKLIST_ITEMS,
  checklistRule,
  ChecklistRule,
  OPENCLAW_CHECKLIST_RULES,
  Severity,
} from './pack';

/**
 * The engine owns what rules do not: running every rule on every resource, suppressions, and
 * turning outcomes into findings. A rule that cannot decide is a finding, never a pass.
 */

/** One rule that failed, or could not decide, on one resource. */
export interface Finding {
  /**
   * Stable id, `<ruleId>@<address>`: what a suppression's `appliesTo` names to accept exactly
   * this finding and no other.
   */
  readonly id: string;
  readonly ruleId: string;
  readonly item: number;
  /** The rule's severity; a finding that could not be decided keeps it (fail closed). */
  readonly severity: Severity;
  readonly status: 'non-compliant' | 'undecidable';
  /** Terraform address, such as `docker_container.gateway`. */
  readonly address: string;
  readonly constructPath?: string;
  readonly title: string;
  readonly details: readonly string[];
  readonly remedy: string;
  /** Set when the finding is suppressed: the written reason. */
  readonly suppressedBecause?: string;
}

/** The checklist's verdict on one stack. */
export interface StackAudit {
  readonly stack: string;
  /** Findings that count. */
  readonly findings: readonly Finding[];
  /** Findings suppressed with a reason; every one appears in the reports. */
  readonly suppressed: readonly Finding[];
  /** Per checklist item: pass, fail (an error), warn (warnings only), or not applicable. */
  readonly items: readonly ItemStatus[];
  /** Weakenings taken on purpose through dangerously* props, with their reasons. */
  readonly weakenings: readonly {
    readonly address: string;
    readonly id: string;
    readonly reason: string;
  }[];
  /** How many resources and rules were checked. */
  readonly checked: { readonly resources: number; readonly rules: number };
}

export interface ItemStatus {
  readonly item: number;
  readonly title: string;
  readonly status: 'pass' | 'fail' | 'warn' | 'n/a';
  readonly rules: readonly string[];
}

/** Checks a suppression; throws naming what is wrong. */
export function validateSuppression(ruleId: string, reason: string, where: string): void {
  const rule = checklistRule(ruleId);
  if (!rule) {
    throw new Error(
      `suppression on ${where} names rule "${ruleId}", which does not exist; use an id from OPENCLAW_CHECKLIST_RULES such as "OC06-ProcessLimit"`,
    );
  }
  if (!rule.suppressible) {
    throw new Error(
      `suppression on ${where} names ${ruleId}, which can never be suppressed (the library promises it never happens); fix the resource instead: ${rule.remedy}`,
    );
  }
  if ((reason ?? '').trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `suppression of ${ruleId} on ${where} needs a reason of at least ${MIN_REASON_LENGTH} characters (got ${(reason ?? '').trim().length}); say why the rule does not apply`,
    );
  }
}

/** Runs the whole pack on one stack. */
export function auditStack(
  stack: TfStack,
  rules: readonly ChecklistRule[] = OPENCLAW_CHECKLIST_RULES,
): StackAudit {
  const raw: {
    rule: ChecklistRule;
    resource?: TfResource;
    address: string;
    outcome: RuleOutcome;
  }[] = [];
  for (const rule of rules) {
    if ('resource' in rule.check) {
      const check = rule.check.resource;
      for (const resource of stack.resources) {
        if (!inScope(rule.appliesTo, resource, stack)) continue;
        raw.push({
          rule,
          resource,
          address: resource.address,
          outcome: runGuarded(() => {
            const { view, read } = tracked(resource);
            return failClosed(check(view, stack), resource, read, stack);
          }),
        });
      }
    } else {
      let results: readonly StackRuleResult[];
      const views = stack.resources.map((r) => tracked(r));
      const reads = new Map(stack.resources.map((r, i) => [r.address, views[i].read]));
      const view: TfStack = {
        ...stack,
        resources: views.map((v) => v.view),
        byAddress: new Map(views.map((v) => [v.view.address, v.view])),
      };
      try {
        results = rule.check.stack(view);
      } catch (e) {
        // a stack rule that cannot read a resource: undecidable on the resources it could not read
        const blamed = stack.resources
          .filter((r) => unreadable(r, [...(reads.get(r.address) ?? [])], stack).length > 0)
          .map((r) => r.address);
        results = (blamed.length > 0 ? blamed : [stack.resources[0]?.address ?? stack.name]).map(
          (address) => ({ address, outcome: crashed(e) }),
        );
      }
      for (const result of results) {
        const resource = stack.byAddress.get(result.address);
        if (!inScope(rule.appliesTo, resource, stack)) continue;
        raw.push({
          rule,
          resource,
          address: result.address,
          outcome: resource
            ? failClosed(result.outcome, resource, reads.get(resource.address) ?? new Set(), stack)
            : result.outcome,
        });
      }
    }
  }

  // explicit suppressions must be valid even where no finding matches them
  for (const resource of stack.resources) {
    for (const s of resource.suppressions) {
      if (s.origin !== 'weakening') validateSuppression(s.ruleId, s.reason, resource.address);
      for (const id of s.appliesTo ?? []) {
        if (!id.startsWith(`${s.ruleId}@`))
          throw new Error(
            `suppression of ${s.ruleId} on ${resource.address} lists "${id}" in appliesTo, which is not a finding id of that rule; use "${s.ruleId}@<address>" as the report shows it`,
          );
      }
    }
  }

  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const applied = new Map<number, { compliant: boolean; rules: Set<string> }>();
  for (const { rule, resource, address, outcome } of raw) {
    if (outcome.compliance === 'not-applicable') continue;
    const seen = applied.get(rule.item) ?? { compliant: true, rules: new Set<string>() };
    seen.rules.add(rule.id);
    applied.set(rule.item, seen);
    if (outcome.compliance === 'compliant') continue;
    const finding: Finding = {
      id: `${rule.id}@${address}`,
      ruleId: rule.id,
      item: rule.item,
      severity: rule.severity,
      status: outcome.compliance,
      address,
      constructPath: resource?.constructPath,
      title: rule.title,
      details: outcome.details,
      remedy:
        outcome.compliance === 'undecidable'
          ? rule.suppressible
            ? `Resolve the value at synth time, or check it by hand and suppress ${rule.id}@${address} with the reason. ${rule.remedy}`
            : `Resolve the value at synth time (${rule.id} cannot be suppressed). ${rule.remedy}`
          : rule.remedy,
    };
    let remaining = finding.details;
    const applicable = rule.suppressible
      ? (resource?.suppressions ?? []).filter(
          (s) =>
            s.ruleId === rule.id && (s.appliesTo === undefined || s.appliesTo.includes(finding.id)),
        )
      : [];
    for (const suppression of applicable) {
      const covered = suppression.covers
        ? remaining.filter((d) => suppression.covers!.some((c) => d.includes(c)))
        : remaining;
      if (covered.length === 0) continue;
      suppressed.push({ ...finding, details: covered, suppressedBecause: suppression.reason });
      remaining = remaining.filter((d) => !covered.includes(d));
    }
    if (remaining.length > 0) findings.push({ ...finding, details: remaining });
  }

  const items: ItemStatus[] = Object.entries(CHECKLIST_ITEMS).map(([n, title]) => {
    const item = Number(n);
    const mine = findings.filter((f) => f.item === item);
    const rulesHere = [...(applied.get(item)?.rules ?? [])].sort();
    const status = mine.some((f) => f.severity === 'error')
      ? 'fail'
      : mine.length > 0
        ? 'warn'
        : rulesHere.length > 0
          ? 'pass'
          : 'n/a';
    return { item, title, status, rules: rulesHere };
  });

  return {
    stack: stack.name,
    findings: sortFindings(findings),
    suppressed: sortFindings(suppressed),
    items,
    checked: { resources: stack.resources.length, rules: rules.length },
    weakenings: stack.weakenings,
  };
}

function sortFindings(findings: Finding[]): Finding[] {
  const weight = (f: Finding) => (f.severity === 'error' ? 0 : 1);
  return findings.sort(
    (a, b) =>
      weight(a) - weight(b) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.address.localeCompare(b.address),
  );
}

/** Error-level findings that remain (what fails synth and the audit command). */
export function errorsOf(audit: StackAudit): Finding[] {
  return audit.findings.filter((f) => f.severity === 'error');
}

/** A rule that throws is a finding on the resource, never a crash of the audit. */
function runGuarded(run: () => RuleOutcome): RuleOutcome {
  try {
    return run();
  } catch (e) {
    return crashed(e);
  }
}

function crashed(e: unknown): RuleOutcome {
  if (e instanceof UnreadableValue) return { compliance: 'undecidable', details: [e.message] };
  return {
    compliance: 'undecidable',
    details: [
      `the rule could not read this resource (${e instanceof Error ? e.message : String(e)}); check it by hand`,
    ],
  };
}

/** The resource as the rule sees it, recording which top-level attributes it reads. */
function tracked(resource: TfResource): { view: TfResource; read: Set<string> } {
  const read = new Set<string>();
  const attributes = new Proxy(resource.attributes, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key) as unknown;
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      for (const k of Object.keys(target)) read.add(k);
      return Reflect.ownKeys(target);
    },
  });
  return { view: { ...resource, attributes }, read };
}

/**
 * Fail closed: a rule that passed (or found nothing to check) after reading an attribute written
 * as a dynamic block, or as a whole-value reference to something outside the stack (a variable,
 * a module output, a local), could not really decide: the outcome is undecidable, at the rule's
 * own severity.
 */
function failClosed(
  outcome: RuleOutcome,
  resource: TfResource,
  read: ReadonlySet<string>,
  stack: TfStack,
): RuleOutcome {
  if (resource.opaque !== undefined && outcome.compliance !== 'not-applicable')
    return { compliance: 'undecidable', details: [resource.opaque] };
  if (outcome.compliance === 'non-compliant' || outcome.compliance === 'undecidable')
    return outcome;
  const unread = unreadable(resource, [...read], stack);
  if (unread.length === 0) return outcome;
  return { compliance: 'undecidable', details: unread };
}

/** The attributes among `keys` that cannot be read at synth time, described. */
function unreadable(resource: TfResource, keys: readonly string[], stack: TfStack): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const why = resource.unreadable?.[key];
    if (why !== undefined) {
      out.push(why);
      continue;
    }
    if (resource.dynamicBlocks?.includes(key)) {
      out.push(`${key} is written as a dynamic block, which cannot be read at synth time`);
      continue;
    }
    const value = resource.attributes[key];
    if (typeof value !== 'string' || !isUnresolved(value)) continue;
    const whole = /^\$\{([^{}]*)\}$/.exec(value);
    if (!whole) continue;
    const target = /^((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+$/.exec(whole[1]);
    if (target && stack.byAddress.has(target[1])) continue;
    out.push(`${key} is ${value}, a value not known at synth time`);
  }
  return out;
}
