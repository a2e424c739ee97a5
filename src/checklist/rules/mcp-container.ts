import { blocks, imageOf, labelsOf, list } from '../inspect';
import { TfResource, TfStack } from '../model';

/** The container role McpServerContainer sets. */
export const MCP_SERVER_ROLE = 'mcp-server';

/**
 * True for a container that runs an MCP server: labelled so by McpServerContainer, or by hand
 * with an MCP server image or command (`mcp-server-*`, `@modelcontextprotocol/*`, `.../mcp-*`).
 */
export function isMcpContainer(container: TfResource, stack: TfStack): boolean {
  if (container.type !== 'docker_container') return false;
  if (labelsOf(container).get('openclaw.role') === MCP_SERVER_ROLE) return true;
  const { name } = imageOf(container, stack);
  const command = [...list(container.attributes.command), ...list(container.attributes.entrypoint)]
    .map(String)
    .join(' ');
  return [name ?? '', command].some((s) =>
    /modelcontextprotocol|mcp-server|(^|[/\s])mcp[-_/]/i.test(s),
  );
}

/** The docker_container resources of the stack that join the network `name` (a name or reference). */
export function containersOn(stack: TfStack, network: TfResource): TfResource[] {
  const ref = `\${${network.type}.${network.name}.name}`;
  return stack.resources.filter(
    (r) =>
      r.type === 'docker_container' &&
      blocks(r.attributes.networks_advanced).some(
        (n) => n.name === ref || n.name === network.attributes.name,
      ),
  );
}
