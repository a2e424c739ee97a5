import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';
import { bindMountsOf } from './bind-mounts-safe';

/** Control sockets of container runtimes. */
const RUNTIME_SOCKETS = [
  'docker.sock',
  'containerd.sock',
  'podman.sock',
  'crio.sock',
  'cri-dockerd.sock',
];

/**
 * Item 7, never suppressible: no container mounts a container runtime's control socket (the
 * Docker socket is root on the host), by a bind mount, a volume or a volume driver's bind option.
 */
export const noDockerSocket: ResourceRule = (container, stack) => {
  if (!isContainer(container)) return notApplicable();
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const m of bindMountsOf(container.attributes, stack)) {
    if (isUnresolved(m.hostPath)) {
      unknown.push(`bind mount ${JSON.stringify(m.hostPath)} is not resolved`);
      continue;
    }
    const host = String(m.hostPath).replace(/\/+$/, '');
    const socket = RUNTIME_SOCKETS.find((s) => host === s || host.endsWith(`/${s}`));
    if (socket !== undefined || host === '/var/run' || host === '/run')
      problems.push(
        `mounts ${JSON.stringify(m.hostPath)} at ${JSON.stringify(m.containerPath)}, which hands the container the container runtime (root on the host)`,
      );
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
