import * as fs from 'fs';
import * as path from 'path';
import {
  Annotations,
  Aspects,
  IAspect,
  TerraformElement,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import { ISynthesisSession } from 'cdktf';
// Custom synthesis is cdktf's own hook (not in its index); cdktf is pinned at 0.21.0.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, IConstruct } from 'constructs';
import { WEAKENING_METADATA } from '../core/weakening';
import { auditStack, errorsOf, Finding, StackAudit, validateSuppression } from './engine';
import {
  APP_WIDE_TYPES,
  CHECKLIST_METADATA_KEY,
  readStack,
  Suppression,
  TfResource,
  withElsewhere,
} from './model';
import { REPORT_FILES, renderJson, renderMarkdown, renderSarif } from './reports';

/** Construct metadata type under which suppressions are recorded. */
export const SUPPRESSION_METADATA = 'cdktf-openclaw/checklist-suppression';

/** Options of {@link OpenClawChecklist}. */
export interface OpenClawChecklistProps {
  /**
   * Write the Markdown, JSON and SARIF reports next to each stack's cdk.tf.json.
   * @default true
   */
  readonly reports?: boolean;
  /**
   * Called with each stack's audit, after annotations are added (for tests and tooling).
   * @default - nothing
   */
  readonly onAudit?: (audit: StackAudit) => void;
  /**
   * Check only the stacks with these ids (construct ids, as `cdktf synth` names them); the
   * app's other stacks are left alone. Throws on an id that is not a stack of the scope.
   * @default - every stack in the scope
   */
  readonly stacks?: readonly string[];
}

/** Lets only {@link OpenClawChecklist.check} construct the aspect. */
const VIA_CHECK = Symbol('OpenClawChecklist.check');

/** What to do instead of adding the aspect by hand; every refused direct-Aspect path says it. */
const USE_CHECK =
  "call OpenClawChecklist.check(app) after creating the stacks: cdktf runs only a stack's own aspects, so an aspect added to the App or to a construct inside a stack checks nothing";

/** The aspects check() made; any other object posing as one (Object.create) is refused. */
const genuine = new WeakSet<OpenClawChecklist>();

/** Per app: the checklist added by check(), and the stacks it was told to leave alone. */
const registry = new WeakMap<
  IConstruct,
  { checklist: OpenClawChecklist; excluded: Set<TerraformStack> }
>();

/**
 * The hardening checklist as a cdktf Aspect. cdktf runs only a stack's own aspects, so the aspect
 * is added through `OpenClawChecklist.check(app)`, which adds it to every stack of the app (call
 * it after creating them; a stack created later fails synth with a message saying so).
 * Constructing the aspect directly is refused: added to the App it would silently do nothing.
 *
 * At synth it reads each stack's Terraform JSON, whatever made it, runs every rule of
 * {@link OPENCLAW_CHECKLIST_RULES}, adds an error annotation per error finding (which fails
 * `cdktf synth`), a warning per warning, an info per suppressed finding, and writes the reports
 * next to cdk.tf.json. The stack is turned into JSON once; the checklist reuses that JSON.
 *
 * In a jest test on `Testing.synth(stack)` output (which runs no custom synthesis), call
 * `check()` first, then assert on {@link OpenClawChecklist.auditSynthesized}:
 * `expect(errorsOf(OpenClawChecklist.auditSynthesized(Testing.synth(stack)))).toEqual([])`.
 */
export class OpenClawChecklist implements IAspect {
  /**
   * Suppresses one rule on one construct (and the resources beneath it), with a written reason of
   * at least 20 characters. Every suppression appears in the reports. Suppressions on a construct
   * and its ancestors add up; none replaces another. Throws on an unknown rule, a rule that can
   * never be suppressed, or a short reason.
   * @param appliesTo finding ids (`<ruleId>@<address>`) to accept; by default every finding of
   * the rule beneath the construct
   */
  public static suppress(
    scope: IConstruct,
    ruleId: string,
    reason: string,
    appliesTo?: readonly string[],
  ): void {
    validateSuppression(ruleId, reason, scope.node.path);
    for (const id of appliesTo ?? []) {
      if (!id.startsWith(`${ruleId}@`))
        throw new Error(
          `suppression of ${ruleId} on ${scope.node.path} lists "${id}" in appliesTo, which is not a finding id of that rule; use "${ruleId}@<address>" as the report shows it`,
        );
    }
    scope.node.addMetadata(SUPPRESSION_METADATA, {
      ruleId,
      reason: reason.trim(),
      ...(appliesTo ? { appliesTo: [...appliesTo] } : {}),
    });
  }

  /**
   * Adds the checklist to every stack in `scope` (an App or a stack), or to the stacks named in
   * `props.stacks`. Call it after the stacks exist. Calling it again on the same app adds the
   * stacks created since and returns the same aspect. Returns the aspect.
   */
  public static check(scope: IConstruct, props: OpenClawChecklistProps = {}): OpenClawChecklist {
    const all = [scope, ...scope.node.findAll()].filter(
      (c): c is TerraformStack => c instanceof TerraformStack,
    );
    const stacks = [...new Set(all)];
    if (stacks.length === 0) {
      throw new Error(
        `OpenClawChecklist.check found no stack in "${scope.node.path || 'the app'}"; call it after creating the stacks`,
      );
    }
    const unknown = (props.stacks ?? []).filter((id) => !stacks.some((s) => s.node.id === id));
    if (unknown.length > 0) {
      throw new Error(
        `OpenClawChecklist.check was given stacks ${JSON.stringify(unknown)}, which are not stacks of "${scope.node.path || 'the app'}"; use one of ${JSON.stringify(stacks.map((s) => s.node.id))}`,
      );
    }
    const root = scope.node.root;
    const entry = registry.get(root) ?? {
      checklist: new OpenClawChecklist(props, VIA_CHECK),
      excluded: new Set<TerraformStack>(),
    };
    genuine.add(entry.checklist);
    registry.set(root, entry);
    for (const stack of stacks) {
      if (props.stacks && !props.stacks.includes(stack.node.id)) {
        if (!Aspects.of(stack).all.includes(entry.checklist)) entry.excluded.add(stack);
        continue;
      }
      entry.excluded.delete(stack);
      if (!Aspects.of(stack).all.includes(entry.checklist)) Aspects.of(stack).add(entry.checklist);
    }
    return entry.checklist;
  }

  /**
   * Audits synthesized Terraform JSON, such as `Testing.synth(stack)` returns, with the whole
   * pack. Suppressions are honoured when the stack had the checklist (check()) before it was
   * synthesized.
   */
  public static auditSynthesized(synthesized: string | object, stackName = 'stack'): StackAudit {
    let json: unknown = synthesized;
    if (typeof synthesized === 'string') {
      try {
        json = JSON.parse(synthesized);
      } catch {
        throw new Error(
          `OpenClawChecklist.auditSynthesized was given a string that is not JSON (${JSON.stringify(synthesized.slice(0, 40))}); pass the output of Testing.synth(stack) or a parsed cdk.tf.json`,
        );
      }
    }
    return auditStack(readStack(json, stackName));
  }

  private readonly done = new WeakSet<TerraformStack>();
  private readonly props: OpenClawChecklistProps;

  private constructor(props: OpenClawChecklistProps, token?: symbol) {
    if (token !== VIA_CHECK) {
      throw new Error(
        "OpenClawChecklist is added with OpenClawChecklist.check(app) (or check(stack)), not constructed directly: cdktf runs only a stack's own aspects, so an aspect added to the App would check nothing",
      );
    }
    this.props = props;
  }

  /**
   * Runs the checklist on a stack it was added to. Throws when the aspect reaches a construct
   * whose stack it was not added to (`Aspects.of(construct).add(...)` by hand, which would check
   * nothing), or when it was not made by {@link OpenClawChecklist.check}.
   */
  public visit(node: IConstruct): void {
    if (!genuine.has(this))
      throw new Error(
        `this OpenClawChecklist was not made by OpenClawChecklist.check; ${USE_CHECK}`,
      );
    if (!(node instanceof TerraformStack)) {
      // cdktf visits a stack before its children: a child of a stack not visited means the
      // aspect was added below the stack, where it can never run
      const stack = TerraformStack.of(node);
      if (!this.done.has(stack))
        throw new Error(
          `OpenClawChecklist was added to "${node.node.path}" with Aspects.of(...).add(), inside stack "${stack.node.id}", where it checks nothing; ${USE_CHECK}`,
        );
      return;
    }
    if (this.done.has(node)) return;
    this.done.add(node);
    if (node.node.tryFindChild(RUN_ID)) return;
    recordSuppressions(node);
    new ChecklistRun(node, this.props);
  }
}

const RUN_ID = 'OpenClawChecklist';

/** Runs the checklist on one stack during its synthesis, after every aspect and validation. */
class ChecklistRun extends Construct {
  constructor(
    private readonly stack: TerraformStack,
    private readonly props: OpenClawChecklistProps,
  ) {
    super(stack, RUN_ID);
    addCustomSynthesis(this, { onSynthesize: (session) => this.run(session) });
  }

  private run(session: ISynthesisSession): void {
    refuseUncheckedStacks(this.stack);
    recordSuppressions(this.stack);
    const json = this.stack.toTerraform();
    // the synthesizer calls toTerraform() right after custom synthesis: hand it this JSON once
    const stack = this.stack as unknown as { toTerraform: () => unknown };
    stack.toTerraform = () => {
      delete (stack as Partial<typeof stack>).toTerraform;
      return json;
    };

    const audit = auditStack(
      withElsewhere(readStack(json, this.stack.node.id), appWideElsewhere(this.stack)),
    );
    annotate(this.stack, audit);
    this.props.onAudit?.(audit);

    if (this.props.reports === false) return;
    const dir = path.join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, REPORT_FILES.markdown), renderMarkdown(audit));
    fs.writeFileSync(path.join(dir, REPORT_FILES.json), renderJson([audit]));
    const artifact = path
      .relative(process.cwd(), path.join(dir, 'cdk.tf.json'))
      .split(path.sep)
      .join('/');
    fs.writeFileSync(
      path.join(dir, REPORT_FILES.sarif),
      renderSarif([audit], () => artifact),
    );
  }
}

