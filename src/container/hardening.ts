import { ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { seccompProfileJson } from './seccomp-profile';

/** A Docker log driver and its options. */
export interface ContainerLogging {
  /** The driver, such as `awslogs`, `journald` or `json-file`; never `none`. */
  readonly driver: string;
  /**
   * The driver's options.
   * @default - none
   */
  readonly options?: Readonly<Record<string, string>>;
}

/** Throws when a container's logs would be discarded. */
export function validateLogging(logging: ContainerLogging | undefined, what: string): void {
  if (logging?.driver === 'none') {
    throw new Error(
      `logging driver "none" discards the ${what}'s output, which the audit trail needs; use "json-file", "journald" or "awslogs"`,
    );
  }
}

/** What differs between the library's containers; everything else is the same hardening. */
export interface HardeningOptions {
  /** Numeric non-root `uid:gid`. */
  readonly user: string;
  readonly memoryMiB: number;
  readonly cpus: number;
  /** tmpfs mounts, each `rw,noexec,nosuid,nodev,size=...`. */
  readonly tmpfs: Readonly<Record<string, string>>;
  /** Capabilities added back (validated by the caller). */
  readonly addCapabilities?: readonly string[];
  /** AppArmor profile name. */
  readonly apparmorProfile?: string;
  /** cgroup slice enforcing the process limit. */
  readonly processLimitSlice?: string;
  readonly logDriver?: string;
  readonly logOptions?: Readonly<Record<string, string>>;
}

/** The size of each of the young generation's semi-spaces V8 is given in a cell's containers. */
export const NODE_SEMI_SPACE_MIB = 16;

/**
 * `NODE_OPTIONS` that keep a Node process's whole V8 heap (the old space and the young
 * generation, three semi-spaces) inside three quarters of its container's memory, the rest left
 * for buffers, code and stacks. The semi-space is given explicitly because Node 24's V8 sizes the
 * young generation from the old space: `--max-old-space-size=192` alone lets it grow to 128 MiB
 * (a 384 MiB heap limit, measured with Node 24.21), past a 256 MiB container, so a busy process
 * would be killed by the kernel instead of collecting its garbage.
 */
export function nodeHeapOptions(memoryMiB: number): string {
  const heapMiB = Math.floor(memoryMiB * 0.75);
  return `NODE_OPTIONS=--max-old-space-size=${heapMiB - 3 * NODE_SEMI_SPACE_MIB} --max-semi-space-size=${NODE_SEMI_SPACE_MIB}`;
}

/** The memory of a cell's small companion containers (MCP servers), in MiB. */
export const COMPANION_MEMORY_MIB = 256;

/**
 * The credential broker's memory, in MiB. At its cap of requests in flight with every peer
 * stalled (test/engine/broker-load.test.ts), its resident memory passed 256 MiB: Node frees a
 * socket's read buffers only at the next collection, which V8 runs after tens of MiB of them.
 */
export const BROKER_MEMORY_MIB = 512;

/** CFS period the CPU limit is expressed in, in microseconds (Docker's `--cpus` uses the same). */
export const CPU_PERIOD_MICROS = 100_000;

/**
 * A CPU limit as `cpu_period`/`cpu_quota`. The provider updates neither in place (its update
 * touches only memory, shares and cpuset), so the limit is also a label: labels force a new
 * container, and a changed limit is then really applied.
 */
export function cpuLimit(cpus: number): Pick<ContainerConfig, 'cpuPeriod' | 'cpuQuota'> {
  return { cpuPeriod: CPU_PERIOD_MICROS, cpuQuota: Math.round(cpus * CPU_PERIOD_MICROS) };
}

/** The label that carries a container's CPU limit (see {@link cpuLimit}). */
export const CPU_LIMIT_LABEL = 'openclaw.cpus';

/**
 * The hardening every container of a cell gets, the `docker run` line of the checklist: every
 * capability dropped, no-new-privileges, the library seccomp profile inline, AppArmor, read-only
 * root, noexec tmpfs, memory with swap equal to memory, CPU, no privilege, no published ports,
 * a private IPC namespace, an init process and a restart policy.
 */
export function hardenedRuntime(o: HardeningOptions): Partial<ContainerConfig> {
  return {
    user: o.user,
    capabilities: {
      drop: ['ALL'],
      ...(o.addCapabilities && o.addCapabilities.length > 0 ? { add: [...o.addCapabilities] } : {}),
    },
    securityOpts: [
      'no-new-privileges:true',
      `seccomp=${seccompProfileJson()}`,
      `apparmor=${o.apparmorProfile ?? 'docker-default'}`,
    ],
    readOnly: true,
    tmpfs: { ...o.tmpfs },
    memory: o.memoryMiB,
    memorySwap: o.memoryMiB,
    // Not `cpus`: kreuzwerker/docker 3.6.2 (what @cdktf/provider-docker 12.0.3 pins) reads that
    // string attribute as a float32 and panics at create (upstream #759, fixed in 3.7.0). Its
    // create applies cpu_period and cpu_quota as plain integers (CPUPeriod/CPUQuota) instead.
    ...cpuLimit(o.cpus),
    ...(o.processLimitSlice ? { cgroupParent: o.processLimitSlice } : {}),
    privileged: false,
    publishAllPorts: false,
    init: true,
    ipcMode: 'private',
    restart: 'unless-stopped',
    mustRun: true,
    logDriver: o.logDriver ?? 'json-file',
    logOpts: { ...(o.logOptions ?? { 'max-size': '10m', 'max-file': '5' }) },
  };
}

/**
 * The runtime of a cell's small companion containers (the broker, MCP servers): uid 1000,
 * 256 MiB, half a CPU, a 16 MiB noexec /tmp, the cell's slice, and its log driver.
 */
export function companionRuntime(
  processLimitSlice: string | undefined,
  logging: ContainerLogging | undefined,
  memoryMiB: number = COMPANION_MEMORY_MIB,
): Partial<ContainerConfig> {
  return hardenedRuntime({
    user: '1000:1000',
    memoryMiB,
    cpus: 0.5,
    processLimitSlice,
    tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m' },
    logDriver: logging?.driver,
    logOptions: logging ? (logging.options ?? {}) : undefined,
  });
}
