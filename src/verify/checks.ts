/**
 * The checks of `cdktf-openclaw verify` as pure functions: a planned container and what the
 * engine says about the running one in, findings out. Each finding names the container, what was
 * found and what to do.
 */
import { ContainerInspect } from './docker-engine';
import { PlannedContainer } from './plan';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** One thing that differs from the plan or from the hardening. */
export interface VerifyFinding {
  /** Stable id of the check, such as `VERIFY-Capabilities`. */
  readonly id: string;
  /** The container (or stack) it is about. */
  readonly container: string;
  readonly message: string;
  readonly fix: string;
}

/** The check ids, with what each one proves. */
export const VERIFY_CHECKS: Readonly<Record<string, string>> = {
  'VERIFY-Missing': 'every planned cell container exists on the engine',
  'VERIFY-Unplanned': 'no cell container runs that the plan does not have',
  'VERIFY-State': 'planned containers run; never-started ones are not running',
  'VERIFY-Capabilities': 'no effective, permitted or bounding capability beyond the plan',
  'VERIFY-NoNewPrivileges': 'no-new-privileges is in force for every process',
  'VERIFY-Seccomp': 'a seccomp filter is in force, and it is the planned profile',
  'VERIFY-User': 'the processes run as the planned non-root user',
  'VERIFY-ReadOnlyRoot': 'the root filesystem is mounted read-only',
  'VERIFY-Privileged': 'not privileged; no host PID, IPC, network or user namespace',
  'VERIFY-Ports': 'nothing is published beyond the plan (never 18789)',
  'VERIFY-Networks': 'exactly the planned networks and addresses; internal networks are internal',
  'VERIFY-Mounts': 'exactly the planned mounts, read-only where planned',
  'VERIFY-Limits': 'memory, swap and CPU limits as planned',
  'VERIFY-ProcessLimit': "the cgroup slice's pids limit is applied",
  'VERIFY-Image': 'the container runs the image the plan names (by digest when pinned)',
  'VERIFY-GatewayHealth': 'the gateway answers /healthz',
  'VERIFY-GatewayAuth': 'the gateway refuses requests without its token (401)',
  'VERIFY-NoRouteOut': 'the gateway joins only internal networks (no route out)',
  'VERIFY-HostUnreachable': 'the gateway cannot open connections to the host',
  'VERIFY-CellIsolation': 'the gateway cannot reach another cell',
  'VERIFY-OpenClawAudit': "OpenClaw's own `security audit --deep` has no critical or warn finding",
  'VERIFY-McpTools':
    "from the gateway, OpenClaw's `mcp probe` lists tools of every MCP server it is configured with",
  'VERIFY-McpNoRouteOut': 'an MCP server joins only internal networks (no route out)',
  'VERIFY-McpNetwork':
    "an MCP server's network holds the server, its own agent's gateway and, for a server with egress, that agent's broker: nothing else",
  'VERIFY-McpHostUnreachable': 'an MCP server cannot open connections to the host',
  'VERIFY-McpSecrets':
    "an MCP server's secrets directory is mounted read-only into that server's container only (never the gateway)",
  'VERIFY-McpIsolation':
    "an MCP server reaches no other container: not the gateway's other networks, not the broker or sidecar, not other cells",
};

const finding = (id: string, container: string, message: string, fix: string): VerifyFinding => ({
  id,
  container,
  message,
  fix,
});

function blockList(value: Json): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `Key:\tvalue` lines of /proc/<pid>/status, for every process printed. */
export function parseProcStatus(text: string): Record<string, string>[] {
  const processes: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Name') {
      current = {};
      processes.push(current);
    }
    if (current) current[m[1]] = m[2].trim();
  }
  return processes;
}

