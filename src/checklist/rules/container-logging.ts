import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 14: container output is logged. */
export const containerLogging: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  return container.attributes.log_driver === 'none'
    ? nonCompliant('log_driver "none" discards the container\'s output')
    : compliant();
};
