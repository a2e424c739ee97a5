import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/audit';
import { brokenStack, compliantStack, gw } from '../checklist/fixtures';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function writeOut(stacks: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return dir;
}

const insecure = brokenStack((s) => (gw(s).privileged = true));

describe('cdktf-openclaw audit', () => {
  test('a compliant cdktf.out folder: exit 0, a summary line', () => {
    const { code, out, err } = run(['audit', writeOut({ agents: compliantStack() })]);
    expect([code, err]).toEqual([0, '']);
    expect(out).toBe(
      'SUPPRESSED OC07-BindMountsReadOnly docker_container.gw-tailscale: weakened on purpose (writable-mount:/var/lib/tailscale): Tailscale keeps the node key here (fixture)\n' +
        '1 stack(s): 0 error(s), 0 warning(s), 1 suppressed\n',
    );
  });

  test('an error finding: exit 1, one line per finding with rule id and Terraform address', () => {
    const { code, out } = run(['audit', writeOut({ agents: insecure })]);
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe(
      'ERROR OC05-NotPrivileged docker_container.gw: privileged is true (fixture)',
    );
  });

  test('each finding is followed by its remedy and finding id', () => {
    const { out } = run(['audit', writeOut({ agents: insecure })]);
    expect(out.split('\n')[1]).toBe(
      '  remedy: Remove privileged, host network/pid/ipc/userns modes and devices. [OC05-NotPrivileged@docker_container.gw]',
    );
  });

  test('--help and --version answer, exit 0', () => {
    const version = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'),
    ).version;
    expect(run(['--version'])).toEqual({ code: 0, out: `${version}\n`, err: '' });
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain(`cdktf-openclaw ${version}: the OpenClaw hardening checklist`);
    expect(help.out).toContain('--stack <name>');
    expect(run(['audit', '--help']).out).toBe(help.out);
  });

  test('--stack audits only the named stacks', () => {
    const dir = writeOut({ agents: insecure, other: compliantStack() });
    const { code, out } = run(['audit', dir, '--stack', 'other']);
    expect(code).toBe(0);
    expect(out).toContain('1 stack(s): 0 error(s)');
    const missing = run(['audit', dir, '--stack=nope']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      `--stack "nope" is not a stack of ${dir}; its stacks are "fixture", "agents", "other"`,
    );
    expect(run(['audit', dir, '--stack']).err).toContain(
      '--stack needs a stack name (got nothing)',
    );
  });

  test('SARIF results carry the region of their resource and the tool version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
    const file = path.join(dir, 'cdk.tf.json');
    const text = JSON.stringify(insecure, null, 2);
    fs.writeFileSync(file, text);
    const { out } = run(['audit', file, '--format', 'sarif']);
    const log = JSON.parse(out);
    const version = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'),
    ).version;
    expect(log.runs[0].tool.driver.version).toBe(version);
    const result = log.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'OC05-NotPrivileged',
    );
    const line = text.split('\n').findIndex((l) => l === '      "gw": {') + 1;
    expect(line).toBeGreaterThan(1);
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: line });
    expect(result.partialFingerprints).toEqual({
      findingId: 'OC05-NotPrivileged@docker_container.gw',
    });
  });

  test('a single cdk.tf.json file is accepted', () => {
    const dir = writeOut({ agents: insecure });
    expect(run(['audit', path.join(dir, 'stacks', 'agents', 'cdk.tf.json')]).code).toBe(1);
  });

  test('only warnings: exit 0', () => {
    const { code, out } = run([
      'audit',
      writeOut({ a: brokenStack((s) => delete gw(s).cgroup_parent) }),
    ]);
    expect(code).toBe(0);
    expect(out).toContain('WARNING OC06-ProcessLimit docker_container.gw');
  });

  test('suppressions recorded in the JSON are honoured and listed', () => {
    const stack = brokenStack((s) => {
      gw(s).capabilities = { drop: ['ALL'], add: ['SYS_PTRACE'] };
      gw(s)['//'] = {
        openclaw_checklist: {
          suppressions: [
            { ruleId: 'OC05-CapabilitiesDropped', reason: 'a profiler test rig, isolated host' },
          ],
        },
      };
    });
    const { code, out } = run(['audit', writeOut({ a: stack })]);
    expect(code).toBe(0);
    expect(out).toContain(
      'SUPPRESSED OC05-CapabilitiesDropped docker_container.gw: a profiler test rig, isolated host (fixture)',
    );
  });

  test('a suppression of a never-suppressible rule in the JSON is bad input (exit 2)', () => {
    const stack = brokenStack((s) => {
      gw(s).privileged = true;
      gw(s)['//'] = {
        openclaw_checklist: {
          suppressions: [
            { ruleId: 'OC05-NotPrivileged', reason: 'a GPU driver test rig, isolated host' },
          ],
        },
      };
    });
    const { code, err } = run(['audit', writeOut({ a: stack })]);
    expect(code).toBe(2);
    expect(err).toContain(
      'suppression on docker_container.gw names OC05-NotPrivileged, which can never be suppressed (the library promises it never happens); fix the resource instead: Remove privileged',
    );
  });

  test('a suppression naming finding ids accepts exactly those findings', () => {
    const stack = brokenStack((s) => {
      for (const name of ['gw', 'gw-broker']) {
        const c = s.resource.docker_container[name];
        c.capabilities = { drop: ['ALL'], add: ['SYS_PTRACE'] };
        c['//'] = {
          openclaw_checklist: {
            suppressions: [
              {
                ruleId: 'OC05-CapabilitiesDropped',
                reason: 'a profiler test rig, isolated host',
                appliesTo: ['OC05-CapabilitiesDropped@docker_container.gw'],
              },
            ],
          },
        };
      }
    });
    const { code, out } = run(['audit', writeOut({ a: stack })]);
    expect(code).toBe(1);
    expect(out).toContain('SUPPRESSED OC05-CapabilitiesDropped docker_container.gw:');
    expect(out).toContain('ERROR OC05-CapabilitiesDropped docker_container.gw-broker:');
  });

  test('appliesTo naming another rule is bad input (exit 2)', () => {
    const stack = compliantStack();
    gw(stack)['//'] = {
      openclaw_checklist: {
        suppressions: [
          {
            ruleId: 'OC06-ProcessLimit',
            reason: 'the host sets pids.max elsewhere',
            appliesTo: ['OC05-CapabilitiesDropped@docker_container.gw'],
          },
        ],
      },
    };
    const { code, err } = run(['audit', writeOut({ a: stack })]);
    expect(code).toBe(2);
    expect(err).toContain(
      'suppression of OC06-ProcessLimit on docker_container.gw lists "OC05-CapabilitiesDropped@docker_container.gw" in appliesTo, which is not a finding id of that rule; use "OC06-ProcessLimit@<address>"',
    );
  });

  test('an invalid suppression in the JSON is bad input (exit 2), even where no finding matches', () => {
    const stack = compliantStack();
    gw(stack)['//'] = {
      openclaw_checklist: { suppressions: [{ ruleId: 'OC06-ProcessLimit', reason: 'short' }] },
    };
    const { code, err } = run(['audit', writeOut({ a: stack })]);
    expect(code).toBe(2);
    expect(err).toContain(
      'suppression of OC06-ProcessLimit on docker_container.gw needs a reason of at least 20 characters (got 5)',
    );
  });

  test('resource blocks that are not objects are bad input (exit 2)', () => {
    const { code, err } = run([
      'audit',
      writeOut({ a: { resource: { docker_container: 'oops' } } }),
    ]);
    expect(code).toBe(2);
    expect(err).toContain(
      'not Terraform JSON: resource.docker_container is "oops", not an object of named blocks; write it as an object (or a list of objects)',
    );
  });

  test.each(['json', 'markdown', 'sarif'])('--format %s', (format) => {
    const { code, out } = run(['audit', writeOut({ agents: insecure }), '--format', format]);
    expect(code).toBe(1);
    if (format === 'json')
      expect(JSON.parse(out).stacks[0].findings[0].ruleId).toBe('OC05-NotPrivileged');
    if (format === 'markdown')
      expect(out).toContain('### Error: OC05-NotPrivileged on `docker_container.gw`');
    if (format === 'sarif')
      expect(
        JSON.parse(out).runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName,
      ).toBe('docker_container.gw');
  });

  test.each<[string, string[], RegExp]>([
    [
      'a missing file',
      ['audit', '/nonexistent/cdk.tf.json'],
      /^cdktf-openclaw: \/nonexistent\/cdk\.tf\.json does not exist\n$/,
    ],
    ['not JSON', ['audit', 'NOTJSON'], /^cdktf-openclaw: .*cdk\.tf\.json is not JSON\n$/],
    [
      'not Terraform JSON',
      ['audit', 'NOTTF'],
      /^cdktf-openclaw: .*: not Terraform JSON: expected top-level keys such as "resource" and "terraform", found \["name","version"\]\n$/,
    ],
    [
      'an empty folder',
      ['audit', 'EMPTY'],
      /holds no stacks\/<stack>\/cdk\.tf\.json; pass a cdktf\.out folder or a cdk\.tf\.json file\n$/,
    ],
    [
      'a bad format',
      ['audit', 'X', '--format', 'yaml'],
      /^cdktf-openclaw: --format must be one of text, json, markdown, sarif \(got "yaml"\)\n$/,
    ],
    ['no command', [], /^cdktf-openclaw: usage: cdktf-openclaw audit/],
    ['an unknown option', ['audit', 'X', '--fix'], /^cdktf-openclaw: unknown option "--fix"/],
  ])('bad input gives one line and exit 2: %s', (_name, args, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-bad-'));
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), '{ not json');
    const notTf = path.join(dir, 'package.json');
    fs.writeFileSync(notTf, JSON.stringify({ name: 'x', version: '1' }));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-empty-'));
    const resolved = args.map((a) =>
      a === 'NOTJSON'
        ? path.join(dir, 'cdk.tf.json')
        : a === 'NOTTF'
          ? notTf
          : a === 'EMPTY'
            ? empty
            : a,
    );
    const { code, out, err } = run(resolved);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

describe('cdktf-openclaw audit of a whole app', () => {
  const gatewaysOnly = brokenStack((s) => delete s.resource.aws_scheduler_schedule);
  const reviewOnly = {
    resource: {
      aws_scheduler_schedule: {
        review: {
          name: 'openclaw-audit-monthly-review',
          schedule_expression: 'cron(0 9 1 * ? *)',
          state: 'ENABLED',
          flexible_time_window: { mode: 'OFF' },
          target: { arn: 'arn:aws:sns:eu-west-1:1:t', role_arn: 'arn:aws:iam::1:role/s' },
        },
      },
    },
  };

  test('GIVEN the review scheduled in another stack of the folder THEN no OC16 warning', () => {
    const { out } = run(['audit', writeOut({ agents: gatewaysOnly, identity: reviewOnly })]);
    expect(out).not.toContain('OC16-MonthlyReview');
  });

  test('GIVEN the gateway stack alone THEN the missing review is reported', () => {
    const { out } = run(['audit', writeOut({ agents: gatewaysOnly })]);
    expect(out).toContain('WARNING OC16-MonthlyReview');
  });
});
