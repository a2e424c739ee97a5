import { App } from 'cdktf';
import { OpenClawChecklist } from '../src';
import { AgentHostStack } from './agent-host/stack';
import { AgentSecretsStack } from './aws-secrets/stack';
import { FleetStacks } from './fleet/stack';
import { GatewayConfigStack } from './gateway-config/stack';

/** Every example stack, synthesized into ./cdktf.out/stacks/<stack>/cdk.tf.json. */
export function buildExamples(app: App): void {
  // two risk profiles side by side (AgentFleet), on the same host as the single research cell
  const fleet = new FleetStacks(app);
  const host = new AgentHostStack(app, 'agent-host', fleet.hostNeeds());
  new GatewayConfigStack(app, 'gateway-config', host);
  new AgentSecretsStack(app, 'agent-secrets');
  // the hardening checklist on every stack: errors fail synth, reports land next to cdk.tf.json
  OpenClawChecklist.check(app);
}

if (require.main === module) {
  const app = new App();
  buildExamples(app);
  app.synth();
}
