import { OPENCLAW_GATEWAY_PORT } from '../openclaw/render-config';
import {
  block,
  blocks,
  coversPort,
  imageOf,
  isGatewayContainer,
  labelsOf,
  list,
  obj,
} from './inspect';
import { isContainer, isUnresolved, TfResource, TfStack } from './model';

/**
 * What a rule applies to. The checklist is about OpenClaw agents; a platform team's other
 * infrastructure in the same stack (a postgres container, a public website's load balancer, a
 * database secret) is out of scope and gets no finding. The engine routes on this, rules do not.
 *
 * - `cell`: containers of an OpenClaw cell (gateway, credential broker, Tailscale sidecar, MCP
 *   server: by our `openclaw.*` labels, by image, by command or `OPENCLAW_*` environment), every
 *   container sharing a user-defined Docker network or a network namespace with one of them (the
 *   other containers of an ECS task or a Kubernetes pod), and the images those containers run.
 * - `config`: rendered OpenClaw configs, wherever they were found.
 * - `host`: EC2 instances, launch templates and EBS volumes that run cells: tagged
 *   `openclaw:*` by us, built from a launch template that is, or whose user data runs OpenClaw;
 *   and ECS services that run a cell's task definition.
 * - `reach`: security groups attached to those hosts (and their rules).
 * - `credential`: secrets, parameters, log groups and KMS keys of the agents: named
 *   `openclaw/...`, tagged `openclaw:*`, read by a broker, or referenced by an in-scope resource.
 * - `identity`: IAM of a stack that holds anything above (a wildcard there reaches the agents'
 *   credentials), except key and secret policies of out-of-scope keys and secrets.
 * - `everywhere`: what is never acceptable near an agent and cheap to rule out anywhere: anything
 *   opening 18789, tailnet policies and keys, CloudTrail trails, stack-wide relations.
 *
 * When membership cannot be read (an image or label list that is a reference), the resource is
 * in scope: unknown membership fails closed.
 */
export type RuleScope =
  'cell' | 'config' | 'host' | 'reach' | 'credential' | 'identity' | 'everywhere';

/** One line per scope, for the README and reports. */
export const SCOPE_TEXT: Readonly<Record<RuleScope, string>> = {
  cell: 'OpenClaw cell containers (gateway, broker, sidecar, MCP; by label, image, command or OPENCLAW_* env), containers sharing a network with them, and their images',
  config: 'rendered OpenClaw configs, in every channel the audit reads',
  host: 'instances, launch templates and volumes running cells (openclaw:* tags, their launch template, or user data that runs OpenClaw), and ECS services running a cell task',
  reach: 'security groups attached to agent hosts, and their rules',
  credential:
    'secrets, parameters, log groups and KMS keys of the agents (openclaw names, openclaw:* tags, read by a broker, or used by an in-scope resource)',
  identity:
    'IAM in a stack that holds agents, hosts or their credentials (default key policies and out-of-scope secrets excluded)',
  everywhere: 'every resource of its type (18789, tailnet, trails, stack-wide relations)',
};

/** The resources of one stack that fall under each scope. */
export interface StackScope {
  readonly cells: ReadonlySet<string>;
  readonly hosts: ReadonlySet<string>;
  readonly reach: ReadonlySet<string>;
  readonly credentials: ReadonlySet<string>;
  /** True when the stack holds anything of the agents (cells, configs, hosts, credentials). */
  readonly agents: boolean;
}

const cache = new WeakMap<TfStack, StackScope>();

/** Computes (once per stack) which resources each scope covers. */
export function scopeOf(stack: TfStack): StackScope {
  let scope = cache.get(stack);
  if (!scope) {
    scope = computeScope(stack);
    cache.set(stack, scope);
  }
  return scope;
}

