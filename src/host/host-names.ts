import { cellsParameterName } from './cells-document';

/** Names a host and the stacks around it share: plain data, no construct. */

/** The tailnet tag every AgentHost without a name prefix joins with. */
export const HOST_TAG = 'tag:openclaw-host';

/** The tailnet tag of the hosts of the environment `namePrefix`: `tag:<prefix>openclaw-host`. */
export function hostTag(namePrefix = ''): string {
  return `tag:${namePrefix}openclaw-host`;
}

/** Whether a tailnet tag is an agent host's tag, of any environment. */
export function isHostTag(tag: string): boolean {
  return /^tag:([a-z0-9][a-z0-9-]*-)?openclaw-host$/.test(tag);
}

/**
 * The tag the host's reconciler puts on a gateway token secret once its gateway accepts a new
 * version (the version id); the rotation function moves AWSCURRENT only after it.
 */
export const APPLIED_VERSION_TAG = 'openclaw:applied-version';

/** The host's own tailnet key secret: `<prefix>openclaw/hosts/<host>/tailnet-key`. */
export function hostTailnetKeySecretName(host: string, namePrefix = ''): string {
  // the same checks as the cells parameter's name
  cellsParameterName(host, namePrefix);
  return `${namePrefix}openclaw/hosts/${host}/tailnet-key`;
}
