/**
 * `cdktf-openclaw verify`: after `cdktf deploy`, checks the containers running on a Docker host
 * against the synthesized stacks. It reads what the plan says, asks the engine how each container
 * was created, and looks inside the running ones (what the kernel says of their processes, what
 * the gateway answers, where it can connect, OpenClaw's own deep audit). Any difference is a
 * finding.
 */
import { OPENCLAW_CLI } from '../openclaw/release';
import { OPENCLAW_GATEWAY_PORT } from '../openclaw/render-config';
import {
  configFindings,
  effectivePidsLimit,
  parseProcStatus,
  pidsCgroupPaths,
  runtimeFindings,
  VerifyFinding,
} from './checks';
import { ContainerInspect, demultiplex, DockerEngine } from './docker-engine';
import { PlannedContainer, ROLE_LABEL } from './plan';
import { gatewayMcpFindings, MCP_ROLE, mcpSecretMountFindings, mcpServerFindings } from './mcp';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Options of {@link verifyDeployment}. */
export interface VerifyOptions {
  /** Host ports the gateway must not reach on its network's gateway address. @default [22] */
  readonly hostPorts?: readonly number[];
  /** Run `openclaw security audit --deep` in each gateway. @default true */
  readonly openclawAudit?: boolean;
  /**
   * Check only these containers; the rest of the plan is context (other cells' addresses, drift).
   * @default - every planned container
   */
  readonly only?: readonly string[];
  /** Progress lines (to stderr in the CLI). @default - none */
  readonly log?: (line: string) => void;
}

const finding = (id: string, container: string, message: string, fix: string): VerifyFinding => ({
  id,
  container,
  message,
  fix,
});

