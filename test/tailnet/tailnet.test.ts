import { TerraformStack, Testing } from 'cdktf';
import {
  auditStack,
  CellNetwork,
  HardenedContainer,
  readStack,
  renderTailnetPolicy,
  TailnetAccess,
  TailnetAccessProps,
  TailnetPolicy,
} from '../../src';
import { unescapeTerraformTemplate } from '../../src/core/terraform-string';
import { renderServeConfig } from '../../src/tailnet/serve-config';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function cell(overrides: Partial<TailnetAccessProps> = {}) {
  const stack = new TerraformStack(Testing.app(), 'test');
  const network = new CellNetwork(stack, 'net', { name: 'openclaw-research' });
  const tailnet = new TailnetAccess(stack, 'tailnet', {
    profile: 'research',
    network,
    address: '172.30.0.2',
    gatewayAddress: '172.30.0.10',
    tailnetDomain: 'tail1234.ts.net',
    ...overrides,
  });
  return { stack, network, tailnet };
}

function synth(stack: TerraformStack): Json {
  return JSON.parse(Testing.synth(stack));
}

function envMap(container: Json): Record<string, string> {
  return Object.fromEntries(
    (container.env as string[]).map((e) => [
      e.slice(0, e.indexOf('=')),
      e.slice(e.indexOf('=') + 1),
    ]),
  );
}

