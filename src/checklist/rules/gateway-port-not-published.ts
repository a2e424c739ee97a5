import { OPENCLAW_GATEWAY_PORT } from '../../openclaw/render-config';
import { blocks, block, describe, flag, list, runsGateway } from '../inspect';
import {
  compliant,
  isContainer,
  isUnresolved,
  nonCompliant,
  notApplicable,
  ResourceRule,
  RuleOutcome,
  TfResource,
  undecidable,
} from '../model';

/**
 * Item 1: no container publishes 18789, and nothing is published beyond the host's loopback; no
 * ECS load balancer or Kubernetes service publishes a cell's 18789 (or, for a service, anything
 * beyond the cluster).
 */
export const gatewayPortNotPublished: ResourceRule = (container, stack) => {
  if (container.type === 'aws_ecs_service') return ecsServicePorts(container);
  if (/^kubernetes_service(_v1)?$/.test(container.type)) return kubernetesServicePorts(container);
  if (!isContainer(container)) return notApplicable();
  const problems: string[] = [];
  const unknown: string[] = [];
  const all = flag(container.attributes.publish_all_ports);
  if (all === true) problems.push('publish_all_ports is true');
  if (all === 'unknown')
    unknown.push(`publish_all_ports is ${describe(container.attributes.publish_all_ports)}`);
  for (const port of blocks(container.attributes.ports)) {
    const { internal, external, ip } = port;
    if ([internal, external, ip].some(isUnresolved)) {
      unknown.push(`port ${JSON.stringify(port)} is not resolved`);
      continue;
    }
    if (Number(internal) === OPENCLAW_GATEWAY_PORT || Number(external) === OPENCLAW_GATEWAY_PORT) {
      problems.push(
        `publishes port ${OPENCLAW_GATEWAY_PORT} (${internal} -> ${ip ?? '0.0.0.0'}:${external ?? internal})`,
      );
    } else if (ip !== '127.0.0.1' && ip !== '::1') {
      problems.push(`publishes port ${internal} on ${ip ?? '0.0.0.0 (every interface)'}`);
    }
  }
  if (container.attributes.network_mode === 'host' && runsGateway(container, stack)) {
    problems.push('runs the gateway in the host network namespace, so 18789 is open on the host');
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
};

/** An ECS service running a cell's task: no load balancer reaches 18789. */
function ecsServicePorts(service: TfResource): RuleOutcome {
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const lb of blocks(service.attributes.load_balancer)) {
    if (isUnresolved(lb.container_port))
      unknown.push(`load_balancer.container_port is ${describe(lb.container_port)}`);
    else if (Number(lb.container_port) === OPENCLAW_GATEWAY_PORT)
      problems.push(
        `a load balancer forwards to ${String(lb.container_name)}:${OPENCLAW_GATEWAY_PORT}`,
      );
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
}

/**
 * A Kubernetes service selecting a cell's pods: it publishes nothing on 18789, and nothing beyond
 * the cluster (NodePort, LoadBalancer, external IPs).
 */
function kubernetesServicePorts(service: TfResource): RuleOutcome {
  const spec = block(service.attributes.spec);
  const problems: string[] = [];
  const unknown: string[] = [];
  const type = spec.type ?? 'ClusterIP';
  if (isUnresolved(type)) unknown.push(`spec.type is ${describe(type)}`);
  else if (type === 'NodePort' || type === 'LoadBalancer')
    problems.push(`spec.type ${describe(type)} publishes the cell's pods beyond the cluster`);
  if (list(spec.external_ips).length > 0)
    problems.push(`spec.external_ips ${describe(spec.external_ips)} publish the cell's pods`);
  for (const port of blocks(spec.port)) {
    const target = port.target_port ?? port.port;
    if (isUnresolved(target)) unknown.push(`port ${describe(port)} is not resolved`);
    else if (
      Number(target) === OPENCLAW_GATEWAY_PORT ||
      Number(port.port) === OPENCLAW_GATEWAY_PORT
    )
      problems.push(
        `publishes port ${OPENCLAW_GATEWAY_PORT} to the cluster (port ${String(port.port)} -> ${String(target)})`,
      );
  }
  if (problems.length > 0) return nonCompliant(...problems);
  return unknown.length > 0 ? undecidable(...unknown) : compliant();
}
