import { hasInterpolation } from '../core/terraform-string';
import type { TfResource } from './model';

/** A reference or unresolved token (the model's test, without importing the model). */
const isUnresolved = (value: unknown): boolean =>
  typeof value === 'string' && hasInterpolation(value);

/**
 * Containers that run outside the docker provider, read into the vocabulary the container rules
 * already speak (the docker provider's attribute names): ECS task definitions and the Kubernetes
 * provider's workloads. Each container becomes one resource of type {@link ECS_CONTAINER} or
 * {@link KUBERNETES_CONTAINER}, addressed `<owner>:container[<name>]`, carrying its owner's
 * suppressions; the container rules judge it like a docker_container.
 *
 * Fail closed: a value the reader cannot see (a reference, a `dynamic` block, a `jsonencode(...)`
 * expression) is never read as "unset". An attribute fed by such a value is listed in the
 * container's `unreadable` (a rule that passes after reading it is undecidable), and a container
 * list that cannot be read at all becomes one `opaque` container that every rule finds
 * undecidable.
 */

/** Type of a container of an `aws_ecs_task_definition`. */
export const ECS_CONTAINER = 'ecs_container';
/** Type of a container of a Kubernetes workload (deployment, pod, stateful set, job, ...). */
export const KUBERNETES_CONTAINER = 'kubernetes_container';

type Json = Record<string, unknown>;

/** Kubernetes provider workload types, and where each keeps its pod spec under `spec`. */
const KUBERNETES_POD_PATHS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  [
    ['pod', []],
    ['deployment', ['template']],
    ['stateful_set', ['template']],
    ['daemonset', ['template']],
    ['daemon_set', ['template']],
    ['replication_controller', ['template']],
    ['job', ['template']],
    ['cron_job', ['job_template', 'spec', 'template']],
  ].flatMap(([kind, path]) => [
    [`kubernetes_${kind as string}`, path as string[]],
    [`kubernetes_${kind as string}_v1`, path as string[]],
  ]),
);

/** Every attribute a derived container has (what an opaque container cannot show). */
const DERIVED_KEYS = [
  'name',
  'image',
  'user',
  'group_add',
  'read_only',
  'privileged',
  'capabilities',
  'security_opts',
  'network_mode',
  'pid_mode',
  'ipc_mode',
  'devices',
  'memory',
  'memory_swap',
  'cpus',
  'process_limit',
  'non_root_enforced',
  'tmpfs',
  'mounts',
  'env',
  'secret_env',
  'labels',
  'ports',
  'log_driver',
  'command',
  'entrypoint',
  'networks_advanced',
] as const;

type DerivedKey = (typeof DERIVED_KEYS)[number];

/** True for the resource types this module reads containers from. */
export function holdsWorkloadContainers(type: string): boolean {
  return type === 'aws_ecs_task_definition' || type in KUBERNETES_POD_PATHS;
}

/** The containers of an ECS task definition or a Kubernetes workload; none for other types. */
export function workloadContainers(owner: TfResource): TfResource[] {
  if (owner.type === 'aws_ecs_task_definition') return ecsContainers(owner);
  const path = KUBERNETES_POD_PATHS[owner.type];
  return path ? kubernetesContainers(owner, path) : [];
}

/** Collects derived attributes and what could not be read. */
class Derived {
  readonly attributes: Partial<Record<DerivedKey, unknown>> = {};
  readonly unreadable: Partial<Record<DerivedKey, string>> = {};

  /** Sets a derived attribute, unless a reference was already passed to it. */
  set(key: DerivedKey, value: unknown): void {
    if (value !== undefined && !(key in this.unreadable && key in this.attributes))
      this.attributes[key] = value;
  }

  /** Marks `keys` unreadable because of `why`, unless a reason is already recorded. */
  cannotRead(why: string, ...keys: DerivedKey[]): void {
    for (const k of keys) this.unreadable[k] ??= why;
  }

  /** Marks `keys` unreadable when `value` is a reference; true when it was. */
  refusesReference(value: unknown, where: string, ...keys: DerivedKey[]): boolean {
    if (!isUnresolved(value)) return false;
    this.cannotRead(`${where} is ${String(value)}, a value not known at synth time`, ...keys);
    return true;
  }

  /**
   * When `value` is a reference, gives `keys` that reference (so each rule takes its own
   * unresolved path) and marks them unreadable; true when it was.
   */
  passesReference(value: unknown, where: string, ...keys: DerivedKey[]): boolean {
    if (!this.refusesReference(value, where, ...keys)) return false;
    for (const k of keys) this.attributes[k] ??= value;
    return true;
  }

