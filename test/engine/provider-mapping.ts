/**
 * What kreuzwerker/docker 3.6.2 (the provider @cdktf/provider-docker 12.0.3 pins) sends to the
 * Engine API for each attribute of docker_network, docker_volume and docker_container, read from
 * its create functions (internal/provider/resource_docker_*_funcs.go at v3.6.2). Pure functions:
 * synthesized attributes in, Engine API bodies out. An attribute this file does not map is
 * refused, so a new attribute in our constructs cannot be skipped silently by the harness.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The meta-arguments and cdktf bookkeeping that are not attributes of the resource. */
const META = new Set(['//', 'provider', 'depends_on', 'lifecycle', 'count', 'for_each']);

function refuseUnmapped(kind: string, name: string, attrs: Json, mapped: readonly string[]): void {
  const known = new Set(mapped);
  const unknown = Object.keys(attrs).filter((k) => !META.has(k) && !known.has(k));
  if (unknown.length > 0) {
    throw new Error(
      `${kind}.${name}: the harness does not map ${unknown.map((k) => `"${k}"`).join(', ')}; read how kreuzwerker/docker 3.6.2 applies it and add it to test/engine/provider-mapping.ts`,
    );
  }
}

/** Terraform JSON writes a nested block as an object or a list of objects. */
function blockList(value: Json): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function labelMap(labels: Json): Record<string, string> {
  return Object.fromEntries(blockList(labels).map((l: Json) => [String(l.label), String(l.value)]));
}

function stringMap(value: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, String(v)]));
}

