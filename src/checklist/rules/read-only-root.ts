import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 6: the root filesystem is read-only. */
export const readOnlyRoot: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  return container.attributes.read_only === true
    ? compliant()
    : nonCompliant('read_only is not true');
};