/**
 * The app-wide resources (review schedules) of the app's other stacks, read from their constructs:
 * only those few elements are turned into JSON.
 */
function appWideElsewhere(stack: TerraformStack): TfResource[] {
  const out: TfResource[] = [];
  for (const node of stack.node.root.node.findAll()) {
    if (
      !(node instanceof TerraformResource) ||
      !APP_WIDE_TYPES.includes(node.terraformResourceType)
    )
      continue;
    const owner = TerraformStack.of(node);
    if (owner === stack) continue;
    const json = node.toTerraform() as { resource?: Record<string, Record<string, unknown>> };
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, attributes] of Object.entries(byName)) {
        out.push({
          type,
          name,
          address: `${owner.node.id}/${type}.${name}`,
          attributes: attributes as Record<string, unknown>,
          suppressions: [],
        });
      }
    }
  }
  return out;
}

/**
 * Writes each construct's suppressions, and those of its ancestors, into the `//` metadata of the
 * resources beneath, merged with what the resource's own construct wrote there: none replaces
 * another. Each construct's weakenings (dangerously* props) are written once, on the first
 * resource beneath it, so every weakening reaches the reports.
 */
function recordSuppressions(stack: TerraformStack): void {
  const weakeningsWritten = new Set<IConstruct>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformElement)) continue;
    const existing = existingChecklistMetadata(node);
    const suppressions: Suppression[] = [...((existing.suppressions as Suppression[]) ?? [])];
    const weakenings: unknown[] = [...((existing.weakenings as unknown[]) ?? [])];
    const seen = new Set([...suppressions, ...weakenings].map((s) => JSON.stringify(s)));
    for (let c: IConstruct | undefined = node; c && c !== stack; c = c.node.scope) {
      for (const m of c.node.metadata) {
        if (m.type === SUPPRESSION_METADATA && !seen.has(JSON.stringify(m.data))) {
          seen.add(JSON.stringify(m.data));
          suppressions.push(m.data as Suppression);
        }
        if (m.type === WEAKENING_METADATA && !weakeningsWritten.has(c)) {
          const w = m.data as { id: string; reason: string; what?: string };
          const entry = { id: w.id, reason: w.reason, what: w.what, construct: c.node.path };
          if (!seen.has(JSON.stringify(entry))) weakenings.push(entry);
          seen.add(JSON.stringify(entry));
        }
      }
      if (c.node.metadata.some((m) => m.type === WEAKENING_METADATA)) weakeningsWritten.add(c);
    }
    if (suppressions.length > 0)
      node.addOverride(`//.${CHECKLIST_METADATA_KEY}.suppressions`, suppressions);
    if (weakenings.length > 0)
      node.addOverride(`//.${CHECKLIST_METADATA_KEY}.weakenings`, weakenings);
  }
}

