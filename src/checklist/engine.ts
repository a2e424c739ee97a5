import { MIN_REASON_LENGTH } from '../core/weakening';
import { RuleOutcome, TfResource, TfStack } from './model';
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
  readonly ruleId: string;
  readonly item: number;
  /** The rule's severity; a finding that could not be decided is always a warning. */
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
  if (!checklistRule(ruleId)) {
    throw new Error(
      `suppression on ${where} names rule "${ruleId}", which does not exist; use an id from OPENCLAW_CHECKLIST_RULES such as "OC06-ProcessLimit"`,
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
      for (const resource of stack.resources) {
        raw.push({
          rule,
          resource,
          address: resource.address,
          outcome: rule.check.resource(resource, stack),
        });
      }
    } else {
      for (const result of rule.check.stack(stack)) {
        raw.push({
          rule,
          resource: stack.byAddress.get(result.address),
          address: result.address,
          outcome: result.outcome,
        });
      }
    }
  }

  // explicit suppressions must be valid even where no finding matches them
  for (const resource of stack.resources) {
    for (const s of resource.suppressions) {
      if (s.origin !== 'weakening') validateSuppression(s.ruleId, s.reason, resource.address);
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
      ruleId: rule.id,
      item: rule.item,
      severity: outcome.compliance === 'undecidable' ? 'warning' : rule.severity,
      status: outcome.compliance,
      address,
      constructPath: resource?.constructPath,
      title: rule.title,
      details: outcome.details,
      remedy:
        outcome.compliance === 'undecidable'
          ? `Resolve the value at synth time or check it by hand, then suppress ${rule.id} with the reason. ${rule.remedy}`
          : rule.remedy,
    };
    let remaining = finding.details;
    for (const suppression of resource?.suppressions.filter((s) => s.ruleId === rule.id) ?? []) {
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
