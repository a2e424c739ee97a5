import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';
import { ECS_CONTAINER, KUBERNETES_CONTAINER } from '../workloads';
import { securityOpt } from './security-opt';

/** Why a container with no seccomp option fails, by platform. */
const MISSING: Readonly<Record<string, string>> = {
  docker_container: "no seccomp profile in security_opts, so only Docker's default profile applies",
  [ECS_CONTAINER]:
    "an ECS task definition cannot name a seccomp profile, so the host Docker daemon's default applies; give the container instances' daemon a custom seccomp-profile and suppress with that reason",
  [KUBERNETES_CONTAINER]:
    'no seccomp_profile (container or pod), so the container runs Unconfined unless the kubelet sets --seccomp-default; set seccomp_profile { type = "Localhost" }',
};

/**
 * Item 5: a custom seccomp profile is applied (not unconfined, not only the runtime's default):
 * inline JSON for docker, a Localhost profile for Kubernetes.
 */
export const seccompProfile: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const value = securityOpt(container, 'seccomp');
  if (value === undefined) return nonCompliant(MISSING[container.type] ?? MISSING.docker_container);
  if (value === 'unconfined') return nonCompliant('seccomp=unconfined turns syscall filtering off');
  if (isUnresolved(value)) return undecidable('the seccomp profile is not resolved');
  if (container.type === KUBERNETES_CONTAINER) {
    // a Localhost profile is a custom profile the node holds (named, as AppArmor profiles are)
    if (value === 'runtime/default')
      return nonCompliant(
        "seccomp_profile RuntimeDefault is only the runtime's default profile; use a Localhost profile",
      );
    return /^localhost\/\S+/.test(value)
      ? compliant()
      : nonCompliant(`seccomp_profile ${JSON.stringify(value)} names no profile`);
  }
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
