import { blocks, describe } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 5: not privileged, no host namespaces, no devices. */
export const notPrivileged: ResourceRule = (container) => {
  if (container.type !== 'docker_container') return notApplicable();
  const a = container.attributes;
  const problems: string[] = [];
  if (a.privileged === true) problems.push('privileged is true');
  for (const key of [
    'network_mode',
    'pid_mode',
    'ipc_mode',
    'userns_mode',
    'cgroupns_mode',
    'uts_mode',
  ]) {
    if (a[key] === 'host') problems.push(`${key} is "host"`);
  }
  if (typeof a.network_mode === 'string' && a.network_mode.startsWith('container:'))
    problems.push(
      `network_mode ${describe(a.network_mode)} joins another container's network namespace`,
    );
  if (blocks(a.devices).length > 0)
    problems.push(`devices ${describe(blocks(a.devices).map((d) => d.host_path))} are passed in`);
  return problems.length > 0 ? nonCompliant(...problems) : compliant();
};
