import { WeakeningReason } from '../core/weakening';

/**
 * Bind mounts into agent containers: explicit, minimal and read-only by default. Host paths that
 * hand the agent the host (its root, home directories, system configuration, kernel interfaces,
 * the Docker socket, cloud and SSH credentials) are refused outright.
 */

/** A host directory or file mounted into the container. */
export interface BindMount {
  /** Absolute path on the Docker host. */
  readonly hostPath: string;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /**
   * Make the mount writable. Read-only is the default; writable needs a reason, recorded for
   * the checklist report.
   * @default - read-only
   */
  readonly dangerouslyWritable?: WeakeningReason;
}

/** Host paths that may never be mounted, nor anything below them. */
const FORBIDDEN_TREES = [
  '/proc',
  '/sys',
  '/dev',
  '/etc',
  '/root',
  '/home',
  '/Users',
  '/boot',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/run',
  '/var/run',
];

/** Subtrees of a forbidden tree that the library's own hosts use for per-agent secrets. */
const ALLOWED_UNDER_FORBIDDEN = ['/run/openclaw/'];

/** Host paths that may not be mounted themselves (a subdirectory of them may be). */
const FORBIDDEN_EXACT = [
  '/',
  '/run',
  '/var',
  '/usr',
  '/opt',
  '/srv',
  '/tmp',
  '/mnt',
  '/media',
  '/lib',
  '/bin',
  '/sbin',
];

/** Path segments that mark credentials or control sockets wherever they appear. */
const FORBIDDEN_SEGMENTS = [
  '.ssh',
  '.aws',
  '.docker',
  '.kube',
  '.gnupg',
  '.azure',
  '.config/gcloud',
  '.openclaw',
  'docker.sock',
  'containerd.sock',
  'podman.sock',
];

/** Container paths a mount may not cover: the app, the kernel interfaces and system config. */
const PROTECTED_TARGETS = [
  '/',
  '/app',
  '/tmp',
  '/home/node',
  '/proc',
  '/sys',
  '/dev',
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/run/openclaw',
];

/** Returns why a bind mount is refused, or undefined when it is acceptable. */
export function bindMountProblem(mount: BindMount): string | undefined {
  const { hostPath, containerPath } = mount;
  for (const [what, p] of [
    ['host path', hostPath],
    ['container path', containerPath],
  ] as const) {
    if (!p.startsWith('/') || p.split('/').includes('..') || p.includes(':')) {
      return `bind mount ${what} "${p}" must be an absolute path without ".." or ":"; mount a dedicated directory such as "/srv/openclaw/research/workspace"`;
    }
  }
  const host = normalizePath(hostPath);
  const fix =
    'mount only a dedicated directory the agent needs, such as "/srv/openclaw/<agent>/workspace"';
  if (FORBIDDEN_EXACT.includes(host)) {
    return `bind mount of "${hostPath}" hands the agent a whole system tree; ${fix}`;
  }
  for (const tree of FORBIDDEN_TREES) {
    if (ALLOWED_UNDER_FORBIDDEN.some((ok) => host.startsWith(ok) && host.length > ok.length)) break;
    if (host === tree || host.startsWith(`${tree}/`)) {
      return `bind mount of "${hostPath}" exposes ${describeTree(tree)}; ${fix}`;
    }
  }
  const lower = host.toLowerCase();
  for (const segment of FORBIDDEN_SEGMENTS) {
    if (lower.endsWith(`/${segment}`) || lower.includes(`/${segment}/`)) {
      return `bind mount of "${hostPath}" exposes ${segment.endsWith('.sock') ? 'a container runtime socket (root on the host)' : `credentials (${segment})`}; ${fix}`;
    }
  }
  const target = normalizePath(containerPath);
  for (const protectedPath of PROTECTED_TARGETS) {
    if (
      target === protectedPath ||
      (protectedPath !== '/' && target.startsWith(`${protectedPath}/`))
    ) {
      return `bind mount target "${containerPath}" would cover ${protectedPath} inside the container; mount under a path of its own, such as "/workspace"`;
    }
  }
  return undefined;
}

/** A path with repeated `/`, `/./` and a trailing `/` collapsed. */
export function normalizePath(p: string): string {
  const collapsed = p.replace(/\/+/g, '/').replace(/\/\.(?=\/|$)/g, '');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

function describeTree(tree: string): string {
  switch (tree) {
    case '/home':
    case '/Users':
    case '/root':
      return 'a home directory';
    case '/etc':
      return 'host configuration';
    case '/proc':
    case '/sys':
    case '/dev':
      return 'kernel interfaces';
    default:
      return 'the container runtime or host system state';
  }
}
