import { parseImage } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule, undecidable } from '../model';
import { imageName } from './image-version-tag';

/** Item 13: images are pinned by digest (a tag can be re-pushed). */
export const imageDigest: ResourceRule = (resource, stack) => {
  const image = imageName(resource, stack);
  if (image === undefined) return notApplicable();
  if (image.name === undefined) return undecidable(`image ${image.unresolved} is not resolved`);
  return parseImage(image.name).digest
    ? compliant()
    : nonCompliant(`image "${image.name}" is pinned by tag only`);
};
