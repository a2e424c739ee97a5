import {
  compareOpenClawVersions,
  OPENCLAW_MINIMUM_SAFE_VERSION,
  OPENCLAW_RELEASE,
} from '../../openclaw/release';
import { block, labelsOf, obj, parseImage, runsGateway } from '../inspect';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  undecidable,
} from '../model';
import { imageName } from './image-version-tag';

/** Build arguments that pass the OpenClaw version to a Dockerfile. */
const VERSION_ARG = /^(OPENCLAW_VERSION|OPENCLAW_RELEASE|OPENCLAW_TAG|OPENCLAW_REF)$/i;

/**
 * Item 15: OpenClaw images are a release no older than the minimum safe one (and so on a
 * supported Node): the official image by its tag, an image built with the version as a build
 * argument, any image whose name says openclaw, and a gateway container (by label, command or
 * environment) in an image of another name, whose release must then be readable.
 */
export const runtimePatched: ResourceRule = (resource, stack) => {
  if (resource.type === 'docker_image' || resource.type === 'docker_registry_image') {
    const build = block(resource.attributes.build);
    const args = obj(build.build_args ?? build.build_arg);
    const arg = Object.entries(args).find(([k]) => VERSION_ARG.test(k));
    if (arg) return judge(String(arg[1]), `build argument ${arg[0]}`);
  }
  const image = imageName(resource, stack);
  if (image === undefined) return notApplicable();
  if (image.name === undefined) return undecidable(`image ${image.unresolved} is not resolved`);
  const { repository, tag } = parseImage(image.name);
  if (!/(^|\/)openclaw\/openclaw$/.test(repository)) {
    // an image named for OpenClaw (myorg/openclaw, registry/openclaw-gateway) carries its release
    if (/^openclaw([-_.][a-z0-9-]+)?$/i.test(repository.split('/').pop() ?? '')) {
      // the library's own other images (openclaw-credential-broker, ...) carry no OpenClaw
      if (onlyRunsCellHelpers(resource, stack)) return notApplicable();
      return judge(tag ?? '', `tag of ${repository}`);
    }
    if (runsGateway(resource, stack))
      return undecidable(
        `the gateway runs "${image.name}", an image whose OpenClaw release cannot be told; run ghcr.io/openclaw/openclaw:<release> or build with --build-arg OPENCLAW_VERSION=<release> in a docker_image of this stack`,
      );
    return notApplicable();
  }
  return judge(tag ?? '', 'tag');
};

/** Roles of the cell containers that are not the gateway (they run no OpenClaw). */
const HELPER_ROLES = new Set(['credential-broker', 'tailnet-sidecar', 'tailnet-key-drop']);

/**
 * True when every container that runs this image (the resource itself, or the containers on a
 * docker_image) is labelled as a cell helper and shows no sign of running the gateway.
 */
function onlyRunsCellHelpers(
  resource: Parameters<ResourceRule>[0],
  stack: Parameters<ResourceRule>[1],
): boolean {
  const users = isContainer(resource)
    ? [resource]
    : stack.resources.filter(
        (r) =>
          r.type === 'docker_container' &&
          typeof r.attributes.image === 'string' &&
          r.attributes.image.startsWith(`\${${resource.address}.`),
      );
  return (
    users.length > 0 &&
    users.every(
      (c) => HELPER_ROLES.has(labelsOf(c).get('openclaw.role') ?? '') && !runsGateway(c, stack),
    )
  );
}

function judge(text: string, where: string): ReturnType<ResourceRule> {
  if (isUnresolved(text)) return undecidable(`the ${where} ${text} is not resolved`);
  const tag = text;
  const version = /^v?(\d{4}\.\d{1,2}\.\d{1,2}(?:-\d+)?)(?:-.*)?$/.exec(tag ?? '')?.[1];
  if (version === undefined)
    return undecidable(
      `${where} ${JSON.stringify(tag)} does not say which OpenClaw release this is`,
    );
  return compareOpenClawVersions(version, OPENCLAW_MINIMUM_SAFE_VERSION) < 0
    ? nonCompliant(
        `OpenClaw ${version} is older than ${OPENCLAW_MINIMUM_SAFE_VERSION}, the oldest release without the known gateway-auth and MCP vulnerabilities (the library pins ${OPENCLAW_RELEASE.version})`,
      )
    : compliant();
}
