/**
 * A corpus of misconfigured stacks written as plain Terraform JSON (the mistakes peers ship and the
 * quick-start defaults), each naming in its `//.expect` the rule and address that must catch it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { auditStack, readStack } from '../../src';

const dir = path.join(__dirname, 'corpus');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.tf.json'))
  .sort();

test('the corpus holds at least 30 misconfigured stacks', () => {
  expect(files.length).toBeGreaterThanOrEqual(30);
});

describe.each(files)('%s', (file) => {
  const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const expected: string[] = json['//'].expect;

  test('is caught by the right rule at the right address', () => {
    const audit = auditStack(readStack(json, file));
    const found = audit.findings
      .filter((f) => f.status === 'non-compliant')
      .map((f) => `${f.ruleId} ${f.address}`);
    expect(expected.length).toBeGreaterThan(0);
    for (const e of expected) expect(found).toContain(e);
  });
});
