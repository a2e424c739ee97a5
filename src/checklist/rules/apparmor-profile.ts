import { compliant, isContainer, nonCompliant, notApplicable, ResourceRule } from '../model';
import { securityOpt } from './security-opt';

/** Item 5: an AppArmor profile is named, and it is not unconfined. */
export const apparmorProfile: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const value = securityOpt(container, 'apparmor');
  if (value === undefined) return nonCompliant('no AppArmor profile in security_opts');
  return value === 'unconfined'
    ? nonCompliant('apparmor=unconfined turns AppArmor off')
    : compliant();
};