  resource(owner: TfResource, type: string, label: string): TfResource {
    return {
      type,
      name: `${owner.name}:${label}`,
      address: `${owner.address}:${label}`,
      attributes: this.attributes,
      constructPath: owner.constructPath,
      suppressions: owner.suppressions,
      ...(Object.keys(this.unreadable).length > 0
        ? { unreadable: this.unreadable as Record<string, string> }
        : {}),
    };
  }
}

/** One container standing for a list of containers that cannot be read. */
function opaque(owner: TfResource, type: string, why: string): TfResource {
  return {
    type,
    name: `${owner.name}:containers`,
    address: `${owner.address}:containers`,
    attributes: {},
    constructPath: owner.constructPath,
    suppressions: owner.suppressions,
    opaque: why,
  };
}

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asObject = (v: unknown): Json => (isObject(v) ? v : {});
/** A block written as an object or a list of objects (Terraform JSON accepts both). */
const blocksOf = (v: unknown): Json[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(asObject);
const firstBlock = (v: unknown): Json => blocksOf(v)[0] ?? {};
const asList = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];

// --- ECS ---------------------------------------------------------------------------------------

function ecsContainers(owner: TfResource): TfResource[] {
  const task = owner.attributes;
  const raw = task.container_definitions;
  if (owner.dynamicBlocks?.includes('container_definitions'))
    return [opaque(owner, ECS_CONTAINER, 'container_definitions is written as a dynamic block')];
  let defs: unknown;
  try {
    defs = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    // a jsonencode(...) expression, a variable or a file(...) read at plan time
    return [
      opaque(
        owner,
        ECS_CONTAINER,
        `container_definitions is ${JSON.stringify(String(raw).slice(0, 60))}, not JSON the checklist can read at synth time`,
      ),
    ];
  }
  if (!Array.isArray(defs))
    return [opaque(owner, ECS_CONTAINER, 'container_definitions is not a JSON list of containers')];
  const dynamicVolumes = owner.dynamicBlocks?.includes('volume') === true;
  const volumes = task.volume;
  const fargateOnly =
    Array.isArray(task.requires_compatibilities) &&
    task.requires_compatibilities.length > 0 &&
    task.requires_compatibilities.every((c) => c === 'FARGATE');
  return defs.map((def, i) => {
    const c = asObject(def);
    const d = new Derived();
    const lp = asObject(c.linuxParameters);
    d.passesReference(c.linuxParameters, 'linuxParameters', 'capabilities', 'devices', 'tmpfs');
    const structured: [string, DerivedKey][] = [
      ['dockerSecurityOptions', 'security_opts'],
      ['ulimits', 'process_limit'],
      ['mountPoints', 'mounts'],
      ['environment', 'env'],
      ['secrets', 'secret_env'],
      ['dockerLabels', 'labels'],
      ['portMappings', 'ports'],
      ['logConfiguration', 'log_driver'],
    ];
    for (const [from, to] of structured) d.passesReference(c[from], from, to);
    d.set('name', c.name);
    d.set('image', c.image);
    d.set('user', c.user);
    d.set('read_only', c.readonlyRootFilesystem);
    d.set('privileged', c.privileged);
    d.set('capabilities', lp.capabilities);
    d.set('security_opts', c.dockerSecurityOptions);
    for (const [from, to] of [
      ['network_mode', 'network_mode'],
      ['pid_mode', 'pid_mode'],
      ['ipc_mode', 'ipc_mode'],
    ] as const) {
      const mode = task[from];
      if (mode === 'host' || isUnresolved(mode)) d.set(to, mode);
      d.refusesReference(mode, from, to);
    }
    d.set(
      'devices',
      asList(lp.devices).map((x) => ({ host_path: asObject(x).hostPath })),
    );
    const memory = c.memory ?? task.memory;
    d.set('memory', memory);
    // Fargate never swaps; on EC2 the container swaps unless maxSwap is 0
    if (fargateOnly || lp.maxSwap === 0 || lp.maxSwap === '0') d.set('memory_swap', memory);
    d.set('cpus', task.cpu);
    const nproc = asList(c.ulimits)
      .map(asObject)
      .find((u) => u.name === 'nproc');
    d.set('process_limit', nproc?.hardLimit);
    const tmpfs: Json = {};
    for (const t of asList(lp.tmpfs).map(asObject)) {
      const opts = [...asList(t.mountOptions).map(String)];
      if (t.size !== undefined) opts.push(`size=${String(t.size)}m`);
      tmpfs[String(t.containerPath)] = opts.join(',');
    }
    d.set('tmpfs', tmpfs);
    if (dynamicVolumes) d.cannotRead('volume is written as a dynamic block', 'mounts');
    else if (!d.refusesReference(volumes, 'volume', 'mounts'))
      d.set('mounts', ecsMounts(c, blocksOf(volumes)));
    d.set(
      'env',
      asList(c.environment).map((e) => `${String(asObject(e).name)}=${String(asObject(e).value)}`),
    );
    d.set(
      'secret_env',
      asList(c.secrets).map((s) => ({
        name: String(asObject(s).name),
        from: String(asObject(s).valueFrom),
      })),
    );
    d.set(
      'labels',
      Object.entries(asObject(c.dockerLabels)).map(([label, value]) => ({ label, value })),
    );
    d.set(
      'ports',
      asList(c.portMappings).map((p) => {
        const m = asObject(p);
        return { internal: m.containerPort, external: m.hostPort ?? m.containerPort };
      }),
    );
    d.set('log_driver', asObject(c.logConfiguration).logDriver);
    d.set('command', c.command);
    d.set('entrypoint', c.entryPoint);
    // the containers of one task share its network (and its cell)
    d.set('networks_advanced', [{ name: `task:${owner.address}` }]);
    return d.resource(owner, ECS_CONTAINER, `container[${String(c.name ?? i)}]`);
  });
}

