import { labelsOf } from '../inspect';
import { ECS_CONTAINER, KUBERNETES_CONTAINER } from '../workloads';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/**
 * Item 6: the process limit is enforced. The docker provider has no pids_limit, so the only
 * enforcement is a cgroup parent slice whose pids.max the host sets. On ECS an nproc ulimit
 * limits the container's user; a Kubernetes pod spec has no such field (the kubelet sets it).
 */
export const processLimit: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  if (container.type === KUBERNETES_CONTAINER)
    return undecidable(
      "a pod spec cannot limit processes: the kubelet's podPidsLimit does, which the stack does not show; check the node pools and suppress with the limit they set",
    );
  if (container.type === ECS_CONTAINER) {
    const limit = container.attributes.process_limit;
    if (isUnresolved(limit)) return undecidable(`the nproc ulimit is ${String(limit)}`);
    return Number(limit) > 0
      ? compliant()
      : nonCompliant(
          'no nproc ulimit, so nothing limits the number of processes (ECS has no pids limit; add ulimits [{ name = "nproc", softLimit = 100, hardLimit = 100 }])',
        );
  }
  const parent = container.attributes.cgroup_parent;
  if (isUnresolved(parent)) return undecidable('cgroup_parent is not resolved');
  if (typeof parent === 'string' && parent.length > 0) return compliant();
  const wanted = labelsOf(container).get('openclaw.max-processes') ?? '100';
  return nonCompliant(
    `no cgroup_parent slice, so nothing limits the container to ${wanted} processes (the docker provider has no pids_limit)`,
  );
};