/** Linux capability numbers, for reading CapEff masks. */
const CAPABILITY_BITS: Record<string, number> = {
  CHOWN: 0,
  DAC_OVERRIDE: 1,
  DAC_READ_SEARCH: 2,
  FOWNER: 3,
  FSETID: 4,
  KILL: 5,
  SETGID: 6,
  SETUID: 7,
  SETPCAP: 8,
  LINUX_IMMUTABLE: 9,
  NET_BIND_SERVICE: 10,
  NET_BROADCAST: 11,
  NET_ADMIN: 12,
  NET_RAW: 13,
  IPC_LOCK: 14,
  IPC_OWNER: 15,
  SYS_MODULE: 16,
  SYS_RAWIO: 17,
  SYS_CHROOT: 18,
  SYS_PTRACE: 19,
  SYS_PACCT: 20,
  SYS_ADMIN: 21,
  SYS_BOOT: 22,
  SYS_NICE: 23,
  SYS_RESOURCE: 24,
  SYS_TIME: 25,
  SYS_TTY_CONFIG: 26,
  MKNOD: 27,
  LEASE: 28,
  AUDIT_WRITE: 29,
  AUDIT_CONTROL: 30,
  SETFCAP: 31,
  MAC_OVERRIDE: 32,
  MAC_ADMIN: 33,
  SYSLOG: 34,
  WAKE_ALARM: 35,
  BLOCK_SUSPEND: 36,
  AUDIT_READ: 37,
  PERFMON: 38,
  BPF: 39,
  CHECKPOINT_RESTORE: 40,
};

/** The capability names set in a `CapEff`-style hex mask. */
export function capabilityNames(mask: string): string[] {
  const value = BigInt(`0x${mask || '0'}`);
  return Object.entries(CAPABILITY_BITS)
    .filter(([, bit]) => (value >> BigInt(bit)) & BigInt(1))
    .map(([name]) => name);
}

/** What runs inside: each process's status, and the mount table. */
export interface RuntimeView {
  readonly processes: Record<string, string>[];
  readonly mounts: string;
}

/** The planned runtime hardening against what the kernel says about the processes. */
export function runtimeFindings(plan: PlannedContainer, view: RuntimeView): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const c = plan.name;
  const [caps] = blockList(plan.attributes.capabilities);
  const allowed = new Set<string>(
    (caps?.add ?? []).map((x: string) => x.toUpperCase().replace(/^CAP_/, '')),
  );
  const plannedUser = String(plan.attributes.user ?? '');
  const [uid] = plannedUser.split(':');
  if (view.processes.length === 0)
    out.push(
      finding(
        'VERIFY-State',
        c,
        'no process could be read inside the container',
        'check that it runs: docker logs ' + c,
      ),
    );
  for (const p of view.processes) {
    const who = `${p.Name} (pid ${p.Pid})`;
    for (const field of ['CapEff', 'CapPrm', 'CapBnd']) {
      const extra = capabilityNames(p[field] ?? '').filter((n) => !allowed.has(n));
      if (extra.length > 0)
        out.push(
          finding(
            'VERIFY-Capabilities',
            c,
            `${who} has ${field} ${extra.join(', ')}`,
            'recreate the container from the plan (capabilities { drop = ["ALL"] }); something added capabilities',
          ),
        );
    }
    if (p.NoNewPrivs !== '1')
      out.push(
        finding(
          'VERIFY-NoNewPrivileges',
          c,
          `${who} has NoNewPrivs ${p.NoNewPrivs ?? 'unknown'}`,
          'keep security_opts "no-new-privileges:true"',
        ),
      );
    if (p.Seccomp !== '2')
      out.push(
        finding(
          'VERIFY-Seccomp',
          c,
          `${who} runs with seccomp mode ${p.Seccomp ?? 'unknown'} (2 is a filter)`,
          'keep the seccomp= security option the construct sets; never seccomp=unconfined',
        ),
      );
    const uids = (p.Uid ?? '').split(/\s+/).filter((x) => x !== '');
    if (
      uids.length === 0 ||
      uids.some((x) => x === '0') ||
      (uid !== '' && uids.some((x) => x !== uid))
    )
      out.push(
        finding(
          'VERIFY-User',
          c,
          `${who} runs as uid ${uids.join('/') || 'unknown'}, planned ${plannedUser || 'unset'}`,
          'run it as the planned non-root user (user = "1000:1000")',
        ),
      );
  }
  const root = view.mounts
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[1] === '/')
    .pop();
  if (plan.attributes.read_only === true && !(root && root[3].split(',').includes('ro')))
    out.push(
      finding(
        'VERIFY-ReadOnlyRoot',
        c,
        `the root filesystem is mounted ${root ? root[3] : 'unknown'}`,
        'keep read_only = true',
      ),
    );
  return out;
}

