/** Runs Terraform offline against the mirrored AWS provider 5.100.0 (validate, then plan). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const TERRAFORM = process.env.TERRAFORM_BINARY_NAME ?? '/usr/local/bin/terraform';
const MIRROR = '/opt/tf-plugins';
const root = path.resolve(__dirname, '..', '..');

export function terraformEnv(): NodeJS.ProcessEnv {
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

/**
 * In `dir` (a copy of a synthesized stack folder): offline provider settings, init, validate
 * (which must be clean) and a plan; returns the plan as JSON text.
 */
export function validateAndPlan(
  dir: string,
  stack: string,
): { validate: unknown; plan: string; json: string } {
  const env = terraformEnv();
  const file = path.join(dir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
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
  fs.writeFileSync(file, JSON.stringify(json));
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
  const plan = run([
    'plan',
    '-refresh=false',
    '-input=false',
    '-lock=false',
    '-no-color',
    '-out=plan.bin',
  ]);
  return { validate, plan, json: run(['show', '-json', '-no-color', 'plan.bin']) };
}
