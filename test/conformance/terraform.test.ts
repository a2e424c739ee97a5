/**
 * Real checks for the AWS parts: every example stack with AWS resources passes `terraform
 * validate` and an offline `terraform plan` against the mirrored AWS provider 5.100.0; and no
 * test secret value, nor anything shaped like a credential, appears in any synthesized
 * cdk.tf.json or plan.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildExamples } from '../../examples/app';
import { SECRET_SHAPES, TEST_SECRET_VALUES } from '../canaries';
import { validateAndPlan } from './terraform-run';

jest.setTimeout(300_000);

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-examples-'));
const app = new App({ outdir });
buildExamples(app);
app.synth();
const stacks = fs.readdirSync(path.join(outdir, 'stacks')).sort();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const stackJson = (s: string): Json =>
  JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
/** The stacks whose outputs a stack reads (its terraform_remote_state data sources). */
const producersOf = (s: string): string[] =>
  Object.keys(stackJson(s).data?.terraform_remote_state ?? {}).map((k) =>
    k.replace(/^cross-stack-reference-input-/, ''),
  );
// producers plan first: a consumer plans against their outputs
/**
 * Stacks with a provider this machine has no binary for (Tailscale: no provider mirror here)
 * cannot init; their resources are checked by types, the checklist's rules and snapshots.
 */
const unmirrored = (s: string): string[] =>
  Object.keys(stackJson(s).provider ?? {}).filter((p) => !['aws', 'docker'].includes(p));
const awsStacks = stacks
  .filter((s) => stackJson(s).provider?.aws !== undefined && unmirrored(s).length === 0)
  .sort((a, b) => producersOf(a).length - producersOf(b).length || a.localeCompare(b));

test('the AWS stacks Terraform cannot init here are exactly those with the Tailscale provider', () => {
  const skipped = stacks.filter(
    (s) => stackJson(s).provider?.aws !== undefined && unmirrored(s).length > 0,
  );
  for (const s of skipped)
    console.log(
      `terraform validate/plan not run for ${s}: no ${unmirrored(s).join(', ')} provider binary on this machine (checked by types, rules and snapshots)`,
    );
  expect(skipped.map((s) => [s, unmirrored(s)])).toEqual([['agent-host-key', ['tailscale']]]);
});

/**
 * What an applied producer's output would hold, for a consumer's offline plan: its output
 * expression `${<type>.<name>.<attr>}`, answered from the producer's plan (a name is known at
 * plan time) or, for an attribute AWS assigns at apply (an ARN, an id), in the shape AWS gives it.
 */
function appliedOutput(producer: string, expression: string): string {
  const m = /^\$\{([a-z0-9_]+)\.([\w-]+)\.([a-z_]+)\}$/.exec(expression);
  if (!m) throw new Error(`${producer}: output ${expression} is not a resource attribute`);
  const [, type, name, attr] = m;
  const plan = JSON.parse(planned.get(producer) ?? 'null');
  if (!plan) throw new Error(`${producer} has no plan yet; it must plan before its consumers`);
  const resource = (plan.planned_values.root_module.resources as Json[]).find(
    (r) => r.address === `${type}.${name}`,
  );
  const known = resource?.values?.[attr];
  if (typeof known === 'string') return known;
  const assigned: Record<string, (values: Json) => string> = {
    'aws_iam_role.arn': (v) => `arn:aws:iam::123456789012:role/${v.name}`,
    'aws_instance.id': () => 'i-0123456789abcdef0',
    'aws_secretsmanager_secret.arn': (v) =>
      `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${v.name}-AbCdEf`,
  };
  const answer = assigned[`${type}.${attr}`];
  if (!answer)
    throw new Error(
      `no offline value for ${type}.${attr} (output of ${producer}); add its shape to appliedOutput`,
    );
  return answer(resource?.values ?? {});
}

/**
 * A local state file of the producer's outputs the consumer reads, as `terraform apply` of the
 * producer would leave it, written into the consumer's work dir; returns its path.
 */
function producerState(dir: string, producer: string): string {
  const outputs: Record<string, { value: string; type: string }> = {};
  for (const [name, out] of Object.entries<Json>(stackJson(producer).output ?? {}))
    outputs[name] = { value: appliedOutput(producer, out.value), type: 'string' };
  const file = path.join(dir, `${producer}.tfstate`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: '00000000-0000-4000-8000-000000000000',
      outputs,
      resources: [],
    }),
  );
  return file;
}

const planned = new Map<string, string>();

test("at least one example stack uses AWS, and one plans against another stack's outputs", () => {
  expect(awsStacks.length).toBeGreaterThan(0);
  expect(awsStacks.filter((s) => producersOf(s).length > 0)).toEqual(['agents-identity']);
});

describe.each(awsStacks)('%s', (stack) => {
  test('terraform validate and an offline plan pass', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${stack}-`));
    const json = stackJson(stack);
    // a consumer reads its producers' outputs from local state files written here
    for (const producer of producersOf(stack)) {
      const input = json.data.terraform_remote_state[`cross-stack-reference-input-${producer}`];
      expect(input.backend).toBe('local');
      input.config.path = producerState(dir, producer);
    }
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
    const { validate, plan, json: shown } = validateAndPlan(dir, stack);
    expect(validate).toMatchObject({ valid: true, diagnostics: [] });
    expect(plan).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    planned.set(stack, shown);
  });
});

test('no test secret value or credential-shaped string in any cdk.tf.json or plan', () => {
  const texts = new Map<string, string>();
  for (const s of stacks)
    texts.set(
      `${s}/cdk.tf.json`,
      fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'),
    );
  for (const [s, plan] of planned) texts.set(`${s}/plan.json`, plan);
  expect(planned.size).toBe(awsStacks.length);
  const leaks: string[] = [];
  for (const [where, text] of texts) {
    for (const value of TEST_SECRET_VALUES)
      if (text.includes(value)) leaks.push(`${where}: a test secret value`);
    for (const shape of SECRET_SHAPES)
      if (shape.test(text)) leaks.push(`${where}: matches ${shape}`);
  }
  expect(leaks).toEqual([]);
});
