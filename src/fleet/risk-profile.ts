import { PROFILE_NAME } from '../core/names';
import { ShellPolicy, ToolsProfile } from '../openclaw/config';
import { splitPackageSpec } from '../openclaw/pinned-package';
import { publicHostPortProblem } from '../../broker/src/connect-policy';

/**
 * What a credential lets the agent do. `model` keys go to the credential broker as upstreams;
 * the other kinds are tokens for the services an agent acts on.
 */
export type CredentialKind = 'model' | 'chat' | 'mail' | 'calendar' | 'code' | 'search';

/** Kinds that let an agent read or send someone's messages: never together with a shell. */
export const PERSONAL_DATA_KINDS: readonly CredentialKind[] = ['chat', 'mail', 'calendar'];

/** Where an agent runs: on a Docker host shared with other agents, or on a host of its own. */
export type Placement = 'shared-host' | 'own-host';

/** One credential kind a profile accepts, the widest OAuth scopes it may carry, the hosts it needs. */
export interface CredentialAllowance {
  readonly kind: CredentialKind;
  /**
   * The widest scopes a token of this kind may carry; a token may carry fewer.
   * @default - none: tokens of this kind carry no OAuth scopes (API keys, bot tokens)
   */
  readonly maxScopes?: readonly string[];
  /**
   * `host:port` pairs the gateway may reach through the broker when it holds this kind.
   * @default - none
   */
  readonly hosts?: readonly string[];
}

/** Every part a risk profile fixes. Presets fill it in; {@link RiskProfile.custom} takes it. */
export interface RiskProfileSpec {
  /** Profile name: lower-case letters, digits and "-". Agents default to it as their name. */
  readonly name: string;
  /** One line on what the agent is for, for operators and the checklist report. */
  readonly description: string;
  /** OpenClaw's base tool set. */
  readonly toolsProfile: ToolsProfile;
  /**
   * Tools on top of the tool profile.
   * @default - none
   */
  readonly allowTools?: readonly string[];
  /**
   * Tools denied on top of the hardened baseline (which always applies).
   * @default - none
   */
  readonly denyTools?: readonly string[];
  /**
   * The shell: off, or an allowlist where every command asks a human.
   * @default - off
   */
  readonly shell?: ShellPolicy;
  /** The credential kinds an agent of this profile may hold, with their widest scopes. */
  readonly credentials: readonly CredentialAllowance[];
  /**
   * Further `host:port` pairs the broker lets the gateway reach (web fetch targets, say).
   * @default - none
   */
  readonly egressHosts?: readonly string[];
  /**
   * npm package names of the MCP servers an agent of this profile may run (each agent pins an
   * exact version).
   * @default - none: MCP is off
   */
  readonly mcpPackages?: readonly string[];
  /**
   * Where agents of this profile run by default.
   * @default "shared-host"
   */
  readonly placement?: Placement;
}

/** Changes to a profile, for {@link RiskProfile.custom} with `from`. */
export type RiskProfileChanges = Partial<RiskProfileSpec> & { readonly name: string };

/** OAuth scopes that grant far more than reading, with what they grant and what fits instead. */
export const BROAD_SCOPES: Readonly<Record<string, { grants: string; instead: string }>> = {
  'https://mail.google.com/': {
    grants: 'full Gmail access (read, send and permanently delete all mail)',
    instead: 'https://www.googleapis.com/auth/gmail.readonly',
  },
  'https://www.googleapis.com/auth/gmail.modify': {
    grants: 'changing and trashing Gmail messages',
    instead: 'https://www.googleapis.com/auth/gmail.readonly',
  },
  'https://www.googleapis.com/auth/gmail.send': {
    grants: 'sending mail as the user',
    instead: 'https://www.googleapis.com/auth/gmail.readonly',
  },
  'https://www.googleapis.com/auth/gmail.compose': {
    grants: 'writing and sending mail as the user',
    instead: 'https://www.googleapis.com/auth/gmail.readonly',
  },
  'https://www.googleapis.com/auth/calendar': {
    grants: 'full Calendar access (create, change and delete events and calendars)',
    instead: 'https://www.googleapis.com/auth/calendar.readonly',
  },
  'https://www.googleapis.com/auth/calendar.events': {
    grants: 'changing and deleting events',
    instead: 'https://www.googleapis.com/auth/calendar.events.readonly',
  },
  'https://www.googleapis.com/auth/drive': {
    grants: 'full Google Drive access',
    instead: 'https://www.googleapis.com/auth/drive.readonly',
  },
  repo: {
    grants: 'read and write on every private repository',
    instead: 'public_repo',
  },
  delete_repo: { grants: 'deleting repositories', instead: 'public_repo' },
  workflow: { grants: 'changing GitHub Actions workflows', instead: 'public_repo' },
  'admin:org': { grants: 'administering the organization', instead: 'read:org' },
  'write:org': { grants: 'changing the organization', instead: 'read:org' },
  'admin:repo_hook': { grants: 'changing repository hooks', instead: 'public_repo' },
  'chat:write.customize': {
    grants: 'posting under any name and avatar',
    instead: 'chat:write',
  },
  'channels:manage': { grants: 'creating and archiving channels', instead: 'channels:history' },
  admin: { grants: 'workspace administration', instead: 'chat:write' },
};