/** The engine's configuration of the container against the plan. */
export function configFindings(plan: PlannedContainer, info: ContainerInspect): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const c = plan.name;
  const a = plan.attributes;
  const h = info.HostConfig;
  if (h.Privileged)
    out.push(
      finding(
        'VERIFY-Privileged',
        c,
        'the container is privileged',
        'set privileged = false and recreate it',
      ),
    );
  for (const [mode, value] of [
    ['pid', h.PidMode],
    ['ipc', h.IpcMode],
    ['network', h.NetworkMode],
    ['userns', h.UsernsMode],
  ] as const) {
    if (value === 'host')
      out.push(
        finding(
          'VERIFY-Privileged',
          c,
          `the container shares the host's ${mode} namespace`,
          `remove ${mode}_mode = "host"`,
        ),
      );
  }
  // ports: only what the plan publishes, on the planned addresses
  const planned = new Set(
    blockList(a.ports)
      .filter((p: Json) => p.external !== undefined)
      .map((p: Json) => `${p.ip ?? '0.0.0.0'}:${p.external}->${p.internal}/${p.protocol ?? 'tcp'}`),
  );
  for (const [port, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
    for (const b of bindings ?? []) {
      const key = `${b.HostIp || '0.0.0.0'}:${b.HostPort}->${port}`;
      if (!planned.has(key) && !planned.has(key.replace(/^::/, '0.0.0.0')))
        out.push(
          finding(
            'VERIFY-Ports',
            c,
            `${port} is published on ${b.HostIp || '0.0.0.0'}:${b.HostPort}, which the plan does not publish`,
            'remove the published port; the gateway is reached only over the tailnet',
          ),
        );
    }
  }
  if (h.PublishAllPorts)
    out.push(
      finding('VERIFY-Ports', c, 'publish_all_ports is on', 'set publish_all_ports = false'),
    );
  // networks
  const actual = info.NetworkSettings.Networks ?? {};
  const plannedNets = plan.networks.map((n) => n.name);
  if (plan.attributes.network_mode === 'none') {
    const joined = Object.keys(actual).filter((n) => n !== 'none');
    if (joined.length > 0)
      out.push(
        finding(
          'VERIFY-Networks',
          c,
          `joins ${joined.join(', ')} but the plan has network_mode none`,
          'recreate it from the plan',
        ),
      );
  } else {
    for (const n of Object.keys(actual))
      if (!plannedNets.includes(n))
        out.push(
          finding(
            'VERIFY-Networks',
            c,
            `joins network ${n}, which the plan does not give it`,
            `disconnect it: docker network disconnect ${n} ${c}`,
          ),
        );
    for (const n of plan.networks) {
      const got = actual[n.name];
      if (!got)
        out.push(
          finding(
            'VERIFY-Networks',
            c,
            `is not on planned network ${n.name}`,
            'recreate it from the plan',
          ),
        );
      else if (n.ipv4Address && got.IPAddress !== n.ipv4Address)
        out.push(
          finding(
            'VERIFY-Networks',
            c,
            `has ${got.IPAddress} on ${n.name}, planned ${n.ipv4Address}`,
            'recreate it from the plan; the gateway trusts exactly the planned proxy address',
          ),
        );
    }
  }
  // mounts
  const plannedMounts = blockList(a.mounts).map(
    (m: Json) => `${m.type}:${m.source}:${m.target}:${m.read_only === true ? 'ro' : 'rw'}`,
  );
  const actualMounts = info.Mounts.filter((m) => m.Type !== 'tmpfs').map(
    (m) =>
      `${m.Type}:${m.Type === 'volume' ? m.Name : m.Source}:${m.Destination}:${m.RW ? 'rw' : 'ro'}`,
  );
  for (const m of actualMounts)
    if (!plannedMounts.includes(m))
      out.push(
        finding(
          'VERIFY-Mounts',
          c,
          `has mount ${m}, which the plan does not have`,
          'recreate it from the plan; mount only what the plan mounts',
        ),
      );
  for (const m of plannedMounts)
    if (!actualMounts.includes(m))
      out.push(
        finding('VERIFY-Mounts', c, `lacks planned mount ${m}`, 'recreate it from the plan'),
      );
  // limits
  const mib = 1024 * 1024;
  if (a.memory !== undefined && h.Memory !== Number(a.memory) * mib)
    out.push(
      finding(
        'VERIFY-Limits',
        c,
        `memory is ${h.Memory / mib} MiB, planned ${a.memory}`,
        'recreate it from the plan',
      ),
    );
  if (a.memory_swap !== undefined && h.MemorySwap !== Number(a.memory_swap) * mib)
    out.push(
      finding(
        'VERIFY-Limits',
        c,
        `memory+swap is ${h.MemorySwap / mib} MiB, planned ${a.memory_swap}`,
        'recreate it from the plan',
      ),
    );
  if (
    a.cpu_quota !== undefined &&
    (h.CpuQuota !== Number(a.cpu_quota) || h.CpuPeriod !== Number(a.cpu_period))
  )
    out.push(
      finding(
        'VERIFY-Limits',
        c,
        `CPU quota is ${h.CpuQuota}/${h.CpuPeriod} µs, planned ${a.cpu_quota}/${a.cpu_period}`,
        'replace the container (the provider does not update a CPU limit in place)',
      ),
    );
  if ((a.cgroup_parent ?? '') !== (h.CgroupParent ?? ''))
    out.push(
      finding(
        'VERIFY-ProcessLimit',
        c,
        `cgroup parent is "${h.CgroupParent}", planned "${a.cgroup_parent ?? ''}"`,
        'recreate it from the plan',
      ),
    );
  // security options as planned (the seccomp profile by content)
  const plannedOpts = new Set<string>(
    (a.security_opts ?? []).map((o: string) => normalizeSecurityOpt(o)),
  );
  const actualOpts = new Set<string>(
    (h.SecurityOpt ?? []).map((o: string) => normalizeSecurityOpt(o)),
  );
  for (const o of plannedOpts)
    if (!actualOpts.has(o))
      out.push(
        finding(
          o.startsWith('seccomp') ? 'VERIFY-Seccomp' : 'VERIFY-NoNewPrivileges',
          c,
          `security option ${o.slice(0, 60)} of the plan is not set`,
          'recreate it from the plan',
        ),
      );
  for (const o of actualOpts)
    if (!plannedOpts.has(o))
      out.push(
        finding(
          'VERIFY-Seccomp',
          c,
          `security option ${o.slice(0, 60)} is set but not planned`,
          'recreate it from the plan',
        ),
      );
  if (plan.attributes.read_only === true && !h.ReadonlyRootfs)
    out.push(finding('VERIFY-ReadOnlyRoot', c, 'ReadonlyRootfs is off', 'keep read_only = true'));
  if (plan.attributes.user && info.Config.User !== plan.attributes.user)
    out.push(
      finding(
        'VERIFY-User',
        c,
        `runs as "${info.Config.User}", planned "${plan.attributes.user}"`,
        'recreate it from the plan',
      ),
    );
  return out;
}

