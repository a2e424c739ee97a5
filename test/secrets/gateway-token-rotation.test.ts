import { TerraformStack, Testing } from 'cdktf';
import { auditStack, GatewayTokenRotation, readStack } from '../../src';
import { AgentSecrets } from '../../src/secrets/agent-secrets';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { rotate, APPLIED_TAG } = require('../../runtime/rotate-gateway-token/index.js') as {
  rotate: (
    event: Record<string, string>,
    call: (name: string, input: Record<string, unknown>) => Promise<unknown>,
    options?: Record<string, unknown>,
  ) => Promise<void>;
  APPLIED_TAG: string;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/research/gateway-token-AbCdEf';

/** A stand-in Secrets Manager: one secret's versions, stages and tags; records every call. */
function secretsManager(
  stages: Record<string, string[]>,
  tags: { Key: string; Value: string }[] = [],
) {
  const calls: [string, Json][] = [];
  const values: Record<string, string> = { v1: 'the-old-token' };
  const call = async (name: string, input: Json): Promise<unknown> => {
    calls.push([name, input]);
    switch (name) {
      case 'DescribeSecret':
        return {
          RotationEnabled: true,
          VersionIdsToStages: structuredClone(stages),
          Tags: [...tags],
        };
      case 'GetSecretValue': {
        if (values[input.VersionId] === undefined) {
          const e = new Error('not found');
          e.name = 'ResourceNotFoundException';
          throw e;
        }
        return { SecretString: values[input.VersionId] };
      }
      case 'PutSecretValue':
        values[input.ClientRequestToken] = input.SecretString;
        return {};
      case 'UpdateSecretVersionStage':
      case 'UntagResource':
        return {};
      default:
        throw new Error(`unexpected ${name}`);
    }
  };
  return { call, calls, values, tags };
}

const event = (step: string) => ({ Step: step, SecretId: SECRET, ClientRequestToken: 'v2' });
const noWait = { waitSeconds: 0, pollSeconds: 0, sleep: async () => undefined };

describe('the rotation function', () => {
  test('createSecret puts a fresh random token as AWSPENDING, once', async () => {
    const sm = secretsManager({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] });
    await rotate(event('createSecret'), sm.call);
    const put = sm.calls.find(([n]) => n === 'PutSecretValue')![1];
    expect(put).toMatchObject({
      SecretId: SECRET,
      ClientRequestToken: 'v2',
      VersionStages: ['AWSPENDING'],
    });
    expect(put.SecretString).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(put.SecretString).not.toBe('the-old-token');
    // a retried createSecret keeps the token it made
    await rotate(event('createSecret'), sm.call);
    expect(sm.calls.filter(([n]) => n === 'PutSecretValue')).toHaveLength(1);
  });

  test('setSecret changes nothing: the host pulls the pending token itself', async () => {
    const sm = secretsManager({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] });
    await rotate(event('setSecret'), sm.call);
    expect(sm.calls.map(([n]) => n)).toEqual(['DescribeSecret']);
  });

  test('testSecret fails, saying where to look, until the host records the new version', async () => {
    const sm = secretsManager({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] });
    await expect(rotate(event('testSecret'), sm.call, noWait)).rejects.toThrow(
      `the host has not yet applied version v2 of ${SECRET} (no tag ${APPLIED_TAG}=v2); its reconciler runs every minute: check it with \`journalctl -u openclaw-reconcile\` on the host. Secrets Manager retries the rotation`,
    );
    // a record of an older rotation is not this one
    const old = secretsManager({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }, [
      { Key: APPLIED_TAG, Value: 'v1' },
    ]);
    await expect(rotate(event('testSecret'), old.call, noWait)).rejects.toThrow(
      'has not yet applied',
    );
    const done = secretsManager({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }, [
      { Key: APPLIED_TAG, Value: 'v2' },
    ]);
    await expect(rotate(event('testSecret'), done.call, noWait)).resolves.toBeUndefined();
  });

  test('testSecret waits for the record by polling while it may', async () => {
    const sm = secretsManager({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] });
    let looks = 0;
    const call = async (name: string, input: Json) => {
      if (name === 'DescribeSecret' && ++looks === 3)
        sm.tags.push({ Key: APPLIED_TAG, Value: 'v2' });
      return sm.call(name, input);
    };
    await rotate(event('testSecret'), call, {
      waitSeconds: 60,
      pollSeconds: 0,
      sleep: async () => undefined,
    });
    expect(looks).toBe(3);
  });

  test('finishSecret moves AWSCURRENT to the new version and removes the record', async () => {
    const sm = secretsManager({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }, [
      { Key: APPLIED_TAG, Value: 'v2' },
    ]);
    await rotate(event('finishSecret'), sm.call);
    expect(sm.calls.slice(1)).toEqual([
      [
        'UpdateSecretVersionStage',
        {
          SecretId: SECRET,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: 'v2',
          RemoveFromVersionId: 'v1',
        },
      ],
      ['UntagResource', { SecretId: SECRET, TagKeys: [APPLIED_TAG] }],
    ]);
  });

  test('a first rotation (no AWSCURRENT yet) makes the first token current', async () => {
    const sm = secretsManager({ v2: ['AWSPENDING'] });
    await rotate(event('finishSecret'), sm.call);
    expect(sm.calls[1][1]).toEqual({
      SecretId: SECRET,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: 'v2',
    });
  });

  test('a version that is already current is left alone at every step', async () => {
    const sm = secretsManager({ v2: ['AWSCURRENT'] });
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'])
      await rotate(event(step), sm.call, noWait);
    expect(sm.calls.map(([n]) => n)).toEqual(Array(4).fill('DescribeSecret'));
  });

  test.each<[string, Json, string, string]>([
    [
      'rotation off',
      { RotationEnabled: false },
      'createSecret',
      `secret ${SECRET} is not enabled for rotation`,
    ],
    [
      'an unknown version',
      { RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'] } },
      'createSecret',
      `version v2 is not a version of ${SECRET}; start a new rotation`,
    ],
    [
      'a version that is not pending',
      { RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPREVIOUS'] } },
      'createSecret',
      `version v2 of ${SECRET} is not AWSPENDING; start a new rotation`,
    ],
    [
      'an unknown step',
      { RotationEnabled: true, VersionIdsToStages: { v2: ['AWSPENDING'] } },
      'rewindSecret',
      'unknown rotation step "rewindSecret"',
    ],
  ])('refuses %s', async (_what, meta, step, message) => {
    await expect(rotate(event(step), async () => meta)).rejects.toThrow(message);
  });
});