/** Checks every planned container on the engine; returns the findings (none: all verified). */
export async function verifyDeployment(
  engine: DockerEngine,
  planned: readonly PlannedContainer[],
  options: VerifyOptions = {},
): Promise<VerifyFinding[]> {
  const log = options.log ?? (() => undefined);
  const out: VerifyFinding[] = [];
  const info = await engine.json<Json>('GET', '/info');
  const cgroupDriver = String(info.CgroupDriver ?? 'cgroupfs');
  const cgroupVersion = String(info.CgroupVersion ?? '1');

  // drift: cell containers the plan does not have
  const labelled = await engine.json<Json[]>(
    'GET',
    `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [ROLE_LABEL] }))}`,
  );
  const plannedNames = new Set(planned.map((p) => p.name));
  for (const c of labelled) {
    const name = String(c.Names?.[0] ?? '').replace(/^\//, '');
    if (!plannedNames.has(name))
      out.push(
        finding(
          'VERIFY-Unplanned',
          name,
          `runs with ${ROLE_LABEL}=${c.Labels?.[ROLE_LABEL]} but no verified stack plans it`,
          `remove it (docker rm -f ${name}) or add its stack to the verify run`,
        ),
      );
  }

  const inspected = new Map<string, ContainerInspect>();
  for (const plan of planned) {
    const c = await engine.inspectContainer(plan.name);
    if (!c) {
      out.push(
        finding(
          'VERIFY-Missing',
          plan.name,
          `${plan.address} of stack ${plan.stack} is not on the engine`,
          'run cdktf deploy for that stack',
        ),
      );
      continue;
    }
    inspected.set(plan.name, c);
  }
  out.push(...mcpSecretMountFindings(inspected));

  for (const plan of planned) {
    const c = inspected.get(plan.name);
    if (!c || (options.only && !options.only.includes(plan.name))) continue;
    log(`verifying ${plan.name} (${plan.role})`);
    if (!plan.start) {
      if (c.State.Running)
        out.push(
          finding(
            'VERIFY-State',
            plan.name,
            'is running, but the plan only creates it (start = false)',
            `stop and remove it: docker rm -f ${plan.name}, then cdktf deploy`,
          ),
        );
      continue;
    }
    if (!c.State.Running || c.State.Restarting) {
      out.push(
        finding(
          'VERIFY-State',
          plan.name,
          `is ${c.State.Status}, not running`,
          `read docker logs ${plan.name}`,
        ),
      );
      continue;
    }
    out.push(...configFindings(plan, c));
    out.push(...(await imageFindings(engine, plan, c)));
    const status = await engine.exec(plan.name, [
      'sh',
      '-c',
      'cat /proc/[0-9]*/status 2>/dev/null',
    ]);
    const mounts = await engine.exec(plan.name, ['cat', '/proc/1/mounts']);
    out.push(
      ...runtimeFindings(plan, {
        processes: parseProcStatus(status.stdout),
        mounts: mounts.stdout,
      }),
    );
    out.push(...(await processLimitFindings(engine, plan, c, cgroupDriver, cgroupVersion)));
    if (plan.role === 'gateway') {
      out.push(...(await gatewayFindings(engine, plan, c, planned, inspected, options)));
      out.push(...(await gatewayMcpFindings(engine, plan)));
    }
    if (plan.role === MCP_ROLE) {
      out.push(
        ...(await mcpServerFindings(
          engine,
          plan,
          c,
          planned,
          inspected,
          options.hostPorts ?? [22],
        )),
      );
    }
  }
  return out;
}

async function imageFindings(
  engine: DockerEngine,
  plan: PlannedContainer,
  c: ContainerInspect,
): Promise<VerifyFinding[]> {
  if (!plan.image) return [];
  const res = await engine.request('GET', `/images/${encodeURIComponent(plan.image)}/json`);
  if (res.status !== 200)
    return [
      finding(
        'VERIFY-Image',
        plan.name,
        `the planned image ${plan.image} is not on the engine`,
        'run cdktf deploy (it pulls or builds the image)',
      ),
    ];
  const image = JSON.parse(res.body.toString()) as { Id: string; RepoDigests?: string[] };
  const out: VerifyFinding[] = [];
  if (image.Id !== c.Image)
    out.push(
      finding(
        'VERIFY-Image',
        plan.name,
        `runs image ${c.Image.slice(0, 19)}, but ${plan.image} is ${image.Id.slice(0, 19)}`,
        'replace the container so it runs the planned image (cdktf deploy)',
      ),
    );
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(plan.image)?.[1];
  if (digest && !(image.RepoDigests ?? []).some((d) => d.endsWith(`@${digest}`)))
    out.push(
      finding(
        'VERIFY-Image',
        plan.name,
        `the image carries no repo digest ${digest}`,
        'pull the image by its pinned digest',
      ),
    );
  return out;
}

async function processLimitFindings(
  engine: DockerEngine,
  plan: PlannedContainer,
  c: ContainerInspect,
  driver: string,
  version: string,
): Promise<VerifyFinding[]> {
  const wanted = Number(plan.labels['openclaw.max-processes']);
  if (!Number.isFinite(wanted)) return [];
  const paths = pidsCgroupPaths(c.HostConfig.CgroupParent, c.Id, driver, version);
  // a throwaway probe reads the host's cgroup tree read-only, with no network and no capability
  const script = paths
    .map((p) => `cat /host-cgroup/${p}/pids.max 2>/dev/null || echo missing`)
    .join('; ');
  const values = await probe(
    engine,
    c.Image,
    ['sh', '-c', script],
    [{ source: '/sys/fs/cgroup', target: '/host-cgroup' }],
  );
  const limit = effectivePidsLimit(values.split('\n'));
  if (limit !== undefined && limit <= wanted) return [];
  const slice = c.HostConfig.CgroupParent || '(none)';
  return [
    finding(
      'VERIFY-ProcessLimit',
      plan.name,
      `no pids limit of ${wanted} applies (pids.max ${values
        .split('\n')
        .filter((v) => v !== '')
        .join(
          ', ',
        )} under cgroup parent ${slice}, ${driver} driver): the host did not create the slice, so Docker made an unlimited one`,
      `create ${slice} with TasksMax=${wanted} before the container starts (AgentHost does) and run Docker with the systemd cgroup driver, then restart the container`,
    ),
  ];
}

/** Runs a command in a short-lived, hardened, network-less container and returns its stdout. */
async function probe(
  engine: DockerEngine,
  image: string,
  cmd: readonly string[],
  binds: readonly { source: string; target: string }[],
): Promise<string> {
  const created = await engine.json<{ Id: string }>('POST', '/containers/create', {
    Image: image,
    Entrypoint: [],
    Cmd: cmd,
    User: '1000:1000',
    Labels: { 'cdktf-openclaw.verify-probe': 'true' },
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      Memory: 64 * 1024 * 1024,
      Mounts: binds.map((b) => ({
        Type: 'bind',
        Source: b.source,
        Target: b.target,
        ReadOnly: true,
      })),
    },
  });
  try {
    await engine.json('POST', `/containers/${created.Id}/start`);
    await engine.json('POST', `/containers/${created.Id}/wait`, undefined, [200]);
    const logs = await engine.request('GET', `/containers/${created.Id}/logs?stdout=1&stderr=0`);
    return demultiplex(logs.body).stdout;
  } finally {
    await engine.json('DELETE', `/containers/${created.Id}?force=1`, undefined, [200, 204, 404]);
  }
}