/** Security options compared by meaning: seccomp profiles by their parsed JSON. */
function normalizeSecurityOpt(option: string): string {
  const m = /^seccomp[=:](.*)$/s.exec(option);
  if (!m) return option.replace(':', '=');
  try {
    return `seccomp=${JSON.stringify(JSON.parse(m[1]))}`;
  } catch {
    return `seccomp=${m[1]}`;
  }
}

/** The effective pids limit: the smallest numeric pids.max of the cgroup and its parents. */
export function effectivePidsLimit(values: readonly string[]): number | undefined {
  const numbers = values
    .map((v) => v.trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
  return numbers.length > 0 ? Math.min(...numbers) : undefined;
}

/**
 * The cgroup directories (relative to the cgroup mount) that hold the pids limit of a container
 * under `parent`: its parent slice and the container's own group, as Docker lays them out for
 * each cgroup driver and version.
 */
export function pidsCgroupPaths(
  parent: string,
  containerId: string,
  driver: string,
  version: string,
): string[] {
  const v1 = version === '1' ? 'pids/' : '';
  if (driver === 'systemd') {
    const slice = parent || 'system.slice';
    // systemd nests a-b.slice inside a.slice
    const parts = slice.replace(/\.slice$/, '').split('-');
    const chain = parts.map((_, i) => `${parts.slice(0, i + 1).join('-')}.slice`);
    const dir = chain.join('/');
    return [`${v1}${dir}`, `${v1}${dir}/docker-${containerId}.scope`];
  }
  const dir = (parent || '/docker').replace(/^\/+/, '');
  return [`${v1}${dir}`, `${v1}${dir}/${containerId}`];
}
