import { checkHostCells, HostCell } from './user-data';
import { HOST_NAME } from '../core/names';

/**
 * The contract between the stacks and a host: the cells a host runs are published as one SSM
 * String parameter (no secret in it: secret ids and ARNs only), which the host's reconciler reads
 * at run time. The instance's user data never names a cell, so cells change without touching it.
 */

/** The version of the cells document the reconciler understands. */
export const CELLS_DOCUMENT_VERSION = 1;

/** The parameter a host's cells are published in: `/<prefix>openclaw/hosts/<host>/cells`. */
export function cellsParameterName(host: string, namePrefix = ''): string {
  if (!HOST_NAME.test(host))
    throw new Error(`host name "${host}" must be lower-case letters, digits and "-"`);
  if (namePrefix !== '' && !/^[a-z0-9][a-z0-9-]{0,20}-$/.test(namePrefix))
    throw new Error(
      `name prefix "${namePrefix}" must be lower-case letters, digits and "-", ending in "-", such as "staging-"`,
    );
  return `/${namePrefix}openclaw/hosts/${host}/cells`;
}

/** The document's shape: what the reconciler reads from the parameter. */
export interface CellsDocument {
  readonly version: typeof CELLS_DOCUMENT_VERSION;
  readonly cells: readonly HostCell[];
}

/** The parameter's value for these cells, sorted by gateway so order never causes a change. */
export function cellsDocument(cells: readonly HostCell[]): string {
  checkHostCells(cells);
  const sorted = [...cells].sort((a, b) => a.gateway.localeCompare(b.gateway));
  const doc: CellsDocument = { version: CELLS_DOCUMENT_VERSION, cells: sorted };
  return JSON.stringify(doc);
}
