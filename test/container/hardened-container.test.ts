import { HardenedContainerProps, seccompProfileJson } from '../../src';
import { CONTAINER_LABELS, GATEWAY_PATHS } from '../../src/container/hardened-container';
import { buildContainer, containerError, Json } from './helpers';

describe("HardenedContainer defaults: the checklist's `docker run` line", () => {
  // GIVEN a container with only the required props
  const { synth, resource: c, container } = buildContainer();

  test('--cap-drop ALL, and nothing added', () => {
    expect(c.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('--security-opt no-new-privileges, the library seccomp profile inline, AppArmor', () => {
    expect(c.security_opts).toEqual([
      'no-new-privileges:true',
      `seccomp=${seccompProfileJson()}`,
      'apparmor=docker-default',
    ]);
    expect(JSON.parse(c.security_opts[1].slice('seccomp='.length)).defaultAction).toBe(
      'SCMP_ACT_ERRNO',
    );
  });

  test('--read-only', () => {
    expect(c.read_only).toBe(true);
  });

  test('--tmpfs /tmp:rw,noexec,nosuid,size=100m (plus nodev), and a 1 MiB config tmpfs owned by the gateway user', () => {
    expect(c.tmpfs).toEqual({
      '/tmp': 'rw,noexec,nosuid,nodev,size=100m',
      '/run/openclaw': 'rw,noexec,nosuid,nodev,size=1m,uid=1000,gid=1000,mode=0700',
    });
  });

  test('--network none equivalent: only the internal cell network, static address, no default bridge', () => {
    expect(c.network_mode).toBeUndefined();
    expect(c.networks_advanced).toEqual([
      { name: '${docker_network.openclaw-test.name}', ipv4_address: '172.30.0.10' },
    ]);
    expect(synth.resource.docker_network['openclaw-test']).toMatchObject({
      internal: true,
      driver: 'bridge',
    });
  });

  test('--memory 2g with swap equal to memory, --cpus 2', () => {
    expect(c.memory).toBe(2048);
    expect(c.memory_swap).toBe(2048);
    // cpu_period/cpu_quota, not cpus: kreuzwerker/docker 3.6.2 panics on the cpus string.
    expect(c.cpus).toBeUndefined();
    expect([c.cpu_period, c.cpu_quota]).toEqual([100000, 200000]);
    expect(c.labels).toContainEqual({ label: 'openclaw.cpus', value: '2' });
  });

  test('--pids-limit 100: recorded, not enforced without a slice', () => {
    expect(c.cgroup_parent).toBeUndefined();
    expect(c.labels).toEqual(
      expect.arrayContaining([
        { label: CONTAINER_LABELS.maxProcesses, value: '100' },
        { label: CONTAINER_LABELS.processLimit, value: 'unenforced' },
      ]),
    );
  });

  test('--user 1000:1000', () => {
    expect(c.user).toBe('1000:1000');
  });

  test('-v ...:ro: the only bind mount is the token directory, read-only', () => {
    const binds = c.mounts.filter((m: Json) => m.type === 'bind');
    expect(binds).toEqual([
      {
        type: 'bind',
        source: '/run/openclaw/openclaw-test-gateway/secrets',
        target: '/run/secrets/openclaw',
        read_only: true,
      },
    ]);
  });

  test('no privileged, no host namespaces, no devices, no published ports', () => {
    expect(c.privileged).toBe(false);
    expect(c.publish_all_ports).toBe(false);
    expect(c.pid_mode).toBeUndefined();
    expect(c.userns_mode).toBeUndefined();
    expect(c.ipc_mode).toBe('private');
    expect(c.devices).toBeUndefined();
    expect(c.ports).toEqual([]);
  });

  test('init, restart policy, must run', () => {
    expect(c.init).toBe(true);
    expect(c.restart).toBe('unless-stopped');
    expect(c.must_run).toBe(true);
  });

  test('health check on /healthz that checks the JSON body', () => {
    expect(c.healthcheck.test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(c.healthcheck.test[3]).toContain("fetch('http://127.0.0.1:18789/healthz')");
    expect(c.healthcheck.test[3]).toContain("b.ok===true&&b.status==='live'");
  });

  test('the whole Node heap (old space and three 16 MiB semi-spaces) at 75% of the memory limit, Bonjour off, immutable config', () => {
    expect(c.env).toEqual(
      expect.arrayContaining([
        'NODE_OPTIONS=--max-old-space-size=1488 --max-semi-space-size=16',
        'OPENCLAW_DISABLE_BONJOUR=1',
        'OPENCLAW_NIX_MODE=1',
        `OPENCLAW_CONFIG_PATH=${GATEWAY_PATHS.configFile}`,
      ]),
    );
  });

  test("the state volume is the gateway user's home", () => {
    expect(c.mounts).toContainEqual({
      type: 'volume',
      source: '${docker_volume.openclaw-test-gateway-state.name}',
      target: '/home/node',
      read_only: false,
    });
  });

  test('the image is the pinned OpenClaw release', () => {
    expect(synth.resource.docker_image['openclaw-test-gateway'].name).toBe(
      'ghcr.io/openclaw/openclaw:2026.9.6',
    );
  });

  test('the config reaches the container through the environment, holds no secret, and binds the cell address', () => {
    const env = c.env.find((e: string) => e.startsWith('OPENCLAW_CONFIG_JSON='));
    const doc = JSON.parse(env.slice('OPENCLAW_CONFIG_JSON='.length));
    expect(doc).toEqual(container.gatewayConfig.rendered.document);
    expect(doc.gateway).toMatchObject({
      bind: 'custom',
      customBindHost: '172.30.0.10',
      port: 18789,
    });
    expect(doc.gateway.auth.token).toEqual({
      source: 'file',
      provider: 'gateway-token',
      id: 'value',
    });
    expect(doc.secrets.providers['gateway-token'].path).toBe(GATEWAY_PATHS.tokenFile);
  });

  test('the entrypoint writes the config with umask 077 to the tmpfs, drops the variable, then execs the gateway', () => {
    expect(c.entrypoint).toEqual([
      '/bin/sh',
      '-c',
      'umask 077 && printf \'%s\' "$OPENCLAW_CONFIG_JSON" > /run/openclaw/openclaw.json && unset OPENCLAW_CONFIG_JSON && exec node /app/openclaw.mjs gateway run',
    ]);
    expect(c.command).toEqual(['openclaw-gateway']); // $0 of sh -c, so the image CMD is not appended
  });

  test('no weakening recorded by default', () => {
    expect(container.weakenings).toEqual([]);
    expect(
      c.labels.filter((l: Json) => l.label.startsWith(CONTAINER_LABELS.weakeningPrefix)),
    ).toEqual([]);
  });
});

describe('HardenedContainer options', () => {
  test('a cgroup slice enforces the process limit', () => {
    const { resource: c } = buildContainer({
      processLimitSlice: 'openclaw-test.slice',
      maxProcesses: 200,
    });
    expect(c.cgroup_parent).toBe('openclaw-test.slice');
    expect(c.labels).toEqual(
      expect.arrayContaining([
        { label: CONTAINER_LABELS.processLimit, value: 'cgroup-slice:openclaw-test.slice' },
        { label: CONTAINER_LABELS.maxProcesses, value: '200' },
      ]),
    );
  });

  test('more memory raises the heap limit with it, and swap stays equal', () => {
    const { resource: c } = buildContainer({ memoryMiB: 4096, cpus: 1.5 });
    expect([c.memory, c.memory_swap, c.cpu_quota]).toEqual([4096, 4096, 150000]);
    expect(c.env).toContain('NODE_OPTIONS=--max-old-space-size=3024 --max-semi-space-size=16');
  });

  test('a named AppArmor profile', () => {
    const { resource: c } = buildContainer({ apparmorProfile: 'openclaw-gateway' });
    expect(c.security_opts).toContain('apparmor=openclaw-gateway');
  });

  test('a digest-pinned image', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const { synth } = buildContainer({
      image: { repository: 'ghcr.io/openclaw/openclaw', tag: '2026.9.6', digest },
    });
    expect(synth.resource.docker_image['openclaw-test-gateway'].name).toBe(
      `ghcr.io/openclaw/openclaw:2026.9.6@${digest}`,
    );
  });

  test('extra bind mounts are read-only', () => {
    const { resource: c } = buildContainer({
      bindMounts: [{ hostPath: '/srv/openclaw/test/workspace', containerPath: '/workspace' }],
    });
    expect(c.mounts).toContainEqual({
      type: 'bind',
      source: '/srv/openclaw/test/workspace',
      target: '/workspace',
      read_only: true,
    });
  });

  test('gateway options reach the rendered config', () => {
    const { container } = buildContainer({
      gateway: { trustedProxies: ['172.30.0.2'], controlUiOrigins: ['https://t.tail1.ts.net'] },
    });
    const doc = container.gatewayConfig.rendered.document as Json;
    expect(doc.gateway.trustedProxies).toEqual(['172.30.0.2']);
    expect(doc.gateway.controlUi.allowedOrigins).toEqual(['https://t.tail1.ts.net']);
  });
});

describe('weakenings need a prop and a reason, and are recorded', () => {
  const reason = 'needed for the reviewed legacy plugin until Q3';

  test.each<[string, Partial<HardenedContainerProps>, string, string]>([
    [
      'an added capability',
      { dangerouslyAddCapabilities: { capabilities: ['NET_BIND_SERVICE'], reason } },
      'added-capabilities:NET_BIND_SERVICE',
      'adds NET_BIND_SERVICE',
    ],
    [
      'a writable mount',
      {
        bindMounts: [
          {
            hostPath: '/srv/openclaw/test/out',
            containerPath: '/out',
            dangerouslyWritable: { reason },
          },
        ],
      },
      'writable-mount:/out',
      '/srv/openclaw/test/out is mounted writable at /out',
    ],
    [
      'a bigger tmpfs',
      { dangerouslyEnlargeTmpfs: { sizeMiB: 512, reason } },
      'larger-tmpfs',
      '/tmp is 512 MiB instead of 100',
    ],
    [
      'another user',
      { dangerouslyRunAs: { user: '2000:2000', reason } },
      'other-user',
      'runs as 2000:2000 instead of 1000:1000',
    ],
    [
      'a published port',
      { dangerouslyPublishPorts: [{ containerPort: 9464, hostPort: 19464, reason }] },
      'published-port:9464',
      'container port 9464 published on 127.0.0.1:19464',
    ],
  ])('%s', (_name, props, id, what) => {
    const { container, resource: c } = buildContainer(props);
    expect(container.weakenings).toContainEqual({ id, what, reason });
    expect(c.labels).toContainEqual({
      label: `${CONTAINER_LABELS.weakeningPrefix}${id}`,
      value: reason,
    });
    expect(
      container.node.metadata.some(
        (m) => m.type === 'cdktf-openclaw/weakening' && (m.data as Json).id === id,
      ),
    ).toBe(true);
  });

  test('the weakened attributes themselves', () => {
    const { resource: c } = buildContainer({
      dangerouslyAddCapabilities: { capabilities: ['CAP_NET_BIND_SERVICE'], reason },
      dangerouslyEnlargeTmpfs: { sizeMiB: 512, reason },
      dangerouslyRunAs: { user: '2000:2001', reason },
      dangerouslyPublishPorts: [{ containerPort: 9464, hostPort: 19464, reason }],
    });
    expect(c.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(c.tmpfs['/tmp']).toBe('rw,noexec,nosuid,nodev,size=512m');
    expect(c.tmpfs['/run/openclaw']).toContain('uid=2000,gid=2001');
    expect(c.user).toBe('2000:2001');
    expect(c.ports).toEqual([
      { internal: 9464, external: 19464, ip: '127.0.0.1', protocol: 'tcp' },
    ]);
  });

  test('a broad trusted proxy in the gateway options is recorded on the container too', () => {
    const { container } = buildContainer({
      gateway: {
        trustedProxies: ['172.30.0.0/28'],
        dangerouslyAllowBroadTrustedProxies: { reason: 'two sidecars fail over inside this /28' },
      },
    });
    expect(container.weakenings.map((w) => w.id)).toEqual(['broad-trusted-proxies']);
  });
});

describe('rejections', () => {
  const reason = 'a long enough reason for the test case';
  test.each<[string, Partial<HardenedContainerProps>, string]>([
    [
      'a container name Docker refuses',
      { name: 'bad name' },
      'container name "bad name" is not a Docker container name',
    ],
    [
      'an address outside the cell',
      { ipv4Address: '10.0.0.5' },
      'gateway address "10.0.0.5" is not a usable host address in the cell subnet 172.30.0.0/24; pick one such as "172.30.0.10"',
    ],
    [
      'the bridge gateway address',
      { ipv4Address: '172.30.0.1' },
      'gateway address "172.30.0.1" is not a usable host address',
    ],
    [
      'image latest',
      { image: { repository: 'ghcr.io/openclaw/openclaw', tag: 'latest' } },
      'gateway image tag "latest" moves or is invalid, so the image can change under the agent; pin a version tag such as "2026.9.6", ideally with its digest',
    ],
    [
      'an image without tag',
      { image: { repository: 'ghcr.io/openclaw/openclaw', tag: '' } },
      'gateway image "ghcr.io/openclaw/openclaw" has no tag',
    ],
    [
      'a repository with a tag in it',
      { image: { repository: 'ghcr.io/openclaw/openclaw:latest', tag: '2026.9.6' } },
      'gateway image repository "ghcr.io/openclaw/openclaw:latest" is not an image repository',
    ],
    [
      'a malformed digest',
      { image: { repository: 'ghcr.io/openclaw/openclaw', tag: '2026.9.6', digest: 'sha256:abc' } },
      'gateway image digest "sha256:abc" is not "sha256:" followed by 64 lower-case hex digits',
    ],
    [
      'an OpenClaw release older than the safe floor',
      { image: { repository: 'ghcr.io/openclaw/openclaw', tag: '2026.5.18' } },
      'gateway image OpenClaw 2026.5.18 is older than 2026.9.4, the oldest release without the known gateway-auth and MCP vulnerabilities; use 2026.9.6',
    ],
    [
      'a non-release OpenClaw tag',
      { image: { repository: 'ghcr.io/openclaw/openclaw', tag: 'pr-1234' } },
      'gateway image tag "pr-1234" is not an OpenClaw release tag',
    ],
    ['too little memory', { memoryMiB: 512 }, 'memoryMiB 512 is outside 1024-65536'],
    ['no CPU limit', { cpus: 0 }, 'cpus 0 is outside (0, 64]'],
    ['an absurd process limit', { maxProcesses: 100000 }, 'maxProcesses 100000 is outside 32-4096'],
    [
      'a slice that is not a slice',
      { processLimitSlice: 'openclaw' },
      'processLimitSlice "openclaw" is not a systemd slice name; use one ending in ".slice", such as "openclaw-openclaw-test-gateway.slice"',
    ],
    [
      'AppArmor off',
      { apparmorProfile: 'unconfined' },
      'apparmorProfile "unconfined" turns AppArmor off',
    ],
    [
      'root',
      { dangerouslyRunAs: { user: '0:0', reason } },
      'user "0:0" runs the gateway as root; use a non-root "uid:gid" such as "1000:1000"',
    ],
    [
      'a user name',
      { dangerouslyRunAs: { user: 'node', reason } },
      'user "node" is not a numeric "uid:gid"',
    ],
    [
      'another user without a real reason',
      { dangerouslyRunAs: { user: '2000:2000', reason: 'x' } },
      'dangerouslyRunAs needs a reason of at least 20 characters (got 1)',
    ],
    [
      'SYS_ADMIN',
      { dangerouslyAddCapabilities: { capabilities: ['SYS_ADMIN'], reason } },
      'capability "SYS_ADMIN" breaks container isolation and is never added',
    ],
    [
      'NET_RAW',
      { dangerouslyAddCapabilities: { capabilities: ['cap_net_raw'], reason } },
      'capability "cap_net_raw" breaks container isolation',
    ],
    [
      'a capability that does not exist',
      { dangerouslyAddCapabilities: { capabilities: ['FLY'], reason } },
      'capability "FLY" is not a Linux capability',
    ],
    [
      'a capability without a reason',
      { dangerouslyAddCapabilities: { capabilities: ['KILL'], reason: '' } },
      'dangerouslyAddCapabilities needs a reason of at least 20 characters (got 0)',
    ],
    [
      'a huge tmpfs',
      { dangerouslyEnlargeTmpfs: { sizeMiB: 4096, reason } },
      'dangerouslyEnlargeTmpfs.sizeMiB 4096 must be a whole number above 100 and at most 1024',
    ],
    [
      'publishing the gateway port',
      { dangerouslyPublishPorts: [{ containerPort: 18789, hostPort: 8443, reason }] },
      'publishing port 18789 is never allowed: the gateway is reached only over the tailnet through the Serve sidecar',
    ],
    [
      'publishing onto the gateway port',
      { dangerouslyPublishPorts: [{ containerPort: 9000, hostPort: 18789, reason }] },
      'publishing port 18789 is never allowed',
    ],
    [
      'a published port without a reason',
      { dangerouslyPublishPorts: [{ containerPort: 9000, hostPort: 9000, reason: 'short' }] },
      'published port 9000 needs a reason of at least 20 characters (got 5)',
    ],
    [
      'a writable mount without a reason',
      {
        bindMounts: [
          { hostPath: '/srv/x', containerPath: '/x', dangerouslyWritable: { reason: '' } },
        ],
      },
      'bind mount "/srv/x" dangerouslyWritable needs a reason',
    ],
    [
      'docker.sock',
      { bindMounts: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }] },
      'bind mount of "/var/run/docker.sock" exposes the container runtime or host system state',
    ],
    [
      'two mounts on one target',
      {
        bindMounts: [
          { hostPath: '/srv/a', containerPath: '/data' },
          { hostPath: '/srv/b', containerPath: '/data' },
        ],
      },
      'two bind mounts target "/data"; give each its own container path',
    ],
    [
      'a secrets directory in a home directory',
      { secretsHostPath: '/home/ubuntu/secrets' },
      'bind mount of "/home/ubuntu/secrets" exposes a home directory',
    ],
    [
      'a gateway option that weakens the config',
      { gateway: { controlUiOrigins: ['*'] } },
      'origin "*" is a wildcard',
    ],
  ])('%s', (_name, props, message) => {
    expect(containerError(props)).toContain(message);
  });
});

test('the props type does not let a caller set the token, bind address or port', () => {
  const props: Partial<HardenedContainerProps> = { gateway: {} };
  // @ts-expect-error bindAddress is wired by the container
  props.gateway = { bindAddress: '0.0.0.0' };
  expect(props).toBeDefined();
});
