import { FleetImages, OPENCLAW_RELEASE, TAILSCALE_IMAGE } from '../src';

/*
 * PLACEHOLDER DIGESTS. The examples pin every image by digest, as a deployment should, but these
 * digests are made up (no registry is reachable where the examples are built), so an apply with
 * them fails to pull. Replace each with the digest of the image you run:
 *   docker buildx imagetools inspect ghcr.io/openclaw/openclaw:2026.9.6 --format '{{json .Manifest.Digest}}'
 * and, for the broker, build this package's broker/ folder, push it to your registry and take the
 * digest the push prints.
 */

/** The gateway: the pinned OpenClaw release, by digest. */
export const GATEWAY_IMAGE = {
  repository: OPENCLAW_RELEASE.imageRepository,
  tag: OPENCLAW_RELEASE.imageTag,
  digest: 'sha256:8b849385d04b0c4b301036f0c0b92bdc0fba6101b9583dbcbce40c9fe99e75ce',
};

/** The Tailscale sidecar: the library's release tag, by digest. */
export const TAILSCALE_SIDECAR_IMAGE = {
  ...TAILSCALE_IMAGE,
  digest: 'sha256:73efac99b5f1b198583e1fe76ba545176e7701d1328d503e8bf359aedf8eacfd',
};

/** The credential broker, built from broker/ and pushed to the platform team's registry. */
export const BROKER_IMAGE = {
  repository: 'registry.example.com/platform/openclaw-credential-broker',
  tag: '0.1.0',
  digest: 'sha256:1d5debc3e77992892ee47ab392fa0481371017ae83d3249c5650ca8aedd20dc9',
};

/** All three, for an AgentFleet. */
export const PINNED_IMAGES: FleetImages = {
  gateway: GATEWAY_IMAGE,
  tailscale: TAILSCALE_SIDECAR_IMAGE,
  broker: BROKER_IMAGE,
};
