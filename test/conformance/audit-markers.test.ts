/**
 * GIVEN the gateway-log filter for refused tool calls (its terms come from OpenClaw's source)
 * WHEN the pinned OpenClaw release is searched for them
 * THEN each marker is still written by that release, so a pin upgrade that renames one fails here
 * instead of silently muting the alarm.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BLOCKED_TOOL_MARKERS } from '../../src/audit/log-patterns';
import { assertOracleInstalled, ORACLE_CLI } from './oracle';

beforeAll(() => assertOracleInstalled());

test.each(BLOCKED_TOOL_MARKERS)('the pinned OpenClaw still writes "%s"', (marker) => {
  const dist = path.join(path.dirname(ORACLE_CLI), 'dist');
  const files = fs.readdirSync(dist).filter((f) => f.endsWith('.mjs') || f.endsWith('.js'));
  const quoted = `"${marker}"`;
  const holders = files.filter((f) => fs.readFileSync(path.join(dist, f), 'utf8').includes(quoted));
  expect(holders.length).toBeGreaterThan(0);
});
