import {
  compareOpenClawVersions,
  OPENCLAW_MINIMUM_SAFE_VERSION,
  OPENCLAW_RELEASE,
} from '../../openclaw/release';
import { parseImage } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule, undecidable } from '../model';
import { imageName } from './image-version-tag';

/** Item 15: OpenClaw images are a release no older than the minimum safe one (and so on a supported Node). */
export const runtimePatched: ResourceRule = (resource, stack) => {
  const image = imageName(resource, stack);
  if (image === undefined) return notApplicable();
  if (image.name === undefined) return undecidable(`image ${image.unresolved} is not resolved`);
  const { repository, tag } = parseImage(image.name);
  if (!/(^|\/)openclaw\/openclaw$/.test(repository)) return notApplicable();
  const version = /^(\d{4}\.\d{1,2}\.\d{1,2}(?:-\d+)?)(?:-.*)?$/.exec(tag ?? '')?.[1];
  if (version === undefined)
    return undecidable(`tag ${JSON.stringify(tag)} does not say which OpenClaw release this is`);
  return compareOpenClawVersions(version, OPENCLAW_MINIMUM_SAFE_VERSION) < 0
    ? nonCompliant(
        `OpenClaw ${version} is older than ${OPENCLAW_MINIMUM_SAFE_VERSION}, the oldest release without the known gateway-auth and MCP vulnerabilities (the library pins ${OPENCLAW_RELEASE.version})`,
      )
    : compliant();
};
