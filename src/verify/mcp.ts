/**
 * verify's checks of MCP server containers: what the gateway's OpenClaw lists from each server,
 * and where the server's container can connect (nowhere but its own network with the gateway).
 * The findings are pure functions of what the probes saw; the probes run in the containers.
 */
import { OPENCLAW_CLI } from '../openclaw/release';
import { OPENCLAW_GATEWAY_PORT } from '../openclaw/render-config';
import { VerifyFinding } from './checks';
import { ContainerInspect, DockerEngine } from './docker-engine';
import { PlannedContainer } from './plan';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The role of an MCP server's container (McpServerContainer). */
export const MCP_ROLE = 'mcp-server';

/** The port each cell role listens on, to try from an MCP server. */
export const ROLE_PORTS: Readonly<Record<string, number>> = {
  gateway: OPENCLAW_GATEWAY_PORT,
  'credential-broker': 8080,
  'mcp-server': 8808,
  'tailnet-sidecar': 8443,
};

const finding = (id: string, container: string, message: string, fix: string): VerifyFinding => ({
  id,
  container,
  message,
  fix,
});

/** A node script: `host:port` targets in (argv JSON), `{target: connected|timeout|<errno>}` out. */
export function reachProbeScript(): string {
  return [
    "const p=JSON.parse(process.argv[1]);const net=require('net');",
    "const connect=(t)=>new Promise((r)=>{const i=t.lastIndexOf(':');const s=net.connect({host:t.slice(0,i),port:+t.slice(i+1)});",
    "const timer=setTimeout(()=>{s.destroy();r('timeout')},p.timeoutMs);",
    "s.on('connect',()=>{clearTimeout(timer);s.destroy();r('connected')});s.on('error',(e)=>{clearTimeout(timer);r(e.code||'error')})});",
    '(async()=>{const out={};for(const t of p.targets)out[t]=await connect(t);console.log(JSON.stringify(out))})();',
  ].join('');
}

/** What an MCP server tries: the host on each of its networks, and every other container elsewhere. */
export function mcpReachTargets(
  plan: PlannedContainer,
  c: ContainerInspect,
  planned: readonly PlannedContainer[],
  inspected: ReadonlyMap<string, ContainerInspect>,
  hostPorts: readonly number[],
): { host: string[]; others: string[] } {
  const own = new Set(Object.keys(c.NetworkSettings.Networks));
  const host = Object.values(c.NetworkSettings.Networks)
    .map((n) => n.Gateway)
    .filter((g) => g !== '')
    .flatMap((g) => hostPorts.map((port) => `${g}:${port}`));
  const others = planned
    .filter((p) => p.name !== plan.name && p.start && inspected.has(p.name))
    .filter((p) => ROLE_PORTS[p.role] !== undefined)
    .flatMap((p) =>
      Object.entries(inspected.get(p.name)!.NetworkSettings.Networks)
        .filter(([net]) => !own.has(net))
        .map(([, n]) => n.IPAddress)
        .filter((ip) => ip !== '')
        .map((ip) => `${ip}:${ROLE_PORTS[p.role]}`),
    );
  return { host: [...new Set(host)], others: [...new Set(others)] };
}

/** Findings from the reach probe inside an MCP server. */
export function mcpReachFindings(
  name: string,
  targets: { host: readonly string[]; others: readonly string[] },
  results: Readonly<Record<string, string>>,
): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const reached = (t: string) => results[t] === 'connected' || results[t] === 'ECONNREFUSED';
  for (const t of targets.host.filter(reached))
    out.push(
      finding(
        'VERIFY-McpHostUnreachable',
        name,
        `${results[t] === 'connected' ? 'connected to' : 'was answered (refused) by'} the host at ${t}`,
        "install the host firewall (firewallScript(cells) or AgentHost) with the cell's mcpSubnet: drop new connections from MCP networks to the host",
      ),
    );
  for (const t of targets.others.filter(reached))
    out.push(
      finding(
        'VERIFY-McpIsolation',
        name,
        `reached ${t} (${results[t]}), which is outside its own network`,
        "attach the server to its own network only (McpServerContainer); never to the cell network or another server's",
      ),
    );
  for (const t of [...targets.host, ...targets.others].filter((x) => results[x] === undefined))
    out.push(
      finding(
        'VERIFY-McpIsolation',
        name,
        `the probe did not try ${t}`,
        `run the probe by hand: docker exec ${name} node -e ...`,
      ),
    );
  return out;
}