/** The parts presets are built from; custom profiles can use them too. */
export const PROFILE_PARTS = {
  /** Tools no agent of a preset needs: runtime and files, the browser and UI, devices. */
  denyRuntimeAndFiles: ['group:runtime', 'group:fs', 'group:ui', 'group:nodes'],
  model: { kind: 'model' } as CredentialAllowance,
  chat: {
    kind: 'chat',
    maxScopes: ['app_mentions:read', 'chat:write', 'im:history', 'im:read', 'im:write'],
    hosts: ['slack.com:443', 'wss-primary.slack.com:443', 'api.telegram.org:443'],
  } as CredentialAllowance,
  mailReadOnly: {
    kind: 'mail',
    maxScopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    hosts: ['gmail.googleapis.com:443', 'oauth2.googleapis.com:443'],
  } as CredentialAllowance,
  calendarReadOnly: {
    kind: 'calendar',
    maxScopes: [
      'https://www.googleapis.com/auth/calendar.readonly',
      'https://www.googleapis.com/auth/calendar.events.readonly',
    ],
    hosts: ['www.googleapis.com:443', 'oauth2.googleapis.com:443'],
  } as CredentialAllowance,
  codePublic: {
    kind: 'code',
    maxScopes: ['public_repo', 'read:org', 'read:user'],
    hosts: ['api.github.com:443'],
  } as CredentialAllowance,
  search: { kind: 'search', hosts: ['api.search.brave.com:443'] } as CredentialAllowance,
  /** Read-only commands for the shell profile: none of them can start another program. */
  readOnlyCommands: ['ls', 'cat', 'grep', 'head', 'tail', 'wc', 'uniq', 'cut', 'stat'],
} as const;

/**
 * A risk profile: the least capability an agent needs for one kind of job. It fixes the tools
 * policy, the shell allowlist and approvals, which credential kinds an agent may hold and their
 * widest OAuth scopes, the hosts the broker lets it reach, the MCP servers it may run, and where
 * it runs. Agents with different profiles share nothing (see {@link AgentFleet}).
 *
 * Presets: {@link RiskProfile.messaging}, {@link RiskProfile.calendarAndMail},
 * {@link RiskProfile.research}, {@link RiskProfile.shell}; anything else with
 * {@link RiskProfile.custom}, from the same parts.
 */
export class RiskProfile {
  /** Chat only: the message tool and a model; no shell, no files, no web. */
  public static messaging(): RiskProfile {
    return new RiskProfile({
      name: 'messaging',
      description: 'answers in chat channels; no shell, no files, no web',
      toolsProfile: 'messaging',
      denyTools: [...PROFILE_PARTS.denyRuntimeAndFiles, 'group:web', 'bundle-mcp'],
      credentials: [PROFILE_PARTS.model, PROFILE_PARTS.chat],
    });
  }

  /** Reads mail and calendars with read-only scopes; no shell, no files, no chat. */
  public static calendarAndMail(): RiskProfile {
    return new RiskProfile({
      name: 'calendar-and-mail',
      description: 'reads mail and calendars with read-only scopes; no shell, no files',
      toolsProfile: 'minimal',
      denyTools: [...PROFILE_PARTS.denyRuntimeAndFiles, 'group:web', 'group:messaging'],
      credentials: [
        PROFILE_PARTS.model,
        PROFILE_PARTS.mailReadOnly,
        PROFILE_PARTS.calendarReadOnly,
      ],
    });
  }

  /**
   * Fetches and searches the web through the broker's allowlist; no shell, no files.
   * @param fetchHosts `host:port` pairs web fetch may reach, such as `docs.python.org:443`
   */
  public static research(fetchHosts: readonly string[] = []): RiskProfile {
    return new RiskProfile({
      name: 'research',
      description: 'fetches allowlisted web pages and searches; no shell, no files',
      toolsProfile: 'minimal',
      allowTools: ['web_fetch', 'web_search'],
      denyTools: [...PROFILE_PARTS.denyRuntimeAndFiles, 'group:messaging'],
      credentials: [PROFILE_PARTS.model, PROFILE_PARTS.search, PROFILE_PARTS.codePublic],
      egressHosts: fetchHosts,
    });
  }

  /**
   * Allowlisted read-only commands, each approved by a human; no mail, calendar or chat
   * credentials; a host of its own by default.
   * @param commands the allowlist
   * @default commands ls, cat, grep, head, tail, wc, uniq, cut, stat
   */
  public static shell(commands: readonly string[] = PROFILE_PARTS.readOnlyCommands): RiskProfile {
    return new RiskProfile({
      name: 'shell',
      description: 'runs allowlisted commands, each approved by a human; no personal data',
      // coding keeps OpenClaw's file tools (workspace only): its audit warns when they are off
      // while exec is on, since a shell can write files anyway
      toolsProfile: 'coding',
      denyTools: [
        'process',
        'code_execution',
        'group:web',
        'group:ui',
        'group:nodes',
        'group:messaging',
      ],
      shell: { mode: 'allowlist', commands },
      credentials: [PROFILE_PARTS.model],
      placement: 'own-host',
    });
  }

