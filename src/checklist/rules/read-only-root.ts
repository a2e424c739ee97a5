import { describe, flag } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule, undecidable } from '../model';

/** Item 6: the root filesystem is read-only. */
export const readOnlyRoot: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const value = flag(container.attributes.read_only);
  if (value === 'unknown')
    return undecidable(`read_only is ${describe(container.attributes.read_only)}`);
  return value ? compliant() : nonCompliant('read_only is not true');
};
