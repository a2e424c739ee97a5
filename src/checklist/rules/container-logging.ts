import { ECS_CONTAINER } from '../workloads';
import { compliant, isContainer, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 14: container output is logged. */
export const containerLogging: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  // Kubernetes: the kubelet always keeps a container's output
  if (container.type === ECS_CONTAINER && container.attributes.log_driver === undefined)
    return nonCompliant(
      'no logConfiguration, so ECS keeps no output you can read (on Fargate it is lost); use the awslogs driver',
    );
  return container.attributes.log_driver === 'none'
    ? nonCompliant('log_driver "none" discards the container\'s output')
    : compliant();
};
