/**
 * OpenClaw run as an ECS task or a Kubernetes workload: the container items of the checklist
 * (1, 5, 6, 7, 11, 12, 13, 14, 15) hold there with the same rules, the same scoping and the same
 * fail-closed reading as for docker containers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { auditStack, OPENCLAW_CHECKLIST_RULES, OpenClawChecklist, readStack } from '../../src';
import { TfResource } from '../../src/checklist/model';
import { workloadContainers } from '../../src/checklist/workloads';
import { Json } from './fixtures';

const corpus = (file: string): Json =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'corpus', file), 'utf8'));
const audit = (json: Json) => auditStack(readStack(json, 'fixture'));
const REF = '${var.property_test}';

/** The resource rules of the container items that judge cell containers. */
const CONTAINER_RULES = OPENCLAW_CHECKLIST_RULES.filter(
  (r) =>
    'resource' in r.check &&
    r.appliesTo === 'cell' &&
    [1, 5, 6, 7, 11, 12, 13, 14, 15].includes(r.item),
);

const ECS_GATEWAY = 'aws_ecs_task_definition.gw:container[gateway]';
const K8S_GATEWAY = 'kubernetes_deployment_v1.gw:container[gateway]';

describe.each([
  ['good-07-ecs-hardened-cell.tf.json', ECS_GATEWAY, ['OC05-SeccompProfile']],
  ['good-08-kubernetes-hardened-cell.tf.json', K8S_GATEWAY, ['OC06-ProcessLimit']],
])('GIVEN the hardened cell %s', (file, gateway, suppressed) => {
  test('THEN it passes clean: no finding of any severity, only reasoned suppressions', () => {
    const result = audit(corpus(file));
    expect(result.findings.map((f) => f.id)).toEqual([]);
    expect([...new Set(result.suppressed.map((f) => f.ruleId))]).toEqual(suppressed);
    for (const s of result.suppressed) expect(s.suppressedBecause!.length).toBeGreaterThan(20);
  });

  test('THEN every container rule judged its gateway compliant (none merely not applicable)', () => {
    const stack = readStack(corpus(file), 'fixture');
    const container = stack.byAddress.get(gateway)!;
    const outcomes = Object.fromEntries(
      CONTAINER_RULES.map((r) => [
        r.id,
        'resource' in r.check ? r.check.resource(container, stack).compliance : 'stack',
      ]),
    );
    const expected = Object.fromEntries(
      CONTAINER_RULES.map((r) => [r.id, suppressed.includes(r.id) ? outcomes[r.id] : 'compliant']),
    );
    // the node floor applies to node images only, and an OpenClaw image is judged by its release
    delete expected['OC15-NodeImagePatched'];
    delete outcomes['OC15-NodeImagePatched'];
    expect(outcomes).toEqual(expected);
    expect(CONTAINER_RULES.length).toBeGreaterThanOrEqual(20);
  });
});

describe('scope: only OpenClaw containers and what shares a task or pod with them', () => {
  test('GIVEN nginx and postgres workloads beside a hardened agent, THEN they get no finding', () => {
    expect(
      audit(corpus('good-09-unrelated-ecs-and-kubernetes-workloads.tf.json')).findings,
    ).toEqual([]);
  });

  test('GIVEN an ordinary container in the gateway pod, THEN it is in the cell and judged', () => {
    const json = corpus('good-08-kubernetes-hardened-cell.tf.json');
    const pod = json.resource.kubernetes_deployment_v1.gw.spec[0].template[0].spec[0];
    pod.container.push({ name: 'debug', image: 'busybox:1.37.0' });
    const ids = audit(json).findings.map((f) => f.id);
    expect(ids).toContain('OC06-ReadOnlyRoot@kubernetes_deployment_v1.gw:container[debug]');
    expect(ids).toContain('OC05-CapabilitiesDropped@kubernetes_deployment_v1.gw:container[debug]');
  });

  test("GIVEN an SSH rule from anywhere on the service's security group, THEN reach catches it; on an unrelated service, nothing", () => {
    const json = corpus('good-07-ecs-hardened-cell.tf.json');
    json.resource.aws_security_group.task.ingress = [
      { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] },
    ];
    expect(audit(json).findings.map((f) => f.id)).toEqual([
      'OC01-NoPublicIngress@aws_security_group.task',
    ]);
    json.resource.aws_ecs_service.gw.task_definition =
      'arn:aws:ecs:eu-west-1:1:task-definition/web:3';
    json.resource.aws_ecs_task_definition = {};
    delete json.resource.aws_scheduler_schedule;
    expect(audit(json).findings).toEqual([]);
  });

  test('GIVEN a gateway task whose service assigns a public IP, THEN OC01-InstancePrivate names the service', () => {
    const json = corpus('good-07-ecs-hardened-cell.tf.json');
    json.resource.aws_ecs_service.gw.network_configuration.assign_public_ip = true;
    expect(audit(json).findings.map((f) => f.id)).toEqual([
      'OC01-InstancePrivate@aws_ecs_service.gw',
    ]);
    json.resource.aws_ecs_service.gw.network_configuration.assign_public_ip = '${var.public}';
    expect(audit(json).findings.map((f) => `${f.status} ${f.id}`)).toEqual([
      'undecidable OC01-InstancePrivate@aws_ecs_service.gw',
    ]);
  });
});

/**
 * Property: a source value the reader turns into container attributes, set to a reference,
 * never lets a rule that reads those attributes pass. For each key K of the hardened gateway's
 * source, the attributes K feeds are those that change when K is removed; every rule that reads
 * one of them and passed before must not pass with K = a reference.
 */
