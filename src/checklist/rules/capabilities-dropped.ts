import { block, describe, list } from '../inspect';
import { compliant, isContainer, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 5: every capability dropped, none added. */
export const capabilitiesDropped: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const caps = block(container.attributes.capabilities);
  const problems: string[] = [];
  if (
    !list(caps.drop)
      .map((c) => String(c).toUpperCase())
      .includes('ALL')
  )
    problems.push(`capabilities.drop is ${describe(caps.drop)}, not ["ALL"]`);
  for (const cap of list(caps.add))
    problems.push(`adds capability ${String(cap).toUpperCase().replace(/^CAP_/, '')}`);
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
