import { App } from 'cdktf';
import { OpenClawChecklist } from '../src';
import { AgentHostStack } from './agent-host/stack';
import { AgentSecretsStack } from './aws-secrets/stack';
import { DockerHostStacks } from './docker-host/stack';
import { FleetStacks } from './fleet/stack';
import { GatewayConfigStack } from './gateway-config/stack';
import { useRelativeLocalState } from './state';

/** The examples, by the name `OPENCLAW_EXAMPLE` (or `npm run synth -- <name>`) picks. */
export const EXAMPLES = {
  /**
   * An EC2 host of its own (`agent-host`, knowing nothing of the agents; its tailnet key put by
   * `agent-host-key`) running a fleet of two profiles (`agents`, with their AWS side, the host's
   * grant and cells parameter, the rotation function and the audit trail in `agents-identity`).
   * Apply in that order: agent-host, agent-host-key, agents-identity, agents.
   */
  aws: (app: App) => {
    new FleetStacks(app, new AgentHostStack(app, 'agent-host'));
  },
  /** One cell built from the building blocks, on any Docker host (`gateway-config`). */
  'gateway-config': (app: App) => {
    new GatewayConfigStack(app, 'gateway-config');
  },
  /**
   * A fleet of two profiles on any Docker host (`docker-host-agents`), its AWS side and audit
   * trail in `docker-host-identity`.
   */
  'docker-host': (app: App) => {
    new DockerHostStacks(app);
  },
  /** An agent's credentials in Secrets Manager alone (`agent-secrets`). */
  'agent-secrets': (app: App) => {
    new AgentSecretsStack(app, 'agent-secrets');
  },
} as const;

export type ExampleName = keyof typeof EXAMPLES;

/**
 * Builds the named examples (every one when `names` is empty), keeps their state by relative
 * paths, then adds the hardening checklist to every stack: errors fail synth, reports land next
 * to each cdk.tf.json.
 */
export function buildExamples(app: App, names: readonly string[] = []): void {
  const unknown = names.filter((n) => !(n in EXAMPLES));
  if (unknown.length > 0) {
    throw new Error(
      `unknown example "${unknown.join('", "')}"; pick from ${Object.keys(EXAMPLES).join(', ')}`,
    );
  }
  const chosen = names.length > 0 ? names : Object.keys(EXAMPLES);
  for (const name of chosen) EXAMPLES[name as ExampleName](app);
  useRelativeLocalState(app);
  OpenClawChecklist.check(app);
}

if (require.main === module) {
  const app = new App();
  const names = (process.env.OPENCLAW_EXAMPLE ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  buildExamples(app, names);
  app.synth();
}
