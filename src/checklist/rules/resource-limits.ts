import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 6: memory and CPU are limited, and the container cannot swap. */
export const resourceLimits: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const { memory, memory_swap: swap, cpus, cpu_quota: quota } = container.attributes;
  const problems: string[] = [];
  if (!(Number(memory) > 0)) problems.push('memory is not limited');
  else if (swap !== undefined && Number(swap) !== Number(memory))
    problems.push(`memory_swap ${swap} differs from memory ${memory}, so the container can swap`);
  else if (swap === undefined)
    problems.push('memory_swap is unset, so Docker allows as much swap again as memory');
  if (cpus === undefined && quota === undefined)
    problems.push('CPU is not limited (set cpu_period and cpu_quota)');
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
