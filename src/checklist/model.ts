import { hasInterpolation, unescapeTerraformTemplate } from '../core/terraform-string';
import { configsIn, parseConfigText } from './config-channels';
import {
  ECS_CONTAINER,
  holdsWorkloadContainers,
  KUBERNETES_CONTAINER,
  workloadContainers,
} from './workloads';

/**
 * What checklist rules look at: the synthesized Terraform JSON of one stack, whoever wrote it.
 * Rules never see constructs, so the same rules run at synth time (the Aspect) and on any
 * cdk.tf.json (the `audit` command), including stacks this library did not make.
 */

/** One addressable thing in a stack: a resource, a data source, or a rendered OpenClaw config. */
export interface TfResource {
  /** Terraform type (`docker_container`), or `openclaw_config` for a rendered config. */
  readonly type: string;
  /** Terraform name (`gateway`). */
  readonly name: string;
  /** Terraform address (`docker_container.gateway`, `data.aws_iam_policy_document.x`, `local.x`). */
  readonly address: string;
  /** The attributes as synthesized. References stay `${...}` strings. */
  readonly attributes: Record<string, unknown>;
  /** The construct path cdktf recorded, when the resource came from a construct. */
  readonly constructPath?: string;
  /** Rule suppressions recorded in the resource's `//` metadata. */
  readonly suppressions: readonly Suppression[];
  /**
   * Top-level attributes written (wholly or in part) as `dynamic` blocks: a rule that reads one
   * cannot decide.
   */
  readonly dynamicBlocks?: readonly string[];
  /**
   * Attributes that cannot be read at synth time, with the reason (a container read out of an ECS
   * task definition or a Kubernetes workload whose source value is a reference): a rule that
   * reads one cannot pass.
   */
  readonly unreadable?: Readonly<Record<string, string>>;
  /**
   * Set when nothing of the resource can be read at synth time (the reason): every rule that
   * judges it is undecidable.
   */
  readonly opaque?: string;
}

/** A rule suppressed on one resource, with its reason. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /**
   * When set, only finding details containing one of these texts are suppressed (a weakening
   * covers what was weakened, not the whole rule).
   */
  readonly covers?: readonly string[];
  /** Where it came from: an explicit suppression, or a weakening taken through a prop. */
  readonly origin?: 'suppression' | 'weakening';
  /**
   * When set, only these findings (by finding id, `<ruleId>@<address>`) are suppressed.
   * @default - every finding of the rule on the resources beneath
   */
  readonly appliesTo?: readonly string[];
}

/** A weakening taken on purpose, as recorded in the synthesized stack. */
export interface RecordedWeakening {
  readonly address: string;
  readonly id: string;
  readonly reason: string;
}

/** Metadata key, under a resource's `//`, where suppressions and weakenings are recorded. */
export const CHECKLIST_METADATA_KEY = 'openclaw_checklist';

/** The stack as rules see it. */
export interface TfStack {
  /** Stack name (from cdktf metadata, or the folder name). */
  readonly name: string;
  /** Every resource, data source and rendered config. */
  readonly resources: readonly TfResource[];
  /** Look up by address. */
  readonly byAddress: ReadonlyMap<string, TfResource>;
  /** Weakenings recorded by our constructs (container labels, config locals). */
  readonly weakenings: readonly RecordedWeakening[];
  /**
   * Resources of the app's other stacks that app-wide rules look at (the types in
   * {@link APP_WIDE_TYPES}), addressed `<stack>/<type>.<name>`. Empty when the stack is audited
   * alone.
   */
  readonly elsewhere: readonly TfResource[];
}

/**
 * Resource types an app-wide rule looks for in every stack of the app: the monthly review may be
 * scheduled in the AWS stack while the gateways run in a Docker stack.
 */
export const APP_WIDE_TYPES: readonly string[] = [
  'aws_scheduler_schedule',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_event_target',
];

/** The resources of {@link APP_WIDE_TYPES} in a stack, to pass to the others as `elsewhere`. */
export function appWideResources(stack: TfStack): TfResource[] {
  return stack.resources
    .filter((r) => APP_WIDE_TYPES.includes(r.type))
    .map((r) => ({ ...r, address: `${stack.name}/${r.address}` }));
}

/** The same stack, seeing the app's other stacks' {@link APP_WIDE_TYPES} resources. */
export function withElsewhere(stack: TfStack, elsewhere: readonly TfResource[]): TfStack {
  return { ...stack, elsewhere };
}