/**
 * OpenClaw's deep audit probes the gateway in its "probe" client mode, which the gateway gives
 * scopes only when the CLI's device (its key in the gateway's own state directory) is paired
 * with an operator token; with the shared token alone the probe fails with "missing scope:
 * operator.read". This pairs that device once, for operator.read only: a CLI call that connects
 * with the device files a pairing request, `devices approve` approves exactly that request, and
 * the next connect stores the device token where the probe reads it. Already paired: no request,
 * nothing changes. (OpenClaw 2026.9.6; the engine tests pin it.)
 */
export const PAIR_PROBE_SCRIPT = [
  `out=$(${OPENCLAW_CLI} models accounts list --json 2>&1)`,
  `id=$(printf '%s' "$out" | sed -n 's/.*device pairing required (requestId: \\([0-9a-f-]*\\)).*/\\1/p' | head -n 1)`,
  `if [ -n "$id" ]; then ${OPENCLAW_CLI} devices approve "$id" --json >/dev/null && { ${OPENCLAW_CLI} models accounts list --json >/dev/null 2>&1 || true; }; fi`,
].join('\n');

async function pairProbeDevice(engine: DockerEngine, container: string): Promise<void> {
  await engine.exec(container, ['sh', '-c', PAIR_PROBE_SCRIPT], { timeoutMs: 180_000 });
}

/** The probe run inside the gateway: health, auth, routes and where it can connect. */
export function gatewayProbeScript(): string {
  return [
    "const p=JSON.parse(process.argv[1]);const net=require('net');const fs=require('fs');",
    "const connect=(t)=>new Promise((r)=>{const i=t.lastIndexOf(':');const s=net.connect({host:t.slice(0,i),port:+t.slice(i+1)});",
    "const timer=setTimeout(()=>{s.destroy();r('timeout')},p.timeoutMs);",
    "s.on('connect',()=>{clearTimeout(timer);s.destroy();r('connected')});s.on('error',(e)=>{clearTimeout(timer);r(e.code||'error')})});",
    '(async()=>{const out={host:{},cells:{}};',
    "try{const r=await fetch(p.base+'/healthz',{signal:AbortSignal.timeout(5000)});out.health={status:r.status,body:await r.text()}}catch(e){out.health={error:String(e)}}",
    "try{const r=await fetch(p.base+'/tools/invoke',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({tool:'session_status',args:{}}),signal:AbortSignal.timeout(5000)});out.auth=r.status}catch(e){out.auth=String(e)}",
    "out.routes=fs.readFileSync('/proc/net/route','utf8');",
    'for(const t of p.host)out.host[t]=await connect(t);',
    'for(const t of p.cells)out.cells[t]=await connect(t);',
    'console.log(JSON.stringify(out))})();',
  ].join('');
}

/** The default routes in /proc/net/route (destination 00000000). */
export function defaultRoutes(routeTable: string): string[] {
  return routeTable
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 2 && f[1] === '00000000')
    .map((f) => f[0]);
}

