import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  TfResource,
  TfStack,
  undecidable,
} from '../model';
import { normalizePath } from '../../container/bind-mounts';
import { bindMountsOf } from './bind-mounts-safe';
import { isMcpContainer } from './mcp-container';

/** `/run/openclaw/<container>/secrets` of an MCP server container (`...-mcp-<server>`), or below. */
const MCP_SECRETS_PATH = /^\/run\/openclaw\/([^/]*-mcp-[^/]+)(\/secrets)?(\/|$)/;

/** An MCP server's secrets directory and the container it belongs to. */
interface SecretsDir {
  readonly dir: string;
  /** The owning container's address, when the stack has it. */
  readonly address?: string;
  /** The owning container's Docker name. */
  readonly name?: string;
}

/**
 * Item 7 (and 12) for MCP secret files: an MCP server's secrets directory is mounted read-only
 * into that server's container and into no other: not the gateway, the broker, another server
 * or another cell. A directory is an MCP server's when an MCP server container mounts it, or by
 * its shape (`/run/openclaw/<...-mcp-<server>>/secrets`, as McpServerContainer names it).
 */
export const mcpSecretMounts: ResourceRule = (container, stack) => {
  if (!isContainer(container)) return notApplicable();
  const dirs = secretsDirs(stack);
  const problems: string[] = [];
  const unknown: string[] = [];
  let touches = false;
  const mcp = isMcpContainer(container, stack);
  for (const m of bindMountsOf(container.attributes, stack)) {
    if (isUnresolved(m.hostPath)) {
      unknown.push(`bind mount ${JSON.stringify(m.hostPath)} is not resolved`);
      continue;
    }
    const host = normalizePath(String(m.hostPath));
    const other = /^\/run\/openclaw\/([^/]+)/.exec(host)?.[1];
    if (mcp && other !== undefined && other !== container.attributes.name) {
      touches = true;
      problems.push(
        `${JSON.stringify(m.hostPath)} is the host directory of container ${other}, not this MCP server's; it mounts only /run/openclaw/<its own name>/secrets`,
      );
      continue;
    }
    for (const d of [...dirs, ...byShape(host)]) {
      if (!(host === d.dir || host.startsWith(`${d.dir}/`) || d.dir.startsWith(`${host}/`)))
        continue;
      touches = true;
      if (owns(container, d)) {
        if (!m.readOnly)
          problems.push(
            `${JSON.stringify(m.hostPath)} holds this MCP server's credentials and is mounted writable; mount it read-only`,
          );
      } else {
        problems.push(
          `${JSON.stringify(m.hostPath)} holds the credentials of MCP server container ${d.address ?? d.name}, and only that server's container may mount it`,
        );
      }
    }
  }
  if (problems.length > 0) return nonCompliant(...new Set(problems));
  if (dirs.length === 0 && !touches) return notApplicable();
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};

/** The secrets directories of the stack's MCP server containers (cached per stack). */
function secretsDirs(stack: TfStack): SecretsDir[] {
  let dirs = cache.get(stack);
  if (!dirs) {
    dirs = [];
    for (const r of stack.resources) {
      if (!isMcpContainer(r, stack)) continue;
      const name = typeof r.attributes.name === 'string' ? r.attributes.name : undefined;
      for (const m of bindMountsOf(r.attributes, stack)) {
        if (typeof m.hostPath !== 'string' || isUnresolved(m.hostPath)) continue;
        const host = normalizePath(m.hostPath);
        const target = typeof m.containerPath === 'string' ? normalizePath(m.containerPath) : '';
        // its credentials: what it mounts under /run/secrets, or its own directory of the
        // hosts' secrets tree (another container's there is its own finding)
        const other = /^\/run\/openclaw\/([^/]+)/.exec(host)?.[1];
        if (other !== undefined ? other === name : target.startsWith('/run/secrets/'))
          dirs.push({ dir: host, address: r.address, name });
      }
    }
    cache.set(stack, dirs);
  }
  return dirs;
}

const cache = new WeakMap<TfStack, SecretsDir[]>();

/** The MCP secrets directory a host path is by its shape alone, if it is one. */
function byShape(host: string): SecretsDir[] {
  const m = MCP_SECRETS_PATH.exec(host);
  return m ? [{ dir: `/run/openclaw/${m[1]}/secrets`, name: m[1] }] : [];
}

function owns(container: TfResource, d: SecretsDir): boolean {
  if (d.address !== undefined) return container.address === d.address;
  return container.attributes.name === d.name;
}
