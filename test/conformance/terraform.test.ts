/**
 * Real checks for the AWS parts: every example stack with AWS resources passes `terraform
 * validate` and an offline `terraform plan` against the mirrored AWS provider 5.100.0; and no
 * test secret value, nor anything shaped like a credential, appears in any synthesized
 * cdk.tf.json or plan.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildExamples } from '../../examples/app';
import { SECRET_SHAPES, TEST_SECRET_VALUES } from '../canaries';

jest.setTimeout(300_000);

const TERRAFORM = process.env.TERRAFORM_BINARY_NAME ?? '/usr/local/bin/terraform';
const MIRROR = '/opt/tf-plugins';
const root = path.resolve(__dirname, '..', '..');

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-examples-'));
const app = new App({ outdir });
buildExamples(app);
app.synth();
const stacks = fs.readdirSync(path.join(outdir, 'stacks')).sort();
const awsStacks = stacks.filter((s) => {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
  return json.provider?.aws !== undefined;
});

function terraformEnv(): NodeJS.ProcessEnv {
  if (!fs.existsSync(TERRAFORM))
    throw new Error(`Terraform CLI not found at ${TERRAFORM}; the machine image should provide it`);
  if (!fs.existsSync(path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0'))) {
    throw new Error(
      `the AWS provider 5.100.0 mirror is missing under ${MIRROR}; the machine image should provide it`,
    );
  }
  const rc = path.join(root, '.cache', 'terraform.rc');
  fs.mkdirSync(path.dirname(rc), { recursive: true });
  fs.writeFileSync(
    rc,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${MIRROR}"\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
  );
  return { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
}

const planned = new Map<string, string>();

test('at least one example stack uses AWS', () => {
  expect(awsStacks.length).toBeGreaterThan(0);
});

describe.each(awsStacks)('%s', (stack) => {
  test('terraform validate and an offline plan pass', () => {
    const env = terraformEnv();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${stack}-`));
    const json = JSON.parse(
      fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'),
    );
    // offline: dummy credentials, no AWS calls to validate them; state in the work dir
    json.terraform.backend = { local: { path: 'terraform.tfstate' } };
    for (const p of [].concat(json.provider.aws)) {
      Object.assign(p, {
        access_key: 'offline-access-key',
        secret_key: 'offline-secret-key',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      });
    }
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
    const run = (args: string[]): string => {
      try {
        return execFileSync(TERRAFORM, args, { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string };
        throw new Error(
          `terraform ${args[0]} failed for ${stack}:\n${err.stdout ?? ''}\n${err.stderr ?? ''}`,
        );
      }
    };
    run(['init', '-input=false', '-no-color']);
    const validate = JSON.parse(run(['validate', '-json', '-no-color']));
    expect([validate.valid, validate.diagnostics]).toEqual([true, []]);
    const plan = run([
      'plan',
      '-refresh=false',
      '-input=false',
      '-lock=false',
      '-no-color',
      '-out=plan.bin',
    ]);
    expect(plan).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    planned.set(stack, run(['show', '-json', '-no-color', 'plan.bin']));
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
