import { bindMountProblem } from '../../container/bind-mounts';
import { block, blocks, obj, referenced } from '../inspect';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  TfStack,
  undecidable,
} from '../model';

/**
 * Bind mounts of a container: `mounts` of type bind, `volumes` with a host_path, `volumes`
 * whose volume_name is an absolute path (the provider turns that into a host bind), and named
 * volumes (in `mounts` or `volumes`) whose docker_volume is a bind by its driver options
 * (`type=none, o=bind, device=/path`).
 */
export function bindMountsOf(
  attributes: Record<string, unknown>,
  stack?: TfStack,
): { hostPath: unknown; containerPath: unknown; readOnly: boolean }[] {
  const ro = (v: unknown) => v === true || v === 'true';
  const byVolume = (source: unknown): unknown => {
    if (!stack) return undefined;
    const volume =
      referenced(stack, source) ??
      stack.resources.find((r) => r.type === 'docker_volume' && r.attributes.name === source);
    if (volume?.type !== 'docker_volume') return undefined;
    const opts = obj(volume.attributes.driver_opts);
    if (isUnresolved(volume.attributes.driver_opts)) return volume.attributes.driver_opts;
    const o = String(opts.o ?? '').split(',');
    return o.includes('bind') || o.includes('rbind') ? (opts.device ?? '/') : undefined;
  };
  return [
    ...blocks(attributes.mounts)
      .filter((m) => m.type === 'bind' || m.type === undefined || isUnresolved(m.type))
      .map((m) => ({
        hostPath: m.source,
        containerPath: m.target,
        readOnly: ro(m.read_only),
      })),
    ...blocks(attributes.mounts)
      .filter((m) => m.type === 'volume')
      .flatMap((m) => {
        const device = byVolume(m.source) ?? block(m.volume_options).driver_options;
        const opts = obj(device);
        const host =
          typeof device === 'string'
            ? device
            : String(opts.o ?? '').includes('bind')
              ? (opts.device ?? '/')
              : undefined;
        return host === undefined
          ? []
          : [{ hostPath: host, containerPath: m.target, readOnly: ro(m.read_only) }];
      }),
    ...blocks(attributes.volumes).flatMap((v) => {
      if (v.host_path !== undefined || String(v.volume_name ?? '').startsWith('/'))
        return [
          {
            hostPath: v.host_path ?? v.volume_name,
            containerPath: v.container_path,
            readOnly: ro(v.read_only),
          },
        ];
      const device = byVolume(v.volume_name);
      return device === undefined
        ? []
        : [{ hostPath: device, containerPath: v.container_path, readOnly: ro(v.read_only) }];
    }),
  ];
}

/** Home directories that do not sit under /home: service accounts, NFS homes, build users. */
const OTHER_HOMES =
  /^\/(var\/lib\/(jenkins|gitlab-runner|buildkite-agent|postgresql|mysql|teamcity)|(export|data|usr|net|nfs|local|srv)\/home|home\d+|u\d*)(\/|$)/;

/** Item 7: no bind mount of the host's root, homes, system config, kernel interfaces, runtime sockets or credentials. */
export const bindMountsSafe: ResourceRule = (container, stack) => {
  if (!isContainer(container)) return notApplicable();
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const m of bindMountsOf(container.attributes, stack)) {
    if (isUnresolved(m.hostPath) || isUnresolved(m.containerPath)) {
      unknown.push(`bind mount ${JSON.stringify(m.hostPath)} is not resolved`);
      continue;
    }
    const problem = bindMountProblem({
      hostPath: String(m.hostPath),
      containerPath: String(m.containerPath ?? '/'),
    });
    if (problem) problems.push(problem);
    else if (OTHER_HOMES.test(String(m.hostPath)))
      problems.push(
        `bind mount of ${JSON.stringify(m.hostPath)} looks like a home directory outside /home (a service account's or a network home); mount a dedicated directory such as "/srv/openclaw/<agent>/workspace"`,
      );
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
