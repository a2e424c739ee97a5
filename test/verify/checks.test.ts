/**
 * The pure parts of `cdktf-openclaw verify` and of the engine harness's provider mapping, as
 * tables: what the kernel and the engine report in, findings out. The engine tests
 * (test/engine/cells.test.ts) run the same checks against real containers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  capabilityNames,
  effectivePidsLimit,
  parseProcStatus,
  pidsCgroupPaths,
  runtimeFindings,
} from '../../src/verify/checks';
import { DockerEngine, demultiplex, tarArchive } from '../../src/verify/docker-engine';
import { plannedContainers } from '../../src/verify/plan';
import { auditFindings, defaultRoutes, gatewayViewFindings } from '../../src/verify/verify';
import { main } from '../../src/cli/verify';
import { containerPlan, goDurationNanos, networkCreateBody } from '../engine/provider-mapping';

const STATUS = (fields: Record<string, string>): string =>
  Object.entries({ Name: 'node', Pid: '1', ...fields })
    .map(([k, v]) => `${k}:\t${v}`)
    .join('\n');
const HARDENED = {
  CapEff: '0',
  CapPrm: '0',
  CapBnd: '0',
  NoNewPrivs: '1',
  Seccomp: '2',
  Uid: '1000\t1000\t1000\t1000',
};
const plan = {
  stack: 's',
  address: 'docker_container.g',
  name: 'openclaw-x-gateway',
  role: 'gateway',
  attributes: { user: '1000:1000', read_only: true, capabilities: { drop: ['ALL'] } },
  labels: {},
  networks: [],
  start: true,
};
const RO_MOUNTS = 'overlay / overlay ro,relatime,lowerdir=a 0 0\n';

describe('runtime findings from /proc', () => {
  test('a hardened process gives none', () => {
    expect(
      runtimeFindings(plan, { processes: parseProcStatus(STATUS(HARDENED)), mounts: RO_MOUNTS }),
    ).toEqual([]);
  });
  test.each([
    [
      'capabilities',
      { CapBnd: '00000000a80425fb' },
      'VERIFY-Capabilities',
      /CapBnd CHOWN, DAC_OVERRIDE/,
    ],
    ['no-new-privileges', { NoNewPrivs: '0' }, 'VERIFY-NoNewPrivileges', /NoNewPrivs 0/],
    ['seccomp', { Seccomp: '0' }, 'VERIFY-Seccomp', /seccomp mode 0/],
    ['root', { Uid: '0\t0\t0\t0' }, 'VERIFY-User', /uid 0\/0\/0\/0, planned 1000:1000/],
    ['another user', { Uid: '2000\t2000\t2000\t2000' }, 'VERIFY-User', /uid 2000/],
  ])('%s', (_what, fields, id, message) => {
    const found = runtimeFindings(plan, {
      processes: parseProcStatus(STATUS({ ...HARDENED, ...fields })),
      mounts: RO_MOUNTS,
    });
    expect(found.map((f) => f.id)).toEqual([id]);
    expect(found[0].message).toMatch(message);
    expect(found[0].container).toBe('openclaw-x-gateway');
  });
  test('a writable root', () => {
    const found = runtimeFindings(plan, {
      processes: parseProcStatus(STATUS(HARDENED)),
      mounts: 'overlay / overlay rw,relatime 0 0\n',
    });
    expect(found.map((f) => [f.id, f.message])).toEqual([
      ['VERIFY-ReadOnlyRoot', 'the root filesystem is mounted rw,relatime'],
    ]);
  });
  test('capabilities the plan adds are not findings', () => {
    const withCap = {
      ...plan,
      attributes: {
        ...plan.attributes,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      },
    };
    expect(capabilityNames('400')).toEqual(['NET_BIND_SERVICE']);
    expect(
      runtimeFindings(withCap, {
        processes: parseProcStatus(STATUS({ ...HARDENED, CapBnd: '400' })),
        mounts: RO_MOUNTS,
      }),
    ).toEqual([]);
  });
});

describe('the process limit', () => {
  test.each([
    ['openclaw-a.slice', 'cgroupfs', '1', ['pids/openclaw-a.slice', 'pids/openclaw-a.slice/ID']],
    [
      'openclaw-a.slice',
      'systemd',
      '1',
      [
        'pids/openclaw.slice/openclaw-a.slice',
        'pids/openclaw.slice/openclaw-a.slice/docker-ID.scope',
      ],
    ],
    [
      'openclaw-a.slice',
      'systemd',
      '2',
      ['openclaw.slice/openclaw-a.slice', 'openclaw.slice/openclaw-a.slice/docker-ID.scope'],
    ],
    ['', 'cgroupfs', '2', ['docker', 'docker/ID']],
  ])('%s under %s v%s', (parent, driver, version, paths) => {
    expect(pidsCgroupPaths(parent, 'ID', driver, version)).toEqual(paths);
  });
  test('the smallest numeric pids.max applies; "max" and missing are no limit', () => {
    expect(effectivePidsLimit(['100', 'max'])).toBe(100);
    expect(effectivePidsLimit(['max', 'missing'])).toBeUndefined();
  });
});

describe('what the probe inside the gateway saw', () => {
  const good = {
    health: { status: 200, body: '{"ok":true,"status":"live"}' },
    auth: 401,
    host: { '172.30.1.1:22': 'timeout' },
    cells: { '172.30.2.10:18789': 'EHOSTUNREACH' },
  };
  test('a healthy, isolated gateway gives none', () => {
    expect(gatewayViewFindings('g', good)).toEqual([]);
  });
  test.each([
    ['no health', { health: { error: 'ECONNREFUSED' } }, 'VERIFY-GatewayHealth'],
    [
      'a UI page instead of the health JSON',
      { health: { status: 200, body: '<html>' } },
      'VERIFY-GatewayHealth',
    ],
    ['no auth', { auth: 200 }, 'VERIFY-GatewayAuth'],
    ['the host answers', { host: { '172.30.1.1:22': 'ECONNREFUSED' } }, 'VERIFY-HostUnreachable'],
    ['the host accepts', { host: { '172.30.1.1:22': 'connected' } }, 'VERIFY-HostUnreachable'],
    [
      'another cell accepts',
      { cells: { '172.30.2.10:18789': 'connected' } },
      'VERIFY-CellIsolation',
    ],
  ])('%s', (_what, change, id) => {
    const found = gatewayViewFindings('g', { ...good, ...change });
    expect(found.map((f) => f.id)).toEqual([id]);
    expect(found[0].fix).not.toBe('');
  });
  test("OpenClaw's own critical and warn findings, not info", () => {
    expect(
      auditFindings('g', {
        findings: [
          { checkId: 'a', severity: 'critical', title: 'A', remediation: 'fix a' },
          { checkId: 'b', severity: 'warn', title: 'B' },
          { checkId: 'c', severity: 'info', title: 'C' },
        ],
      }).map((f) => [f.id, f.message, f.fix]),
    ).toEqual([
      ['VERIFY-OpenClawAudit', 'critical a: A', 'fix a'],
      ['VERIFY-OpenClawAudit', 'warn b: B', 'see OpenClaw security audit docs'],
    ]);
  });
  test('default routes are read from /proc/net/route', () => {
    const table =
      'Iface\tDestination\tGateway\neth0\t00000000\t01001EAC\neth0\t00001EAC\t00000000\n';
    expect(defaultRoutes(table)).toEqual(['eth0']);
  });
});

describe('the plan', () => {
  test('cell containers by role, with their networks, volumes and images resolved to names', () => {
    const stack = {
      resource: {
        docker_network: { n: { name: 'openclaw-x', internal: true } },
        docker_volume: { v: { name: 'openclaw-x-state' } },
        docker_image: { i: { name: 'ghcr.io/openclaw/openclaw:2026.9.6' } },
        docker_container: {
          g: {
            name: 'openclaw-x-gateway',
            image: '${docker_image.i.image_id}',
            labels: [{ label: 'openclaw.role', value: 'gateway' }],
            networks_advanced: [{ name: '${docker_network.n.name}', ipv4_address: '172.30.0.10' }],
            mounts: [{ type: 'volume', source: '${docker_volume.v.name}', target: '/home/node' }],
          },
          other: { name: 'postgres', image: 'postgres:16' },
        },
      },
    };
    const [p, ...rest] = plannedContainers('s', stack);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      name: 'openclaw-x-gateway',
      role: 'gateway',
      image: 'ghcr.io/openclaw/openclaw:2026.9.6',
      networks: [{ name: 'openclaw-x', ipv4Address: '172.30.0.10', internal: true }],
      start: true,
    });
    expect(p.attributes.mounts[0].source).toBe('openclaw-x-state');
  });
});

describe('the CLI', () => {
  const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };
  test.each([
    [[], /usage: cdktf-openclaw verify/],
    [['x', '--format', 'xml'], /--format must be one of text, json, markdown, sarif \(got "xml"\)/],
    [['x', '--host-port', '99999'], /--host-port must be a TCP port number/],
    [['x', '--bogus'], /unknown option "--bogus"/],
    [['/nonexistent/cdktf.out'], /\/nonexistent\/cdktf.out does not exist/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
  test('a stack that is not there, and a stack with no cell, are errors naming what to pass', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cli-'));
    fs.mkdirSync(path.join(dir, 'stacks', 'web'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', 'web', 'cdk.tf.json'), '{"resource":{}}');
    expect((await run([dir, '--stack', 'agents'])).err).toMatch(
      /no stack "agents" in .*; stacks: web/,
    );
    expect((await run([dir])).err).toMatch(/plans no OpenClaw cell container/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  test('--help lists every check', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/VERIFY-ProcessLimit: the cgroup slice's pids limit is applied/);
  });
  test('DOCKER_HOST that the CLI cannot use is refused with the forms it takes', () => {
    expect(() => new DockerEngine('npipe:////./pipe/docker_engine')).toThrow(
      /uses npipe:, which is not supported; use unix:\/\/, tcp:\/\/ or ssh:\/\//,
    );
    expect(() => new DockerEngine('not a url')).toThrow(/DOCKER_HOST "not a url" is not a URL/);
  });
});

describe('the Engine API wire formats', () => {
  test('a ustar archive of one file, as uploads send it', () => {
    const tar = tarArchive([{ name: '/var/lib/tailscale/authkey', content: 'k', mode: 0o444 }]);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(tar.subarray(0, 25).toString()).toBe('var/lib/tailscale/authkey');
    expect(tar.subarray(100, 107).toString()).toBe('0000444');
    expect(tar.subarray(512, 513).toString()).toBe('k');
  });
  test('the multiplexed exec stream is split into stdout and stderr', () => {
    const frame = (kind: number, text: string): Buffer => {
      const head = Buffer.alloc(8);
      head[0] = kind;
      head.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([head, Buffer.from(text)]);
    };
    expect(demultiplex(Buffer.concat([frame(1, 'out'), frame(2, 'err'), frame(1, '!')]))).toEqual({
      stdout: 'out!',
      stderr: 'err',
    });
  });
});

describe("the harness's provider mapping (kreuzwerker/docker 3.6.2)", () => {
  test('memory in MB, CPU as period and quota, healthcheck durations in nanoseconds', () => {
    const p = containerPlan('c', {
      name: 'c',
      image: 'sha256:x',
      memory: 256,
      memory_swap: 256,
      cpu_period: 100000,
      cpu_quota: 50000,
      healthcheck: { test: ['CMD', 'true'], interval: '30s', start_period: '1m30s' },
      upload: [{ file: '/a', content: 'x', permissions: '0444' }],
      start: false,
      must_run: false,
    });
    expect(p.body.HostConfig).toMatchObject({
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      CpuPeriod: 100000,
      CpuQuota: 50000,
    });
    expect(p.body.Healthcheck).toEqual({
      Test: ['CMD', 'true'],
      Interval: 30e9,
      StartPeriod: 90e9,
    });
    expect(p.uploads).toEqual([{ file: '/a', content: 'x', mode: 0o444 }]);
    expect([p.start, p.mustRun]).toEqual([false, false]);
    expect(goDurationNanos('500ms')).toBe(5e8);
  });
  test('cpus is refused: the pinned provider panics on it', () => {
    expect(() => containerPlan('c', { name: 'c', image: 'x', cpus: '2' })).toThrow(
      /cpus panics kreuzwerker\/docker 3.6.2 at create/,
    );
  });
  test('an attribute the harness does not map is refused, never skipped', () => {
    expect(() => containerPlan('c', { name: 'c', image: 'x', pid_mode: 'host' })).toThrow(
      /docker_container.c: the harness does not map "pid_mode"/,
    );
    expect(() =>
      networkCreateBody('n', { name: 'n', internal: true, check_duplicate: true }),
    ).toThrow(/does not map "check_duplicate"/);
  });
});
