/**
 * A corpus of misconfigured stacks written as plain Terraform JSON (the mistakes peers ship and the
 * quick-start defaults), each naming in its `//.expect` the rule and address that must catch it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { auditStack, OPENCLAW_CHECKLIST_RULES, readStack } from '../../src';

const dir = path.join(__dirname, 'corpus');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.tf.json'))
  .sort();

const bad = files.filter((f) => !f.startsWith('good-'));
const good = files.filter((f) => f.startsWith('good-'));

test('the corpus holds at least 30 misconfigured stacks and some good ones', () => {
  expect(bad.length).toBeGreaterThanOrEqual(30);
  expect(good.length).toBeGreaterThanOrEqual(5);
});

describe.each(good)('%s', (file) => {
  const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

  test('is a good stack: no error finding', () => {
    expect(json['//'].good).toBe(true);
    const audit = auditStack(readStack(json, file));
    expect(audit.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual([]);
  });
});

describe.each(bad)('%s', (file) => {
  const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const expected: string[] = json['//'].expect;
  const undecided: string[] = json['//'].expectUndecidable ?? [];

  test('is caught by the right rule at the right address', () => {
    const audit = auditStack(readStack(json, file));
    const found = (status: string) =>
      audit.findings.filter((f) => f.status === status).map((f) => `${f.ruleId} ${f.address}`);
    expect(expected.length + undecided.length).toBeGreaterThan(0);
    for (const e of expected) expect(found('non-compliant')).toContain(e);
    // what cannot be read fails closed at the rule's own severity
    for (const e of undecided) expect(found('undecidable')).toContain(e);
    for (const f of audit.findings.filter((x) => undecided.includes(`${x.ruleId} ${x.address}`)))
      expect(f.severity).toBe(OPENCLAW_CHECKLIST_RULES.find((r) => r.id === f.ruleId)!.severity);
  });
});
