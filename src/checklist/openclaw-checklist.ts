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
}

/**
 * The hardening checklist as a cdktf Aspect. cdktf runs only a stack's own aspects, so add it to
 * each stack: `OpenClawChecklist.check(app)` does that for every stack already in the app (call
 * it after creating them), or `Aspects.of(stack).add(new OpenClawChecklist())` for one.
 *
 * At synth it reads each stack's Terraform JSON, whatever made it, runs every rule of
 * {@link OPENCLAW_CHECKLIST_RULES}, adds an error annotation per error finding (which fails
 * `cdktf synth`), a warning per warning, an info per suppressed finding, and writes the reports
 * next to cdk.tf.json. The stack is turned into JSON once; the checklist reuses that JSON.
 */
export class OpenClawChecklist implements IAspect {
  /**
   * Suppresses one rule on one construct (and the resources beneath it), with a written reason of
   * at least 20 characters. Every suppression appears in the reports. Throws on an unknown rule
   * or a short reason.
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    validateSuppression(ruleId, reason, scope.node.path);
    scope.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: reason.trim() });
  }

  /**
   * Adds the checklist to every stack in `scope` (an App or a stack). Call it after the stacks
   * exist. Returns the aspect.
   */
  public static check(scope: IConstruct, props: OpenClawChecklistProps = {}): OpenClawChecklist {
    const checklist = new OpenClawChecklist(props);
    const stacks = scope.node
      .findAll()
      .filter((c): c is TerraformStack => c instanceof TerraformStack);
    if (stacks.length === 0) {
      throw new Error(
        `OpenClawChecklist.check found no stack in "${scope.node.path || 'the app'}"; call it after creating the stacks`,
      );
    }
    for (const stack of stacks) Aspects.of(stack).add(checklist);
    return checklist;
  }

  private readonly done = new WeakSet<TerraformStack>();

  constructor(private readonly props: OpenClawChecklistProps = {}) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack) || this.done.has(node)) return;
    this.done.add(node);
    new ChecklistRun(node, this.props);
  }
}

/** Runs the checklist on one stack during its synthesis, after every aspect and validation. */
class ChecklistRun extends Construct {
  constructor(
    private readonly stack: TerraformStack,
    private readonly props: OpenClawChecklistProps,
  ) {
    super(stack, 'OpenClawChecklist');
    addCustomSynthesis(this, { onSynthesize: (session) => this.run(session) });
  }

  private run(session: ISynthesisSession): void {
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

/** Writes each construct's suppressions into the `//` metadata of the resources beneath it. */
function recordSuppressions(stack: TerraformStack): void {
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformElement)) continue;
    const suppressions: Suppression[] = [];
    for (let c: IConstruct | undefined = node; c && c !== stack; c = c.node.scope) {
      for (const m of c.node.metadata) {
        if (m.type === SUPPRESSION_METADATA) suppressions.push(m.data as Suppression);
      }
    }
    if (suppressions.length > 0)
      node.addOverride(`//.${CHECKLIST_METADATA_KEY}.suppressions`, suppressions);
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
