import { compliant, isContainer, nonCompliant, notApplicable, ResourceRule } from '../model';
import { bindMountsOf } from './bind-mounts-safe';

/** Item 7: bind mounts are read-only. */
export const bindMountsReadOnly: ResourceRule = (container, stack) => {
  if (!isContainer(container)) return notApplicable();
  const writable = bindMountsOf(container.attributes, stack).filter((m) => !m.readOnly);
  return writable.length > 0
    ? nonCompliant(
        ...writable.map(
          (m) =>
            `${JSON.stringify(m.hostPath)} is mounted writable at ${JSON.stringify(m.containerPath)}`,
        ),
      )
    : compliant();
};