/** Bind mounts of one ECS container: mount points on volumes with a host path or bind options. */
function ecsMounts(container: Json, volumes: Json[]): Json[] {
  return asList(container.mountPoints).flatMap((raw) => {
    const m = asObject(raw);
    const volume = volumes.find((v) => v.name === m.sourceVolume);
    if (volume === undefined) return [];
    const docker = firstBlock(volume.docker_volume_configuration);
    const opts = asObject(docker.driver_opts);
    const bind = String(opts.o ?? '')
      .split(',')
      .some((o) => o === 'bind' || o === 'rbind');
    const source =
      volume.host_path ??
      (bind
        ? (opts.device ?? '/')
        : isUnresolved(docker.driver_opts)
          ? docker.driver_opts
          : undefined);
    if (source === undefined) return [];
    return [
      {
        type: 'bind',
        source,
        target: m.containerPath,
        read_only: m.readOnly === true || m.readOnly === 'true',
      },
    ];
  });
}

// --- Kubernetes --------------------------------------------------------------------------------

/** What a `dynamic` block inside a container hides, by the block's name. */
const HIDDEN_BY: Readonly<Record<string, readonly DerivedKey[]>> = {
  security_context: [
    'user',
    'read_only',
    'privileged',
    'capabilities',
    'security_opts',
    'non_root_enforced',
  ],
  volume_mount: ['mounts', 'tmpfs'],
  env: ['env', 'secret_env'],
  env_from: ['secret_env'],
  port: ['ports'],
  resources: ['memory', 'memory_swap', 'cpus'],
};

function kubernetesContainers(owner: TfResource, path: readonly string[]): TfResource[] {
  const unreadable = (why: string) => [opaque(owner, KUBERNETES_CONTAINER, why)];
  if (owner.attributes.spec === undefined && owner.dynamicBlocks?.includes('spec'))
    return unreadable('spec is written as a dynamic block');
  // a pod keeps its spec in `spec`; a workload in `spec.<path>.spec`
  const steps = path.length === 0 ? ['spec'] : ['spec', ...path, 'spec'];
  let node: unknown = owner.attributes;
  let where = '';
  for (const step of steps) {
    if (isUnresolved(node)) return unreadable(`${where} is ${String(node)}`);
    const parent = firstBlock(node);
    if (parent[step] === undefined && asObject(parent.dynamic)[step] !== undefined)
      return unreadable(`${where}${where ? '.' : ''}${step} is written as a dynamic block`);
    node = parent[step];
    where = `${where}${where ? '.' : ''}${step}`;
  }
  if (isUnresolved(node)) return unreadable(`${where} is ${String(node)}`);
  const pod = firstBlock(node);
  const template = path.length === 0 ? owner.attributes : firstBlock(templateOf(owner, path));
  const metadata = firstBlock(template.metadata);
  const out: TfResource[] = [];
  for (const kind of ['container', 'init_container'] as const) {
    const list = pod[kind];
    if (isUnresolved(list)) {
      out.push(...unreadable(`${where}.${kind} is ${String(list)}`));
      continue;
    }
    for (const [i, c] of blocksOf(list).entries())
      out.push(kubernetesContainer(owner, pod, metadata, c, `${kind}[${String(c.name ?? i)}]`));
  }
  const dyn = asObject(pod.dynamic);
  if (dyn.container !== undefined || dyn.init_container !== undefined)
    out.push(...unreadable(`${where} writes its containers as a dynamic block`));
  return out;
}

