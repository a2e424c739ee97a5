/**
 * Exact package pins for MCP servers and plugins (`pkg@1.2.3`, `@scope/pkg@1.2.3`).
 *
 * A server or plugin that can change under the agent after review (a "rug pull") is the attack
 * this guards against, so only an exact version is accepted: no `latest`, no tags, no ranges.
 */

/** A package name and the exact version it is pinned to. */
export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
  /** `name@version`, as npm and npx accept it. */
  readonly spec: string;
}

const NPM_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Splits `spec` into name and version without judging either; version is undefined if absent. */
export function splitPackageSpec(spec: string): { name: string; version?: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { name: spec };
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/**
 * Parses an exact npm package pin; throws with what to write instead.
 * @param what who the pin is for, used in the message (e.g. `MCP server "github"`)
 */
export function parsePinnedPackage(spec: string, what: string): PinnedPackage {
  const { name, version } = splitPackageSpec(spec);
  if (!NPM_NAME.test(name)) {
    throw new Error(
      `${what}: "${spec}" is not an npm package spec; write "<package>@<exact version>", such as "@modelcontextprotocol/server-github@2025.4.8"`,
    );
  }
  if (version === undefined || version === '') {
    throw new Error(
      `${what}: "${spec}" has no version, so whatever is published next would run; pin an exact version, such as "${name}@1.2.3"`,
    );
  }
  if (!EXACT_VERSION.test(version)) {
    throw new Error(
      `${what}: "${spec}" uses "${version}", which is a tag or a range and can change after review; pin an exact version, such as "${name}@1.2.3"`,
    );
  }
  return { name, version, spec: `${name}@${version}` };
}

/** True when `spec` is an exact npm pin (see {@link parsePinnedPackage}). */
export function isPinnedPackage(spec: string): boolean {
  const { name, version } = splitPackageSpec(spec);
  return NPM_NAME.test(name) && version !== undefined && EXACT_VERSION.test(version);
}