async function gatewayFindings(
  engine: DockerEngine,
  plan: PlannedContainer,
  c: ContainerInspect,
  planned: readonly PlannedContainer[],
  inspected: ReadonlyMap<string, ContainerInspect>,
  options: VerifyOptions,
): Promise<VerifyFinding[]> {
  const out: VerifyFinding[] = [];
  const ports = options.hostPorts ?? [22];
  const hostTargets = Object.values(c.NetworkSettings.Networks)
    .map((n) => n.Gateway)
    .filter((g) => g !== '')
    .flatMap((g) => ports.map((port) => `${g}:${port}`));
  const own = new Set(Object.keys(c.NetworkSettings.Networks));
  const cellTargets = planned
    .filter((p) => p.name !== plan.name && p.start && inspected.has(p.name))
    .flatMap((p) =>
      Object.entries(inspected.get(p.name)!.NetworkSettings.Networks)
        .filter(([net]) => !own.has(net))
        .map(([, n]) => n.IPAddress)
        .filter((ip) => ip !== '')
        .map((ip) => `${ip}:${OPENCLAW_GATEWAY_PORT}`),
    );
  const args = JSON.stringify({
    base: `http://127.0.0.1:${OPENCLAW_GATEWAY_PORT}`,
    host: hostTargets,
    cells: [...new Set(cellTargets)],
    timeoutMs: 1500,
  });
  const res = await engine.exec(plan.name, ['node', '-e', gatewayProbeScript(), args], {
    timeoutMs: 120_000,
  });
  let view: Json;
  try {
    view = JSON.parse(res.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return [
      finding(
        'VERIFY-GatewayHealth',
        plan.name,
        `the probe inside the gateway failed: ${res.stderr.slice(0, 300)}`,
        'check that the gateway image has node at /usr/local/bin/node',
      ),
    ];
  }
  out.push(...gatewayViewFindings(plan.name, view));
  // Docker gives containers on internal networks a default route too; the engine drops what is
  // forwarded from an internal network, so "no route out" is: every network it joins is internal.
  for (const name of Object.keys(c.NetworkSettings.Networks)) {
    const network = await engine.json<Json>('GET', `/networks/${encodeURIComponent(name)}`);
    if (network.Internal !== true)
      out.push(
        finding(
          'VERIFY-NoRouteOut',
          plan.name,
          `joins ${name}, which is not an internal network (default routes: ${defaultRoutes(String(view.routes ?? '')).join(', ') || 'none'})`,
          `disconnect it (docker network disconnect ${name} ${plan.name}); the gateway joins only its internal cell network`,
        ),
      );
  }
  if (options.openclawAudit !== false) {
    await pairProbeDevice(engine, plan.name);
    const audit = await engine.exec(
      plan.name,
      ['sh', '-c', `${OPENCLAW_CLI} security audit --deep --json`],
      { timeoutMs: 180_000 },
    );
    const start = audit.stdout.indexOf('{');
    let report: Json;
    try {
      report = JSON.parse(audit.stdout.slice(start));
    } catch {
      out.push(
        finding(
          'VERIFY-OpenClawAudit',
          plan.name,
          `security audit --deep printed no JSON (exit ${audit.exitCode}): ${audit.stderr.slice(0, 300)}`,
          `run it by hand: docker exec ${plan.name} ${OPENCLAW_CLI} security audit --deep`,
        ),
      );
      return out;
    }
    out.push(...auditFindings(plan.name, report));
  }
  return out;
}

/** What the probe inside a gateway saw, as findings. */
export function gatewayViewFindings(name: string, view: Json): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  let healthy = false;
  try {
    const body = JSON.parse(view.health?.body ?? '');
    healthy = view.health.status === 200 && body.ok === true && body.status === 'live';
  } catch {
    healthy = false;
  }
  if (!healthy)
    out.push(
      finding(
        'VERIFY-GatewayHealth',
        name,
        `/healthz answered ${JSON.stringify(view.health).slice(0, 200)}`,
        `read docker logs ${name}`,
      ),
    );
  if (view.auth !== 401)
    out.push(
      finding(
        'VERIFY-GatewayAuth',
        name,
        `POST /tools/invoke without the token answered ${view.auth}, not 401`,
        'keep gateway.auth.mode "token" with the token file the construct mounts',
      ),
    );
  for (const [target, result] of Object.entries<string>(view.host ?? {})) {
    if (result === 'connected' || result === 'ECONNREFUSED')
      out.push(
        finding(
          'VERIFY-HostUnreachable',
          name,
          `${result === 'connected' ? 'connected to' : 'was answered (refused) by'} the host at ${target}`,
          'install the host firewall (firewallScript(cells) or AgentHost): drop new connections from cell subnets to the host',
        ),
      );
  }
  for (const [target, result] of Object.entries<string>(view.cells ?? {})) {
    if (result === 'connected' || result === 'ECONNREFUSED')
      out.push(
        finding(
          'VERIFY-CellIsolation',
          name,
          `reached another cell at ${target} (${result})`,
          "give each cell its own internal network; never attach one cell's container to another's",
        ),
      );
  }
  return out;
}

/** The critical and warn findings of `openclaw security audit --deep --json`. */
export function auditFindings(name: string, report: Json): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const f of report?.findings ?? []) {
    if (f.severity === 'critical' || f.severity === 'warn')
      out.push(
        finding(
          'VERIFY-OpenClawAudit',
          name,
          `${f.severity} ${f.checkId}: ${f.title}${f.detail ? ` (${String(f.detail).slice(0, 200)})` : ''}`,
          f.remediation ?? 'see OpenClaw security audit docs',
        ),
      );
  }
  return out;
}
