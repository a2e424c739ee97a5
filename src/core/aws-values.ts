import { Token } from 'cdktf';
import { ROLE_ARN } from './names';

/**
 * The AWS values props take (ARNs, regions, account ids), as data: the shape a literal must have,
 * what to call it in an error, and an example. Every such prop goes through {@link checkAwsValue},
 * so a literal is validated and a reference (a cdktf token: another resource's `arn`, a variable,
 * a remote state output) is accepted alike.
 */
export const AWS_VALUE_SHAPES = {
  region: {
    pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
    is: 'an AWS region',
    example: 'eu-west-1',
  },
  accountId: {
    pattern: /^\d{12}$/,
    is: 'a 12-digit AWS account id',
    example: '123456789012',
  },
  roleArn: {
    pattern: ROLE_ARN,
    is: 'an IAM role ARN (exact, no wildcard)',
    example: 'arn:aws:iam::123456789012:role/openclaw-research-broker',
  },
  secretArn: {
    pattern: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/,
    is: 'the ARN of a Secrets Manager secret (exact, no wildcard)',
    example: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/research/github-AbCdEf',
  },
  secretId: {
    pattern:
      /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+|[\w/+=.@-]{1,512})$/,
    is: 'a Secrets Manager secret name or ARN (exact, no wildcard)',
    example: 'openclaw/research/anthropic',
  },
  kmsKeyArn: {
    pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/,
    is: 'a KMS key ARN',
    example: 'arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  },
  lambdaArn: {
    pattern: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/,
    is: 'the ARN of a Lambda function',
    example: 'arn:aws:lambda:eu-west-1:123456789012:function:openclaw-rotate-gateway-token',
  },
  amiId: {
    pattern: /^ami-[0-9a-f]{8,17}$/,
    is: 'an AMI id',
    example: 'ami-0123456789abcdef0',
  },
  logGroupArn: {
    pattern: /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]+$/,
    is: 'the ARN of a CloudWatch log group (exact, no wildcard, no ":*")',
    example: 'arn:aws:logs:eu-west-1:123456789012:log-group:/openclaw/research/gateway',
  },
} as const;

/** A kind of AWS value a prop takes. */
export type AwsValueShape = keyof typeof AWS_VALUE_SHAPES;

/**
 * Refuses a literal `value` that is not of `shape`, naming `what` (the prop, such as
 * `hostRoleArn`) and giving an example; accepts any unresolved token, whose value Terraform knows
 * only at plan time.
 */
export function checkAwsValue(
  value: string,
  what: string,
  shape: AwsValueShape,
  example?: string,
): void {
  if (Token.isUnresolved(value)) return;
  const s = AWS_VALUE_SHAPES[shape];
  if (s.pattern.test(value)) return;
  throw new Error(
    `${what} "${value}" is not ${s.is}; give a literal such as "${example ?? s.example}" or a reference (a resource attribute, a variable, a remote state output)`,
  );
}