/** A network an MCP server joins, as the engine reports it. */
export interface McpNetworkView {
  readonly name: string;
  readonly internal: boolean;
  /** Container names on it. */
  readonly members: readonly string[];
}

/**
 * Findings about an MCP server's networks: internal, and shared only with its agent's gateway
 * and, where the plan puts it there (a server with egress), the agent's broker.
 */
export function mcpNetworkFindings(
  name: string,
  gateway: string,
  networks: readonly McpNetworkView[],
  /** The broker the plan puts on each network (by network name), for a server with egress. */
  plannedBrokers: Readonly<Record<string, string>> = {},
): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const n of networks) {
    const broker = plannedBrokers[n.name];
    const planned = broker ? `${name}, ${gateway} and ${broker}` : `${name} and ${gateway}`;
    if (!n.internal)
      out.push(
        finding(
          'VERIFY-McpNoRouteOut',
          name,
          `joins ${n.name}, which is not an internal network`,
          `disconnect it (docker network disconnect ${n.name} ${name}); an MCP server reaches the internet only through its agent's broker`,
        ),
      );
    const extra = n.members.filter((m) => m !== name && m !== gateway && m !== broker).sort();
    if (extra.length > 0 || !n.members.includes(gateway))
      out.push(
        finding(
          'VERIFY-McpNetwork',
          name,
          `network ${n.name} has ${[...n.members].sort().join(', ')}; planned: ${planned} only`,
          `disconnect the others (docker network disconnect ${n.name} <container>) and cdktf deploy`,
        ),
      );
  }
  return out;
}

/** The MCP server names in a gateway's planned config (its OPENCLAW_CONFIG_JSON). */
export function plannedMcpServers(gateway: PlannedContainer): string[] {
  const env: readonly string[] = Array.isArray(gateway.attributes?.env)
    ? gateway.attributes.env
    : [];
  const entry = env.find((e) => e.startsWith('OPENCLAW_CONFIG_JSON='));
  if (!entry) return [];
  try {
    const doc = JSON.parse(entry.slice('OPENCLAW_CONFIG_JSON='.length).replace(/\$\$\{/g, '${'));
    return Object.keys(doc?.mcp?.servers ?? {}).sort();
  } catch {
    return [];
  }
}

/** Findings from `openclaw mcp probe --json` in a gateway: every planned server lists tools. */
export function mcpProbeFindings(
  gateway: string,
  servers: readonly string[],
  probe: Json,
): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const server of servers) {
    const seen = probe?.servers?.[server];
    const tools = (probe?.tools ?? []).filter(
      (t: unknown) => typeof t === 'string' && t.startsWith(`${server}__`),
    );
    if (!seen || !(Number(seen.tools) > 0) || tools.length === 0)
      out.push(
        finding(
          'VERIFY-McpTools',
          gateway,
          `OpenClaw lists no tools of MCP server "${server}" (${JSON.stringify(seen ?? probe?.diagnostics ?? null).slice(0, 200)})`,
          `read docker logs of the server's container and run docker exec ${gateway} ${OPENCLAW_CLI} mcp probe ${server}`,
        ),
      );
  }
  return out;
}

/**
 * The name of the gateway an MCP server belongs to: the planned gateway of its agent on the
 * server's network (the name carries the environment's prefix, so it is looked up, not rebuilt).
 */
export function plannedGatewayOf(
  plan: PlannedContainer,
  planned: readonly PlannedContainer[],
): string {
  const agent = plan.labels['openclaw.agent'];
  return (
    planned.find(
      (p) =>
        p.role === 'gateway' &&
        p.labels['openclaw.agent'] === agent &&
        p.networks.some((n) => plan.networks.some((m) => m.name === n.name)),
    )?.name ?? `openclaw-${agent}-gateway`
  );
}

