import * as fs from 'fs';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import { AgentHost, auditStack, HostTailnetKey, readStack } from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/hosts/openclaw-host-1/tailnet-key-AbCdEf';

describe('GIVEN an AgentHost with no tailnetKeySecretArn', () => {
  const stack = new TerraformStack(Testing.app(), 'host');
  const host = new AgentHost(stack, 'host', {
    name: 'openclaw-host-1',
    amiId: 'ami-0123456789abcdef0',
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    region: 'eu-west-1',
    readableSecretArns: [
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/research/gateway-token-AbCdEf',
    ],
    readableKeyArns: ['arn:aws:kms:eu-west-1:123456789012:key/0000'],
    cells: [],
  });
  const out: Json = JSON.parse(Testing.synth(stack));

  test('THEN it creates its own tailnet key secret, under its own key, that only its role reads', () => {
    expect(host.tailnetKeySecret).toBeDefined();
    expect(out.resource.aws_secretsmanager_secret['openclaw-host-1-tailnet-key']).toMatchObject({
      name: 'openclaw/hosts/openclaw-host-1/tailnet-key',
      kms_key_id: '${aws_kms_key.openclaw-host-1-secrets-key.arn}',
    });
    const policy = JSON.parse(
      out.resource.aws_secretsmanager_secret_policy['openclaw-host-1-tailnet-key'].policy,
    );
    expect(policy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
      '${aws_iam_role.openclaw-host-1-host.arn}',
    ]);
    // Terraform never writes its value here
    expect(out.resource.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test('THEN its role reads that secret, decrypts with that key, and reads its own cells parameter only', () => {
    const read = JSON.parse(out.resource.aws_iam_role_policy['openclaw-host-1-secrets'].policy);
    expect(read.Statement[0].Resource[0]).toBe(
      '${aws_secretsmanager_secret.openclaw-host-1-tailnet-key.arn}',
    );
    expect(read.Statement[1].Resource).toContain('${aws_kms_key.openclaw-host-1-secrets-key.arn}');
    const reconcile = JSON.parse(
      out.resource.aws_iam_role_policy['openclaw-host-1-reconcile'].policy,
    );
    expect(reconcile.Statement[0]).toEqual({
      Sid: 'ReadOwnCells',
      Effect: 'Allow',
      Action: ['ssm:GetParameter'],
      Resource: ['arn:aws:ssm:eu-west-1:*:parameter/openclaw/hosts/openclaw-host-1/cells'],
    });
    expect(reconcile.Statement[1]).toEqual({
      Sid: 'RecordAppliedGatewayTokens',
      Effect: 'Allow',
      Action: ['secretsmanager:TagResource'],
      Resource: [
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/research/gateway-token-AbCdEf',
      ],
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['openclaw:applied-version'] } },
    });
  });

  test('THEN a name prefix reaches the parameter and the secret', () => {
    const s = new TerraformStack(Testing.app(), 'staging');
    const h = new AgentHost(s, 'host', {
      name: 'openclaw-host-1',
      amiId: 'ami-0123456789abcdef0',
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
      region: 'eu-west-1',
      readableSecretArns: [],
      readableKeyArns: [],
      cells: [],
      namePrefix: 'staging-',
    });
    expect(h.cellsParameterName).toBe('/staging-openclaw/hosts/openclaw-host-1/cells');
    const o: Json = JSON.parse(Testing.synth(s));
    // logical ids carry the prefix, so two environments in one stack never collide
    expect(o.resource.aws_secretsmanager_secret['staging-openclaw-host-1-tailnet-key'].name).toBe(
      'staging-openclaw/hosts/openclaw-host-1/tailnet-key',
    );
  });

  test('THEN the checklist finds no error', () => {
    const errors = auditStack(readStack(out, 'host')).findings.filter(
      (f) => f.severity === 'error',
    );
    expect(errors).toEqual([]);
  });
});

describe('HostTailnetKey', () => {
  const stack = new TerraformStack(Testing.app(), 'tailnet');
  new HostTailnetKey(stack, 'key', { host: 'openclaw-host-1', secretArn: SECRET });
  const out: Json = JSON.parse(Testing.synth(stack));

  test('a single-use, pre-authorized, short-lived key tagged tag:openclaw-host, put in the host secret', () => {
    expect(out.resource.tailscale_tailnet_key['openclaw-host-1-tailnet-key']).toMatchObject({
      reusable: false,
      ephemeral: false,
      preauthorized: true,
      expiry: 3600,
      tags: ['tag:openclaw-host'],
    });
    expect(
      out.resource.aws_secretsmanager_secret_version['openclaw-host-1-tailnet-key'],
    ).toMatchObject({
      secret_id: SECRET,
      secret_string: '${tailscale_tailnet_key.openclaw-host-1-tailnet-key.key}',
    });
  });

  test('the checklist reports the value in state as suppressed with its reason, no error', () => {
    // a full synth keeps the "//" metadata that carries the suppression (Testing.synth drops it)
    const full = new TerraformStack(Testing.app(), 'full');
    new AwsProvider(full, 'aws', { region: 'eu-west-1' });
    new TailscaleProvider(full, 'tailscale', {});
    new HostTailnetKey(full, 'key', { host: 'openclaw-host-1', secretArn: SECRET });
    const dir = Testing.fullSynth(full);
    const report = auditStack(
      readStack(
        JSON.parse(fs.readFileSync(path.join(dir, 'stacks', 'full', 'cdk.tf.json'), 'utf8')),
        'full',
      ),
    );
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.suppressed.map((f) => [f.ruleId, f.suppressedBecause])).toEqual([
      [
        'OC11-SecretValueNotInState',
        'the host tailnet key: single use, expires within the hour, already in state by its tailscale_tailnet_key, and spent once the host joins',
      ],
    ]);
  });

  test.each<[string, Json, string]>([
    [
      'a bad host name',
      { host: 'Host_1' },
      'host name "Host_1" must be lower-case letters, digits and "-"',
    ],
    [
      'a long-lived key',
      { expirySeconds: 90 * 86_400 },
      "expirySeconds 7776000 is outside 300-86400; the key only has to outlive the host's first reconciler run (3600 is the default)",
    ],
    [
      'a secret by name',
      { secretArn: 'openclaw/hosts/x/tailnet-key' },
      'secretArn "openclaw/hosts/x/tailnet-key" is not the ARN of a Secrets Manager secret',
    ],
  ])('refuses %s', (_what, change, message) => {
    expect(
      () =>
        new HostTailnetKey(new TerraformStack(Testing.app(), 'x'), 'k', {
          host: 'openclaw-host-1',
          secretArn: SECRET,
          ...change,
        }),
    ).toThrow(message);
  });
});
