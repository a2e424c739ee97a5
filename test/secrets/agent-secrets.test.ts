import * as fs from 'fs';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { AgentSecrets, AgentSecretsProps, auditStack, readStack } from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const BROKER = 'arn:aws:iam::123456789012:role/openclaw-research-broker';
const HOST = 'arn:aws:iam::123456789012:role/openclaw-research-host';
const ROTATE = 'arn:aws:lambda:eu-west-1:123456789012:function:rotate';
const ROTATE_ROLE = 'arn:aws:iam::123456789012:role/rotate';
const base: AgentSecretsProps = {
  agent: 'research',
  region: 'eu-west-1',
  brokerRoleArn: BROKER,
  credentials: [
    {
      name: 'anthropic',
      dangerouslyNoRotation: { reason: 'vendor API keys cannot be rotated by a function' },
    },
    {
      name: 'gateway-token',
      readers: [HOST],
      rotationLambdaArn: ROTATE,
      rotationRoleArn: ROTATE_ROLE,
    },
  ],
};

function build(props: Partial<AgentSecretsProps> = {}): Json {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AgentSecrets(stack, 'secrets', { ...base, ...props });
  return JSON.parse(Testing.synth(stack));
}

describe('AgentSecrets', () => {
  const out = build();
  const r = out.resource;

  test('its own KMS key, rotating, with an alias', () => {
    expect(r.aws_kms_key['openclaw-research']).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(r.aws_kms_alias['openclaw-research'].name).toBe('alias/openclaw-research');
  });

  test('one secret per credential, encrypted with that key, with a recovery window, and no value', () => {
    expect(r.aws_secretsmanager_secret['openclaw-research-anthropic']).toMatchObject({
      name: 'openclaw/research/anthropic',
      kms_key_id: '${aws_kms_key.openclaw-research.arn}',
      recovery_window_in_days: 7,
    });
    expect(r.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test('resource policies deny every reader but the named ones', () => {
    const policy = JSON.parse(
      r.aws_secretsmanager_secret_policy['openclaw-research-anthropic'].policy,
    );
    expect(policy.Statement).toEqual([
      {
        Sid: 'OnlyNamedReaders',
        Effect: 'Deny',
        Principal: '*',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalArn': [BROKER] } },
      },
    ]);
    const token = JSON.parse(
      r.aws_secretsmanager_secret_policy['openclaw-research-gateway-token'].policy,
    );
    // the rotation function's role must read and write the secret it rotates
    expect(token.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
      HOST,
      ROTATE_ROLE,
    ]);
  });

  test('a break-glass role is added to every reader list', () => {
    const glass = 'arn:aws:iam::123456789012:role/break-glass';
    const policy = JSON.parse(
      build({ breakGlassRoleArn: glass }).resource.aws_secretsmanager_secret_policy[
        'openclaw-research-anthropic'
      ].policy,
    );
    expect(policy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toEqual([
      BROKER,
      glass,
    ]);
  });

  test('rotation on a schedule (30 days by default); a kind that cannot rotate is recorded for the checklist', () => {
    expect(r.aws_secretsmanager_secret_rotation['openclaw-research-gateway-token']).toEqual({
      secret_id: '${aws_secretsmanager_secret.openclaw-research-gateway-token.id}',
      rotation_lambda_arn: ROTATE,
      rotation_rules: { automatically_after_days: 30 },
    });
    // a full synth keeps the "//" metadata that carries the suppression (Testing.synth drops it)
    const stack = new TerraformStack(Testing.app(), 'full');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new AgentSecrets(stack, 'secrets', base);
    const dir = Testing.fullSynth(stack);
    const audit = auditStack(
      readStack(
        JSON.parse(fs.readFileSync(path.join(dir, 'stacks', 'full', 'cdk.tf.json'), 'utf8')),
        'full',
      ),
    );
    expect(audit.findings).toEqual([]);
    expect(audit.suppressed.map((f) => [f.ruleId, f.address])).toEqual([
      ['OC11-SecretRotation', 'aws_secretsmanager_secret.openclaw-research-anthropic'],
    ]);
  });

  test('the broker policy names exact ARNs: its own secrets and the key through Secrets Manager', () => {
    const policy = JSON.parse(r.aws_iam_policy['openclaw-research-broker'].policy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'ReadOwnSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: ['${aws_secretsmanager_secret.openclaw-research-anthropic.arn}'],
      },
      {
        Sid: 'DecryptViaSecretsManager',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: ['${aws_kms_key.openclaw-research.arn}'],
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      },
    ]);
    expect(JSON.stringify(policy)).not.toContain('*');
  });

  test.each<[string, Partial<AgentSecretsProps>, string]>([
    [
      'a bad agent name',
      { agent: 'Research' },
      'agent "Research" must be lower-case letters, digits and "-"',
    ],
    ['an immediate delete', { recoveryWindowDays: 0 }, 'recoveryWindowDays 0 must be 7-30'],
    [
      'a role that is not a role',
      { brokerRoleArn: 'arn:aws:iam::123456789012:user/bob' },
      'brokerRoleArn "arn:aws:iam::123456789012:user/bob" is not an IAM role ARN',
    ],
    ['a region that is not one', { region: 'europe' }, 'region "europe" is not an AWS region'],
    ['no credential', { credentials: [] }, 'AgentSecrets needs at least one credential'],
    [
      'no rotation and no reason',
      { credentials: [{ name: 'openai' }] },
      'credential "openai" has no rotation; give rotationLambdaArn, or dangerouslyNoRotation with a reason',
    ],
    [
      'a short reason',
      { credentials: [{ name: 'openai', dangerouslyNoRotation: { reason: 'nope' } }] },
      'credential "openai" dangerouslyNoRotation needs a reason of at least 20 characters (got 4)',
    ],
    [
      'a credential twice',
      {
        credentials: [
          { name: 'a', rotationLambdaArn: ROTATE, rotationRoleArn: ROTATE_ROLE },
          { name: 'a', rotationLambdaArn: ROTATE, rotationRoleArn: ROTATE_ROLE },
        ],
      },
      'credential "a" is listed twice',
    ],
    [
      'rotation without the function role',
      { credentials: [{ name: 'a', rotationLambdaArn: ROTATE }] },
      'credential "a" has rotationLambdaArn but no rotationRoleArn; the secret\'s policy denies every reader it does not name, so name the rotation function\'s role',
    ],
  ])('rejects %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
