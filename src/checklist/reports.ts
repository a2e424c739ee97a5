import * as fs from 'fs';
import * as path from 'path';
import { OPENCLAW_RELEASE } from '../openclaw/release';
import { Finding, StackAudit } from './engine';
import { OPENCLAW_CHECKLIST_RULES } from './pack';
import { SCOPE_TEXT } from './scope';

/** File names of the reports written next to each stack's cdk.tf.json. */
export const REPORT_FILES = {
  markdown: 'openclaw-checklist.md',
  json: 'openclaw-checklist.json',
  sarif: 'openclaw-checklist.sarif',
} as const;

const TOOL_NAME = 'cdktf-openclaw';

/** This package's version, read from its package.json (from src/ or dist/src/). */
export function toolVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === TOOL_NAME && typeof pkg.version === 'string') return pkg.version;
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
const TOOL_URI = 'https://www.npmjs.com/package/cdktf-openclaw';

/**
 * One line per finding (`ERROR OC05-CapabilitiesDropped docker_container.gateway: details
 * (stack)`), followed by an indented line with its remedy and finding id.
 */
export function renderText(audits: readonly StackAudit[]): string {
  const lines: string[] = [];
  for (const audit of audits) {
    for (const f of audit.findings) {
      lines.push(
        `${f.severity.toUpperCase()} ${f.ruleId} ${f.address}: ${f.details.join('; ')} (${audit.stack})`,
        `  remedy: ${f.remedy} [${f.id}]`,
      );
    }
    for (const f of audit.suppressed) {
      lines.push(`SUPPRESSED ${f.ruleId} ${f.address}: ${f.suppressedBecause} (${audit.stack})`);
    }
  }
  const errors = audits.reduce(
    (n, a) => n + a.findings.filter((f) => f.severity === 'error').length,
    0,
  );
  const warnings = audits.reduce(
    (n, a) => n + a.findings.filter((f) => f.severity === 'warning').length,
    0,
  );
  const suppressed = audits.reduce((n, a) => n + a.suppressed.length, 0);
  lines.push(
    `${audits.length} stack(s): ${errors} error(s), ${warnings} warning(s), ${suppressed} suppressed`,
  );
  return `${lines.join('\n')}\n`;
}

/** The Markdown report: the 16 items with pass or fail, then findings, then suppressions. */
export function renderMarkdown(audit: StackAudit): string {
  const icon = { pass: 'pass', fail: '**FAIL**', warn: 'warn', 'n/a': 'n/a' } as const;
  const out: string[] = [
    `# OpenClaw hardening checklist: ${audit.stack}`,
    '',
    `Checked ${audit.checked.resources} resources and rendered configs with ${audit.checked.rules} rules (cdktf-openclaw, OpenClaw ${OPENCLAW_RELEASE.version}).`,
    `${audit.findings.filter((f) => f.severity === 'error').length} error(s), ${audit.findings.filter((f) => f.severity === 'warning').length} warning(s), ${audit.suppressed.length} suppressed.`,
    '',
    '| # | Item | Status | Rules applied |',
    '| --- | --- | --- | --- |',
    ...audit.items.map(
      (i) =>
        `| ${i.item} | ${escapeCell(i.title)} | ${icon[i.status]} | ${i.rules.join(', ') || '-'} |`,
    ),
    '',
    '## Findings',
    '',
  ];
  if (audit.findings.length === 0) out.push('None.', '');
  for (const f of audit.findings) out.push(...findingLines(f));
  out.push('## Weakened on purpose', '');
  if (audit.weakenings.length === 0) out.push('None.', '');
  for (const w of audit.weakenings) out.push(`- \`${w.id}\` on \`${w.address}\`: ${w.reason}`);
  if (audit.weakenings.length > 0) out.push('');
  out.push('## Suppressed', '');
  if (audit.suppressed.length === 0) out.push('None.', '');
  for (const f of audit.suppressed) {
    out.push(`- \`${f.ruleId}\` on \`${f.address}\`: ${f.suppressedBecause}`);
  }
  if (audit.suppressed.length > 0) out.push('');
  return out.join('\n');
}

