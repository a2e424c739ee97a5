import { auditStack, readStack, renderTailnetPolicy, TailnetPolicyOptions } from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const agents = [
  { profile: 'research', allow: ['group:research'] },
  { profile: 'chat', allow: ['group:support'] },
];

describe('GIVEN hostAccess for a group of deployers', () => {
  const doc: Json = renderTailnetPolicy({
    agents,
    hostAccess: { deployers: ['group:openclaw-deployers'] },
  });

  test('THEN tag:openclaw-host has owners, like the agent tags', () => {
    expect(doc.tagOwners['tag:openclaw-host']).toEqual(['autogroup:admin']);
  });

  test('THEN only the deployers get tcp:22 on the hosts, and Tailscale SSH to the deploy user (check mode)', () => {
    const toHosts = doc.grants.filter((g: Json) => g.dst.includes('tag:openclaw-host'));
    expect(toHosts).toEqual([
      { src: ['group:openclaw-deployers'], dst: ['tag:openclaw-host'], ip: ['tcp:22'] },
    ]);
    expect(doc.ssh).toEqual([
      {
        action: 'check',
        src: ['group:openclaw-deployers'],
        dst: ['tag:openclaw-host'],
        users: ['openclaw-deploy'],
      },
    ]);
    expect(doc.sshTests).toEqual([
      {
        src: 'group:openclaw-deployers',
        dst: ['tag:openclaw-host'],
        check: ['openclaw-deploy'],
        deny: ['root'],
      },
    ]);
  });

  test("THEN the agents' tags get nothing of it: no grant, no ssh rule, and tests that say so", () => {
    for (const tag of ['tag:openclaw-research', 'tag:openclaw-chat']) {
      expect(doc.grants.filter((g: Json) => g.src.includes(tag))).toEqual([]);
      expect(doc.ssh.filter((r: Json) => r.src.includes(tag))).toEqual([]);
      expect(doc.tests).toContainEqual({
        src: tag,
        deny: ['tag:openclaw-host:22', 'tag:openclaw-host:443', 'tag:openclaw-host:2375'],
      });
    }
    // and the agents' own grants are unchanged: tcp:443 from their groups only
    expect(doc.grants.filter((g: Json) => !g.dst.includes('tag:openclaw-host'))).toEqual([
      { src: ['group:research'], dst: ['tag:openclaw-research'], ip: ['tcp:443'] },
      { src: ['group:support'], dst: ['tag:openclaw-chat'], ip: ['tcp:443'] },
    ]);
  });

  test('THEN a deployer may reach 22 only', () => {
    expect(doc.tests).toContainEqual({
      src: 'group:openclaw-deployers',
      accept: ['tag:openclaw-host:22'],
      deny: ['tag:openclaw-host:18789', 'tag:openclaw-host:2375'],
    });
  });

  test('WHEN sshAction is accept (an unattended CI identity) THEN the rule and its test say accept', () => {
    const ci: Json = renderTailnetPolicy({
      agents,
      hostAccess: { deployers: ['ci@example.com'], sshAction: 'accept' },
    });
    expect(ci.ssh[0].action).toBe('accept');
    expect(ci.sshTests[0]).toEqual({
      src: 'ci@example.com',
      dst: ['tag:openclaw-host'],
      accept: ['openclaw-deploy'],
      deny: ['root'],
    });
  });
});

test('GIVEN no hostAccess THEN the policy has no ssh rule and nothing for the hosts', () => {
  const doc: Json = renderTailnetPolicy({ agents });
  expect(doc.ssh).toBeUndefined();
  expect(JSON.stringify(doc)).not.toContain('tag:openclaw-host');
});

test.each<[string, Partial<TailnetPolicyOptions>, string]>([
  [
    'no deployer',
    { hostAccess: { deployers: [] } },
    'hostAccess names no deployer; name the group that runs `cdktf deploy`, such as "group:openclaw-deployers"',
  ],
  [
    'everyone',
    { hostAccess: { deployers: ['autogroup:member'] } },
    '"autogroup:member" may not reach the hosts: deploy access is root on the host, so name a group or a user, such as "group:openclaw-deployers" (never "*", a tag or an autogroup)',
  ],
  [
    'an agent tag',
    { hostAccess: { deployers: ['tag:openclaw-research'] } },
    '"tag:openclaw-research" may not reach the hosts',
  ],
  [
    'an unknown action',
    { hostAccess: { deployers: ['group:d'], sshAction: 'allow' as 'accept' } },
    'sshAction "allow" is not "check" or "accept"',
  ],
  [
    'an agent named host',
    { agents: [{ profile: 'host', allow: ['group:x'] }] },
    'profile "host" would take the hosts\' tag tag:openclaw-host; give the agent another name',
  ],
])('refuses %s', (_what, change, message) => {
  expect(() => renderTailnetPolicy({ agents, ...change })).toThrow(message);
});

describe('the tailnet policy rule (OC01-TailnetPolicy) and host access', () => {
  const findings = (policy: Json) =>
    auditStack(
      readStack(
        { resource: { tailscale_acl: { acl: { acl: JSON.stringify(policy) } } } },
        'policy',
      ),
    ).findings.filter((f) => f.ruleId === 'OC01-TailnetPolicy');

  test('GIVEN the rendered hostAccess THEN compliant (the hosts are no agent)', () => {
    const doc = renderTailnetPolicy({ agents, hostAccess: { deployers: ['group:d'] } });
    expect(findings(doc)).toEqual([]);
  });

  test('GIVEN a grant or ssh rule from an agent tag to the hosts THEN non-compliant', () => {
    const doc: Json = renderTailnetPolicy({ agents, hostAccess: { deployers: ['group:d'] } });
    doc.grants.push({ src: ['tag:openclaw-chat'], dst: ['tag:openclaw-host'], ip: ['tcp:22'] });
    doc.ssh.push({
      action: 'accept',
      src: ['tag:openclaw-chat'],
      dst: ['tag:openclaw-host'],
      users: ['openclaw-deploy'],
    });
    const messages = findings(doc).flatMap((f) => f.details);
    expect(messages.join('\n')).toContain(
      'grant from ["tag:openclaw-chat"] lets agents reach the hosts (tag:openclaw-host); only deployers may',
    );
    expect(messages.join('\n')).toContain(
      'ssh rule from ["tag:openclaw-chat"] lets agents into the hosts (tag:openclaw-host); only deployers may',
    );
  });
});
