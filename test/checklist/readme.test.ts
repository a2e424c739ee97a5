/**
 * The README's rule tables are generated from the pack. When this fails, regenerate them with
 * `UPDATE_README=1 npx jest --selectProjects unit --maxWorkers=1 test/checklist/readme.test.ts` and run
 * `npx prettier --write README.md`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderRuleTable } from '../../src/checklist/reports';

const README = path.join(__dirname, '../../README.md');
const BEGIN = '<!-- rules:begin (generated from the pack, see test/checklist/readme.test.ts) -->';
const END = '<!-- rules:end -->';

/** The table rows as lists of trimmed cells, so prettier's padding does not matter. */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

test('the README rule tables match the pack', () => {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (process.env.UPDATE_README === '1' && start >= 0 && end > start) {
    fs.writeFileSync(
      README,
      `${text.slice(0, start + BEGIN.length)}\n\n${renderRuleTable()}\n\n${text.slice(end)}`,
    );
    return;
  }
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  expect(rows(text.slice(start, end))).toEqual(rows(renderRuleTable()));
});
