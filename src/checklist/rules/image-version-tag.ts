import { imageOf, parseImage } from '../inspect';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';

/**
 * Tags that move: channel names (with variants such as `-slim`, `-alpine`), and version tags
 * that name only a major or a major.minor (`24`, `v1.102`, `2026.9`, `16-alpine`), which are
 * re-pushed with every patch.
 */
const MOVING =
  /^(latest|main|master|stable|edge|nightly|dev|develop|beta|alpha|rc|canary|next|lts|current|release|unstable|testing|preview|insiders|extended-stable|slim|alpine|bookworm|bullseye|jammy|noble)([-_.][a-z0-9]+)*$|^v?\d+(\.\d+)?([-_](slim|alpine|browser|bookworm|bullseye|jammy|noble|lts|[a-z]+))*$/i;

/** The image name a docker_image or a container (docker, ECS, Kubernetes) uses. */
export function imageName(
  resource: Parameters<ResourceRule>[0],
  stack: Parameters<ResourceRule>[1],
): { name?: string; unresolved?: string } | undefined {
  if (resource.type === 'docker_image' || resource.type === 'docker_registry_image') {
    const name = resource.attributes.name;
    return typeof name === 'string' && !isUnresolved(name)
      ? { name }
      : { unresolved: String(name) };
  }
  if (isContainer(resource)) {
    const image = resource.attributes.image;
    // a container on a docker_image of this stack is judged on that image
    if (typeof image === 'string' && /^\$\{docker_image\.[^.]+\.(image_id|name|id)\}$/.test(image))
      return undefined;
    return imageOf(resource, stack);
  }
  return undefined;
}

/** Item 13: images carry a version tag (or a digest); `latest` and other moving tags are refused. */
export const imageVersionTag: ResourceRule = (resource, stack) => {
  const image = imageName(resource, stack);
  if (image === undefined) return notApplicable();
  if (image.name === undefined) return undecidable(`image ${image.unresolved} is not resolved`);
  const { tag, digest } = parseImage(image.name);
  if (digest) return compliant();
  if (tag === undefined)
    return nonCompliant(`image "${image.name}" has no tag, which means latest`);
  if (MOVING.test(tag)) return nonCompliant(`image "${image.name}" uses the moving tag "${tag}"`);
  return compliant();
};
