import { cellsParameterName } from './cells-document';

/** Names a host and the stacks around it share: plain data, no construct. */

/** The tailnet tag every AgentHost joins with. */
export const HOST_TAG = 'tag:openclaw-host';

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