function findingLines(f: Finding): string[] {
  return [
    `### ${f.severity === 'error' ? 'Error' : 'Warning'}: ${f.ruleId} on \`${f.address}\``,
    '',
    `Item ${f.item}. ${f.title}.${f.status === 'undecidable' ? ' The rule could not decide.' : ''}`,
    '',
    ...f.details.map((d) => `- ${d}`),
    '',
    `Remedy: ${f.remedy}`,
    ...(f.constructPath ? ['', `Construct: \`${f.constructPath}\``] : []),
    '',
  ];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The JSON report, for machines. */
export function renderJson(audits: readonly StackAudit[]): string {
  return `${JSON.stringify({ tool: TOOL_NAME, openclaw: OPENCLAW_RELEASE.version, stacks: audits }, null, 2)}\n`;
}

/**
 * The line where each resource starts in a pretty-printed cdk.tf.json (as cdktf writes it), by
 * address; a file on one line maps everything to line 1.
 */
export function resourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const keys: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^(\s*)"((?:[^"\\]|\\.)*)":/.exec(line);
    if (!m) return;
    const depth = Math.floor(m[1].length / 2);
    keys.length = depth;
    keys[depth - 1] = m[2];
    if (depth === 3 && (keys[0] === 'resource' || keys[0] === 'data')) {
      const address = `${keys[0] === 'data' ? 'data.' : ''}${keys[1]}.${keys[2]}`;
      if (!lines.has(address)) lines.set(address, i + 1);
    }
  });
  return lines;
}

/**
 * A SARIF 2.1.0 log for code-scanning upload; suppressed findings carry their justification.
 * With `textFor` (the cdk.tf.json text of a stack), each result has the region where its resource
 * starts.
 */
export function renderSarif(
  audits: readonly StackAudit[],
  artifactFor: (audit: StackAudit) => string,
  textFor?: (audit: StackAudit) => string | undefined,
): string {
  const rules = OPENCLAW_CHECKLIST_RULES.map((r) => ({
    id: r.id,
    name: r.id.replace(/^OC\d+-/, ''),
    shortDescription: { text: r.title },
    fullDescription: { text: `Hardening checklist item ${r.item}: ${r.title}.` },
    help: { text: r.remedy },
    defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
    properties: { 'checklist-item': r.item },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = audits.flatMap((audit) => {
    const text = textFor?.(audit);
    const starts = text === undefined ? undefined : resourceLines(text);
    return [...audit.findings, ...audit.suppressed].map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: f.severity === 'error' ? 'error' : 'warning',
      message: { text: `${f.address}: ${f.details.join('; ')}. ${f.remedy}` },
      partialFingerprints: { findingId: f.id },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactFor(audit) },
            ...(starts
              ? {
                  region: {
                    startLine: starts.get(f.address.split(':')[0]) ?? 1,
                  },
                }
              : {}),
          },
          logicalLocations: [{ fullyQualifiedName: f.address, kind: 'resource' }],
        },
      ],
      ...(f.suppressedBecause
        ? { suppressions: [{ kind: 'inSource', justification: f.suppressedBecause }] }
        : {}),
    }));
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: toolVersion(),
            semanticVersion: toolVersion(),
            informationUri: TOOL_URI,
            rules,
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * The README's rule table, generated from the pack: id, item, severity, what it applies to,
 * whether it can be suppressed, and what it requires. A test keeps the README in step.
 */
export function renderRuleTable(): string {
  const cell = (t: string) => escapeCell(t);
  return [
    '| Rule id | Item | Severity | Applies to | Suppressible | Requires |',
    '| --- | --- | --- | --- | --- | --- |',
    ...OPENCLAW_CHECKLIST_RULES.map(
      (r) =>
        `| \`${r.id}\` | ${r.item} | ${r.severity} | ${r.appliesTo} | ${r.suppressible ? 'yes' : '**never**'} | ${cell(r.title)} |`,
    ),
    '',
    '| Scope | What it covers |',
    '| --- | --- |',
    ...Object.entries(SCOPE_TEXT).map(([k, v]) => `| ${k} | ${cell(v)} |`),
  ].join('\n');
}
