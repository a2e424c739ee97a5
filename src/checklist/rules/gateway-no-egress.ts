import { blocks, describe, flag, isGatewayContainer, referenced } from '../inspect';
import {
  compliant,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  RuleOutcome,
  TfResource,
  TfStack,
  undecidable,
} from '../model';

/** Item 4: a gateway container joins only internal networks (no route out). */
export const gatewayNoEgress: ResourceRule = (container, stack) =>
  isGatewayContainer(container, stack)
    ? onlyInternalNetworks(container, stack, 'the gateway')
    : notApplicable();

/** Compliant when every network `container` joins is an internal docker_network of the stack. */
export function onlyInternalNetworks(
  container: TfResource,
  stack: TfStack,
  who: string,
): RuleOutcome {
  const mode = container.attributes.network_mode;
  const networks = blocks(container.attributes.networks_advanced);
  if (mode === 'none') return compliant();
  if (mode === 'host') return nonCompliant(`network_mode "host" gives ${who} the host's network`);
  if (networks.length === 0) {
    return nonCompliant(
      `network_mode ${describe(mode)} with no networks_advanced puts ${who} on the default bridge, which routes out`,
    );
  }
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const n of networks) {
    const network =
      referenced(stack, n.name) ??
      stack.resources.find((r) => r.type === 'docker_network' && r.attributes.name === n.name);
    if (!network) {
      (isUnresolved(n.name) ? unknown : problems).push(
        `network ${describe(n.name)} is not defined in this stack, so it cannot be shown to be internal`,
      );
    } else if (flag(network.attributes.internal) !== true) {
      problems.push(`network ${network.address} is not internal, so it routes out`);
    }
  }
  if (mode !== undefined && mode !== 'bridge' && !networks.some((n) => n.name === mode)) {
    unknown.push(`network_mode ${describe(mode)} is a network this rule cannot check`);
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
}