/** True when `rule` (of scope `scope`) applies to `resource`. */
export function inScope(
  scope: RuleScope,
  resource: TfResource | undefined,
  stack: TfStack,
): boolean {
  if (scope === 'everywhere' || resource === undefined) return true;
  const s = scopeOf(stack);
  const a = resource.address;
  switch (scope) {
    case 'config':
      return resource.type === 'openclaw_config' || s.cells.has(a);
    case 'cell':
      return s.cells.has(a) || resource.type === 'openclaw_config';
    case 'host':
      return s.hosts.has(a);
    case 'reach':
      return s.reach.has(a) || opensGatewayPort(resource);
    case 'credential':
      return s.credentials.has(a);
    case 'identity':
      if (resource.type === 'aws_kms_key') return s.credentials.has(a);
      if (resource.type === 'aws_secretsmanager_secret_policy')
        return refersToAny(resource, s.credentials) || !s.agents;
      return s.agents;
  }
}

/** Runs a membership test; one that cannot read the resource counts it in (fail closed). */
function member(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return true;
  }
}

/** Reads blocks for scoping; a reference reads as none (membership is decided elsewhere). */
function some(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

/** Our marks: `openclaw.*` labels and `openclaw:*` tags. */
function marked(r: TfResource): boolean {
  return member(() => markedStrict(r));
}

function markedStrict(r: TfResource): boolean {
  if (isUnresolved(r.attributes.tags) || isUnresolved(r.attributes.labels)) return true;
  const tags = { ...obj(r.attributes.tags), ...obj(r.attributes.tags_all) };
  if (Object.keys(tags).some((k) => k.startsWith('openclaw:'))) return true;
  if (isContainer(r) || r.type === 'docker_network' || r.type === 'docker_volume') {
    if (isUnresolved(r.attributes.labels)) return true;
    return [...labelsOf(r).keys()].some((k) => k.startsWith('openclaw.'));
  }
  return false;
}

const CELL_IMAGE =
  /(^|[/_-])(openclaw|credential-broker|tailscale|mcp)([/_:@-]|$)|modelcontextprotocol/i;

/** True when a container is itself an OpenClaw cell member (before network sharing). */
function isCellMember(c: TfResource, stack: TfStack): boolean {
  return member(() => isCellMemberStrict(c, stack));
}

function isCellMemberStrict(c: TfResource, stack: TfStack): boolean {
  if (isUnresolved(c.attributes.networks_advanced)) return true;
  if (marked(c) || isGatewayContainer(c, stack)) return true;
  const image = imageOf(c, stack);
  if (image.name === undefined) return true; // cannot tell what runs there: fail closed
  if (CELL_IMAGE.test(image.name)) return true;
  const command = [...list(c.attributes.command), ...list(c.attributes.entrypoint)].map(String);
  if (isUnresolved(c.attributes.command) || isUnresolved(c.attributes.entrypoint)) return true;
  return command.some((p) => /(^|\/)openclaw(\.mjs)?$|tailscaled|containerboot/.test(p));
}

/** The user-defined networks a container joins, as the network resource address or name. */
function networksOf(c: TfResource, stack: TfStack): string[] {
  try {
    return blocks(c.attributes.networks_advanced).map((n) => networkKey(n.name, stack));
  } catch {
    return [];
  }
}

function networkKey(name: unknown, stack: TfStack): string {
  const text = String(name);
  const ref = /^\$\{(docker_network\.[A-Za-z0-9_-]+)\.(name|id)\}$/.exec(text);
  if (ref) return ref[1];
  // the shared network of an ECS task or a Kubernetes pod (see workloads.ts)
  if (text.startsWith('task:') || text.startsWith('pod:')) return text;
  const byName = stack.resources.find(
    (r) => r.type === 'docker_network' && r.attributes.name === text,
  );
  return byName?.address ?? text;
}

function computeScope(stack: TfStack): StackScope {
  const containers = stack.resources.filter(isContainer);
  const cells = new Set<string>();
  const cellNetworks = new Set<string>();
  for (const r of stack.resources)
    if (r.type === 'docker_network' && marked(r)) cellNetworks.add(r.address);
  for (const c of containers) {
    // a container of an ECS task or a Kubernetes workload we tagged or labelled is a member
    const owner = c.type === 'docker_container' ? undefined : stack.byAddress.get(ownerOf(c));
    if (!isCellMember(c, stack) && !(owner && marked(owner))) continue;
    cells.add(c.address);
    for (const n of networksOf(c, stack)) cellNetworks.add(n);
  }
  // anything sharing a user-defined network (or a network namespace) with a cell is in the cell
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of containers) {
      if (cells.has(c.address)) continue;
      const mode = String(c.attributes.network_mode ?? '');
      const joined = mode.startsWith('container:')
        ? containers.some(
            (o) =>
              cells.has(o.address) &&
              (mode === `container:${String(o.attributes.name)}` || mode.includes(`${o.address}.`)),
          )
        : false;
      if (joined || networksOf(c, stack).some((n) => cellNetworks.has(n))) {
        cells.add(c.address);
        for (const n of networksOf(c, stack)) cellNetworks.add(n);
        grew = true;
      }
    }
  }
  // the images cell containers run, and images that are OpenClaw's or ours by name
  for (const r of stack.resources) {
    if (r.type !== 'docker_image' && r.type !== 'docker_registry_image') continue;
    const used = containers.some(
      (c) => cells.has(c.address) && String(c.attributes.image).includes(`${r.address}.`),
    );
    const name = r.attributes.name;
    const build = obj(
      Array.isArray(r.attributes.build) ? r.attributes.build[0] : r.attributes.build,
    );
    if (
      used ||
      typeof name !== 'string' ||
      CELL_IMAGE.test(name) ||
      Object.keys(obj(build.build_args)).some((k) => /openclaw/i.test(k))
    )
      cells.add(r.address);
  }

  const hosts = new Set<string>();
  const runsOpenClaw = (r: TfResource) =>
    ['user_data', 'user_data_base64'].some((k) => {
      const v = r.attributes[k];
      if (typeof v !== 'string') return false;
      const text = k === 'user_data_base64' || r.type === 'aws_launch_template' ? decode(v) : v;
      return /openclaw/i.test(text) || /openclaw/i.test(v);
    });
  for (const r of stack.resources) {
    if (r.type !== 'aws_instance' && r.type !== 'aws_launch_template') continue;
    if (marked(r) || runsOpenClaw(r)) hosts.add(r.address);
  }
  for (const r of stack.resources) {
    if (r.type !== 'aws_instance') continue;
    const lt = JSON.stringify(r.attributes.launch_template ?? null);
    if ([...hosts].some((h) => lt.includes(`${h}.`))) hosts.add(r.address);
  }
  // ECS services that run a cell's task definition are its hosts
  const cellTasks = new Set([...cells].map((a) => ownerOf(stack.byAddress.get(a)!)));
  for (const r of stack.resources)
    if (
      r.type === 'aws_ecs_service' &&
      (marked(r) || refersToAny(r, cellTasks, 'task_definition'))
    ) {
      hosts.add(r.address);
      cells.add(r.address); // its load balancers publish the cell's ports
    }
  // Kubernetes services that select a cell's pods publish their ports
  for (const r of stack.resources)
    if (/^kubernetes_service(_v1)?$/.test(r.type) && member(() => selectsCell(r, stack, cells)))
      cells.add(r.address);
  for (const r of stack.resources) {
    if (r.type === 'aws_ebs_volume' && marked(r)) hosts.add(r.address);
    if (r.type === 'aws_volume_attachment' && refersToAny(r, hosts)) {
      const vol = /\$\{(aws_ebs_volume\.[A-Za-z0-9_-]+)\./.exec(String(r.attributes.volume_id));
      if (vol) hosts.add(vol[1]);
    }
  }

  const reach = new Set<string>();
  for (const h of hosts) {
    const host = stack.byAddress.get(h)!;
    const attached = JSON.stringify([
      host.attributes.vpc_security_group_ids,
      host.attributes.security_groups,
      host.attributes.network_interfaces,
      host.attributes.network_configuration,
    ]);
    for (const m of attached.matchAll(/\$\{(aws_security_group\.[A-Za-z0-9_-]+)\./g))
      reach.add(m[1]);
  }
  for (const r of stack.resources)
    if (r.type === 'aws_security_group' && marked(r)) reach.add(r.address);
  for (const r of stack.resources) {
    if (
      (r.type === 'aws_security_group_rule' || r.type === 'aws_vpc_security_group_ingress_rule') &&
      (refersToAny(r, reach, 'security_group_id') || marked(r))
    )
      reach.add(r.address);
  }

  const credentials = new Set<string>();
  const brokerSecrets = JSON.stringify(
    containers.filter((c) => cells.has(c.address)).map((c) => c.attributes.env),
  );
  for (const r of stack.resources) {
    if (
      r.type === 'aws_cloudwatch_log_group' &&
      (marked(r) || /openclaw/i.test(String(r.attributes.name ?? r.attributes.name_prefix)))
    )
      credentials.add(r.address);
    if (r.type !== 'aws_secretsmanager_secret' && r.type !== 'aws_ssm_parameter') continue;
    const name = String(r.attributes.name ?? '');
    if (
      marked(r) ||
      /(^|\/)openclaw[/-]/.test(name) ||
      isUnresolved(r.attributes.name) ||
      (name !== '' && brokerSecrets.includes(`"${name}"`))
    )
      credentials.add(r.address);
  }
  // what serves or guards those: versions, rotations, policies, and the keys that encrypt them
  const guarded = [...cells, ...hosts, ...credentials];
  for (const r of stack.resources) {
    if (
      [
        'aws_secretsmanager_secret_version',
        'aws_secretsmanager_secret_rotation',
        'aws_secretsmanager_secret_policy',
      ].includes(r.type) &&
      (refersToAny(r, credentials, 'secret_id', 'secret_arn') ||
        /(^|:secret:)openclaw\//.test(String(r.attributes.secret_id ?? r.attributes.secret_arn)))
    )
      credentials.add(r.address);
  }
  for (const r of stack.resources) {
    if (r.type !== 'aws_kms_key') continue;
    const used = guarded.some((g) =>
      JSON.stringify(stack.byAddress.get(g)?.attributes ?? {}).includes(`${r.address}.`),
    );
    if (used || marked(r)) credentials.add(r.address);
  }
  const configs = stack.resources.some((r) => r.type === 'openclaw_config');
  const agents = configs || cells.size > 0 || hosts.size > 0 || credentials.size > 0;
  // long-lived access keys in a stack of agents reach their credentials
  if (agents)
    for (const r of stack.resources)
      if (r.type === 'aws_iam_access_key') credentials.add(r.address);
  return {
    cells,
    hosts,
    reach,
    credentials,
    agents,
  };
}

/** True when a Kubernetes service's selector matches the pod labels of a cell container. */
function selectsCell(service: TfResource, stack: TfStack, cells: ReadonlySet<string>): boolean {
  const spec = block(service.attributes.spec);
  if (isUnresolved(spec.selector)) return true;
  const selector = Object.entries(obj(spec.selector));
  if (selector.length === 0) return false;
  return [...cells].some((a) => {
    const c = stack.byAddress.get(a);
    if (c?.type !== 'kubernetes_container') return false;
    const labels = labelsOf(c);
    return selector.every(([k, v]) => labels.get(k) === String(v));
  });
}

/** The address of the task definition or workload a derived container was read from. */
function ownerOf(c: TfResource): string {
  const i = c.address.indexOf(':');
  return i < 0 ? c.address : c.address.slice(0, i);
}

/** True when one of `attrs` (or any attribute) of `r` references an address in `set`. */
function refersToAny(r: TfResource, set: ReadonlySet<string>, ...attrs: string[]): boolean {
  const text = JSON.stringify(attrs.length ? attrs.map((k) => r.attributes[k]) : r.attributes);
  return [...set].some((a) => text.includes(`\${${a}.`));
}

/** Security group rules that open 18789 are in scope wherever they are. */
function opensGatewayPort(r: TfResource): boolean {
  return some(() => opensGatewayPortStrict(r));
}

function opensGatewayPortStrict(r: TfResource): boolean {
  const a = r.attributes;
  if (r.type === 'aws_security_group' && isUnresolved(a.ingress)) return true;
  if (r.type === 'aws_security_group')
    return blocks(a.ingress).some((i) =>
      coversPort(i.from_port, i.to_port, i.protocol, OPENCLAW_GATEWAY_PORT),
    );
  if (r.type === 'aws_security_group_rule' || r.type === 'aws_vpc_security_group_ingress_rule')
    return coversPort(a.from_port, a.to_port, a.protocol ?? a.ip_protocol, OPENCLAW_GATEWAY_PORT);
  return false;
}

function decode(value: string): string {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return value;
  return Buffer.from(value, 'base64').toString('utf8');
}
