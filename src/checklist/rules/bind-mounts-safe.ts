import { bindMountProblem } from '../../container/bind-mounts';
import { blocks } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Bind mounts of a container: `mounts` of type bind, `volumes` with a host_path, and `volumes`
 * whose volume_name is an absolute path (the provider turns that into a host bind). */
export function bindMountsOf(
  attributes: Record<string, unknown>,
): { hostPath: unknown; containerPath: unknown; readOnly: boolean }[] {
  const ro = (v: unknown) => v === true || v === 'true';
  return [
    ...blocks(attributes.mounts)
      .filter((m) => m.type === 'bind')
      .map((m) => ({ hostPath: m.source, containerPath: m.target, readOnly: ro(m.read_only) })),
    ...blocks(attributes.volumes)
      .filter((v) => v.host_path !== undefined || String(v.volume_name ?? '').startsWith('/'))
      .map((v) => ({
        hostPath: v.host_path ?? v.volume_name,
        containerPath: v.container_path,
        readOnly: ro(v.read_only),
      })),
  ];
}

/** Item 7: no bind mount of the host's root, homes, system config, kernel interfaces, runtime sockets or credentials. */
export const bindMountsSafe: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const m of bindMountsOf(container.attributes)) {
    if (isUnresolved(m.hostPath) || isUnresolved(m.containerPath)) {
      unknown.push(`bind mount ${JSON.stringify(m.hostPath)} is not resolved`);
      continue;
    }
    const problem = bindMountProblem({
      hostPath: String(m.hostPath),
      containerPath: String(m.containerPath ?? '/'),
    });
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
