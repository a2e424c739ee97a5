import { OPENCLAW_GATEWAY_PORT } from '../../openclaw/render-config';
import { blocks, describe, flag, runsGateway } from '../inspect';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/** Item 1: no container publishes 18789, and nothing is published beyond the host's loopback. */
export const gatewayPortNotPublished: ResourceRule = (container, stack) => {
  if (!isContainer(container)) return notApplicable();
  const problems: string[] = [];
  const unknown: string[] = [];
  const all = flag(container.attributes.publish_all_ports);
  if (all === true) problems.push('publish_all_ports is true');
  if (all === 'unknown')
    unknown.push(`publish_all_ports is ${describe(container.attributes.publish_all_ports)}`);
  for (const port of blocks(container.attributes.ports)) {
    const { internal, external, ip } = port;
    if ([internal, external, ip].some(isUnresolved)) {
      unknown.push(`port ${JSON.stringify(port)} is not resolved`);
      continue;
    }
    if (Number(internal) === OPENCLAW_GATEWAY_PORT || Number(external) === OPENCLAW_GATEWAY_PORT) {
      problems.push(
        `publishes port ${OPENCLAW_GATEWAY_PORT} (${internal} -> ${ip ?? '0.0.0.0'}:${external ?? internal})`,
      );
    } else if (ip !== '127.0.0.1' && ip !== '::1') {
      problems.push(`publishes port ${internal} on ${ip ?? '0.0.0.0 (every interface)'}`);
    }
  }
  if (container.attributes.network_mode === 'host' && runsGateway(container, stack)) {
    problems.push('runs the gateway in the host network namespace, so 18789 is open on the host');
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};
