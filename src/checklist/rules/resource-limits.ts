import { compliant, isContainer, nonCompliant, notApplicable, ResourceRule } from '../model';
import { ECS_CONTAINER, KUBERNETES_CONTAINER } from '../workloads';

/** How each platform spells the limits, for the findings. */
const SPELLING: Readonly<Record<string, { memory: string; swap: string; cpu: string }>> = {
  docker_container: {
    memory: 'memory is not limited',
    swap: 'memory_swap is unset, so Docker allows as much swap again as memory',
    cpu: 'CPU is not limited (set cpu_period and cpu_quota)',
  },
  [ECS_CONTAINER]: {
    memory: "memory is not limited (set the container's memory or the task's memory)",
    swap: 'linuxParameters.maxSwap is not 0, so on EC2 the container may swap',
    cpu: "CPU is not limited (set the task's cpu; a container's cpu is only a share)",
  },
  [KUBERNETES_CONTAINER]: {
    memory: 'resources.limits.memory is unset',
    swap: 'resources.requests.memory is below limits.memory, so the pod is Burstable and may swap on nodes with swap',
    cpu: 'resources.limits.cpu is unset',
  },
};

/** Item 6: memory and CPU are limited, and the container cannot swap. */
export const resourceLimits: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const text = SPELLING[container.type] ?? SPELLING.docker_container;
  const { memory, memory_swap: swap, cpus, cpu_quota: quota } = container.attributes;
  const problems: string[] = [];
  if (!(Number(memory) > 0)) problems.push(text.memory);
  else if (swap !== undefined && Number(swap) !== Number(memory))
    problems.push(`memory_swap ${swap} differs from memory ${memory}, so the container can swap`);
  else if (swap === undefined) problems.push(text.swap);
  if (cpus === undefined && quota === undefined) problems.push(text.cpu);
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
