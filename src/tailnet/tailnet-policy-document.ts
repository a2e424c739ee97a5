/**
 * The tailnet policy document for agent cells: who owns each agent tag, which user groups may
 * reach which agent (tcp:443 only), nothing between agents, and `tests` that Tailscale runs on
 * every policy change so a later edit cannot open 18789, SSH or an agent-to-agent path unnoticed.
 */

import { PROFILE_NAME } from '../core/names';

/** Who may reach one agent. */
export interface AgentAccess {
  /** Risk profile name; the agent's tag is `tag:openclaw-<profile>`. */
  readonly profile: string;
  /** Groups or users allowed to reach it, such as `group:research` or `alice@example.com`. */
  readonly allow: readonly string[];
  /**
   * The name prefix of the agent's environment: its tag is `tag:<prefix>openclaw-<profile>`.
   * @default "" (no prefix)
   */
  readonly namePrefix?: string;
}

/** Inputs of {@link renderTailnetPolicy}. */
export interface TailnetPolicyOptions {
  readonly agents: readonly AgentAccess[];
  /**
   * Who may apply the agent tags (tagOwners).
   * @default ["autogroup:admin"]
   */
  readonly tagOwners?: readonly string[];
}

/** The tag of a risk profile's agent, in the environment of `namePrefix` (such as `staging-`). */
export function agentTag(profile: string, namePrefix = ''): string {
  return `tag:${namePrefix}openclaw-${profile}`;
}

const PRINCIPAL = /^(group:[A-Za-z0-9._-]+|autogroup:(member|admin|owner)|[^@\s*]+@[^@\s*]+)$/;

/** Renders the policy document (plain JSON, accepted as HuJSON by Tailscale). */
export function renderTailnetPolicy(options: TailnetPolicyOptions): Record<string, unknown> {
  const owners = [...(options.tagOwners ?? ['autogroup:admin'])];
  if (options.agents.length === 0)
    throw new Error(
      'the tailnet policy needs at least one agent; list each profile and the groups that may reach it',
    );
  const seen = new Set<string>();
  for (const agent of options.agents) {
    if (!PROFILE_NAME.test(agent.profile)) {
      throw new Error(
        `profile "${agent.profile}" cannot be part of a tag; use lower-case letters, digits and "-", such as "research"`,
      );
    }
    const tag = agentTag(agent.profile, agent.namePrefix);
    if (seen.has(tag))
      throw new Error(`profile "${agent.profile}" is listed twice; list each agent once`);
    seen.add(tag);
    if (agent.allow.length === 0)
      throw new Error(
        `agent "${agent.profile}" allows nobody; name the groups that may reach it, such as "group:${agent.profile}"`,
      );
    for (const who of [...agent.allow, ...owners]) {
      if (!PRINCIPAL.test(who)) {
        throw new Error(
          `"${who}" may not be a source for agent "${agent.profile}": only groups, users and autogroup:member/admin/owner are accepted (never "*", tags or autogroup:tagged, which would include other agents)`,
        );
      }
    }
  }
  const tags = options.agents.map((a) => agentTag(a.profile, a.namePrefix));
  const tests: Record<string, unknown>[] = [];
  for (const agent of options.agents) {
    const tag = agentTag(agent.profile, agent.namePrefix);
    for (const who of agent.allow) {
      tests.push({ src: who, accept: [`${tag}:443`], deny: [`${tag}:18789`, `${tag}:22`] });
    }
    const others = tags.filter((t) => t !== tag);
    // no path from one agent to another, on the served port or the gateway port
    if (others.length > 0) {
      tests.push({
        src: tag,
        deny: [...others.map((t) => `${t}:443`), ...others.map((t) => `${t}:18789`)],
      });
    }
  }
  return {
    tagOwners: Object.fromEntries(tags.map((t) => [t, owners])),
    grants: options.agents.map((a) => ({
      src: [...a.allow],
      dst: [agentTag(a.profile, a.namePrefix)],
      ip: ['tcp:443'],
    })),
    tests,
  };
}