/** The pod template block of a workload (`spec.template`, `spec.job_template.spec.template`). */
function templateOf(owner: TfResource, path: readonly string[]): unknown {
  let node: unknown = owner.attributes.spec;
  for (const step of path) node = firstBlock(node)[step];
  return node;
}

function kubernetesContainer(
  owner: TfResource,
  pod: Json,
  metadata: Json,
  c: Json,
  label: string,
): TfResource {
  const d = new Derived();
  for (const hidden of Object.keys(asObject(c.dynamic)))
    d.cannotRead(`${hidden} is written as a dynamic block`, ...(HIDDEN_BY[hidden] ?? DERIVED_KEYS));
  for (const hidden of Object.keys(asObject(pod.dynamic)))
    if (hidden === 'volume')
      d.cannotRead('volume is written as a dynamic block', 'mounts', 'tmpfs');
  d.set('name', c.name);
  d.set('image', c.image);
  d.set('command', c.args);
  d.set('entrypoint', c.command);
  d.set(
    'labels',
    Object.entries(asObject(metadata.labels)).map(([k, v]) => ({ label: k, value: v })),
  );
  d.set('networks_advanced', [{ name: `pod:${owner.address}` }]);

  // security: the container's security_context over the pod's
  const podSc = firstBlock(pod.security_context);
  d.refusesReference(
    pod.security_context,
    'the pod security_context',
    'user',
    'group_add',
    'non_root_enforced',
    'security_opts',
  );
  const sc = firstBlock(c.security_context);
  const scRef = d.passesReference(
    c.security_context,
    'security_context',
    ...HIDDEN_BY.security_context,
  );
  const uid = sc.run_as_user ?? podSc.run_as_user;
  const gid = sc.run_as_group ?? podSc.run_as_group;
  if (uid !== undefined)
    d.set('user', gid === undefined ? String(uid) : `${String(uid)}:${String(gid)}`);
  d.set('non_root_enforced', sc.run_as_non_root ?? podSc.run_as_non_root);
  d.set('group_add', [...asList(podSc.supplemental_groups), ...asList(podSc.fs_group)].map(String));
  d.set('read_only', sc.read_only_root_filesystem);
  d.set('privileged', sc.privileged);
  if (!scRef) {
    const caps = firstBlock(sc.capabilities);
    d.set('capabilities', { drop: caps.drop, add: caps.add });
  }
  const opts: string[] = [];
  const ape = sc.allow_privilege_escalation;
  if (ape === false || ape === 'false') opts.push('no-new-privileges:true');
  else d.refusesReference(ape, 'allow_privilege_escalation', 'security_opts');
  // the profiles and the escalation flag all land in security_opts: one unknown hides it
  for (const [value, where] of [
    [sc.seccomp_profile ?? podSc.seccomp_profile, 'seccomp_profile'],
    [sc.app_armor_profile ?? podSc.app_armor_profile, 'app_armor_profile'],
  ] as const)
    d.passesReference(value, where, 'security_opts');
  const seccomp = firstBlock(sc.seccomp_profile ?? podSc.seccomp_profile);
  if (seccomp.type !== undefined) opts.push(`seccomp=${profileOf(seccomp)}`);
  const annotation = asObject(metadata.annotations)[
    `container.apparmor.security.beta.kubernetes.io/${String(c.name)}`
  ];
  const apparmor = firstBlock(sc.app_armor_profile ?? podSc.app_armor_profile);
  if (apparmor.type !== undefined) opts.push(`apparmor=${profileOf(apparmor)}`);
  else if (annotation !== undefined) opts.push(`apparmor=${String(annotation)}`);
  d.set('security_opts', opts);

  for (const [from, to] of [
    ['host_network', 'network_mode'],
    ['host_pid', 'pid_mode'],
    ['host_ipc', 'ipc_mode'],
  ] as const) {
    const v = pod[from];
    if (v === true || v === 'true') d.set(to, 'host');
    else if (d.refusesReference(v, from, to)) d.set(to, v);
  }

  // limits; a pod whose memory request is below its limit is Burstable and may swap
  const resources = firstBlock(c.resources);
  d.passesReference(c.resources, 'resources', 'memory', 'memory_swap', 'cpus');
  const limits = asObject(resources.limits);
  const requests = asObject(resources.requests);
  const memory = mebibytes(limits.memory);
  d.set('memory', memory);
  if (requests.memory === undefined || mebibytes(requests.memory) === memory)
    d.set('memory_swap', memory);
  d.set('cpus', limits.cpu);

  // mounts: host_path volumes are bind mounts; memory emptyDirs are tmpfs
  const volumes = pod.volume;
  if (
    !d.refusesReference(volumes, 'volume', 'mounts', 'tmpfs') &&
    !d.refusesReference(c.volume_mount, 'volume_mount', 'mounts', 'tmpfs')
  ) {
    const mounts: Json[] = [];
    const tmpfs: Json = {};
    for (const m of blocksOf(c.volume_mount)) {
      const v = blocksOf(volumes).find((x) => x.name === m.name);
      if (v === undefined) continue;
      const host = firstBlock(v.host_path);
      const empty = firstBlock(v.empty_dir);
      if (v.host_path !== undefined)
        mounts.push({
          type: 'bind',
          source: host.path,
          target: m.mount_path,
          read_only: m.read_only,
        });
      else if (empty.medium === 'Memory')
        tmpfs[String(m.mount_path)] = [
          'rw',
          ...(empty.size_limit ? [`size=${mebibytes(empty.size_limit)}m`] : []),
        ].join(',');
    }
    d.set('mounts', mounts);
    d.set('tmpfs', tmpfs);
  }

  d.passesReference(c.env, 'env', 'env', 'secret_env');
  d.passesReference(c.env_from, 'env_from', 'secret_env');
  d.passesReference(c.port, 'port', 'ports');
  // environment: literal values, and values taken from secrets
  d.set(
    'env',
    blocksOf(c.env)
      .filter((e) => e.value !== undefined)
      .map((e) => `${String(e.name)}=${String(e.value)}`),
  );
  d.set('secret_env', [
    ...blocksOf(c.env)
      .filter((e) => firstBlock(firstBlock(e.value_from).secret_key_ref).name !== undefined)
      .map((e) => ({
        name: String(e.name),
        from: `secret ${String(firstBlock(firstBlock(e.value_from).secret_key_ref).name)}`,
      })),
    ...blocksOf(c.env_from)
      .filter((e) => e.secret_ref !== undefined)
      .map((e) => ({ name: '*', from: `secret ${String(firstBlock(e.secret_ref).name)}` })),
  ]);
  d.set(
    'ports',
    blocksOf(c.port)
      .filter((p) => p.host_port !== undefined)
      .map((p) => ({ internal: p.container_port, external: p.host_port, ip: p.host_ip })),
  );
  return d.resource(owner, KUBERNETES_CONTAINER, label);
}

/** A Kubernetes seccomp or AppArmor profile, in the words Docker's options use. */
function profileOf(profile: Json): string {
  const type = String(profile.type);
  if (isUnresolved(profile.type)) return type;
  if (type === 'Unconfined') return 'unconfined';
  if (type === 'RuntimeDefault') return 'runtime/default';
  return `localhost/${String(profile.localhost_profile ?? '')}`;
}

/** A Kubernetes quantity of memory (`2Gi`, `512Mi`, `1G`, bytes) in MiB; a reference as is. */
function mebibytes(quantity: unknown): unknown {
  if (quantity === undefined || isUnresolved(quantity)) return quantity;
  const m = /^(\d+(?:\.\d+)?)([KMGT]i?|[kmgt])?$/.exec(String(quantity));
  if (!m) return String(quantity);
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const factor: Record<string, number> = {
    '': 1 / 1048576,
    k: 1000 / 1048576,
    K: 1000 / 1048576,
    Ki: 1 / 1024,
    M: 1e6 / 1048576,
    Mi: 1,
    G: 1e9 / 1048576,
    Gi: 1024,
    T: 1e12 / 1048576,
    Ti: 1048576,
  };
  return Math.round(n * (factor[unit] ?? NaN) * 100) / 100;
}
