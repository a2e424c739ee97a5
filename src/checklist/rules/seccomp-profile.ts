import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';
import { securityOpt } from './security-opt';

/** Item 5: a custom seccomp profile is applied (not unconfined, not only Docker's default). */
export const seccompProfile: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const value = securityOpt(container, 'seccomp');
  if (value === undefined)
    return nonCompliant(
      "no seccomp profile in security_opts, so only Docker's default profile applies",
    );
  if (value === 'unconfined') return nonCompliant('seccomp=unconfined turns syscall filtering off');
  if (isUnresolved(value)) return undecidable('the seccomp profile is not resolved');
  try {
    const profile = JSON.parse(value) as { defaultAction?: string };
    return ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE', 'SCMP_ACT_NOTIFY'].includes(
      String(profile.defaultAction),
    )
      ? nonCompliant(
          `the seccomp profile's default action ${profile.defaultAction} lets unlisted syscalls run`,
        )
      : compliant();
  } catch {
    return nonCompliant(
      "the seccomp option is not an inline JSON profile (Docker's API needs the profile itself, not a path)",
    );
  }
};
