import { RiskProfile, RiskProfileSpec } from '../../src';
import { PROFILE_PARTS } from '../../src/fleet/risk-profile';
import { errorOf } from './helpers';

describe('RiskProfile presets', () => {
  test('messaging: chat and a model; no shell, no files, no web, no MCP', () => {
    const p = RiskProfile.messaging();
    expect(p.name).toBe('messaging');
    expect(p.toolsProfile).toBe('messaging');
    expect(p.shell).toEqual({ mode: 'off' });
    expect(p.denyTools).toEqual(
      expect.arrayContaining(['group:runtime', 'group:fs', 'group:web', 'group:ui', 'bundle-mcp']),
    );
    expect(p.credentials.map((c) => c.kind)).toEqual(['model', 'chat']);
    expect(p.allowance('chat')?.maxScopes).not.toContain('chat:write.customize');
    expect(p.mcpPackages).toEqual([]);
    expect(p.placement).toBe('shared-host');
  });

  test('calendar-and-mail: read-only Gmail and Calendar scopes; no shell, no files', () => {
    const p = RiskProfile.calendarAndMail();
    expect(p.shell.mode).toBe('off');
    expect(p.allowance('mail')?.maxScopes).toEqual([
      'https://www.googleapis.com/auth/gmail.readonly',
    ]);
    expect(p.allowance('calendar')?.maxScopes).toEqual([
      'https://www.googleapis.com/auth/calendar.readonly',
      'https://www.googleapis.com/auth/calendar.events.readonly',
    ]);
    expect(p.allowance('chat')).toBeUndefined();
    expect(p.denyTools).toEqual(expect.arrayContaining(['group:runtime', 'group:fs']));
  });

  test('research: web fetch and search through the broker allowlist; no shell', () => {
    const p = RiskProfile.research(['docs.python.org:443']);
    expect(p.allowTools).toEqual(['web_fetch', 'web_search']);
    expect(p.egressHosts).toEqual(['docs.python.org:443']);
    expect(p.shell.mode).toBe('off');
    expect(p.allowance('code')?.maxScopes).toContain('public_repo');
    expect(p.allowance('code')?.maxScopes).not.toContain('repo');
  });

  test('shell: read-only allowlist, approval always, only a model credential, its own host', () => {
    const p = RiskProfile.shell();
    expect(p.shell).toEqual({ mode: 'allowlist', commands: PROFILE_PARTS.readOnlyCommands });
    expect(p.shell.dangerouslySkipApprovalForAllowlisted).toBeUndefined();
    expect(p.credentials.map((c) => c.kind)).toEqual(['model']);
    expect(p.placement).toBe('own-host');
    expect(p.denyTools).toEqual(
      expect.arrayContaining(['process', 'code_execution', 'group:web', 'group:messaging']),
    );
    expect(p.toolsProfile).toBe('coding');
  });

  test('the default allowlist has no command that can start another (sort --compress-program)', () => {
    expect(RiskProfile.shell().shell.commands).not.toContain('sort');
  });

  test('shell with a custom allowlist still refuses commands that start other programs (at render)', () => {
    expect(RiskProfile.shell(['ls', 'cat']).shell.commands).toEqual(['ls', 'cat']);
  });
});

describe('RiskProfile.custom', () => {
  const spec: RiskProfileSpec = {
    name: 'triage',
    description: 'reads public issues',
    toolsProfile: 'minimal',
    credentials: [PROFILE_PARTS.model, PROFILE_PARTS.codePublic],
    mcpPackages: ['@modelcontextprotocol/server-github'],
  };

  test('a whole spec, from the same parts', () => {
    const p = RiskProfile.custom(spec);
    expect(p.name).toBe('triage');
    expect(p.mcpPackages).toEqual(['@modelcontextprotocol/server-github']);
    expect(p.placement).toBe('shared-host');
  });

  test('from a preset with changes, under a name of its own', () => {
    const p = RiskProfile.custom(RiskProfile.research(), {
      name: 'research-github',
      mcpPackages: ['@modelcontextprotocol/server-github'],
    });
    expect(p.allowTools).toEqual(['web_fetch', 'web_search']);
    expect(p.mcpPackages).toEqual(['@modelcontextprotocol/server-github']);
    expect(errorOf(() => RiskProfile.custom(RiskProfile.research(), { name: 'research' }))).toMatch(
      /changed from "research" needs a name of its own/,
    );
  });

  test('shell together with mail, calendar or chat is refused', () => {
    expect(
      errorOf(() =>
        RiskProfile.custom(RiskProfile.shell(), {
          name: 'shell-mail',
          credentials: [PROFILE_PARTS.model, PROFILE_PARTS.mailReadOnly],
        }),
      ),
    ).toMatch(
      /profile "shell-mail" has the shell on and accepts mail credentials; .* split it into a shell profile and a mail profile/,
    );
    expect(
      errorOf(() =>
        RiskProfile.custom({
          ...spec,
          name: 'ops-chat',
          credentials: [PROFILE_PARTS.chat],
          shell: { mode: 'allowlist', commands: ['ls'] },
          placement: 'own-host',
        }),
      ),
    ).toMatch(/accepts chat credentials/);
  });

  test('a shell profile on a shared host is refused', () => {
    expect(
      errorOf(() =>
        RiskProfile.custom(RiskProfile.shell(), { name: 'shell-shared', placement: 'shared-host' }),
      ),
    ).toMatch(/shell on but placement "shared-host"; .* set placement "own-host"/);
  });

  test('broad scopes cannot be a profile maximum', () => {
    expect(
      errorOf(() =>
        RiskProfile.custom({
          ...spec,
          credentials: [{ kind: 'mail', maxScopes: ['https://mail.google.com/'] }],
        }),
      ),
    ).toMatch(
      /allows scope "https:\/\/mail.google.com\/" for mail, which grants full Gmail access .*allow "https:\/\/www.googleapis.com\/auth\/gmail.readonly" instead/,
    );
    expect(
      errorOf(() =>
        RiskProfile.custom({ ...spec, credentials: [{ kind: 'code', maxScopes: ['repo'] }] }),
      ),
    ).toMatch(/scope "repo" for code, .*allow "public_repo" instead/);
  });

  test('hosts must be exact host:port', () => {
    for (const host of [
      '*.github.com:443',
      'api.github.com',
      'localhost:443',
      'api.github.com:0',
      '169.254.169.254:80',
      'metadata.google.internal:80',
    ]) {
      expect(errorOf(() => RiskProfile.custom({ ...spec, egressHosts: [host] }))).toMatch(
        new RegExp(`host "${host.replace(/[.*]/g, '\\$&')}" is not an exact public "host:port"`),
      );
    }
  });

  test('MCP packages are names; agents pin the version', () => {
    expect(
      errorOf(() =>
        RiskProfile.custom({ ...spec, mcpPackages: ['@modelcontextprotocol/server-github@1.0.0'] }),
      ),
    ).toMatch(/must be a bare npm package name/);
  });

  test('bad names and repeated kinds are refused', () => {
    expect(errorOf(() => RiskProfile.custom({ ...spec, name: 'Triage' }))).toMatch(
      /profile "Triage" must be lower-case/,
    );
    expect(
      errorOf(() =>
        RiskProfile.custom({ ...spec, credentials: [PROFILE_PARTS.model, PROFILE_PARTS.model] }),
      ),
    ).toMatch(/lists credential kind "model" twice/);
  });
});
