import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildExamples } from '../../examples/app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The outputs of each stack of the aws example, by name. */
function outputsOfAwsExample(): Record<string, Record<string, Json>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
  const app = new App({ outdir });
  buildExamples(app, ['aws']);
  app.synth();
  const out: Record<string, Record<string, Json>> = {};
  for (const name of fs.readdirSync(path.join(outdir, 'stacks'))) {
    const file = path.join(outdir, 'stacks', name, 'cdk.tf.json');
    out[name] = JSON.parse(fs.readFileSync(file, 'utf8')).output ?? {};
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return out;
}

describe('outputs, named after what they describe', () => {
  const outputs = outputsOfAwsExample();

  test('the host: its instance id', () => {
    expect(outputs['agent-host']['openclaw-host-1-instance-id']).toEqual({
      value: '${aws_instance.openclaw-host-1.id}',
      description: 'The agent host instance',
    });
  });

  test("each agent's tailnet name, where it answers on 443", () => {
    expect(outputs.agents['openclaw-messaging-tailnet-name'].value).toBe(
      'openclaw-messaging.tail1234.ts.net',
    );
    expect(outputs.agents['openclaw-calendar-and-mail-tailnet-name'].value).toBe(
      'openclaw-calendar-and-mail.tail1234.ts.net',
    );
  });

  test("each agent's secret ARNs, the gateway token's included", () => {
    const identity = outputs['agents-identity'];
    expect(
      Object.keys(identity)
        .filter((n) => n.startsWith('openclaw-messaging-') && n.endsWith('-secret-arn'))
        .sort(),
    ).toEqual([
      'openclaw-messaging-anthropic-secret-arn',
      'openclaw-messaging-gateway-token-secret-arn',
      'openclaw-messaging-slack-secret-arn',
    ]);
    expect(identity['openclaw-messaging-slack-secret-arn'].value).toBe(
      '${aws_secretsmanager_secret.openclaw-messaging-slack.arn}',
    );
  });

  test("the audit trail's trail and topic", () => {
    expect(outputs['agents-identity']['openclaw-audit-trail-arn'].value).toBe(
      '${aws_cloudtrail.openclaw-audit.arn}',
    );
    expect(outputs['agents-identity']['openclaw-audit-topic-arn'].value).toBe(
      '${aws_sns_topic.openclaw-audit.arn}',
    );
  });
});
