import { auditStack, readStack } from '../../src';
import { readOnlyRoot } from '../../src/checklist/rules/read-only-root';
import { brokenStack, gw, Json } from './fixtures';

/**
 * OC06-ReadOnlyRoot's not-applicable path: a container created and never started (`start = false`
 * and `must_run = false`, as the tailnet key drop is) has a root that never runs. Only both
 * together say so: the docker provider's `must_run` defaults to true, and a container that must run
 * is started whatever `start` says.
 */
const writableGateway = (attrs: Json) => (s: Json) => {
  delete gw(s).read_only;
  Object.assign(gw(s), attrs);
};

const outcome = (attrs: Json) => {
  const stack = readStack(brokenStack(writableGateway(attrs)), 'fixture');
  return readOnlyRoot(stack.byAddress.get('docker_container.gw')!, stack).compliance;
};

const findings = (attrs: Json) =>
  auditStack(readStack(brokenStack(writableGateway(attrs)), 'fixture'))
    .findings.filter((f) => f.ruleId === 'OC06-ReadOnlyRoot')
    .map((f) => `${f.status} ${f.address}`);

describe('OC06-ReadOnlyRoot on a container that is never started', () => {
  test.each<[string, Json]>([
    ['start and must_run false', { start: false, must_run: false }],
    ['start and must_run false, written as strings', { start: 'false', must_run: 'false' }],
  ])('GIVEN a writable root, %s, THEN the rule is not applicable', (_, attrs) => {
    expect(outcome(attrs)).toBe('not-applicable');
    expect(findings(attrs)).toEqual([]);
  });

  test.each<[string, Json]>([
    ['start false, must_run true', { start: false, must_run: true }],
    ['start false, must_run unset (the provider defaults it to true)', { start: false }],
    ['must_run false, start unset (the provider starts it)', { must_run: false }],
    ['neither set', {}],
    ['start true, must_run false', { start: true, must_run: false }],
  ])('GIVEN a writable root, %s, THEN the rule still applies and fails', (_, attrs) => {
    expect(outcome(attrs)).toBe('non-compliant');
    expect(findings(attrs)).toEqual(['non-compliant docker_container.gw']);
  });

  test('GIVEN start unknown at synth time and must_run false, THEN the rule cannot pass', () => {
    const attrs = { start: '${var.start}', must_run: false };
    expect(findings(attrs)).toEqual(['non-compliant docker_container.gw']);
    expect(findings({ ...attrs, read_only: true })).toEqual(['undecidable docker_container.gw']);
  });

  test('GIVEN a read-only root that is never started, THEN nothing is reported either way', () => {
    expect(findings({ start: false, must_run: false, read_only: true })).toEqual([]);
  });
});
