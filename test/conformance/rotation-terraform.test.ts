/**
 * GIVEN the gateway-token rotation function and an agent's secrets that rotate with it
 * WHEN Terraform validates and plans the stack offline (AWS provider 5.100.0)
 * THEN it is valid, the function's package is found at its asset path, and the plan adds it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AgentSecrets, GatewayTokenRotation } from '../../src';
import { validateAndPlan } from './terraform-run';

jest.setTimeout(300_000);

test('terraform validate and an offline plan pass for the rotation function', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-rotation-'));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'rotation');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const rotation = new GatewayTokenRotation(stack, 'rotation', {
      region: 'eu-west-1',
      accountId: '123456789012',
    });
    const secrets = new AgentSecrets(stack, 'secrets', {
      agent: 'research',
      region: 'eu-west-1',
      brokerRoleArn: 'arn:aws:iam::123456789012:role/openclaw-research-broker',
      credentials: [{ name: 'gateway-token', ...rotation.rotation }],
    });
    rotation.grantRotation(secrets.secretArn('gateway-token'), secrets.key.arn);
    app.synth();
    const dir = path.join(outdir, 'stacks', 'rotation');
    const { validate, plan, json } = validateAndPlan(dir, 'rotation');
    expect(validate).toMatchObject({ valid: true, diagnostics: [] });
    expect(plan).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    const planned = JSON.parse(json).resource_changes.map((c: { address: string }) => c.address);
    expect(planned).toEqual(
      expect.arrayContaining([
        'aws_lambda_function.openclaw-rotate-gateway-token',
        'aws_lambda_permission.openclaw-rotate-gateway-token',
        'aws_secretsmanager_secret_rotation.openclaw-research-gateway-token',
      ]),
    );
    const fn = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).resource
      .aws_lambda_function['openclaw-rotate-gateway-token'];
    expect(fs.existsSync(path.join(dir, fn.filename))).toBe(true);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
