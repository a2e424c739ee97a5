import { OPENCLAW_CLI } from '../openclaw/release';

/** The monthly review: 09:00 on the first day of each month. */
export const DEFAULT_REVIEW_SCHEDULE = 'cron(0 9 1 * ? *)';

/**
 * True when an EventBridge schedule expression fires at least once a month: `rate(N days)` with N
 * at most 31, `rate(N hours|minutes)`, or a `cron(...)` whose month field is every month.
 */
export function isAtLeastMonthly(expression: string): boolean {
  const rate = /^rate\((\d+) (day|days|hour|hours|minute|minutes)\)$/.exec(expression.trim());
  if (rate) return Number(rate[1]) >= 1 && (!rate[2].startsWith('day') || Number(rate[1]) <= 31);
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) return false;
  const fields = cron[1].trim().split(/\s+/);
  return fields.length === 6 && (fields[3] === '*' || fields[3] === '*/1');
}

/**
 * The reminder the review schedule publishes: what to run, exactly, for the checklist and for
 * OpenClaw's own audit in each gateway.
 */
export function reviewReminder(agents: readonly string[], topicName: string): string {
  return [
    'Monthly OpenClaw security review.',
    '',
    '1. Rerun the hardening checklist on the synthesized stacks, from the infrastructure repository:',
    '   npx cdktf synth && npx cdktf-openclaw audit cdktf.out --format markdown',
    '   Any error finding fails; read every suppression and weakening in the report again.',
    "2. Run OpenClaw's own audit in each gateway, on its Docker host:",
    ...agents.map(
      (a) => `   docker exec openclaw-${a}-gateway ${OPENCLAW_CLI} security audit --json`,
    ),
    '   Expect 0 critical and 0 warn findings.',
    `3. Go through the month's alarms on the ${topicName} topic, and CloudTrail's GetSecretValue events:`,
    "   each credential read should come from the agent's own broker role (openclaw-<agent>-broker).",
    "4. Compare the OpenClaw pin (OPENCLAW_RELEASE) with OpenClaw's security advisories; upgrade by changing the pin.",
  ].join('\n');
}
