import { describe, flag } from '../inspect';
import {
  compliant,
  isContainer,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/**
 * Item 6: the root filesystem is read-only. A container created with `start = false` never runs
 * (the tailnet key drop takes an upload that way), so its root does not matter; `verify` reports
 * it if it is found running.
 */
export const readOnlyRoot: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const { start, must_run: mustRun } = container.attributes;
  if ((start === false || start === 'false') && (mustRun === false || mustRun === 'false'))
    return notApplicable();
  const value = flag(container.attributes.read_only);
  if (value === 'unknown')
    return undecidable(`read_only is ${describe(container.attributes.read_only)}`);
  return value ? compliant() : nonCompliant('read_only is not true');
};
