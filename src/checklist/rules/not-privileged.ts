import { blocks, describe, flag } from '../inspect';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Item 5: not privileged, no host namespaces, no devices. */
export const notPrivileged: ResourceRule = (container) => {
  if (!isContainer(container)) return notApplicable();
  const a = container.attributes;
  const problems: string[] = [];
  const unknown: string[] = [];
  const privileged = flag(a.privileged);
  if (privileged === true) problems.push('privileged is true');
  if (privileged === 'unknown') unknown.push(`privileged is ${describe(a.privileged)}`);
  for (const key of [
    'network_mode',
    'pid_mode',
    'ipc_mode',
    'userns_mode',
    'cgroupns_mode',
    'uts_mode',
  ]) {
    if (a[key] === 'host') problems.push(`${key} is "host"`);
    else if (isUnresolved(a[key])) unknown.push(`${key} is ${describe(a[key])}`);
  }
  if (typeof a.network_mode === 'string' && a.network_mode.startsWith('container:')) {
    problems.push(
      `network_mode ${describe(a.network_mode)} joins another container's network namespace`,
    );
  }
  for (const raw of Array.isArray(a.security_opts) ? a.security_opts : []) {
    const opt = String(raw).replace(':', '=');
    if (opt === 'systempaths=unconfined')
      problems.push(
        'security_opts "systempaths=unconfined" unmasks /proc and /sys, as privileged does',
      );
    if (opt === 'label=disable' || opt === 'label=type:spc_t')
      problems.push(`security_opts "${String(raw)}" turns SELinux confinement off`);
  }
  if (blocks(a.devices).length > 0)
    problems.push(`devices ${describe(blocks(a.devices).map((d) => d.host_path))} are passed in`);
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