/** The outcome of one rule on one resource. */
export type RuleOutcome =
  | { readonly compliance: 'compliant' }
  | { readonly compliance: 'not-applicable' }
  | { readonly compliance: 'non-compliant'; readonly details: readonly string[] }
  | { readonly compliance: 'undecidable'; readonly details: readonly string[] };

export const compliant = (): RuleOutcome => ({ compliance: 'compliant' });
export const notApplicable = (): RuleOutcome => ({ compliance: 'not-applicable' });
export const nonCompliant = (...details: string[]): RuleOutcome => ({
  compliance: 'non-compliant',
  details,
});
export const undecidable = (...details: string[]): RuleOutcome => ({
  compliance: 'undecidable',
  details,
});

/** Combines outcomes: any non-compliance wins, then undecidable, then compliant. */
export function combine(outcomes: readonly RuleOutcome[]): RuleOutcome {
  const non = outcomes.flatMap((o) => (o.compliance === 'non-compliant' ? o.details : []));
  if (non.length > 0) return nonCompliant(...non);
  const und = outcomes.flatMap((o) => (o.compliance === 'undecidable' ? o.details : []));
  if (und.length > 0) return undecidable(...und);
  if (outcomes.some((o) => o.compliance === 'compliant')) return compliant();
  return notApplicable();
}

/** A rule over one resource. Pure: no I/O, no scope. */
export type ResourceRule = (resource: TfResource, stack: TfStack) => RuleOutcome;

/**
 * Resource types that are containers to the container rules: the docker provider's, and those
 * read out of ECS task definitions and Kubernetes workloads.
 */
export const CONTAINER_TYPES: readonly string[] = [
  'docker_container',
  ECS_CONTAINER,
  KUBERNETES_CONTAINER,
];

/** True when the resource is a container (of any platform the checklist reads). */
export function isContainer(resource: TfResource): boolean {
  return CONTAINER_TYPES.includes(resource.type);
}

