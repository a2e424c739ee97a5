import { FleetImages, ImageReference, OPENCLAW_RELEASE, TAILSCALE_IMAGE } from '../src';

/*
 * The examples' images, pinned by release tag. A digest cannot be known where the examples are
 * built (no registry is reachable), and a made-up one would only fail the first pull, so the
 * examples carry none and the checklist reports each tag-only image (OC13-ImageDigest, a
 * warning). Before a real deployment, pin each by digest (README, "Deploying for real"):
 *   docker buildx imagetools inspect ghcr.io/openclaw/openclaw:2026.9.6 --format '{{json .Manifest.Digest}}'
 *   docker buildx imagetools inspect tailscale/tailscale:<TAILSCALE_IMAGE.tag> --format '{{json .Manifest.Digest}}'
 * and write the two digests into IMAGE_DIGESTS below. The credential broker is built on each
 * Docker host from this package's broker/ sources (the default), so it needs no registry.
 */

/** The digests of the images you run, from the step above. */
export const IMAGE_DIGESTS: { readonly gateway?: string; readonly tailscale?: string } = {};

/** The gateway: the pinned OpenClaw release, by digest once IMAGE_DIGESTS has it. */
export const GATEWAY_IMAGE: ImageReference = {
  repository: OPENCLAW_RELEASE.imageRepository,
  tag: OPENCLAW_RELEASE.imageTag,
  ...(IMAGE_DIGESTS.gateway ? { digest: IMAGE_DIGESTS.gateway } : {}),
};

/** The Tailscale sidecar: the library's release tag, by digest once IMAGE_DIGESTS has it. */
export const TAILSCALE_SIDECAR_IMAGE: ImageReference = {
  ...TAILSCALE_IMAGE,
  ...(IMAGE_DIGESTS.tailscale ? { digest: IMAGE_DIGESTS.tailscale } : {}),
};

/** The images of every example fleet (the broker: built on the host, the default). */
export const EXAMPLE_IMAGES: FleetImages = {
  gateway: GATEWAY_IMAGE,
  tailscale: TAILSCALE_SIDECAR_IMAGE,
};
