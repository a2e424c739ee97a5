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
const awsStacks = stacks.filter((s) => {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
  return json.provider?.aws !== undefined;
});

const planned = new Map<string, string>();

test('at least one example stack uses AWS', () => {
  expect(awsStacks.length).toBeGreaterThan(0);
});

describe.each(awsStacks)('%s', (stack) => {
  test('terraform validate and an offline plan pass', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${stack}-`));
    fs.copyFileSync(
      path.join(outdir, 'stacks', stack, 'cdk.tf.json'),
      path.join(dir, 'cdk.tf.json'),
    );
    const { validate, plan, json } = validateAndPlan(dir, stack);
    expect(validate).toMatchObject({ valid: true, diagnostics: [] });
    expect(plan).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    planned.set(stack, json);
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