describe('property: a source value set to a reference never lets a rule that reads it pass', () => {
  type Case = [string, string, string];
  const ecsDefs = (json: Json): Json[] =>
    JSON.parse(json.resource.aws_ecs_task_definition.gw.container_definitions);
  const setEcs = (json: Json, change: (c: Json) => void) => {
    const defs = ecsDefs(json);
    change(defs[0]);
    json.resource.aws_ecs_task_definition.gw.container_definitions = JSON.stringify(defs);
  };
  const k8sPod = (json: Json) =>
    json.resource.kubernetes_deployment_v1.gw.spec[0].template[0].spec[0];
  const cases: Case[] = [];
  const ecs = corpus('good-07-ecs-hardened-cell.tf.json');
  // every setting (the name is the container's identity, so its address)
  for (const key of Object.keys(ecsDefs(ecs)[0]).filter((k) => k !== 'name'))
    cases.push(['good-07-ecs-hardened-cell.tf.json', `container definition ${key}`, key]);
  for (const key of Object.keys(ecsDefs(ecs)[0].linuxParameters))
    cases.push(['good-07-ecs-hardened-cell.tf.json', `linuxParameters.${key}`, key]);
  for (const key of ['volume', 'network_mode', 'memory', 'cpu'])
    cases.push(['good-07-ecs-hardened-cell.tf.json', `task ${key}`, key]);
  const k8s = corpus('good-08-kubernetes-hardened-cell.tf.json');
  for (const key of Object.keys(k8sPod(k8s).container[0]).filter((k) => k !== 'name'))
    cases.push(['good-08-kubernetes-hardened-cell.tf.json', `container ${key}`, key]);
  for (const key of Object.keys(k8sPod(k8s).container[0].security_context[0]))
    cases.push(['good-08-kubernetes-hardened-cell.tf.json', `security_context.${key}`, key]);
  for (const key of Object.keys(k8sPod(k8s).security_context[0]))
    cases.push(['good-08-kubernetes-hardened-cell.tf.json', `pod security_context.${key}`, key]);
  for (const key of ['volume', 'host_network'])
    cases.push(['good-08-kubernetes-hardened-cell.tf.json', `pod ${key}`, key]);

  /** Applies `value` (undefined: remove) at the case's place in a copy of the fixture. */
  const at = (file: string, where: string, key: string, value: unknown): Json => {
    const json = corpus(file);
    const put = (o: Json) => {
      if (value === undefined) delete o[key];
      else o[key] = value;
    };
    if (where.startsWith('container definition')) setEcs(json, put);
    else if (where.startsWith('linuxParameters')) setEcs(json, (c) => put(c.linuxParameters));
    else if (where.startsWith('task')) put(json.resource.aws_ecs_task_definition.gw);
    else if (where.startsWith('container ')) put(k8sPod(json).container[0]);
    else if (where.startsWith('security_context'))
      put(k8sPod(json).container[0].security_context[0]);
    else if (where.startsWith('pod security_context')) put(k8sPod(json).security_context[0]);
    else put(k8sPod(json));
    return json;
  };
  const gatewayOf = (file: string, json: Json): TfResource => {
    const address = file.includes('ecs') ? ECS_GATEWAY : K8S_GATEWAY;
    const owner = readStack(json, 'fixture').byAddress.get(address.split(':')[0])!;
    return workloadContainers(owner).find((c) => c.address === address)!;
  };

  test('the property has cases on both platforms', () => {
    expect(cases.length).toBeGreaterThan(25);
  });

  test.each(cases)('%s: %s = ${var...}', (file, where, key) => {
    const base = gatewayOf(file, corpus(file));
    const without = gatewayOf(file, at(file, where, key, undefined));
    const fed = Object.keys({ ...base.attributes, ...without.attributes }).filter(
      (k) => JSON.stringify(base.attributes[k]) !== JSON.stringify(without.attributes[k]),
    );
    const stack = readStack(corpus(file), 'fixture');
    const readers = CONTAINER_RULES.filter((rule) => {
      const read = new Set<string>();
      const view = {
        ...base,
        attributes: new Proxy(base.attributes, {
          get: (t, k) => (typeof k === 'string' && read.add(k), Reflect.get(t, k) as unknown),
        }),
      };
      const outcome = 'resource' in rule.check ? rule.check.resource(view, stack) : undefined;
      return outcome?.compliance === 'compliant' && fed.some((k) => read.has(k));
    });
    const result = audit(at(file, where, key, REF));
    const judged = new Set(
      [...result.findings, ...result.suppressed]
        .filter((f) => f.address === base.address)
        .map((f) => f.ruleId),
    );
    // every rule that read what the reference hides now has a finding (it did not pass)
    expect(readers.map((r) => r.id).filter((id) => !judged.has(id))).toEqual([]);
  });
});

describe('as cdktf writes it', () => {
  test('GIVEN an EcsTaskDefinition with JSON.stringify container definitions, THEN check() catches it at synth', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'agents');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const task = new EcsTaskDefinition(stack, 'gw', {
      family: 'openclaw',
      containerDefinitions: JSON.stringify([
        { name: 'gateway', image: 'ghcr.io/openclaw/openclaw:2026.9.6', privileged: true },
      ]),
    });
    new EcsService(stack, 'svc', {
      name: 'openclaw',
      taskDefinition: task.arn,
      networkConfiguration: { subnets: ['subnet-1'], assignPublicIp: true },
    });
    OpenClawChecklist.check(app);
    const ids = OpenClawChecklist.auditSynthesized(Testing.synth(stack))
      .findings.filter((f) => f.severity === 'error')
      .map((f) => f.id);
    expect(ids).toContain('OC05-NotPrivileged@aws_ecs_task_definition.gw:container[gateway]');
    expect(ids).toContain('OC01-InstancePrivate@aws_ecs_service.svc');
  });
});
