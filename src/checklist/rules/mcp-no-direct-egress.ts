import { blocks, envOf, isGatewayContainer, labelsOf, list, referenced } from '../inspect';
import {
  compliant,
  nonCompliant,
  notApplicable,
  ResourceRule,
  TfResource,
  undecidable,
} from '../model';
import { onlyInternalNetworks } from './gateway-no-egress';
import { containersOn, isMcpContainer } from './mcp-container';
import { brokerConfigOf, isBroker } from './no-shared-credentials';
import { MCP_EGRESS_LABEL, MCP_UPSTREAMS_LABEL } from '../../mcp/mcp-egress';
import { publicHostPortProblem } from '../../../broker/src/connect-policy';

/**
 * Item 4 for MCP servers: a server reaches nothing beyond what it declares. It joins only
 * internal networks (no route out of its own), and each of them is shared with a gateway only
 * (not with another server or cell), and with the agent's broker only where the broker runs a
 * listener of that server alone: bound to its address on that network, serving only the server,
 * with no CONNECT target or route the server did not declare (its `openclaw.mcp-egress` and
 * `openclaw.mcp-upstreams` labels), while the broker's main listener (the cell's keys) is bound
 * elsewhere.
 */
export const mcpNoDirectEgress: ResourceRule = (container, stack) => {
  if (!isMcpContainer(container, stack)) return notApplicable();
  const internal = onlyInternalNetworks(container, stack, 'the MCP server');
  if (internal.compliance !== 'compliant') return internal;
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const n of blocks(container.attributes.networks_advanced)) {
    const network =
      referenced(stack, n.name) ??
      stack.resources.find((r) => r.type === 'docker_network' && r.attributes.name === n.name);
    if (!network) continue; // onlyInternalNetworks has judged it
    const others = containersOn(stack, network).filter((c) => c.address !== container.address);
    const gateways = others.filter((c) => isGatewayContainer(c, stack));
    const brokers = others.filter((c) => !isGatewayContainer(c, stack) && isBroker(c));
    const strangers = others.filter((c) => !gateways.includes(c) && !brokers.includes(c));
    for (const b of brokers) {
      const verdict = brokerListenerProblems(b, network, container, n.ipv4_address);
      if (verdict === 'unreadable')
        unknown.push(
          `the BROKER_CONFIG of ${b.address} cannot be read at synth time, so what the server reaches through it is unknown`,
        );
      else problems.push(...verdict);
    }
    if (strangers.length > 0)
      problems.push(
        `network ${network.address} is shared with ${strangers.map((c) => c.address).join(', ')}, so the server reaches more than its gateway`,
      );
    if (gateways.length > 1)
      problems.push(`network ${network.address} is shared by more than one gateway`);
    if (brokers.length > 1)
      problems.push(`network ${network.address} is shared by more than one broker`);
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};

/** Why the broker on the server's network lets it reach more than it declared ([] if nothing). */
function brokerListenerProblems(
  broker: TfResource,
  network: TfResource,
  server: TfResource,
  serverAddress: unknown,
): string[] | 'unreadable' {
  const config = brokerConfigOf(broker);
  if (!config && envOf(broker).has('BROKER_CONFIG')) return 'unreadable';
  const ref = `\${${network.type}.${network.name}.name}`;
  const joined = blocks(broker.attributes.networks_advanced).find(
    (b) => b.name === ref || b.name === network.attributes.name,
  );
  const address = joined?.ipv4_address;
  const at = `${broker.address} on ${network.address}`;
  const main = blocks([config?.listen])[0] ?? {};
  const listener = blocks(config?.listeners).find(
    (l) => blocks([l.listen])[0]?.host === address && typeof address === 'string',
  );
  if (!listener)
    return [
      `${at} has no listener of this server bound to its address there${typeof address === 'string' ? ` (${address})` : ' (it has no fixed address)'}, so the server reaches the broker's main listener and the cell's routes`,
    ];
  const problems: string[] = [];
  if (main.host === undefined || main.host === '0.0.0.0' || main.host === address)
    problems.push(
      `${at}: the main listener listens on ${String(main.host ?? 'every interface')}, so the server reaches the cell's routes; bind it to the broker's cell network address`,
    );
  const declared = (label: string) =>
    new Set(
      (labelsOf(server).get(label) ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s !== ''),
    );
  const hosts = declared(MCP_EGRESS_LABEL);
  const routes = declared(MCP_UPSTREAMS_LABEL);
  const beyond = list(listener.connectAllowlist)
    .map((h) => String(h).toLowerCase())
    .filter((h) => !hosts.has(h));
  if (beyond.length > 0)
    problems.push(
      `${at}: the server's listener allows CONNECT to ${beyond.join(', ')}, which the server did not declare (${MCP_EGRESS_LABEL}: ${[...hosts].join(', ') || 'none'}); declare them in the server's egress or remove them`,
    );
  const inexact = list(listener.connectAllowlist)
    .map(String)
    .filter((h) => publicHostPortProblem(h) !== undefined);
  if (inexact.length > 0)
    problems.push(
      `${at}: the server's listener allows CONNECT to ${inexact.join(', ')}, not an exact public host:port`,
    );
  if (list(listener.connectPrivateTargets).length > 0)
    problems.push(`${at}: the server's listener allows CONNECT to private addresses`);
  const extraRoutes = blocks(listener.upstreams)
    .map((u) => String(u.name))
    .filter((u) => !routes.has(u));
  if (extraRoutes.length > 0)
    problems.push(
      `${at}: the server's listener routes ${extraRoutes.join(', ')}, which the server did not declare (${MCP_UPSTREAMS_LABEL}: ${[...routes].join(', ') || 'none'})`,
    );
  const clients = list(listener.clients).map(String);
  if (typeof serverAddress !== 'string' || clients.length !== 1 || clients[0] !== serverAddress)
    problems.push(
      `${at}: the server's listener serves ${clients.length > 0 ? clients.join(', ') : 'any client'}, not the server's own address alone, so the gateway can use the server's egress and keys`,
    );
  return problems;
}
