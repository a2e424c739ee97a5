/**
 * The one place that says which OpenClaw release this library targets.
 *
 * Bumping OpenClaw is one edit here plus a CI run: the generated config targets this release,
 * the container construct uses this image, and the conformance tests install exactly this
 * version of the CLI (see `oracle/package.json`, which a unit test keeps in step with this file).
 */

/** Facts about a pinned OpenClaw release. */
export interface OpenClawRelease {
  /** Calendar version of the release, `YYYY.M.D` with an optional `-N` hotfix suffix. */
  readonly version: string;
  /** Image repository, without tag or digest. */
  readonly imageRepository: string;
  /** Image tag for this release. */
  readonly imageTag: string;
  /**
   * Content digest (`sha256:<64 hex>`) of the image for this release, when known.
   *
   * It is not known offline (no registry access on the build machines), so it is unset here and
   * the checklist reports tag-only images; set `imageDigest` on the container to pin by digest.
   */
  readonly imageDigest?: string;
  /** Node.js major version inside the official image (`node:24-bookworm-slim`). */
  readonly imageNodeMajor: number;
  /** Node.js range the release itself requires (its `engines.node`). */
  readonly nodeEngines: string;
}

/** The release this library generates configuration for and tests against. */
export const OPENCLAW_RELEASE: OpenClawRelease = {
  version: '2026.9.6',
  imageRepository: 'ghcr.io/openclaw/openclaw',
  imageTag: '2026.9.6',
  imageNodeMajor: 24,
  nodeEngines: '>=24.16.0 <25 || >=26.1.0',
};

/**
 * The oldest OpenClaw release we consider safe to run behind this library.
 *
 * Why this one: the gateway-auth advisories with a known fixed-in release end at 2026.5.18
 * (CVE-2026-53832, trusted-proxy identity forgery over loopback). Three later fixes matter to the
 * topology we deploy and have no verified release number: PR #87286 (auth "none" plus Serve
 * rejected, merged 2026-05-27), GHSA-3q9h-fq44-7qjh / PR #119950 (unattributed loopback proxy
 * traffic, merged 2026-08-06) and issue #139494 (a literal "undefined" gateway token accepted,
 * fixed on main after 2026.9.2), so 2026.9.3 was the floor. It moves to 2026.9.4 for
 * CVE-2026-102807 (MCP App view tickets let an operator.read client run write-scoped tools):
 * the fix is openclaw/openclaw PR #142661 ("preserve MCP App ticket authority", merged
 * 2026-09-08), first released in 2026.9.4. The CVE id and the fixed-in release come from issue 18
 * of this project; we found no published advisory text naming them. Anything older is refused.
 */
export const OPENCLAW_MINIMUM_SAFE_VERSION = '2026.9.4';

/**
 * Node.js floors for known vulnerabilities, per major line: the oldest release of each line with
 * every published security fix. A Node-based image in a cell (the broker, MCP servers) below its
 * line's floor is refused by OC15-NodeImagePatched; a line with no entry has no known floor and is
 * refused too. Node 24.22.1 is the latest of the Node 24 security releases (24.13.0, 24.14.1,
 * 24.17.0, 24.18.1, 24.22.1) listed in issue 18.
 */
export const NODE_SECURITY_FLOORS: Readonly<Record<number, string>> = {
  24: '24.22.1',
};

/**
 * The Node.js release the broker image is built on (`FROM node:<this>-bookworm-slim` in
 * broker/Dockerfile; a unit test keeps the two in step): the newest Node 24 release.
 */
export const BROKER_NODE_VERSION = '24.22.3';

/** The image label that says which Node.js release an image built from a Dockerfile runs on. */
export const NODE_VERSION_LABEL = 'openclaw.node-version';

/** Compares two `x.y.z` Node versions: negative when `a` is older than `b`. */
export function compareNodeVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

const VERSION_PATTERN = /^(\d{4})\.(\d{1,2})\.(\d{1,2})(?:-(\d+))?$/;

/** True when `version` is a plain OpenClaw release version such as `2026.9.6` or `2026.7.1-2`. */
export function isOpenClawVersion(version: string): boolean {
  return VERSION_PATTERN.test(version);
}

/**
 * Compares two OpenClaw release versions: negative when `a` is older than `b`, zero when equal,
 * positive when newer. Throws on anything that is not a release version (betas are not releases).
 */
export function compareOpenClawVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  for (let i = 0; i < pa.length; i++) {
    if (pa[i] !== pb[i]) return pa[i] - pb[i];
  }
  return 0;
}

function parseVersion(version: string): number[] {
  const match = VERSION_PATTERN.exec(version);
  if (!match) {
    throw new Error(
      `OpenClaw version "${version}" is not a release version; use a calendar version such as "${OPENCLAW_RELEASE.version}" (betas and moving tags are not accepted)`,
    );
  }
  return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4] ?? 0)];
}

/** The image reference for a release: `repo:tag@digest` when a digest is known, else `repo:tag`. */
export function openClawImageReference(release: OpenClawRelease = OPENCLAW_RELEASE): string {
  const tagged = `${release.imageRepository}:${release.imageTag}`;
  return release.imageDigest ? `${tagged}@${release.imageDigest}` : tagged;
}

/** How the pinned image runs the OpenClaw CLI (`docker exec <gateway> node /app/openclaw.mjs ...`). */
export const OPENCLAW_CLI = 'node /app/openclaw.mjs';
