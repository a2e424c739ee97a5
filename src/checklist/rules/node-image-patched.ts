import {
  BROKER_NODE_VERSION,
  compareNodeVersions,
  NODE_SECURITY_FLOORS,
  NODE_VERSION_LABEL,
} from '../../openclaw/release';
import { parseImage } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule, undecidable } from '../model';
import { imageName } from './image-version-tag';

/** The Node version a resource declares: its build label, or the tag of an official node image. */
function nodeVersionOf(
  resource: Parameters<ResourceRule>[0],
  stack: Parameters<ResourceRule>[1],
): { version?: string; undecided?: string } | undefined {
  const build = resource.attributes.build as { label?: Record<string, unknown> } | undefined;
  const labelled = build?.label?.[NODE_VERSION_LABEL];
  if (labelled !== undefined) return { version: String(labelled) };
  const image = imageName(resource, stack);
  if (image?.name === undefined) return undefined;
  const { repository, tag } = parseImage(image.name);
  if (!/^(docker\.io\/)?(library\/)?node$/.test(repository)) return undefined;
  const version = /^(\d+\.\d+\.\d+)(-|$)/.exec(tag ?? '')?.[1];
  return version
    ? { version }
    : { undecided: `node image tag ${JSON.stringify(tag)} does not say which Node release it is` };
}

/**
 * Item 15: every Node-based image in a cell (the broker's, an MCP server's) is at or above the
 * Node floor of its major line (NODE_SECURITY_FLOORS, beside the OpenClaw pin).
 */
export const nodeImagePatched: ResourceRule = (resource, stack) => {
  const node = nodeVersionOf(resource, stack);
  if (node === undefined) return notApplicable();
  if (node.version === undefined) return undecidable(node.undecided!);
  const major = Number(node.version.split('.')[0]);
  const floor = NODE_SECURITY_FLOORS[major];
  if (floor === undefined)
    return nonCompliant(
      `Node ${node.version} is on a line with no known security floor; use Node ${BROKER_NODE_VERSION} or another release at or above ${Object.values(NODE_SECURITY_FLOORS).join(', ')}`,
    );
  return compareNodeVersions(node.version, floor) < 0
    ? nonCompliant(
        `Node ${node.version} is older than ${floor}, the oldest Node ${major} release with every published security fix; rebuild on node:${BROKER_NODE_VERSION}-bookworm-slim or newer`,
      )
    : compliant();
};
