import { blocks, isGatewayContainer, referenced } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';
import { onlyInternalNetworks } from './gateway-no-egress';
import { containersOn, isMcpContainer } from './mcp-container';

/**
 * Item 4 for MCP servers: a server reaches nothing beyond what it declares. It joins only
 * internal networks (no route out of its own), and each of them is shared with a gateway only:
 * not with the broker (whose routes hold the cell's keys), not with another server or cell.
 */
export const mcpNoDirectEgress: ResourceRule = (container, stack) => {
  if (!isMcpContainer(container, stack)) return notApplicable();
  const internal = onlyInternalNetworks(container, stack, 'the MCP server');
  if (internal.compliance !== 'compliant') return internal;
  const problems: string[] = [];
  for (const n of blocks(container.attributes.networks_advanced)) {
    const network =
      referenced(stack, n.name) ??
      stack.resources.find((r) => r.type === 'docker_network' && r.attributes.name === n.name);
    if (!network) continue; // onlyInternalNetworks has judged it
    const others = containersOn(stack, network).filter((c) => c.address !== container.address);
    const strangers = others.filter((c) => !isGatewayContainer(c, stack));
    if (strangers.length > 0)
      problems.push(
        `network ${network.address} is shared with ${strangers.map((c) => c.address).join(', ')}, so the server reaches more than its gateway`,
      );
    if (others.length - strangers.length > 1)
      problems.push(`network ${network.address} is shared by more than one gateway`);
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return compliant();
};
