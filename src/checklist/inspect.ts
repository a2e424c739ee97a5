import { isContainer, isUnresolved, TfResource, TfStack } from './model';

/** Small readers shared by rules; they never decide compliance themselves. */

type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

/**
 * Thrown by the block readers when a block is a reference (`mounts = "${var.x}"`): the engine
 * turns it into an undecidable finding, so an unknown value is never read as "no blocks".
 */
export class UnreadableValue extends Error {}

function refuseReference(value: unknown): void {
  if (isUnresolved(value))
    throw new UnreadableValue(`${String(value)} is a reference, not blocks this rule can read`);
}

/** A block that Terraform JSON may write as an object or as a one-element list. */
export function block(value: unknown): Json {
  refuseReference(value);
  return Array.isArray(value) ? obj(value[0]) : obj(value);
}

export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

export function blocks(value: unknown): Json[] {
  refuseReference(value);
  return list(value).map((b) => {
    refuseReference(b);
    return obj(b);
  });
}

/** `NAME=value` entries of a container's env, as a map. */
export function envOf(container: TfResource): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of list(container.attributes.env)) {
    if (typeof entry !== 'string') continue;
    const i = entry.indexOf('=');
    env.set(i < 0 ? entry : entry.slice(0, i), i < 0 ? '' : entry.slice(i + 1));
  }
  return env;
}

export function labelsOf(container: TfResource): Map<string, string> {
  const labels = new Map<string, string>();
  for (const l of blocks(container.attributes.labels)) labels.set(String(l.label), String(l.value));
  return labels;
}

/** The resource a `${type.name.attr}` reference points to, if it is in the stack. */
export function referenced(stack: TfStack, value: unknown): TfResource | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(value);
  return m ? stack.byAddress.get(m[1]) : undefined;
}

/** The image name a container runs: literal, or read through its docker_image resource. */
export function imageOf(
  container: TfResource,
  stack: TfStack,
): { name?: string; unresolved?: string } {
  const image = container.attributes.image;
  if (typeof image !== 'string') return { unresolved: 'no image' };
  if (!isUnresolved(image)) return { name: image };
  const target = referenced(stack, image);
  const name = target?.attributes.name;
  if (typeof name === 'string' && !isUnresolved(name)) return { name };
  return { unresolved: image };
}

/** True when a docker_container runs an OpenClaw gateway (by label, image or environment). */
export function isGatewayContainer(container: TfResource, stack: TfStack): boolean {
  return container.type === 'docker_container' && runsGateway(container, stack);
}

/**
 * True when a container of any platform (docker, ECS, Kubernetes) runs an OpenClaw gateway, by
 * label, image, command or environment.
 */
export function runsGateway(container: TfResource, stack: TfStack): boolean {
  if (!isContainer(container)) return false;
  if (labelsOf(container).get('openclaw.role') === 'gateway') return true;
  const { name } = imageOf(container, stack);
  // the official image, its mirrors, and local builds named openclaw (openclaw:local)
  if (name && /(^|\/)openclaw(\/openclaw)?([:@]|$)/.test(name)) return true;
  // any image that runs `openclaw gateway` (a custom image, a node base image with a command)
  const command = [...list(container.attributes.command), ...list(container.attributes.entrypoint)]
    .map(String)
    .join(' ');
  if (/(^|[\s/])openclaw(\.mjs)?\s+gateway\b/.test(command)) return true;
  return [...envOf(container).keys()].some(
    (k) => k === 'OPENCLAW_CONFIG_JSON' || k === 'OPENCLAW_GATEWAY_TOKEN',
  );
}

/** Parses `repo[:tag][@digest]`. */
export function parseImage(name: string): { repository: string; tag?: string; digest?: string } {
  const [withTag, digest] = name.split('@');
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  if (colon > slash)
    return { repository: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { repository: withTag, digest };
}

/** True when a port range (or protocol "-1"/"all") covers `port`. */
export function coversPort(from: unknown, to: unknown, protocol: unknown, port: number): boolean {
  const p = String(protocol ?? 'tcp').toLowerCase();
  if (p === '-1' || p === 'all') return true;
  if (p !== 'tcp' && p !== '6') return false;
  const f = Number(from);
  const t = Number(to ?? from);
  return Number.isFinite(f) && Number.isFinite(t) && f <= port && port <= t;
}

/** True for CIDR blocks that mean "anywhere". */
export function isAnywhere(cidr: unknown): boolean {
  return cidr === '0.0.0.0/0' || cidr === '::/0';
}

export function describe(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

/**
 * A boolean attribute as Terraform reads it: `true`/`"true"` are true, `false`/`"false"`/unset
 * are false, and a reference is unknown.
 */
export function flag(value: unknown): boolean | 'unknown' {
  if (value === true || value === 'true') return true;
  if (value === undefined || value === null || value === false || value === 'false') return false;
  return 'unknown';
}

/**
 * The launch template an instance is built from, when it is in the stack: settings the instance
 * leaves unset come from it.
 */
export function launchTemplateOf(instance: TfResource, stack: TfStack): TfResource | undefined {
  if (instance.type !== 'aws_instance') return undefined;
  const lt = block(instance.attributes.launch_template);
  const target = referenced(stack, lt.id) ?? referenced(stack, lt.name);
  if (target?.type === 'aws_launch_template') return target;
  if (typeof lt.name === 'string')
    return stack.resources.find(
      (r) => r.type === 'aws_launch_template' && r.attributes.name === lt.name,
    );
  return undefined;
}

/** True when the stack turns on EBS encryption by default for the account and region. */
export function ebsEncryptedByDefault(stack: TfStack): boolean {
  return stack.resources.some(
    (r) =>
      r.type === 'aws_ebs_encryption_by_default' && flag(r.attributes.enabled ?? true) === true,
  );
}
