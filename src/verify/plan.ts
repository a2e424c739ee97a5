/**
 * What `cdktf deploy` should have made on a Docker host, read from synthesized stacks: every cell
 * container (labelled `openclaw.role`) with its attributes, the networks it joins and the image it
 * runs. Pure: JSON in, plan out.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A network a planned container joins. */
export interface PlannedNetwork {
  readonly name: string;
  readonly ipv4Address?: string;
  /** The network resource's `internal`, when the stack creates the network. */
  readonly internal?: boolean;
}

/** One container as the plan has it. */
export interface PlannedContainer {
  readonly stack: string;
  readonly address: string;
  readonly name: string;
  /** `openclaw.role`: gateway, credential-broker, tailnet-sidecar, tailnet-key-drop, ... */
  readonly role: string;
  readonly attributes: Json;
  readonly labels: Readonly<Record<string, string>>;
  /** The image name from the docker_image resource (or the literal image). */
  readonly image?: string;
  readonly networks: readonly PlannedNetwork[];
  /** False for a container that is created but never started. */
  readonly start: boolean;
}

/** The label every container of a cell carries. */
export const ROLE_LABEL = 'openclaw.role';

function blockList(value: Json): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `${type.name.attr}` as [type, name, attr]. */
function reference(value: unknown): [string, string, string] | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([a-z_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(value);
  return m ? [m[1], m[2], m[3]] : undefined;
}

/** The cell containers of one synthesized stack (`cdk.tf.json`). */
export function plannedContainers(stackName: string, stack: Json): PlannedContainer[] {
  const resources = stack?.resource ?? {};
  const attr = (type: string, name: string, key: string): unknown => resources[type]?.[name]?.[key];
  const out: PlannedContainer[] = [];
  // names of the stack's own networks and volumes, as the engine knows them
  const literal = (v: Json): Json => {
    if (typeof v === 'string') {
      const ref = reference(v);
      if (ref && (ref[0] === 'docker_volume' || ref[0] === 'docker_network') && ref[2] === 'name') {
        const name = attr(ref[0], ref[1], 'name');
        return typeof name === 'string' ? name : v;
      }
      return v;
    }
    if (Array.isArray(v)) return v.map(literal);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, literal(x)]));
    return v;
  };
  for (const [key, raw] of Object.entries<Json>(resources.docker_container ?? {})) {
    const a = { ...literal(raw), image: raw.image };
    const labels: Record<string, string> = Object.fromEntries(
      blockList(a.labels).map((l: Json) => [String(l.label), String(l.value)]),
    );
    const role = labels[ROLE_LABEL];
    if (role === undefined) continue;
    const imageRef = reference(a.image);
    const image =
      imageRef && imageRef[0] === 'docker_image'
        ? (attr('docker_image', imageRef[1], 'name') as string | undefined)
        : typeof a.image === 'string' && !a.image.includes('${')
          ? a.image
          : undefined;
    const networks = blockList(raw.networks_advanced).map((n: Json): PlannedNetwork => {
      const ref = reference(n.name);
      const resource =
        ref && ref[0] === 'docker_network' ? resources.docker_network?.[ref[1]] : undefined;
      return {
        name: resource ? String(resource.name) : String(n.name),
        ...(n.ipv4_address ? { ipv4Address: String(n.ipv4_address) } : {}),
        ...(resource
          ? { internal: resource.internal === true || resource.internal === 'true' }
          : {}),
      };
    });
    out.push({
      stack: stackName,
      address: `docker_container.${key}`,
      name: String(a.name),
      role,
      attributes: a,
      labels,
      ...(image ? { image } : {}),
      networks,
      start: a.start !== false && a.start !== 'false',
    });
  }
  return out;
}
