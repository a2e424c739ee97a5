import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  AgentFleet,
  AgentHost,
  AgentSecrets,
  AuditTrail,
  CellNetwork,
  CredentialBroker,
  RiskProfile,
} from '../../src';
import { AWS_VALUE_SHAPES, AwsValueShape, checkAwsValue } from '../../src/core/aws-values';
import { anthropic, NO_ROTATION } from '../fleet/helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ROLE = 'arn:aws:iam::123456789012:role/openclaw-research-broker';
const SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/host-1/tailnet-AbCdEf';
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000';

describe('checkAwsValue', () => {
  test.each<[AwsValueShape, string, string]>([
    ['region', 'eu-west-1', 'Europe'],
    ['accountId', '123456789012', '1234'],
    ['roleArn', ROLE, 'arn:aws:iam::123456789012:role/openclaw-*'],
    ['roleArn', ROLE, 'arn:aws:iam::123456789012:user/bob'],
    ['secretArn', SECRET, 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/*'],
    ['kmsKeyArn', KEY, 'alias/openclaw'],
    [
      'lambdaArn',
      'arn:aws:lambda:eu-west-1:123456789012:function:openclaw-rotate-token',
      'openclaw-rotate-token',
    ],
    ['amiId', 'ami-0123456789abcdef0', 'ubuntu-24.04'],
    [
      'logGroupArn',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/openclaw/research/gateway',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/openclaw/*',
    ],
  ])('GIVEN a %s THEN %s passes, %s is refused naming it and the fix', (shape, good, bad) => {
    expect(() => checkAwsValue(good, 'prop', shape)).not.toThrow();
    expect(() => checkAwsValue(bad, 'prop', shape)).toThrow(
      `prop "${bad}" is not ${AWS_VALUE_SHAPES[shape].is}; give a literal such as "${AWS_VALUE_SHAPES[shape].example}" or a reference (a resource attribute, a variable, a remote state output)`,
    );
  });

  test('every example is a value of its own shape', () => {
    for (const [shape, s] of Object.entries(AWS_VALUE_SHAPES)) {
      expect([shape, s.pattern.test(s.example)]).toEqual([shape, true]);
    }
  });

  test('GIVEN a token THEN it is accepted whatever the shape', () => {
    const stack = new TerraformStack(Testing.app(), 'tokens');
    const v = new TerraformVariable(stack, 'v', { type: 'string' });
    for (const shape of Object.keys(AWS_VALUE_SHAPES) as AwsValueShape[]) {
      expect(() => checkAwsValue(v.stringValue, 'prop', shape)).not.toThrow();
    }
  });
});

/**
 * Every prop that takes an ARN, a region or an account, given references (another resource's
 * attribute or a variable): the construct accepts it and the synthesized JSON carries the reference.
 */
describe('references in ARN, region and account props', () => {
  function stackWith() {
    const stack = new TerraformStack(Testing.app(), 'refs');
    const region = new TerraformVariable(stack, 'region', { type: 'string' }).stringValue;
    const account = new TerraformVariable(stack, 'account', { type: 'string' }).stringValue;
    const role = new IamRole(stack, 'some-role', { name: 'some-role', assumeRolePolicy: '{}' });
    const secret = new SecretsmanagerSecret(stack, 'some-secret', { name: 'some-secret' });
    const key = new KmsKey(stack, 'some-key', {});
    return { stack, region, account, role, secret, key };
  }

  test('AgentHost: region, tailnetKeySecretArn, readableSecretArns, readableKeyArns, brokerRoleArns, logGroupArns', () => {
    const { stack, region, role, secret, key } = stackWith();
    const logs = new TerraformVariable(stack, 'log-group', { type: 'string' }).stringValue;
    new AgentHost(stack, 'host', {
      name: 'openclaw-host-1',
      amiId: 'ami-0123456789abcdef0',
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
      region,
      tailnetKeySecretArn: secret.arn,
      readableSecretArns: [secret.arn],
      readableKeyArns: [key.arn],
      brokerRoleArns: [role.arn],
      logGroupArns: [logs],
      cells: [],
    });
    const out: Json = JSON.parse(Testing.synth(stack));
    const policy = out.resource.aws_iam_role_policy['openclaw-host-1-secrets'].policy as string;
    expect(policy).toContain('${aws_secretsmanager_secret.some-secret.arn}');
    expect(policy).toContain('${aws_kms_key.some-key.arn}');
    expect(policy).toContain('${aws_iam_role.some-role.arn}');
    expect(policy).toContain('${var.log-group}:*');
    expect(policy).toContain('secretsmanager.${var.region}.amazonaws.com');
    // the reconciler's settings in the (compressed by Terraform) user data carry the reference
    expect(out.resource.aws_instance['openclaw-host-1'].user_data_base64).toMatch(
      /region[\\"]+: [\\"]+\$\{var\.region\}/,
    );
  });

  test('AgentHost: an AMI id from a lookup (a data source, a variable)', () => {
    const { stack, region, secret } = stackWith();
    const ami = new TerraformVariable(stack, 'ami', { type: 'string' }).stringValue;
    new AgentHost(stack, 'host', {
      name: 'openclaw-host-1',
      amiId: ami,
      vpcId: 'vpc-1',
      subnetId: 'subnet-1',
      region,
      tailnetKeySecretArn: secret.arn,
    });
    const out: Json = JSON.parse(Testing.synth(stack));
    expect(out.resource.aws_instance['openclaw-host-1'].ami).toBe('${var.ami}');
  });

  test("AgentSecrets: a credential's rotationLambdaArn, rotationRoleArn and readers", () => {
    const { stack, region, role } = stackWith();
    const fn = new TerraformVariable(stack, 'rotation-fn', { type: 'string' }).stringValue;
    const fnRole = new TerraformVariable(stack, 'rotation-role', { type: 'string' }).stringValue;
    new AgentSecrets(stack, 'secrets', {
      agent: 'research',
      region,
      brokerRoleArn: role.arn,
      credentials: [
        {
          name: 'gateway-token',
          readers: [role.arn],
          rotationLambdaArn: fn,
          rotationRoleArn: fnRole,
        },
      ],
    });
    const text = Testing.synth(stack);
    expect(text).toContain('"rotation_lambda_arn": "${var.rotation-fn}"');
    expect(text).toContain('${var.rotation-role}');
  });

  test.each([
    ['rotationLambdaArn', { rotationLambdaArn: 'rotate-me', rotationRoleArn: ROLE }, 'lambdaArn'],
    [
      'rotationRoleArn',
      {
        rotationLambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotate',
        rotationRoleArn: 'rotator',
      },
      'roleArn',
    ],
    ['readers', { readers: ['bob'], ...NO_ROTATION }, 'roleArn'],
  ] as const)(
    'AgentSecrets refuses a literal %s that is not one, naming the credential',
    (prop, cred, shape) => {
      const stack = new TerraformStack(Testing.app(), 'bad');
      const given =
        prop === 'rotationLambdaArn' ? 'rotate-me' : prop === 'rotationRoleArn' ? 'rotator' : 'bob';
      expect(
        () =>
          new AgentSecrets(stack, 'secrets', {
            agent: 'research',
            region: 'eu-west-1',
            brokerRoleArn: ROLE,
            credentials: [{ name: 'gateway-token', ...cred }],
          }),
      ).toThrow(
        `credential "gateway-token" ${prop} "${given}" is not ${AWS_VALUE_SHAPES[shape].is}; give a literal such as "${AWS_VALUE_SHAPES[shape].example}"`,
      );
    },
  );

  test('AgentSecrets: region, brokerRoleArn, breakGlassRoleArn', () => {
    const { stack, region, role } = stackWith();
    const breakGlass = new TerraformVariable(stack, 'break-glass', { type: 'string' }).stringValue;
    new AgentSecrets(stack, 'secrets', {
      agent: 'research',
      region,
      brokerRoleArn: role.arn,
      breakGlassRoleArn: breakGlass,
      credentials: [{ name: 'anthropic', ...NO_ROTATION }],
    });
    const text = Testing.synth(stack);
    expect(text).toContain('secretsmanager.${var.region}.amazonaws.com');
    expect(text).toContain('${aws_iam_role.some-role.arn}');
    expect(text).toContain('${var.break-glass}');
  });

  test('CredentialBroker: region, roleArn', () => {
    const { stack, region, role } = stackWith();
    const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
    new CredentialBroker(stack, 'broker', {
      agent: 'research',
      network,
      address: '172.30.0.3',
      region,
      roleArn: role.arn,
      upstreams: [{ provider: 'anthropic', secretArn: 'openclaw/research/anthropic' }],
    });
    const out: Json = JSON.parse(Testing.synth(stack));
    const env: string[] = out.resource.docker_container['openclaw-research-broker'].env;
    expect(env).toContain('AWS_REGION=${var.region}');
    expect(env).toContain('BROKER_ROLE_ARN=${aws_iam_role.some-role.arn}');
  });

  test("CredentialBroker: an upstream's secretArn (a name, an ARN or a reference; never a wildcard)", () => {
    const { stack, region } = stackWith();
    const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
    const secret = new TerraformVariable(stack, 'secret', { type: 'string' });
    const broker = (secretArn: string, id: string) =>
      new CredentialBroker(stack, id, {
        agent: id,
        network,
        address: '172.30.0.3',
        region,
        upstreams: [{ provider: 'anthropic', secretArn }],
      });
    broker(secret.stringValue, 'by-reference');
    broker(
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/a/anthropic-AbCdEf',
      'by-arn',
    );
    expect(() => broker('openclaw/*', 'wildcard')).toThrow(
      'upstream "anthropic" secretArn "openclaw/*" is not a Secrets Manager secret name or ARN (exact, no wildcard); give a literal such as "openclaw/research/anthropic" or a reference',
    );
  });

  test('AuditTrail: accountId, region', () => {
    const { stack, region, account } = stackWith();
    new AuditTrail(stack, 'audit', {
      accountId: account,
      region,
      bucketName: 'openclaw-audit-logs',
      agents: ['research'],
      activeHours: { fromHourUtc: 7, toHourUtc: 19, weekdaysOnly: true },
    });
    const text = Testing.synth(stack);
    expect(text).toContain('arn:aws:iam::${var.account}:root');
    expect(text).toContain('logs.${var.region}.amazonaws.com');
  });

  test("AgentFleet: region, a host's roleArn, an existing secret's arn and kmsKeyArn", () => {
    const { stack, region, role, secret, key } = stackWith();
    new AgentFleet(stack, 'fleet', {
      tailnetDomain: 'tail1234.ts.net',
      region,
      hosts: [{ name: 'host-1', roleArn: role.arn }],
      agents: [
        {
          profile: RiskProfile.research([]),
          allow: ['group:research'],
          gatewayToken: NO_ROTATION,
          credentials: [
            { ...anthropic(), existingSecret: { arn: secret.arn, kmsKeyArn: key.arn } },
          ],
        },
      ],
    });
    const out: Json = JSON.parse(Testing.synth(stack));
    const attached = JSON.parse(
      out.resource.aws_iam_role_policy['openclaw-research-broker-attached-secrets'].policy,
    );
    expect(attached.Statement[0].Resource).toEqual([
      '${aws_secretsmanager_secret.some-secret.arn}',
    ]);
    expect(attached.Statement[1].Resource).toEqual(['${aws_kms_key.some-key.arn}']);
    expect(attached.Statement[1].Condition.StringEquals['kms:ViaService']).toBe(
      'secretsmanager.${var.region}.amazonaws.com',
    );
    expect(Testing.synth(stack)).toContain('${aws_iam_role.some-role.arn}');
  });
});
