import type { BrokerLogLine } from '../../broker/src/server';
import { ContainerLogging } from '../container/hardening';

/**
 * Where each agent's logs go and what the alarms look for in them. Pure functions: names, the
 * awslogs driver options, CloudWatch filter patterns and the out-of-hours expression.
 */

/** The containers of a cell whose output is kept (`mcp`: every MCP server of the agent). */
export const AGENT_LOG_STREAMS = ['gateway', 'broker', 'sidecar', 'mcp'] as const;
export type AgentLogStream = (typeof AGENT_LOG_STREAMS)[number];

/**
 * The log group of one container of one agent: `/<namePrefix>openclaw/<agent>/<stream>`, the
 * prefix being the agent's environment (such as `staging-`).
 */
export function agentLogGroupName(agent: string, stream: AgentLogStream, namePrefix = ''): string {
  return `/${namePrefix}openclaw/${agent}/${stream}`;
}

/** The ARN of {@link agentLogGroupName}, for a host's `logGroupArns`. */
export function agentLogGroupArn(
  region: string,
  accountId: string,
  agent: string,
  stream: AgentLogStream,
  namePrefix = '',
): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${agentLogGroupName(agent, stream, namePrefix)}`;
}

/** Every log group ARN of the given agents, for an AgentHost's `logGroupArns`. */
export function agentLogGroupArns(
  region: string,
  accountId: string,
  agents: readonly string[],
  namePrefix = '',
): string[] {
  return agents.flatMap((a) =>
    AGENT_LOG_STREAMS.map((s) => agentLogGroupArn(region, accountId, a, s, namePrefix)),
  );
}

/**
 * The awslogs driver for one container: its output goes to the agent's log group (which the
 * AuditTrail creates; the driver never creates groups, so none escapes retention and KMS). The
 * Docker daemon writes with its own credentials: an AgentHost's instance role, given the group
 * ARNs in `logGroupArns`.
 */
export function awslogsDriver(
  region: string,
  agent: string,
  stream: AgentLogStream,
  namePrefix = '',
): ContainerLogging {
  return {
    driver: 'awslogs',
    options: {
      'awslogs-region': region,
      'awslogs-group': agentLogGroupName(agent, stream, namePrefix),
      'awslogs-stream': stream,
      'awslogs-create-group': 'false',
    },
  };
}

/** Longest filter pattern CloudWatch Logs accepts. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/**
 * CloudWatch regex filter patterns may contain only letters, digits, the symbols `: _ # = @ / ; , -`
 * and the operators `^ $ ? [ ] { } | \ * + .` (no spaces, no quotes, no parentheses).
 * Source: Amazon CloudWatch Logs User Guide, "Supported regular expressions (regex) syntax".
 */
const REGEX_CHARACTERS = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]+$/;

/**
 * A regex filter pattern (`%a|b%`) that matches any of the alternatives. Throws when an
 * alternative uses a character CloudWatch refuses or the pattern is too long.
 */
export function regexFilterPattern(alternatives: readonly string[]): string {
  if (alternatives.length === 0) throw new Error('a regex filter pattern needs an alternative');
  for (const a of alternatives) {
    if (!REGEX_CHARACTERS.test(a)) {
      throw new Error(
        `regex "${a}" has a character CloudWatch filter patterns refuse; use letters, digits, : _ # = @ / ; , - and ^ $ ? [ ] { } | \\ * + . (write a space as \\s)`,
      );
    }
  }
  const pattern = `%${alternatives.join('|')}%`;
  if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
    throw new Error(
      `filter pattern is ${pattern.length} characters, more than CloudWatch's ${MAX_FILTER_PATTERN_LENGTH}; use fewer or shorter phrases`,
    );
  }
  return pattern;
}

/**
 * A phrase as a case-insensitive CloudWatch regex: each letter becomes `[Xx]`, each run of spaces
 * `\s+`. Only letters, digits, spaces and the symbols regexes allow are accepted.
 */
