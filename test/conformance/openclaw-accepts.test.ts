/**
 * GIVEN each config the library renders
 * WHEN the real OpenClaw (the pinned release) validates and audits it
 * THEN validation passes and the audit has no critical and no warn finding.
 */
import * as fs from 'fs';
import { OPENCLAW_RELEASE, renderOpenClawConfig } from '../../src';
import { CONFORMANCE_CASES, withTokenFile } from './configs';
import { assertOracleInstalled, makeHome, runCli, securityAudit, writeConfig } from './oracle';

jest.setTimeout(180_000);

beforeAll(() => assertOracleInstalled());

test('the oracle is the pinned OpenClaw release', () => {
  const home = makeHome();
  const result = runCli(home, ['--version']);
  expect(result.stdout).toContain(OPENCLAW_RELEASE.version);
});

test('the cases include configs with MCP server containers (the docker-host example, a preset)', () => {
  const withMcp = CONFORMANCE_CASES.filter((c) => (c.props.mcpServers ?? []).length > 0).map(
    (c) => c.name,
  );
  expect(withMcp).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^example: .*team-research/),
      'preset: research-memory',
    ]),
  );
  for (const c of CONFORMANCE_CASES) {
    const doc = renderOpenClawConfig(c.props).document as { mcp?: { servers?: object } };
    expect(JSON.stringify(doc.mcp ?? {})).not.toMatch(/"command"/);
  }
});

describe.each(CONFORMANCE_CASES)('$name', ({ props }) => {
  const home = makeHome();
  const rendered = renderOpenClawConfig(withTokenFile(props, home.tokenPath));
  writeConfig(home, rendered.json);
  // the gateway process's environment the config comes with (the broker as HTTP(S) proxy)
  for (const line of rendered.environment) {
    const i = line.indexOf('=');
    home.env[line.slice(0, i)] = line.slice(i + 1);
  }

  afterAll(() =>
    fs.rmSync(home.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }),
  );

  test('openclaw config validate accepts it', () => {
    const result = runCli(home, ['config', 'validate']);
    if (result.status !== 0) {
      throw new Error(
        `config validate failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}\n--- config ---\n${rendered.json}`,
      );
    }
    expect(result.stdout).toContain('Config valid');
  });

  test('openclaw security audit reports 0 critical and 0 warn', () => {
    const audit = securityAudit(home);
    const bad = audit.findings.filter((f) => f.severity === 'critical' || f.severity === 'warn');
    if (bad.length > 0) {
      const lines = bad.map(
        (f) =>
          `${f.severity} ${f.checkId}: ${f.title}\n    ${f.detail ?? ''}\n    fix: ${f.remediation ?? ''}`,
      );
      throw new Error(
        `security audit findings:\n${lines.join('\n')}\n--- config ---\n${rendered.json}`,
      );
    }
    expect(audit.summary.critical).toBe(0);
    expect(audit.summary.warn).toBe(0);
  });
});