  /**
   * A profile of your own: a whole spec, or `from` a preset with changes (the name is required,
   * so a changed profile never passes for the preset).
   */
  public static custom(spec: RiskProfileSpec): RiskProfile;
  public static custom(from: RiskProfile, changes: RiskProfileChanges): RiskProfile;
  public static custom(
    specOrFrom: RiskProfileSpec | RiskProfile,
    changes?: RiskProfileChanges,
  ): RiskProfile {
    if (specOrFrom instanceof RiskProfile) {
      if (!changes) throw new Error('RiskProfile.custom(from, changes) needs changes with a name');
      if (changes.name === specOrFrom.name) {
        throw new Error(
          `a profile changed from "${specOrFrom.name}" needs a name of its own; give changes.name, such as "${specOrFrom.name}-extended"`,
        );
      }
      return new RiskProfile({ ...specOrFrom.spec, ...changes });
    }
    return new RiskProfile(specOrFrom);
  }

  public readonly name: string;
  public readonly description: string;
  public readonly toolsProfile: ToolsProfile;
  public readonly allowTools: readonly string[];
  public readonly denyTools: readonly string[];
  public readonly shell: ShellPolicy;
  public readonly credentials: readonly CredentialAllowance[];
  public readonly egressHosts: readonly string[];
  public readonly mcpPackages: readonly string[];
  public readonly placement: Placement;

  private constructor(private readonly spec: RiskProfileSpec) {
    if (!PROFILE_NAME.test(spec.name)) {
      throw new Error(
        `profile "${spec.name}" must be lower-case letters, digits and "-" (at most 41), such as "research"`,
      );
    }
    this.name = spec.name;
    this.description = spec.description;
    this.toolsProfile = spec.toolsProfile;
    this.allowTools = [...(spec.allowTools ?? [])];
    this.denyTools = [...(spec.denyTools ?? [])];
    this.shell = spec.shell ?? { mode: 'off' };
    this.credentials = [...spec.credentials];
    this.egressHosts = [...(spec.egressHosts ?? [])];
    this.mcpPackages = [...(spec.mcpPackages ?? [])];
    this.placement = spec.placement ?? 'shared-host';

    const kinds = new Set<CredentialKind>();
    for (const c of this.credentials) {
      if (kinds.has(c.kind)) {
        throw new Error(`profile "${this.name}" lists credential kind "${c.kind}" twice`);
      }
      kinds.add(c.kind);
      for (const host of c.hosts ?? []) this.checkHost(host, `credential kind "${c.kind}"`);
      for (const scope of c.maxScopes ?? []) {
        const broad = BROAD_SCOPES[scope];
        if (broad) {
          throw new Error(
            `profile "${this.name}" allows scope "${scope}" for ${c.kind}, which grants ${broad.grants}; allow "${broad.instead}" instead, and widen one agent's token with dangerouslyWidenScopes if it truly needs more`,
          );
        }
      }
    }
    for (const host of this.egressHosts) this.checkHost(host, 'egressHosts');
    const personal = PERSONAL_DATA_KINDS.filter((k) => kinds.has(k));
    if (this.shell.mode !== 'off' && personal.length > 0) {
      throw new Error(
        `profile "${this.name}" has the shell on and accepts ${personal.join(', ')} credentials; an agent that runs commands must not read anyone's messages: split it into a shell profile and a ${personal[0]} profile`,
      );
    }
    if (this.shell.mode !== 'off' && this.placement !== 'own-host') {
      throw new Error(
        `profile "${this.name}" has the shell on but placement "${this.placement}"; a shell agent runs on a host of its own: set placement "own-host" (an agent can still share a host with dangerouslyShareHost and a reason)`,
      );
    }
    for (const pkg of this.mcpPackages) {
      const { name, version } = splitPackageSpec(pkg);
      if (version !== undefined || !/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/.test(name)) {
        throw new Error(
          `profile "${this.name}" MCP package "${pkg}" must be a bare npm package name, such as "@modelcontextprotocol/server-github"; each agent pins the exact version`,
        );
      }
    }
  }

  /** The allowance for a credential kind, or undefined if the profile does not accept it. */
  public allowance(kind: CredentialKind): CredentialAllowance | undefined {
    return this.credentials.find((c) => c.kind === kind);
  }

  private checkHost(host: string, where: string): void {
    if (publicHostPortProblem(host) !== undefined) {
      throw new Error(
        `profile "${this.name}" ${where} host "${host}" is not an exact public "host:port", such as "api.github.com:443"; wildcards, bare hosts, IP addresses and internal names are not accepted`,
      );
    }
  }
}
