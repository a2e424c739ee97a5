import { envOf, runsGateway } from '../inspect';
import { compliant, nonCompliant, notApplicable, ResourceRule } from '../model';

/** Item 3: a gateway container (docker, ECS or Kubernetes) runs with OPENCLAW_DISABLE_BONJOUR=1. */
export const containerBonjourOff: ResourceRule = (container, stack) => {
  if (!runsGateway(container, stack)) return notApplicable();
  const value = envOf(container).get('OPENCLAW_DISABLE_BONJOUR');
  return value === '1'
    ? compliant()
    : nonCompliant(`OPENCLAW_DISABLE_BONJOUR is ${value === undefined ? 'unset' : `"${value}"`}`);
};