/** What a construct already wrote under `//.openclaw_checklist` (cdktf 0.21 keeps overrides raw). */
function existingChecklistMetadata(node: TerraformElement): Record<string, unknown> {
  const raw = (node as unknown as { rawOverrides?: Record<string, unknown> }).rawOverrides ?? {};
  const comment = (raw['//'] ?? {}) as Record<string, unknown>;
  return (comment[CHECKLIST_METADATA_KEY] ?? {}) as Record<string, unknown>;
}

/** Fails synth when the app has stacks that check() never saw (created after it). */
function refuseUncheckedStacks(stack: TerraformStack): void {
  const entry = registry.get(stack.node.root);
  if (!entry) return;
  const unchecked = stack.node.root.node
    .findAll()
    .filter(
      (c): c is TerraformStack =>
        c instanceof TerraformStack &&
        !entry.excluded.has(c) &&
        !Aspects.of(c).all.includes(entry.checklist),
    );
  if (unchecked.length > 0) {
    throw new Error(
      `stacks ${JSON.stringify(unchecked.map((s) => s.node.id))} were created after OpenClawChecklist.check(app) (or the checklist reached them only through Aspects.of(app).add(), which cdktf never runs), so the checklist would not run on them; call check(app) after creating every stack (or again after creating these)`,
    );
  }
}

function annotate(stack: TerraformStack, audit: StackAudit): void {
  const byPath = new Map(stack.node.findAll().map((c) => [c.node.path, c]));
  const target = (f: Finding) =>
    (f.constructPath ? byPath.get(f.constructPath) : undefined) ?? stack;
  for (const f of errorsOf(audit)) Annotations.of(target(f)).addError(message(f));
  for (const f of audit.findings.filter((x) => x.severity === 'warning'))
    Annotations.of(target(f)).addWarning(message(f));
  for (const f of audit.suppressed)
    Annotations.of(target(f)).addInfo(
      `[${f.ruleId}] suppressed on ${f.address}: ${f.suppressedBecause}`,
    );
}

function message(f: Finding): string {
  return `[${f.ruleId}] ${f.address}: ${f.details.join('; ')}. Remedy: ${f.remedy}`;
}
