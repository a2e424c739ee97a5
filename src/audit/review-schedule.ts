import { OPENCLAW_CLI } from '../openclaw/release';

/** The monthly review: 09:00 on the first day of each month. */
export const DEFAULT_REVIEW_SCHEDULE = 'cron(0 9 1 * ? *)';

/**
 * True when an EventBridge schedule expression fires in every month, forever: `rate(N days)` with
 * N at most 31 (or hours, minutes), or a `cron(...)` whose month and year fields are `*`, whose
 * day of month exists in every month (1-28, `L`, `*` or `?`), and whose weekday is not an nth
 * weekday (`MON#5` skips months).
 */
export function isAtLeastMonthly(expression: string): boolean {
  const text = expression.trim();
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    // AWS takes the singular unit for 1 and the plural above it
    if (n < 1 || (n === 1) !== (rate[3] === '')) return false;
    return rate[2] !== 'day' || n <= 31;
  }
  const cron = /^cron\((.+)\)$/.exec(text);
  if (!cron) return false;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) return false;
  const [, , dayOfMonth, month, dayOfWeek, year] = fields;
  const everyMonth = month === '*' || month === '*/1';
  const dayExists =
    dayOfMonth === '?' ||
    dayOfMonth === '*' ||
    dayOfMonth === 'L' ||
    dayOfMonth.split(',').some((d) => /^\d+$/.test(d) && Number(d) >= 1 && Number(d) <= 28);
  return everyMonth && year === '*' && dayExists && !dayOfWeek.includes('#');
}

/**
 * The reminder the review schedule publishes: what to run, exactly, for the checklist and for
 * OpenClaw's own audit in each gateway.
 */
export function reviewReminder(
  agents: readonly string[],
  topicName: string,
  namePrefix = '',
): string {
  return [
    'Monthly OpenClaw security review.',
    '',
    '1. Rerun the hardening checklist on the synthesized stacks, from the infrastructure repository:',
    '   npx cdktf synth && npx cdktf-openclaw audit cdktf.out --format markdown',
    '   Any error finding fails; read every suppression and weakening in the report again.',
    "2. Run OpenClaw's own audit in each gateway, on its Docker host:",
    ...agents.map(
      (a) =>
        `   docker exec ${namePrefix}openclaw-${a}-gateway ${OPENCLAW_CLI} security audit --json`,
    ),
    '   Expect 0 critical and 0 warn findings.',
    `3. Go through the month's alarms on the ${topicName} topic, and CloudTrail's GetSecretValue events:`,
    `   each credential read should come from the agent's own broker role (${namePrefix}openclaw-<agent>-broker).`,
    "4. Compare the OpenClaw pin (OPENCLAW_RELEASE) with OpenClaw's security advisories; upgrade by changing the pin.",
  ].join('\n');
}