/** True when a synthesized value still holds a reference or an unresolved token. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && hasInterpolation(value);
}

type Json = Record<string, unknown>;

/** Reads one stack's Terraform JSON into the rules' view. Throws if it is not Terraform JSON. */
export function readStack(json: unknown, fallbackName: string): TfStack {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('not Terraform JSON: the top level is not an object');
  }
  const doc = json as Json;
  const known = [
    'resource',
    'data',
    'provider',
    'terraform',
    'locals',
    'output',
    'variable',
    'module',
    '//',
  ];
  if (
    !Object.keys(doc).some((k) => known.includes(k)) ||
    Object.keys(doc).some(
      (k) =>
        !known.includes(k) && k !== 'import' && k !== 'moved' && k !== 'check' && k !== 'removed',
    )
  ) {
    throw new Error(
      `not Terraform JSON: expected top-level keys such as "resource" and "terraform", found ${JSON.stringify(Object.keys(doc).slice(0, 5))}`,
    );
  }
  const meta = ((doc['//'] as Json | undefined)?.metadata ?? {}) as Json;
  const name = typeof meta.stackName === 'string' ? meta.stackName : fallbackName;
  const resources: TfResource[] = [];
  const weakenings: RecordedWeakening[] = [];
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const { type, name: rname, body } of namedBlocks(doc[kind], kind)) {
      const attributes = { ...body };
      const comment = (attributes['//'] ?? {}) as Json;
      delete attributes['//'];
      const dynamicBlocks = dynamicKeys(attributes);
      delete attributes.dynamic;
      const checklist = (comment[CHECKLIST_METADATA_KEY] ?? {}) as Json;
      const address = `${prefix}${type}.${rname}`;
      for (const w of Array.isArray(checklist.weakenings) ? checklist.weakenings : []) {
        const { id, reason } = (w ?? {}) as Json;
        if (typeof id === 'string')
          weakenings.push({ address, id, reason: typeof reason === 'string' ? reason : '' });
      }
      resources.push({
        type,
        name: rname,
        address,
        attributes,
        constructPath: ((comment.metadata ?? {}) as Json).path as string | undefined,
        suppressions: [
          ...readSuppressions(checklist.suppressions),
          ...(type === 'docker_container'
            ? labelWeakenings(attributes.labels, address, weakenings)
            : []),
        ],
        ...(dynamicBlocks.length > 0 ? { dynamicBlocks } : {}),
      });
    }
  }
  // containers of ECS task definitions and Kubernetes workloads, in the container rules' terms
  for (const r of [...resources])
    if (holdsWorkloadContainers(r.type)) resources.push(...workloadContainers(r));
  // rendered OpenClaw configs: locals named openclaw_config_* and container environments;
  // the same config embedded twice (a local and a container env) is parsed into one object,
  // so rules that cache per document check it once
  const parsedConfigs = new Map<string, unknown>();
  for (const [lname, value] of Object.entries(localsOf(doc))) {
    if (!lname.startsWith('openclaw_config_') || lname.endsWith('_weakenings')) continue;
    resources.push(
      configResource(
        `local.${lname}`,
        lname,
        value,
        undefined,
        readWeakeningLocal(doc, lname, weakenings),
        parsedConfigs,
      ),
    );
  }
  for (const r of [...resources]) {
    if (!isContainer(r)) continue;
    const env = Array.isArray(r.attributes.env) ? r.attributes.env : [];
    const entry = env.find(
      (e): e is string => typeof e === 'string' && e.startsWith('OPENCLAW_CONFIG_JSON='),
    );
    if (entry !== undefined) {
      resources.push(
        configResource(
          `${r.address}:OPENCLAW_CONFIG_JSON`,
          r.name,
          entry.slice('OPENCLAW_CONFIG_JSON='.length),
          r,
          [],
          parsedConfigs,
        ),
      );
    }
  }
  // configs delivered through other channels: uploads, local files, parameters, objects, cloud-init
  for (const r of [...resources]) {
    if (r.type === 'openclaw_config') continue;
    for (const found of configsIn(r.type, r.attributes)) {
      resources.push(
        configResource(`${r.address}${found.where}`, r.name, found.text, r, [], parsedConfigs),
      );
    }
  }
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  // a weakening recorded both by a label and by its construct's metadata is listed once
  const seen = new Set<string>();
  const unique = weakenings.filter((w) => {
    const key = `${w.id}\n${w.reason.trim()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { name, resources, byAddress, weakenings: unique, elsewhere: [] };
}

/**
 * The `(type, name, body)` of a `resource` or `data` section, in every form Terraform JSON
 * accepts: an object of types, or a list of such objects; a type as an object of names or a list
 * of such objects; a body as an object or a list of objects (merged, as Terraform does for one
 * block). Throws naming the first part that is none of these.
 */
function namedBlocks(section: unknown, kind: string): { type: string; name: string; body: Json }[] {
  if (section === undefined || section === null) return [];
  const isObject = (v: unknown): v is Json =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const objects = (v: unknown, where: string, what: string): Json[] => {
    const items = Array.isArray(v) ? v : [v];
    for (const item of items)
      if (!isObject(item))
        throw new Error(
          `not Terraform JSON: ${where} is ${JSON.stringify(item)?.slice(0, 40)}, not ${what}; write it as an object (or a list of objects)`,
        );
    return items as Json[];
  };
  const out: { type: string; name: string; body: Json }[] = [];
  for (const types of objects(section, `"${kind}"`, 'an object of resource types')) {
    for (const [type, byName] of Object.entries(types)) {
      for (const names of objects(byName, `${kind}.${type}`, 'an object of named blocks')) {
        for (const [name, raw] of Object.entries(names)) {
          const bodies = objects(raw, `${kind}.${type}.${name}`, 'an object');
          out.push({ type, name, body: Object.assign({}, ...bodies) as Json });
        }
      }
    }
  }
  return out;
}

/** The locals, written as one object or as a list of objects. */
function localsOf(doc: Json): Json {
  const locals = doc.locals;
  const parts = Array.isArray(locals) ? locals : [locals];
  return Object.assign(
    {},
    ...parts.filter((p): p is Json => typeof p === 'object' && p !== null && !Array.isArray(p)),
  ) as Json;
}

/** Top-level attributes that are `dynamic` blocks, or that hold one somewhere inside. */
function dynamicKeys(attributes: Json): string[] {
  const keys = new Set<string>();
  const dyn = attributes.dynamic;
  for (const d of Array.isArray(dyn) ? dyn : [dyn]) {
    if (typeof d === 'object' && d !== null) for (const k of Object.keys(d)) keys.add(k);
  }
  const holds = (v: unknown): boolean =>
    typeof v === 'object' &&
    v !== null &&
    (Array.isArray(v) ? v.some(holds) : 'dynamic' in v || Object.values(v).some(holds));
  for (const [k, v] of Object.entries(attributes)) if (k !== 'dynamic' && holds(v)) keys.add(k);
  return [...keys];
}

function configResource(
  address: string,
  name: string,
  value: unknown,
  owner: TfResource | undefined,
  extra: Suppression[],
  parsedConfigs: Map<string, unknown>,
): TfResource {
  let parsed: unknown = value;
  if (typeof value === 'string' && !isUnresolved(value)) {
    parsed = parseConfigText(value);
    if (typeof parsed === 'object' && parsed !== null) {
      const key = JSON.stringify(parsed);
      if (parsedConfigs.has(key)) parsed = parsedConfigs.get(key);
      else parsedConfigs.set(key, parsed);
    }
  }
  return {
    type: 'openclaw_config',
    name,
    address,
    attributes: { document: parsed },
    constructPath: owner?.constructPath,
    suppressions: [...(owner?.suppressions ?? []), ...extra],
  };
}

/** Container label prefix under which HardenedContainer records weakenings and their reasons. */
export const WEAKENING_LABEL_PREFIX = 'openclaw.weakening.';

function labelWeakenings(
  labels: unknown,
  address: string,
  out: RecordedWeakening[],
): Suppression[] {
  if (!Array.isArray(labels)) return [];
  return labels.flatMap((l) => {
    const { label, value } = (l ?? {}) as Json;
    if (typeof label !== 'string' || !label.startsWith(WEAKENING_LABEL_PREFIX)) return [];
    const id = label.slice(WEAKENING_LABEL_PREFIX.length);
    const reason = typeof value === 'string' ? unescapeTerraformTemplate(value) : '';
    out.push({ address, id, reason });
    return weakeningSuppressions(id, reason);
  });
}

function readSuppressions(raw: unknown): Suppression[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((s): s is Json => typeof s === 'object' && s !== null)
    .map((s) => ({
      ruleId: String(s.ruleId ?? ''),
      reason: String(s.reason ?? ''),
      ...(Array.isArray(s.appliesTo) ? { appliesTo: s.appliesTo.map(String) } : {}),
    }));
}

/** Weakenings recorded next to a config local become suppressions of the rule they weaken. */
function readWeakeningLocal(doc: Json, lname: string, out: RecordedWeakening[]): Suppression[] {
  const raw = localsOf(doc)[`${lname}_weakenings`];
  if (typeof raw !== 'string') return [];
  try {
    const list = JSON.parse(raw) as { id: string; reason: string }[];
    for (const w of list) out.push({ address: `local.${lname}`, id: w.id, reason: w.reason });
    return list.flatMap((w) => weakeningSuppressions(w.id, w.reason));
  } catch {
    return [];
  }
}

/** Which rule a recorded weakening (by id) answers for. */
export const WEAKENING_RULES: Readonly<Record<string, string>> = {
  'broad-trusted-proxies': 'OC02-TrustedProxiesExact',
  'added-capabilities': 'OC05-CapabilitiesDropped',
  'larger-tmpfs': 'OC06-TmpfsNoexec',
  'writable-mount': 'OC07-BindMountsReadOnly',
};

/**
 * The suppression a weakening implies, limited to what was weakened: the listed capabilities,
 * the named mount, the tmpfs size. None when it answers for no rule or its reason is shorter
 * than 20 characters.
 */
export function weakeningSuppressions(id: string, reason: string): Suppression[] {
  const [kind, scope = ''] = splitOnce(id, ':');
  const ruleId = WEAKENING_RULES[kind];
  if (!ruleId || (reason ?? '').trim().length < 20) return [];
  const covers: Record<string, string[]> = {
    'added-capabilities': scope
      .split('+')
      .filter(Boolean)
      .map((c) => `adds capability ${c}`),
    'writable-mount': [`mounted writable at "${scope}"`],
    'larger-tmpfs': ['tmpfs /tmp is '],
    'broad-trusted-proxies': ['trusts forwarded headers from a whole block'],
  };
  return [
    {
      ruleId,
      reason: `weakened on purpose (${id}): ${reason.trim()}`,
      covers: covers[kind],
      origin: 'weakening',
    },
  ];
}

function splitOnce(text: string, sep: string): [string, string?] {
  const i = text.indexOf(sep);
  return i < 0 ? [text] : [text.slice(0, i), text.slice(i + 1)];
}

/** A finding of a stack-wide rule: the address it is about and the outcome. */
export interface StackRuleResult {
  readonly address: string;
  readonly outcome: RuleOutcome;
}

/** A rule over the whole stack (relations between resources, or something missing). */
export type StackRule = (stack: TfStack) => readonly StackRuleResult[];
