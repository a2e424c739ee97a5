/**
 * The tailnet policy document for agent cells: who owns each agent tag, which user groups may
 * reach which agent (tcp:443 only), nothing between agents, and `tests` that Tailscale runs on
 * every policy change so a later edit cannot open 18789, SSH or an agent-to-agent path unnoticed.
 */

import { PROFILE_NAME } from '../core/names';
import { hostTag, isHostTag } from '../host/host-names';
import { DEPLOY_USER } from '../host/user-data';

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

/**
 * Who may reach the agent hosts' Docker engine for `cdktf deploy`: Tailscale SSH to the deploy
 * user `openclaw-deploy` on `tag:openclaw-host`. That user is in the docker group, which is root
 * on the host: name a small group of deployers.
 */
export interface HostAccess {
  /** Groups or users allowed, such as `group:openclaw-deployers`. */
  readonly deployers: readonly string[];
  /**
   * `check` makes a deployer re-authenticate in the browser now and then (Tailscale's check
   * period); `accept` does not, for an unattended CI identity.
   * @default "check"
   */
  readonly sshAction?: 'check' | 'accept';
  /**
   * The name prefix of the hosts' environment: their tag is `tag:<prefix>openclaw-host`.
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
  /**
   * Deploy access to the agent hosts (AgentHost), for those who run `cdktf deploy`.
   * @default - nobody reaches the hosts over the tailnet (the policy then has no ssh rule)
   */
  readonly hostAccess?: HostAccess;
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
    if (isHostTag(tag))
      throw new Error(
        `profile "${agent.profile}" would take the hosts' tag ${tag}; give the agent another name`,
      );
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
  const policy: Record<string, unknown> = {
    tagOwners: Object.fromEntries(tags.map((t) => [t, owners])),
    grants: options.agents.map((a) => ({
      src: [...a.allow],
      dst: [agentTag(a.profile, a.namePrefix)],
      ip: ['tcp:443'],
    })),
    tests,
  };
  if (options.hostAccess) {
    const host = hostAccessRules(options.hostAccess, tags, owners);
    (policy.tagOwners as Record<string, unknown>)[host.hostTag as string] = host.hostTagOwners;
    (policy.grants as unknown[]).push(host.hostGrant);
    (policy.tests as unknown[]).push(...(host.hostTests as unknown[]));
    policy.ssh = host.ssh;
    policy.sshTests = host.sshTests;
  }
  return policy;
}

/**
 * The hosts' part of the policy: their tag's owners, a grant of tcp:22 and an ssh rule to the
 * deploy user for the deployers only, and tests that no agent reaches a host at all.
 */
function hostAccessRules(
  access: HostAccess,
  agentTags: readonly string[],
  owners: readonly string[],
): Record<string, unknown> {
  if (access.deployers.length === 0)
    throw new Error(
      'hostAccess names no deployer; name the group that runs `cdktf deploy`, such as "group:openclaw-deployers"',
    );
  for (const who of access.deployers) {
    if (!PRINCIPAL.test(who) || who.startsWith('autogroup:'))
      throw new Error(
        `"${who}" may not reach the hosts: deploy access is root on the host, so name a group or a user, such as "group:openclaw-deployers" (never "*", a tag or an autogroup)`,
      );
  }
  const action = access.sshAction ?? 'check';
  const HOST_TAG = hostTag(access.namePrefix);
  if (action !== 'check' && action !== 'accept')
    throw new Error(`sshAction "${String(action)}" is not "check" or "accept"`);
  return {
    hostTag: HOST_TAG,
    hostTagOwners: [...owners],
    hostGrant: { src: [...access.deployers], dst: [HOST_TAG], ip: ['tcp:22'] },
    ssh: [{ action, src: [...access.deployers], dst: [HOST_TAG], users: [DEPLOY_USER] }],
    hostTests: [
      ...access.deployers.map((who) => ({
        src: who,
        accept: [`${HOST_TAG}:22`],
        deny: [`${HOST_TAG}:18789`, `${HOST_TAG}:2375`],
      })),
      ...agentTags.map((tag) => ({
        src: tag,
        deny: [`${HOST_TAG}:22`, `${HOST_TAG}:443`, `${HOST_TAG}:2375`],
      })),
    ],
    sshTests: access.deployers.map((who) => ({
      src: who,
      dst: [HOST_TAG],
      [action]: [DEPLOY_USER],
      deny: ['root'],
    })),
  };
}