describe('TailnetAccess', () => {
  const { stack } = cell();
  const out = synth(stack);
  const sidecar = out.resource.docker_container['openclaw-research-tailscale'];
  const env = envMap(sidecar);

  test('the auth key is single use, not ephemeral, preauthorized, tagged and short-lived', () => {
    expect(out.resource.tailscale_tailnet_key['openclaw-research']).toEqual({
      description: 'openclaw research',
      reusable: false,
      ephemeral: false,
      preauthorized: true,
      expiry: 3600,
      tags: ['tag:openclaw-research'],
    });
  });

  test('the key reaches the sidecar as a file, never through its environment', () => {
    expect(env.TS_AUTHKEY).toBe('file:/var/lib/tailscale/authkey');
    expect(JSON.stringify(sidecar)).not.toContain('tailscale_tailnet_key');
  });

  test('a never-started container with the state directory mounted takes the key upload (the sidecar root is read-only)', () => {
    const drop = out.resource.docker_container['openclaw-research-tailscale-key'];
    expect(drop).toMatchObject({
      name: 'openclaw-research-tailscale-key',
      start: false,
      must_run: false,
      network_mode: 'none',
      read_only: false,
      user: '1000:1000',
      capabilities: { drop: ['ALL'] },
      upload: [
        {
          file: '/var/lib/tailscale/authkey',
          content: '${tailscale_tailnet_key.openclaw-research.key}',
          permissions: '0444',
        },
      ],
    });
    expect(drop.mounts).toEqual(sidecar.mounts);
    expect(sidecar.depends_on).toEqual(['docker_container.openclaw-research-tailscale-key']);
    expect(sidecar.read_only).toBe(true);
    expect(sidecar.upload).toBeUndefined();
  });

  test('userspace, non-root, no capability, read-only root, limits, a state directory and TS_AUTH_ONCE', () => {
    expect(env).toMatchObject({
      TS_USERSPACE: 'true',
      TS_STATE_DIR: '/var/lib/tailscale',
      TS_AUTH_ONCE: 'true',
      TS_HOSTNAME: 'openclaw-research',
      TS_ACCEPT_DNS: 'false',
      TS_LOCAL_ADDR_PORT: '127.0.0.1:9002',
      TS_EXTRA_ARGS: '--advertise-tags=tag:openclaw-research',
    });
    expect(sidecar).toMatchObject({
      user: '1000:1000',
      read_only: true,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      memory: 256,
      memory_swap: 256,
      init: true,
    });
    expect(sidecar.capabilities.add).toBeUndefined();
    expect(sidecar.security_opts[0]).toBe('no-new-privileges:true');
    expect(sidecar.security_opts[1]).toMatch(/^seccomp=\{"defaultAction":"SCMP_ACT_ERRNO"/);
    expect(sidecar.ports).toBeUndefined();
    expect(sidecar.devices).toBeUndefined();
    expect(sidecar.mounts).toEqual([
      {
        type: 'bind',
        source: '/var/lib/openclaw/openclaw-research/tailscale',
        target: '/var/lib/tailscale',
        read_only: false,
      },
    ]);
  });

  test('joins the cell at its address and its own egress network; the image is a pinned release', () => {
    expect(sidecar.networks_advanced).toEqual([
      { name: '${docker_network.openclaw-research.name}', ipv4_address: '172.30.0.2' },
      { name: '${docker_network.openclaw-research-tailnet.name}' },
    ]);
    expect(out.resource.docker_network['openclaw-research-tailnet'].internal).toBe(false);
    expect(out.resource.docker_image['openclaw-research-tailscale'].name).toBe(
      'tailscale/tailscale:v1.102.3',
    );
  });

  test('Serve terminates HTTPS on 443 and proxies to the gateway on 18789, Funnel off', () => {
    const serve = JSON.parse(unescapeTerraformTemplate(env.TS_SERVE_CONFIG_JSON));
    expect(serve).toEqual({
      TCP: { '443': { HTTPS: true } },
      Web: {
        '${TS_CERT_DOMAIN}:443': { Handlers: { '/': { Proxy: 'http://172.30.0.10:18789' } } },
      },
      AllowFunnel: { '${TS_CERT_DOMAIN}:443': false },
    });
    // escaped, so Terraform leaves the placeholder for the sidecar to fill in
    expect(env.TS_SERVE_CONFIG_JSON).toContain('$${TS_CERT_DOMAIN}');
    expect(env.TS_SERVE_CONFIG).toBe('/run/tailscale/serve.json');
    expect(sidecar.entrypoint[2]).toBe(
      'umask 077 && printf \'%s\' "$TS_SERVE_CONFIG_JSON" > /run/tailscale/serve.json && unset TS_SERVE_CONFIG_JSON && exec /usr/local/bin/containerboot',
    );
  });

  test('a longer key lifetime within a day', () => {
    const { stack: s } = cell({ authKeyExpirySeconds: 86400 });
    expect(synth(s).resource.tailscale_tailnet_key['openclaw-research'].expiry).toBe(86400);
  });

  test.each<[string, Partial<TailnetAccessProps>, string]>([
    [
      'a profile that is not a tag',
      { profile: 'Research Team' },
      'profile "Research Team" cannot be part of a tag',
    ],
    [
      'a domain outside ts.net',
      { tailnetDomain: 'example.com' },
      'tailnetDomain "example.com" is not a tailnet DNS name',
    ],
    [
      'a sidecar outside the cell',
      { address: '10.0.0.2' },
      'sidecar address "10.0.0.2" is not a usable host address in the cell subnet 172.30.0.0/24',
    ],
    [
      'one address for both',
      { address: '172.30.0.10' },
      'the sidecar and the gateway both use 172.30.0.10',
    ],
    [
      'a long-lived key',
      { authKeyExpirySeconds: 7776000 },
      'authKeyExpirySeconds 7776000 is outside 300-86400',
    ],
    [
      'a moving image',
      { image: { repository: 'tailscale/tailscale', tag: 'latest' } },
      'sidecar image tag "latest" moves or is invalid',
    ],
    [
      'an unstable track',
      { image: { repository: 'tailscale/tailscale', tag: 'unstable' } },
      'sidecar image tag "unstable" moves; pin a release such as "v1.102.3"',
    ],
    [
      'state in a home directory',
      { stateHostPath: '/home/ubuntu/ts' },
      'bind mount of "/home/ubuntu/ts" exposes a home directory',
    ],
  ])('rejects %s', (_name, overrides, message) => {
    expect(() => cell(overrides)).toThrow(message);
  });
});

describe('the gateway behind the sidecar', () => {
  function gateway(extra: Json = {}) {
    const { stack, network, tailnet } = cell();
    const container = new HardenedContainer(stack, 'gw', {
      name: 'openclaw-research-gateway',
      network,
      ipv4Address: '172.30.0.10',
      servedBy: tailnet,
      processLimitSlice: 'openclaw-research.slice',
      ...extra,
    });
    return { stack, container };
  }

  test('binds the internal address, trusts exactly the sidecar, and accepts only its tailnet origin', () => {
    const doc: Json = gateway().container.gatewayConfig.rendered.document;
    expect(doc.gateway).toMatchObject({
      bind: 'custom',
      customBindHost: '172.30.0.10',
      trustedProxies: ['172.30.0.2/32'],
      controlUi: { enabled: true, allowedOrigins: ['https://openclaw-research.tail1234.ts.net'] },
      tailscale: { mode: 'off' },
    });
  });

  test('the checklist finds the cell clean, and catches a mismatched proxy', () => {
    const { stack } = gateway();
    const json = JSON.parse(Testing.synth(stack));
    const errors = auditStack(readStack(json, 'cell')).findings.filter(
      (f) => f.severity === 'error',
    );
    expect(errors).toEqual([]);
    // a hand edit that trusts another address is caught
    const container = json.resource.docker_container['openclaw-research-gateway'];
    container.env = container.env.map((e: string) => e.replace('172.30.0.2/32', '172.30.0.3/32'));
    const after = auditStack(readStack(json, 'cell')).findings.map(
      (f) => `${f.ruleId} ${f.address}`,
    );
    expect(after).toContain(
      'OC02-TrustedProxiesMatchProxy docker_container.openclaw-research-gateway',
    );
  });

  test.each<[string, Json, string]>([
    [
      'trustedProxies set as well',
      { gateway: { trustedProxies: ['172.30.0.9'] } },
      'servedBy wires trustedProxies and controlUiOrigins from the sidecar; remove them from gateway',
    ],
    [
      'a sidecar proxying elsewhere',
      { ipv4Address: '172.30.0.11' },
      'the sidecar proxies to 172.30.0.10 but the gateway listens on 172.30.0.11; give TailnetAccess gatewayAddress "172.30.0.11"',
    ],
  ])('rejects %s', (_name, extra, message) => {
    expect(() => gateway(extra)).toThrow(message);
  });
});

describe('the tailnet policy', () => {
  const doc: Json = renderTailnetPolicy({
    agents: [
      { profile: 'research', allow: ['group:research'] },
      { profile: 'shell', allow: ['group:ops', 'alice@example.com'] },
    ],
  });

  test('tag owners for each agent tag', () => {
    expect(doc.tagOwners).toEqual({
      'tag:openclaw-research': ['autogroup:admin'],
      'tag:openclaw-shell': ['autogroup:admin'],
    });
  });

  test('grants from the named groups to each tag on tcp:443 only, none between agents', () => {
    expect(doc.grants).toEqual([
      { src: ['group:research'], dst: ['tag:openclaw-research'], ip: ['tcp:443'] },
      { src: ['group:ops', 'alice@example.com'], dst: ['tag:openclaw-shell'], ip: ['tcp:443'] },
    ]);
    for (const grant of doc.grants)
      expect(grant.src.some((s: string) => s.startsWith('tag:') || s === '*')).toBe(false);
  });

  test('tests accept 443 from allowed groups and deny 18789, 22 and agent-to-agent', () => {
    expect(doc.tests).toEqual([
      {
        src: 'group:research',
        accept: ['tag:openclaw-research:443'],
        deny: ['tag:openclaw-research:18789', 'tag:openclaw-research:22'],
      },
      {
        src: 'tag:openclaw-research',
        deny: ['tag:openclaw-shell:443', 'tag:openclaw-shell:18789'],
      },
      {
        src: 'group:ops',
        accept: ['tag:openclaw-shell:443'],
        deny: ['tag:openclaw-shell:18789', 'tag:openclaw-shell:22'],
      },
      {
        src: 'alice@example.com',
        accept: ['tag:openclaw-shell:443'],
        deny: ['tag:openclaw-shell:18789', 'tag:openclaw-shell:22'],
      },
      {
        src: 'tag:openclaw-shell',
        deny: ['tag:openclaw-research:443', 'tag:openclaw-research:18789'],
      },
    ]);
  });

  test.each<[string, Json, string]>([
    [
      'everyone',
      { agents: [{ profile: 'a', allow: ['*'] }] },
      '"*" may not be a source for agent "a": only groups, users and autogroup:member/admin/owner are accepted',
    ],
    [
      'another agent',
      { agents: [{ profile: 'a', allow: ['tag:openclaw-b'] }] },
      '"tag:openclaw-b" may not be a source for agent "a"',
    ],
    [
      'every tagged node',
      { agents: [{ profile: 'a', allow: ['autogroup:tagged'] }] },
      '"autogroup:tagged" may not be a source',
    ],
    [
      'nobody',
      { agents: [{ profile: 'a', allow: [] }] },
      'agent "a" allows nobody; name the groups that may reach it, such as "group:a"',
    ],
    [
      'a profile twice',
      {
        agents: [
          { profile: 'a', allow: ['group:x'] },
          { profile: 'a', allow: ['group:y'] },
        ],
      },
      'profile "a" is listed twice',
    ],
    ['no agent', { agents: [] }, 'the tailnet policy needs at least one agent'],
  ])('rejects %s', (_name, options, message) => {
    expect(() => renderTailnetPolicy(options)).toThrow(message);
  });

  test('as an output by default, for teams that own their policy elsewhere', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new TailnetPolicy(stack, 'policy', {
      agents: [{ profile: 'research', allow: ['group:research'] }],
    });
    const out = synth(stack);
    expect(JSON.parse(out.output.tailnet_policy.value).grants[0].ip).toEqual(['tcp:443']);
    expect(out.resource).toBeUndefined();
  });

  test('managed as a tailscale_acl that never overwrites an edited policy, and passes the checklist', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new TailnetPolicy(stack, 'policy', {
      agents: [{ profile: 'research', allow: ['group:research'] }],
      mode: 'acl',
    });
    const out = synth(stack);
    const acl = Object.values(out.resource.tailscale_acl)[0] as Json;
    expect(acl.overwrite_existing_content).toBe(false);
    expect(acl.reset_acl_on_destroy).toBe(false);
    const findings = auditStack(readStack(out, 'policy')).findings.filter(
      (f) => f.ruleId === 'OC01-TailnetPolicy',
    );
    expect(findings).toEqual([]);
  });

  test('overwriting an existing policy needs a reason', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(
      () =>
        new TailnetPolicy(stack, 'policy', {
          agents: [{ profile: 'research', allow: ['group:research'] }],
          mode: 'acl',
          dangerouslyOverwriteExistingPolicy: { reason: 'x' },
        }),
    ).toThrow(
      'dangerouslyOverwriteExistingPolicy needs a reason of at least 20 characters (got 1)',
    );
  });

  test('a serve target must be an internal http address', () => {
    expect(() => renderServeConfig('https://example.com')).toThrow(
      'Serve target "https://example.com" must be the gateway\'s internal http://<ipv4>:<port>',
    );
  });
});

describe('TailnetAccess logging', () => {
  test('GIVEN the "none" driver THEN refused', () => {
    expect(() => cell({ logging: { driver: 'none' } })).toThrow(
      'logging driver "none" discards the sidecar\'s output, which the audit trail needs; use "json-file", "journald" or "awslogs"',
    );
  });

  test('GIVEN a driver THEN the sidecar uses it', () => {
    const { stack } = cell({ logging: { driver: 'journald', options: { tag: 'tailscale' } } });
    const sidecar = Object.values(synth(stack).resource.docker_container)[0] as Json;
    expect(sidecar.log_driver).toBe('journald');
    expect(sidecar.log_opts).toEqual({ tag: 'tailscale' });
  });
});
