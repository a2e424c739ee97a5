import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TailscaleProvider } from '../../src/generated/tailscale/provider';
import { App, Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  CellNetwork,
  errorsOf,
  HardenedContainer,
  OpenClawChecklist,
  REPORT_FILES,
  StackAudit,
  TailnetPolicy,
} from '../../src';

const reason = 'the host enforces pids through its systemd defaults';

function build(fill: (stack: TerraformStack) => void, withChecklist = true) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-test-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'agents');
  new DockerProvider(stack, 'docker', {});
  fill(stack);
  const audits: StackAudit[] = [];
  if (withChecklist) OpenClawChecklist.check(app, { onAudit: (a) => audits.push(a) });
  const dir = path.join(outdir, 'stacks', 'agents');
  return { app, stack, outdir, dir, audits };
}

function hardened(stack: TerraformStack) {
  const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
  return new HardenedContainer(stack, 'gateway', {
    name: 'openclaw-research-gateway',
    network,
    ipv4Address: '172.30.0.10',
    processLimitSlice: 'openclaw-research.slice',
  });
}

afterEach(() => {
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
});

describe('OpenClawChecklist', () => {
  test('GIVEN a hand-written insecure container WHEN synthesized THEN synth fails naming the rule, the address and the fix', () => {
    const { app } = build((stack) => {
      new Container(stack, 'agent', {
        name: 'agent',
        image: 'ghcr.io/openclaw/openclaw:latest',
        privileged: true,
      });
    });
    expect(() => app.synth()).toThrow(
      /\[OC05-NotPrivileged\] docker_container\.agent: privileged is true\. Remedy: Remove privileged/,
    );
  });

  test('GIVEN a hardened cell WHEN synthesized THEN it passes and the three reports sit next to cdk.tf.json', () => {
    const { app, dir, audits } = build(hardened);
    app.synth();
    expect(audits).toHaveLength(1);
    expect(audits[0].findings.filter((f) => f.severity === 'error')).toEqual([]);
    const markdown = fs.readFileSync(path.join(dir, REPORT_FILES.markdown), 'utf8');
    expect(markdown).toContain('# OpenClaw hardening checklist: agents');
    for (let item = 1; item <= 16; item++)
      expect(markdown).toMatch(new RegExp(`^\\| ${item} \\| `, 'm'));
    const json = JSON.parse(fs.readFileSync(path.join(dir, REPORT_FILES.json), 'utf8'));
    expect(json.stacks[0].stack).toBe('agents');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, REPORT_FILES.sarif), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThan(40);
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(
      audits[0].findings.map((f) => f.ruleId),
    );
  });

  test('the Terraform JSON is the same with and without the checklist', () => {
    const a = build(hardened);
    a.app.synth();
    const b = build(hardened, false);
    b.app.synth();
    const read = (dir: string) => fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8');
    expect(read(a.dir)).toBe(read(b.dir));
  });

  test('a suppression with a reason moves the finding to the report, and into cdk.tf.json for the audit command', () => {
    const { app, dir, audits } = build((stack) => {
      const c = hardened(stack);
      (c.container as Container).addOverride('cgroup_parent', null);
      OpenClawChecklist.suppress(c, 'OC06-ProcessLimit', reason);
    });
    app.synth();
    expect(audits[0].findings.map((f) => f.ruleId)).not.toContain('OC06-ProcessLimit');
    expect(audits[0].suppressed.map((f) => [f.ruleId, f.address, f.suppressedBecause])).toEqual([
      ['OC06-ProcessLimit', 'docker_container.openclaw-research-gateway', reason],
    ]);
    expect(fs.readFileSync(path.join(dir, REPORT_FILES.markdown), 'utf8')).toContain(
      `- \`OC06-ProcessLimit\` on \`docker_container.openclaw-research-gateway\`: ${reason}`,
    );
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    expect(
      tf.resource.docker_container['openclaw-research-gateway']['//'].openclaw_checklist
        .suppressions,
    ).toEqual([{ ruleId: 'OC06-ProcessLimit', reason }]);
  });

  test.each([
    [
      'an unknown rule',
      'OC99-Nothing',
      reason,
      'suppression on agents/x names rule "OC99-Nothing", which does not exist; use an id from OPENCLAW_CHECKLIST_RULES such as "OC06-ProcessLimit"',
    ],
    [
      'a short reason',
      'OC06-ProcessLimit',
      'because',
      'suppression of OC06-ProcessLimit on agents/x needs a reason of at least 20 characters (got 7); say why the rule does not apply',
    ],
  ])('an invalid suppression throws: %s', (_name, ruleId, why, message) => {
    const { stack } = build(() => undefined, false);
    const container = new Container(stack, 'x', { name: 'x', image: 'a:1' });
    expect(() => OpenClawChecklist.suppress(container, ruleId, why)).toThrow(message);
  });

  test('a weakening recorded by HardenedContainer shows as suppressed with its reason', () => {
    const why = 'the plugin binds port 80 inside the container';
    const { app, audits } = build((stack) => {
      const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
      new HardenedContainer(stack, 'gateway', {
        name: 'openclaw-research-gateway',
        network,
        ipv4Address: '172.30.0.10',
        processLimitSlice: 'openclaw-research.slice',
        dangerouslyAddCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason: why },
      });
    });
    app.synth();
    expect(audits[0].suppressed.map((f) => [f.ruleId, f.suppressedBecause])).toEqual([
      [
        'OC05-CapabilitiesDropped',
        `weakened on purpose (added-capabilities:NET_BIND_SERVICE): ${why}`,
      ],
    ]);
  });

  test('every weakening is listed in the report, also those no rule answers for', () => {
    const why = 'the metrics exporter is scraped from the host only';
    const { app, dir } = build((stack) => {
      const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
      new HardenedContainer(stack, 'gateway', {
        name: 'openclaw-research-gateway',
        network,
        ipv4Address: '172.30.0.10',
        processLimitSlice: 'openclaw-research.slice',
        dangerouslyRunAs: { user: '2000:2000', reason: why },
        dangerouslyPublishPorts: [{ containerPort: 9464, hostPort: 19464, reason: why }],
      });
    });
    app.synth();
    const markdown = fs.readFileSync(path.join(dir, REPORT_FILES.markdown), 'utf8');
    expect(markdown).toContain(
      `- \`other-user\` on \`docker_container.openclaw-research-gateway\`: ${why}`,
    );
    expect(markdown).toContain(
      `- \`published-port:9464\` on \`docker_container.openclaw-research-gateway\`: ${why}`,
    );
  });

  test("a value the rules cannot resolve is a finding at the rule's own severity, never a pass", () => {
    const { app, audits } = build((stack) => {
      const image = new TerraformVariable(stack, 'image', { type: 'string' });
      hardened(stack).container.addOverride('image', image.stringValue);
    });
    expect(() => app.synth()).toThrow(
      '[OC13-ImageVersionTag] docker_container.openclaw-research-gateway: image ${var.image} is not resolved',
    );
    const undecided = audits[0].findings.filter((f) => f.status === 'undecidable');
    expect(undecided.map((f) => [f.ruleId, f.severity])).toEqual(
      expect.arrayContaining([
        ['OC13-ImageVersionTag', 'error'],
        ['OC13-ImageDigest', 'warning'],
      ]),
    );
    expect(undecided.every((f) => f.details[0].includes('${var.image}'))).toBe(true);
  });

  test('check() on an app without stacks says what to do', () => {
    expect(() => OpenClawChecklist.check(new App({ outdir: os.tmpdir() }))).toThrow(
      'OpenClawChecklist.check found no stack in "the app"; call it after creating the stacks',
    );
  });

  test('check() twice on one app adds the checklist once, and the stacks created in between', () => {
    const { app, audits } = build((stack) => hardened(stack));
    const second = new TerraformStack(app, 'more');
    new DockerProvider(second, 'docker', {});
    const first = OpenClawChecklist.check(app);
    expect(OpenClawChecklist.check(app)).toBe(first);
    app.synth();
    expect(audits.map((a) => a.stack).sort()).toEqual(['agents', 'more']);
  });

  test('a stack created after check() fails synth, saying what to do', () => {
    const { app } = build((stack) => hardened(stack));
    new DockerProvider(new TerraformStack(app, 'late'), 'docker', {});
    expect(() => app.synth()).toThrow(
      'stacks ["late"] were created after OpenClawChecklist.check(app) (or the checklist reached them only through Aspects.of(app).add(), which cdktf never runs), so the checklist would not run on them; call check(app) after creating every stack (or again after creating these)',
    );
  });

  test('check(app, { stacks }) checks only the named stacks', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'checklist-test-'));
    const app = new App({ outdir });
    const agents = new TerraformStack(app, 'agents');
    new DockerProvider(agents, 'docker', {});
    hardened(agents);
    const other = new TerraformStack(app, 'website');
    new DockerProvider(other, 'docker', {});
    new Container(other, 'web', { name: 'web', image: 'nginx:latest', privileged: true });
    const audits: StackAudit[] = [];
    OpenClawChecklist.check(app, { stacks: ['agents'], onAudit: (a) => audits.push(a) });
    app.synth();
    expect(audits.map((a) => a.stack)).toEqual(['agents']);
    expect(() => OpenClawChecklist.check(app, { stacks: ['nope'] })).toThrow(
      'OpenClawChecklist.check was given stacks ["nope"], which are not stacks of "the app"; use one of ["agents","website"]',
    );
  });

  test('constructing the aspect directly is refused with what to do instead', () => {
    const Checklist = OpenClawChecklist as unknown as new () => OpenClawChecklist;
    const app = Testing.app();
    expect(() => Aspects.of(app).add(new Checklist())).toThrow(
      "OpenClawChecklist is added with OpenClawChecklist.check(app) (or check(stack)), not constructed directly: cdktf runs only a stack's own aspects, so an aspect added to the App would check nothing",
    );
  });

  describe('every direct-Aspect path works or says to call check(app)', () => {
    const USE_CHECK =
      "call OpenClawChecklist.check(app) after creating the stacks: cdktf runs only a stack's own aspects, so an aspect added to the App or to a construct inside a stack checks nothing";

    test('GIVEN the aspect check() returned, added again to the App, THEN every stack is still checked', () => {
      const { app, audits } = build((stack) => hardened(stack), false);
      new DockerProvider(new TerraformStack(app, 'more'), 'docker', {});
      Aspects.of(app).add(OpenClawChecklist.check(app, { onAudit: (a) => audits.push(a) }));
      app.synth();
      expect(audits.map((a) => a.stack).sort()).toEqual(['agents', 'more']);
    });

    test('GIVEN the aspect of one stack added to the App, THEN synth fails naming the unchecked stack', () => {
      const { app, stack } = build((s) => hardened(s), false);
      new DockerProvider(new TerraformStack(app, 'other'), 'docker', {});
      Aspects.of(app).add(OpenClawChecklist.check(stack));
      expect(() => app.synth()).toThrow(
        'stacks ["other"] were created after OpenClawChecklist.check(app) (or the checklist reached them only through Aspects.of(app).add(), which cdktf never runs)',
      );
    });

    test('GIVEN the aspect added by hand to another stack, THEN that stack is checked too', () => {
      const { app, stack } = build((s) => hardened(s), false);
      const other = new TerraformStack(app, 'other');
      new DockerProvider(other, 'docker', {});
      new Container(other, 'web', { name: 'web', image: 'openclaw/openclaw:latest' });
      const audits: StackAudit[] = [];
      Aspects.of(other).add(OpenClawChecklist.check(stack, { onAudit: (a) => audits.push(a) }));
      expect(() => app.synth()).toThrow(/OC13-ImageVersionTag/);
      expect(audits.map((a) => a.stack).sort()).toEqual(['agents', 'other']);
    });

    test('GIVEN the aspect added to a construct inside an unchecked stack, THEN synth fails saying so', () => {
      const { app, stack } = build((s) => hardened(s), false);
      const other = new TerraformStack(app, 'other');
      new DockerProvider(other, 'docker', {});
      const web = new Container(other, 'web', { name: 'web', image: 'nginx:1.27.3' });
      Aspects.of(web).add(OpenClawChecklist.check(stack));
      expect(() => app.synth()).toThrow('stacks ["other"] were created after');
      expect(() => Testing.synth(other)).toThrow(
        `OpenClawChecklist was added to "other/web" with Aspects.of(...).add(), inside stack "other", where it checks nothing; ${USE_CHECK}`,
      );
    });

    test('GIVEN an object posing as the aspect (no constructor ran), THEN synth fails saying so', () => {
      const forged = Object.create(OpenClawChecklist.prototype) as OpenClawChecklist;
      const { app, stack } = build(() => undefined, false);
      Aspects.of(stack).add(forged);
      expect(() => app.synth()).toThrow(
        `this OpenClawChecklist was not made by OpenClawChecklist.check; ${USE_CHECK}`,
      );
    });

    test('GIVEN a subclass, THEN constructing it is refused like the class itself', () => {
      const Checklist = OpenClawChecklist as unknown as new () => OpenClawChecklist;
      class Mine extends Checklist {}
      expect(() => new Mine()).toThrow(
        'OpenClawChecklist is added with OpenClawChecklist.check(app) (or check(stack)), not constructed directly',
      );
    });
  });

  test('a suppression can never name a never-suppressible rule', () => {
    const { stack } = build(() => undefined, false);
    const container = new Container(stack, 'x', { name: 'x', image: 'a:1' });
    expect(() =>
      OpenClawChecklist.suppress(container, 'OC07-NoDockerSocket', 'the CI runner needs docker'),
    ).toThrow(
      'suppression on agents/x names OC07-NoDockerSocket, which can never be suppressed (the library promises it never happens); fix the resource instead',
    );
  });

  test("a user's suppression adds to the suppressions a construct wrote itself, never replaces them", () => {
    const { app, dir } = build((stack) => {
      const c = hardened(stack);
      (c.container as Container).addOverride('//.openclaw_checklist.suppressions', [
        { ruleId: 'OC13-ImageDigest', reason: 'written by the construct itself' },
      ]);
      OpenClawChecklist.suppress(c, 'OC06-ProcessLimit', reason);
    });
    app.synth();
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    expect(
      tf.resource.docker_container['openclaw-research-gateway']['//'].openclaw_checklist
        .suppressions,
    ).toEqual([
      { ruleId: 'OC13-ImageDigest', reason: 'written by the construct itself' },
      { ruleId: 'OC06-ProcessLimit', reason },
    ]);
  });

  test('a weakening a construct records in its metadata (the tailnet policy overwrite) reaches the report', () => {
    const why = 'the platform team moves the policy into Terraform today';
    const { app, dir } = build((stack) => {
      hardened(stack);
      new TailscaleProvider(stack, 'tailscale', {});
      new TailnetPolicy(stack, 'policy', {
        agents: [{ profile: 'research', allow: ['group:research'] }],
        mode: 'acl',
        dangerouslyOverwriteExistingPolicy: { reason: why },
      });
    });
    app.synth();
    const markdown = fs.readFileSync(path.join(dir, REPORT_FILES.markdown), 'utf8');
    expect(markdown).toMatch(
      new RegExp(`- \`[^\`]*overwrite[^\`]*\` on \`tailscale_acl\.[^\`]+\`: ${why}`),
    );
  });

  test('in a jest test: check(), Testing.synth, then assert zero error findings', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'agents');
    new DockerProvider(stack, 'docker', {});
    const c = hardened(stack);
    OpenClawChecklist.suppress(c, 'OC06-ProcessLimit', reason);
    OpenClawChecklist.check(app);
    const audit = OpenClawChecklist.auditSynthesized(Testing.synth(stack), 'agents');
    expect(errorsOf(audit)).toEqual([]);
    // and it does fail on an error
    (c.container as Container).addOverride('privileged', true);
    expect(
      errorsOf(OpenClawChecklist.auditSynthesized(Testing.synth(stack))).map((f) => f.id),
    ).toContain('OC05-NotPrivileged@docker_container.openclaw-research-gateway');
    expect(() => OpenClawChecklist.auditSynthesized('not json')).toThrow(
      'OpenClawChecklist.auditSynthesized was given a string that is not JSON ("not json"); pass the output of Testing.synth(stack) or a parsed cdk.tf.json',
    );
  });
});
