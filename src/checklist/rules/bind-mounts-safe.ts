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

/** Bind mounts of a container, from `mounts` (type bind) and `volumes` (host_path). */
export function bindMountsOf(
  attributes: Record<string, unknown>,
): { hostPath: unknown; containerPath: unknown; readOnly: boolean }[] {
  return [
    ...blocks(attributes.mounts)
      .filter((m) => m.type === 'bind')
      .map((m) => ({
        hostPath: m.source,
        containerPath: m.target,
        readOnly: m.read_only === true,
      })),
    ...blocks(attributes.volumes)
      .filter((v) => v.host_path !== undefined)
      .map((v) => ({
        hostPath: v.host_path,
        containerPath: v.container_path,
        readOnly: v.read_only === true,
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