/** Go's time.ParseDuration for the forms Terraform configs use ("30s", "1m30s", "500ms"). */
export function goDurationNanos(value: string): number {
  const units: Record<string, number> = {
    ns: 1,
    us: 1e3,
    µs: 1e3,
    ms: 1e6,
    s: 1e9,
    m: 6e10,
    h: 3.6e12,
  };
  let total = 0;
  let rest = value;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    // the provider ignores the parse error and sends 0
    if (!m) return 0;
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

/** POST /networks/create, as resourceDockerNetworkCreate builds it. */
export function networkCreateBody(name: string, a: Json): Json {
  refuseUnmapped('docker_network', name, a, [
    'name',
    'labels',
    'driver',
    'options',
    'internal',
    'attachable',
    'ingress',
    'ipv6',
    'ipam_driver',
    'ipam_config',
    'ipam_options',
  ]);
  const body: Json = { Name: a.name, CheckDuplicate: false };
  if (a.labels) body.Labels = labelMap(a.labels);
  if (a.driver) body.Driver = a.driver;
  if (a.options) body.Options = stringMap(a.options);
  if (a.internal) body.Internal = true;
  if (a.attachable) body.Attachable = true;
  if (a.ingress) body.Ingress = true;
  if (a.ipv6) body.EnableIPv6 = true;
  if (a.ipam_driver || a.ipam_config || a.ipam_options) {
    body.IPAM = {
      ...(a.ipam_driver ? { Driver: a.ipam_driver } : {}),
      ...(a.ipam_config
        ? {
            Config: blockList(a.ipam_config).map((c: Json) => ({
              ...(c.subnet ? { Subnet: c.subnet } : {}),
              ...(c.ip_range ? { IPRange: c.ip_range } : {}),
              ...(c.gateway ? { Gateway: c.gateway } : {}),
              ...(c.aux_address ? { AuxiliaryAddresses: stringMap(c.aux_address) } : {}),
            })),
          }
        : {}),
      ...(a.ipam_options ? { Options: stringMap(a.ipam_options) } : {}),
    };
  }
  return body;
}

/** POST /volumes/create, as resourceDockerVolumeCreate builds it. */
export function volumeCreateBody(name: string, a: Json): Json {
  refuseUnmapped('docker_volume', name, a, ['name', 'labels', 'driver', 'driver_opts']);
  return {
    Name: a.name,
    ...(a.labels ? { Labels: labelMap(a.labels) } : {}),
    ...(a.driver ? { Driver: a.driver } : {}),
    ...(a.driver_opts ? { DriverOpts: stringMap(a.driver_opts) } : {}),
  };
}

/** What the harness does for a docker_image: the provider's legacy build, or a local image. */
export interface ImagePlan {
  readonly name: string;
  /** Build context directory and the tags (name first, then build.tag), as buildDockerImage tags. */
  readonly build?: {
    readonly context: string;
    readonly dockerfile: string;
    readonly tags: string[];
    readonly buildArgs: Record<string, string>;
    readonly labels?: Record<string, string>;
  };
}

export function imagePlan(name: string, a: Json): ImagePlan {
  refuseUnmapped('docker_image', name, a, ['name', 'keep_locally', 'build', 'triggers']);
  const [build] = blockList(a.build);
  if (!build) return { name: a.name };
  const unknown = Object.keys(build).filter(
    (k) => !['context', 'tag', 'dockerfile', 'build_args', 'label'].includes(k),
  );
  if (unknown.length > 0)
    throw new Error(`docker_image.${name}: the harness does not map build ${unknown.join(', ')}`);
  return {
    name: a.name,
    build: {
      context: build.context,
      dockerfile: build.dockerfile ?? 'Dockerfile',
      tags: [a.name, ...(build.tag ?? [])],
      buildArgs: stringMap(build.build_args),
      labels: stringMap(build.label),
    },
  };
}

/** A network to connect after create (the provider disconnects "bridge" first). */
export interface NetworkAttachment {
  readonly network: string;
  readonly ipv4Address?: string;
  readonly aliases?: string[];
}

/** An upload, as the provider sends it: a one-file tar extracted at "/". */
export interface Upload {
  readonly file: string;
  readonly content: string;
  readonly mode: number;
}

/** Everything resourceDockerContainerCreate does, in order. */
export interface ContainerPlan {
  readonly name: string;
  readonly body: Json;
  readonly networks: NetworkAttachment[];
  readonly uploads: Upload[];
  readonly start: boolean;
  readonly mustRun: boolean;
}

const CONTAINER_ATTRIBUTES = [
  'name',
  'image',
  'hostname',
  'domainname',
  'tty',
  'stdin_open',
  'stop_signal',
  'stop_timeout',
  'env',
  'command',
  'entrypoint',
  'user',
  'ports',
  'working_dir',
  'labels',
  'healthcheck',
  'mounts',
  'privileged',
  'publish_all_ports',
  'restart',
  'max_retry_count',
  'rm',
  'read_only',
  'log_driver',
  'log_opts',
  'tmpfs',
  'capabilities',
  'security_opts',
  'memory',
  'memory_swap',
  'cpu_period',
  'cpu_quota',
  'cpu_shares',
  'cpu_set',
  'network_mode',
  'ipc_mode',
  'group_add',
  'cgroup_parent',
  'init',
  'networks_advanced',
  'upload',
  'start',
  'must_run',
  'wait',
] as const;

/**
 * The container create body (Config + HostConfig + an empty NetworkingConfig, as the provider
 * sends it), the networks to connect, the uploads, and whether to start. `image` must already be
 * resolved to what the docker_image reference gives (the image id).
 */
export function containerPlan(resourceName: string, a: Json): ContainerPlan {
  if (a.cpus !== undefined) {
    throw new Error(
      `docker_container.${resourceName}: cpus panics kreuzwerker/docker 3.6.2 at create (it asserts the string as a float32, upstream #759); set cpu_period and cpu_quota`,
    );
  }
  refuseUnmapped('docker_container', resourceName, a, CONTAINER_ATTRIBUTES);
  const body: Json = {
    Image: a.image,
    Hostname: a.hostname ?? '',
    Domainname: a.domainname ?? '',
    Tty: a.tty === true,
    OpenStdin: a.stdin_open === true,
    StopSignal: a.stop_signal ?? '',
    ...(a.stop_timeout !== undefined ? { StopTimeout: a.stop_timeout } : {}),
  };
  if (a.env) body.Env = [...a.env];
  if (a.command) {
    if (a.command.some((c: string) => c === ''))
      throw new Error('values for command may not be empty');
    body.Cmd = [...a.command];
  }
  if (a.entrypoint) body.Entrypoint = [...a.entrypoint];
  if (a.user) body.User = a.user;
  const exposed: Record<string, Json> = {};
  const bindings: Record<string, Json[]> = {};
  for (const p of blockList(a.ports)) {
    const key = `${p.internal}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    if (p.external !== undefined) {
      (bindings[key] ??= []).push({ HostIp: p.ip ?? '0.0.0.0', HostPort: String(p.external) });
    }
  }
  if (Object.keys(exposed).length > 0) body.ExposedPorts = exposed;
  if (a.working_dir) body.WorkingDir = a.working_dir;
  if (a.labels) body.Labels = labelMap(a.labels);
  const [hc] = blockList(a.healthcheck);
  if (hc) {
    body.Healthcheck = {
      ...(hc.test ? { Test: [...hc.test] } : {}),
      ...(hc.interval ? { Interval: goDurationNanos(hc.interval) } : {}),
      ...(hc.timeout ? { Timeout: goDurationNanos(hc.timeout) } : {}),
      ...(hc.start_period ? { StartPeriod: goDurationNanos(hc.start_period) } : {}),
      ...(hc.retries !== undefined ? { Retries: hc.retries } : {}),
    };
  }
  const mounts = blockList(a.mounts).map((m: Json) => {
    const unknown = Object.keys(m).filter(
      (k) => !['type', 'target', 'source', 'read_only'].includes(k),
    );
    if (unknown.length > 0)
      throw new Error(
        `docker_container.${resourceName}: the harness does not map mounts ${unknown.join(', ')}`,
      );
    return {
      Type: m.type,
      Target: m.target,
      Source: m.source ?? '',
      ReadOnly: m.read_only === true,
    };
  });
  const [caps] = blockList(a.capabilities);
  const hostConfig: Json = {
    Privileged: a.privileged === true,
    PublishAllPorts: a.publish_all_ports === true,
    RestartPolicy: { Name: a.restart ?? 'no', MaximumRetryCount: a.max_retry_count ?? 0 },
    Mounts: mounts,
    AutoRemove: a.rm === true,
    ReadonlyRootfs: a.read_only === true,
    LogConfig: { Type: a.log_driver ?? '', Config: stringMap(a.log_opts) },
    ...(a.tmpfs ? { Tmpfs: stringMap(a.tmpfs) } : {}),
    ...(Object.keys(bindings).length > 0 ? { PortBindings: bindings } : {}),
    ...(caps ? { CapAdd: caps.add ?? [], CapDrop: caps.drop ?? [] } : {}),
    ...(a.security_opts ? { SecurityOpt: [...a.security_opts] } : {}),
    // memory and memory_swap are MB in the provider
    ...(a.memory ? { Memory: a.memory * 1024 * 1024 } : {}),
    ...(a.memory_swap
      ? { MemorySwap: a.memory_swap > 0 ? a.memory_swap * 1024 * 1024 : a.memory_swap }
      : {}),
    ...(a.cpu_period ? { CpuPeriod: a.cpu_period } : {}),
    ...(a.cpu_quota ? { CpuQuota: a.cpu_quota } : {}),
    ...(a.cpu_shares ? { CpuShares: a.cpu_shares } : {}),
    ...(a.cpu_set ? { CpusetCpus: a.cpu_set } : {}),
    ...(a.network_mode ? { NetworkMode: a.network_mode } : {}),
    ...(a.ipc_mode ? { IpcMode: a.ipc_mode } : {}),
    ...(a.group_add ? { GroupAdd: [...a.group_add] } : {}),
    ...(a.cgroup_parent ? { CgroupParent: a.cgroup_parent } : {}),
    Init: a.init === true,
  };
  body.HostConfig = hostConfig;
  body.NetworkingConfig = {};
  const networks = blockList(a.networks_advanced).map((n: Json) => ({
    network: n.name,
    ...(n.ipv4_address ? { ipv4Address: n.ipv4_address } : {}),
    ...(n.aliases ? { aliases: [...n.aliases] } : {}),
  }));
  const uploads = blockList(a.upload).map((u: Json) => {
    const unknown = Object.keys(u).filter(
      (k) => !['file', 'content', 'content_base64', 'executable', 'permissions'].includes(k),
    );
    if (unknown.length > 0)
      throw new Error(
        `docker_container.${resourceName}: the harness does not map upload ${unknown.join(', ')}`,
      );
    const content = u.content ?? Buffer.from(u.content_base64 ?? '', 'base64').toString();
    const mode = u.permissions ? parseInt(u.permissions, 8) : u.executable ? 0o744 : 0o644;
    return { file: u.file, content, mode };
  });
  return {
    name: a.name,
    body,
    networks,
    uploads,
    start: a.start !== false,
    mustRun: a.must_run !== false,
  };
}
