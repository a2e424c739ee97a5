import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { auditStack, OPENCLAW_CHECKLIST_RULES, readStack } from '../../src';
import { compliantStack, gw } from '../checklist/fixtures';
import { buildFleet, Json } from './helpers';

const findings = (json: Json, ruleId: string) =>
  auditStack(readStack(json, 'fixture')).findings.filter((f) => f.ruleId === ruleId);

function policy(name: string, resources: string[]): Json {
  return {
    name,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: resources },
      ],
    }),
  };
}

describe('OC10-NoSharedCredentials on IAM policies', () => {
  test('GIVEN one policy reading two agents credentials THEN it is reported', () => {
    const s = compliantStack();
    s.resource.aws_iam_policy.both = policy('both', [
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/research/anthropic-AbCdEf',
      '${aws_secretsmanager_secret.other.arn}',
    ]);
    s.resource.aws_secretsmanager_secret.other = {
      ...s.resource.aws_secretsmanager_secret.token,
      name: 'openclaw/shell/anthropic',
    };
    expect(findings(s, 'OC10-NoSharedCredentials').map((f) => [f.address, f.details])).toEqual([
      [
        'aws_iam_policy.both',
        [
          "one identity reads the credentials of agents research, shell; give each agent's broker its own role",
        ],
      ],
    ]);
  });

  test('GIVEN a host policy reading its cells gateway tokens and its tailnet key THEN it passes', () => {
    const s = compliantStack();
    s.resource.aws_iam_policy.host = policy('host', [
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/research/gateway-token-AbCdEf',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/shell/gateway-token-AbCdEf',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:openclaw/host-1/tailnet-key-AbCdEf',
    ]);
    expect(findings(s, 'OC10-NoSharedCredentials')).toEqual([]);
  });
});

describe('OC10-NoShellWithPersonalData', () => {
  const withShell = (s: Json, change: (doc: Json) => void = () => undefined) => {
    const env = gw(s).env as string[];
    const i = env.findIndex((e) => e.startsWith('OPENCLAW_CONFIG_JSON='));
    const doc = JSON.parse(env[i].slice('OPENCLAW_CONFIG_JSON='.length));
    doc.tools.exec = { security: 'allowlist', ask: 'always' };
    doc.tools.deny = doc.tools.deny.filter((t: string) => t !== 'group:runtime');
    change(doc);
    env[i] = `OPENCLAW_CONFIG_JSON=${JSON.stringify(doc)}`;
  };

  test('GIVEN a shell and no personal data THEN it passes', () => {
    const s = compliantStack();
    withShell(s);
    expect(findings(s, 'OC10-NoShellWithPersonalData')).toEqual([]);
  });

  test('GIVEN a shell and mail credentials by label THEN it is reported', () => {
    const s = compliantStack();
    withShell(s);
    gw(s).labels.push({ label: 'openclaw.credential-kinds', value: 'mail,model' });
    expect(findings(s, 'OC10-NoShellWithPersonalData')[0].details[0]).toMatch(
      /the shell is on and it holds mail credentials; split the agent/,
    );
  });

  test('GIVEN a shell and a chat channel THEN it is reported', () => {
    const s = compliantStack();
    withShell(s, (doc) => (doc.channels = { telegram: { enabled: true } }));
    expect(findings(s, 'OC10-NoShellWithPersonalData')[0].details[0]).toMatch(
      /it runs channels telegram/,
    );
  });

  test('GIVEN exec denied by the tools deny list THEN the shell counts as off', () => {
    const s = compliantStack();
    withShell(s, (doc) => doc.tools.deny.push('exec'));
    gw(s).labels.push({ label: 'openclaw.credential-kinds', value: 'mail' });
    expect(findings(s, 'OC10-NoShellWithPersonalData')).toEqual([]);
  });
});

describe('the checklist on a fleet', () => {
  test('every preset agent passes with zero errors, on both stacks', () => {
    const { docker, identity } = buildFleet();
    for (const stack of [docker, identity]) {
      const dir = Testing.fullSynth(stack);
      const name = stack.node.id;
      const json = JSON.parse(
        fs.readFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), 'utf8'),
      );
      const errors = auditStack(readStack(json, name)).findings.filter((f) => {
        const rule = OPENCLAW_CHECKLIST_RULES.find((r) => r.id === f.ruleId);
        return rule?.severity === 'error';
      });
      expect(errors.map((f) => [f.ruleId, f.address, f.details])).toEqual([]);
    }
  });
});
