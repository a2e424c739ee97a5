import {
  compareOpenClawVersions,
  OPENCLAW_MINIMUM_SAFE_VERSION,
  OPENCLAW_RELEASE,
} from '../openclaw/release';

/** An image reference with a version tag and, ideally, a digest. */
export interface ImageReference {
  /** Repository, such as `ghcr.io/openclaw/openclaw`. */
  readonly repository: string;
  /** Version tag, such as `2026.9.6`. `latest` and other moving tags are rejected. */
  readonly tag: string;
  /**
   * Content digest (`sha256:<64 hex>`) that pins the image.
   * @default - none: tag-only, which the checklist reports
   */
  readonly digest?: string;
}

const MOVING_TAGS = new Set([
  'latest',
  'main',
  'master',
  'stable',
  'edge',
  'nightly',
  'dev',
  'beta',
  'extended-stable',
  'slim',
  'main-slim',
  'latest-browser',
  'main-browser',
  'extended-stable-slim',
  'extended-stable-browser',
]);
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The OpenClaw image of the pinned release. */
export function pinnedOpenClawImage(): ImageReference {
  return {
    repository: OPENCLAW_RELEASE.imageRepository,
    tag: OPENCLAW_RELEASE.imageTag,
    ...(OPENCLAW_RELEASE.imageDigest ? { digest: OPENCLAW_RELEASE.imageDigest } : {}),
  };
}

/** `repo:tag@digest` or `repo:tag`. */
export function imageReferenceString(image: ImageReference): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;
}

/**
 * Checks an image reference; throws naming the value and the fix.
 * For the OpenClaw repository the tag must be a release no older than the minimum safe one.
 */
export function validateImageReference(image: ImageReference, what: string): void {
  if (
    !/^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(image.repository)
  ) {
    throw new Error(
      `${what} repository "${image.repository}" is not an image repository; write it without tag or digest, such as "ghcr.io/openclaw/openclaw"`,
    );
  }
  if (!image.tag) {
    throw new Error(
      `${what} "${image.repository}" has no tag; pin a version tag such as "${OPENCLAW_RELEASE.imageTag}", ideally with its digest`,
    );
  }
  if (MOVING_TAGS.has(image.tag) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(image.tag)) {
    throw new Error(
      `${what} tag "${image.tag}" moves or is invalid, so the image can change under the agent; pin a version tag such as "${OPENCLAW_RELEASE.imageTag}", ideally with its digest`,
    );
  }
  if (image.digest !== undefined && !DIGEST.test(image.digest)) {
    throw new Error(
      `${what} digest "${image.digest}" is not "sha256:" followed by 64 lower-case hex digits; copy it from \`docker buildx imagetools inspect ${image.repository}:${image.tag}\``,
    );
  }
  if (
    image.repository === OPENCLAW_RELEASE.imageRepository ||
    image.repository === 'openclaw/openclaw'
  ) {
    const version =
      /^(\d{4}\.\d{1,2}\.\d{1,2}(?:-\d+)?)(?:-(?:slim|browser|r\d{8}(?:-slim|-browser)?))?$/.exec(
        image.tag,
      )?.[1];
    if (version === undefined) {
      throw new Error(
        `${what} tag "${image.tag}" is not an OpenClaw release tag; use a release such as "${OPENCLAW_RELEASE.imageTag}"`,
      );
    }
    if (compareOpenClawVersions(version, OPENCLAW_MINIMUM_SAFE_VERSION) < 0) {
      throw new Error(
        `${what} OpenClaw ${version} is older than ${OPENCLAW_MINIMUM_SAFE_VERSION}, the oldest release without the known gateway-auth and MCP vulnerabilities; use ${OPENCLAW_RELEASE.imageTag}`,
      );
    }
  }
}