export function caselessPhrase(phrase: string): string {
  const words = phrase.trim().split(/\s+/);
  if (
    words.length === 0 ||
    words[0] === '' ||
    !words.every((w) => /^[A-Za-z0-9:_#=@/;,-]+$/.test(w))
  ) {
    throw new Error(
      `phrase "${phrase}" can hold only letters, digits, spaces and : _ # = @ / ; , - in a CloudWatch filter`,
    );
  }
  return words
    .map((w) =>
      [...w]
        .map((c) => (/[A-Za-z]/.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c))
        .join(''),
    )
    .join('\\s+');
}

/** Phrases that try to override an agent's instructions, matched in any letter case. */
export const INJECTION_PHRASES: readonly string[] = [
  'ignore previous instructions',
  'ignore all previous instructions',
  'ignore prior instructions',
  'disregard previous instructions',
  'disregard all prior instructions',
];

/**
 * Injection attempts in log text: one of the phrases anywhere, or a line (or JSON string) that
 * starts with `system:`. A JSON log line carries text as `"text":"system: ...`; a quote cannot be
 * written in a filter regex, so `:.` stands for `:"`, and `\\n` for an escaped line break.
 */
export function injectionFilterPattern(phrases: readonly string[] = INJECTION_PHRASES): string {
  const system = caselessPhrase('system');
  return regexFilterPattern([
    ...phrases.map(caselessPhrase),
    `^\\s*${system}\\s*:`,
    `:.\\s*${system}\\s*:`,
    `\\\\n\\s*${system}\\s*:`,
  ]);
}

/**
 * Tool invocations OpenClaw refused because the agent's policy does not allow them. The terms are
 * the markers the pinned OpenClaw writes for a blocked tool call (a conformance test checks that
 * the pinned release still carries them).
 */
export const BLOCKED_TOOL_MARKERS: readonly string[] = [
  'tool_call_blocked',
  'tool.execution.blocked',
];

/** A filter pattern matching any of {@link BLOCKED_TOOL_MARKERS}. */
export function blockedToolFilterPattern(): string {
  return BLOCKED_TOOL_MARKERS.map((m) => `?"${m}"`).join(' ');
}

/** Broker log lines (JSON, one per request, see the broker's BrokerLogLine) with one of these outcomes. */
export function brokerOutcomeFilterPattern(outcomes: readonly BrokerLogLine['outcome'][]): string {
  return `{ ${outcomes.map((o) => `($.outcome = "${o}")`).join(' || ')} }`;
}

/** The hours, in UTC, when an agent is expected to be busy. */
export interface ActiveHours {
  /** First active hour, 0-23 (UTC). */
  readonly fromHourUtc: number;
  /** First hour no longer active, 0-23 (UTC); smaller than `fromHourUtc` for a night shift. */
  readonly toHourUtc: number;
  /**
   * Only Monday to Friday are active.
   * @default false
   */
  readonly weekdaysOnly?: boolean;
}

/**
 * A metric math expression that keeps `metric`'s values outside the active hours and is 0 inside
 * them (`HOUR` and `DAY` are CloudWatch metric math functions: the UTC hour, and the weekday with
 * Monday as 1).
 */
export function outOfHoursExpression(hours: ActiveHours, metric: string): string {
  for (const [prop, value] of [
    ['fromHourUtc', hours.fromHourUtc],
    ['toHourUtc', hours.toHourUtc],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 23) {
      throw new Error(
        `activeHours.${prop} ${value} is not an hour; use a whole number from 0 to 23 (UTC)`,
      );
    }
  }
  if (hours.fromHourUtc === hours.toHourUtc) {
    throw new Error(
      `activeHours from ${hours.fromHourUtc} to ${hours.toHourUtc} is empty; for an agent busy at any hour use activeHours: "around-the-clock"`,
    );
  }
  const hour = `HOUR(${metric})`;
  const outside =
    hours.fromHourUtc < hours.toHourUtc
      ? `${hour} < ${hours.fromHourUtc} || ${hour} >= ${hours.toHourUtc}`
      : `${hour} >= ${hours.toHourUtc} && ${hour} < ${hours.fromHourUtc}`;
  const when = hours.weekdaysOnly ? `(${outside}) || DAY(${metric}) > 5` : outside;
  return `IF(${when}, ${metric}, 0)`;
}
