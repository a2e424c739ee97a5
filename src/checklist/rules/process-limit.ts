import { labelsOf } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/**
 * Item 6: the process limit is enforced. The docker provider has no pids_limit, so the only
 * enforcement is a cgroup parent slice whose pids.max the host sets.
 */
export const processLimit: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const parent = container.attributes.cgroup_parent;
  if (isUnresolved(parent)) return undecidable('cgroup_parent is not resolved');
  if (typeof parent === 'string' && parent.length > 0) return compliant();
  const wanted = labelsOf(container).get('openclaw.max-processes') ?? '100';
  return nonCompliant(
    `no cgroup_parent slice, so nothing limits the container to ${wanted} processes (the docker provider has no pids_limit)`,
  );
};
