import { compliant, isContainer, nonCompliant, notApplicable, ResourceRule } from '../model';
import { securityOpt } from './security-opt';

/** Item 5: no-new-privileges is set. */
export const noNewPrivileges: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const value = securityOpt(container, 'no-new-privileges');
  return value === 'true'
    ? compliant()
    : nonCompliant(
        `security_opts has no "no-new-privileges:true" (${value === undefined ? 'unset' : `"${value}"`})`,
      );
};
