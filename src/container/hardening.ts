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
    cpus: String(o.cpus),
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