/** The MCP checks of one running MCP server container. */
export async function mcpServerFindings(
  engine: DockerEngine,
  plan: PlannedContainer,
  c: ContainerInspect,
  planned: readonly PlannedContainer[],
  inspected: ReadonlyMap<string, ContainerInspect>,
  hostPorts: readonly number[],
): Promise<VerifyFinding[]> {
  const gateway = plannedGatewayOf(plan, planned);
  const networks: McpNetworkView[] = [];
  for (const name of Object.keys(c.NetworkSettings.Networks)) {
    const n = await engine.json<Json>('GET', `/networks/${encodeURIComponent(name)}`);
    networks.push({
      name,
      internal: n.Internal === true,
      members: Object.values<Json>(n.Containers ?? {}).map((m) => String(m.Name)),
    });
  }
  // a server with egress shares its network with its broker's listener of it
  const plannedBrokers = Object.fromEntries(
    networks.flatMap((n) =>
      planned
        .filter((p) => p.role === 'credential-broker' && p.networks.some((x) => x.name === n.name))
        .map((p) => [n.name, p.name] as const),
    ),
  );
  const targets = mcpReachTargets(plan, c, planned, inspected, hostPorts);
  const res = await engine.exec(
    plan.name,
    [
      'node',
      '-e',
      reachProbeScript(),
      JSON.stringify({ targets: [...targets.host, ...targets.others], timeoutMs: 1500 }),
    ],
    { timeoutMs: 120_000 },
  );
  let results: Record<string, string> = {};
  try {
    results = JSON.parse(res.stdout.trim().split('\n').pop() ?? '');
  } catch {
    results = {};
  }
  return [
    ...mcpNetworkFindings(plan.name, gateway, networks, plannedBrokers),
    ...mcpReachFindings(plan.name, targets, results),
  ];
}

/** `/run/openclaw/<container>/secrets` of an MCP server container, or a path below or above it. */
const MCP_SECRETS_SOURCE = /^\/run\/openclaw\/([^/]*-mcp-[^/]+)(\/|$)/;

/**
 * Findings about MCP secret files on the engine: an MCP server's secrets directory is mounted
 * read-only into that server's container and into no other container (the gateway least of all).
 * Pure: it reads the containers' inspected mounts.
 */
export function mcpSecretMountFindings(
  containers: ReadonlyMap<string, ContainerInspect>,
): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const [name, c] of containers) {
    for (const m of c.Mounts.filter((x) => x.Type === 'bind')) {
      const source = m.Source.replace(/\/+$/, '');
      const owner = MCP_SECRETS_SOURCE.exec(source)?.[1];
      if (owner === undefined) continue;
      if (owner !== name)
        out.push(
          finding(
            'VERIFY-McpSecrets',
            name,
            `mounts ${m.Source} at ${m.Destination}: the credentials of MCP server ${owner}`,
            `remove the mount and cdktf deploy; only ${owner} mounts its secrets directory`,
          ),
        );
      else if (m.RW)
        out.push(
          finding(
            'VERIFY-McpSecrets',
            name,
            `mounts its secrets directory ${m.Source} writable`,
            'recreate it from the plan (McpServerContainer mounts it read-only)',
          ),
        );
    }
  }
  return out;
}

/** In a gateway with MCP servers: OpenClaw's own probe lists each server's tools. */
export async function gatewayMcpFindings(
  engine: DockerEngine,
  plan: PlannedContainer,
): Promise<VerifyFinding[]> {
  const servers = plannedMcpServers(plan);
  if (servers.length === 0) return [];
  const res = await engine.exec(plan.name, ['sh', '-c', `${OPENCLAW_CLI} mcp probe --json`], {
    timeoutMs: 180_000,
  });
  let probe: Json;
  try {
    probe = JSON.parse(res.stdout.slice(res.stdout.indexOf('{')));
  } catch {
    probe = {
      diagnostics: [
        `mcp probe printed no JSON (exit ${res.exitCode}): ${res.stderr.slice(0, 200)}`,
      ],
    };
  }
  return mcpProbeFindings(plan.name, servers, probe);
}