describe('GatewayTokenRotation', () => {
  const build = (grant = true) => {
    const stack = new TerraformStack(Testing.app(), 'rotation');
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
    if (grant) rotation.grantRotation(secrets.secretArn('gateway-token'), secrets.key.arn);
    return stack;
  };

  const out: Json = JSON.parse(Testing.synth(build()));

  test('deploys the shipped function on a Node runtime, logging to its own encrypted log group', () => {
    const fn = out.resource.aws_lambda_function['openclaw-rotate-gateway-token'];
    expect(fn).toMatchObject({
      function_name: 'openclaw-rotate-gateway-token',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      timeout: 300,
      logging_config: {
        log_group: '${aws_cloudwatch_log_group.openclaw-rotate-gateway-token.name}',
      },
    });
    expect(fn.filename).toMatch(/^assets\/rotation_code_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/);
    expect(out.resource.aws_cloudwatch_log_group['openclaw-rotate-gateway-token']).toMatchObject({
      name: '/aws/lambda/openclaw-rotate-gateway-token',
      retention_in_days: 365,
      kms_key_id: '${aws_kms_key.openclaw-rotate-gateway-token-logs.arn}',
    });
  });

  test('Secrets Manager of this account only may invoke it', () => {
    expect(out.resource.aws_lambda_permission['openclaw-rotate-gateway-token']).toMatchObject({
      principal: 'secretsmanager.amazonaws.com',
      source_account: '123456789012',
      action: 'lambda:InvokeFunction',
    });
  });

  test('the token secret rotates with it, and its policy names the function role as a reader', () => {
    expect(
      out.resource.aws_secretsmanager_secret_rotation['openclaw-research-gateway-token'],
    ).toMatchObject({
      rotation_lambda_arn: '${aws_lambda_function.openclaw-rotate-gateway-token.arn}',
    });
    const policy = JSON.parse(
      out.resource.aws_secretsmanager_secret_policy['openclaw-research-gateway-token'].policy,
    );
    expect(policy.Statement[0].Condition.StringNotEquals['aws:PrincipalArn']).toContain(
      '${aws_iam_role.openclaw-rotate-gateway-token.arn}',
    );
  });

  test('its role touches exactly the granted secret and key, and may remove only the host record tag', () => {
    const policy = JSON.parse(
      out.resource.aws_iam_role_policy['openclaw-rotate-gateway-token'].policy,
    );
    const secret = '${aws_secretsmanager_secret.openclaw-research-gateway-token.arn}';
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: [secret],
      }),
      expect.objectContaining({
        Action: ['secretsmanager:UntagResource'],
        Resource: [secret],
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['openclaw:applied-version'] } },
      }),
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ['${aws_kms_key.openclaw-research.arn}'],
      }),
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: ['${aws_cloudwatch_log_group.openclaw-rotate-gateway-token.arn}:*'],
      }),
    ]);
  });

  test('the checklist finds no error', () => {
    const errors = auditStack(readStack(out, 'rotation')).findings.filter(
      (f) => f.severity === 'error',
    );
    expect(errors).toEqual([]);
  });

  test('GIVEN no secret granted THEN synth says to call grantRotation', () => {
    expect(() => Testing.synth(build(false))).toThrow(
      'GatewayTokenRotation "rotation/rotation" rotates no secret; call grantRotation(secretArn, kmsKeyArn) for each gateway token it is the rotation function of',
    );
  });

  test.each<[string, Json, string]>([
    ['a region that is not one', { region: 'Ireland' }, 'region "Ireland" is not an AWS region'],
    [
      'an account that is not one',
      { accountId: '1234' },
      'accountId "1234" is not a 12-digit AWS account id',
    ],
    [
      'a bad prefix',
      { namePrefix: 'Staging' },
      'name prefix "Staging" must be lower-case letters, digits and "-", ending in "-", such as "staging-"',
    ],
  ])('refuses %s', (_what, change, message) => {
    expect(
      () =>
        new GatewayTokenRotation(new TerraformStack(Testing.app(), 'x'), 'r', {
          region: 'eu-west-1',
          accountId: '123456789012',
          ...change,
        }),
    ).toThrow(message);
  });

  test('grantRotation refuses a wildcard secret', () => {
    const rotation = new GatewayTokenRotation(new TerraformStack(Testing.app(), 'w'), 'r', {
      region: 'eu-west-1',
      accountId: '123456789012',
    });
    expect(() =>
      rotation.grantRotation(
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/*',
        'arn:aws:kms:eu-west-1:123456789012:key/1',
      ),
    ).toThrow(
      'secretArn "arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/*" is not the ARN of a Secrets Manager secret',
    );
  });
});
