/**
 * Issue 16's "done when": adding, removing or changing one agent of the AWS example changes only
 * that agent's resources and the fleet-level documents that list the agents (the host's cells
 * parameter, the grants on the host's role, the review reminder and the tailnet policy, each
 * updated in place). The host's stack, the instance's user data with it, and every other agent's
 * resources stay byte for byte the same.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { CredentialRotation, FleetAgent, RiskProfile } from '../../src';
import { AgentHostStack } from '../../examples/agent-host/stack';
import { fleetAgents, FleetStacks } from '../../examples/fleet/stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Stacks = Record<string, Json>;

/** The AWS example with these agents, synthesized: every stack's JSON by stack name. */
function synthAws(agents: (gatewayToken: CredentialRotation) => readonly FleetAgent[]): Stacks {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'changing-agents-'));
  try {
    const app = new App({ outdir });
    new FleetStacks(app, new AgentHostStack(app, 'agent-host'), agents);
    app.synth();
    const stacks: Stacks = {};
    for (const name of fs.readdirSync(path.join(outdir, 'stacks'))) {
      stacks[name] = JSON.parse(
        fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'),
      );
    }
    return stacks;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every resource, data source, local and output of every stack, by `<stack> <address>`. */
function items(stacks: Stacks): Map<string, string> {
  const out = new Map<string, string>();
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [type, byName] of Object.entries<Json>(json.resource ?? {}))
      for (const [name, body] of Object.entries(byName))
        out.set(`${stack} ${type}.${name}`, JSON.stringify(body));
    for (const [type, byName] of Object.entries<Json>(json.data ?? {}))
      for (const [name, body] of Object.entries(byName))
        out.set(`${stack} data.${type}.${name}`, JSON.stringify(body));
    for (const [name, body] of Object.entries<Json>(json.locals ?? {}))
      out.set(`${stack} local.${name}`, JSON.stringify(body));
    for (const [name, body] of Object.entries<Json>(json.output ?? {}))
      out.set(`${stack} output.${name}`, JSON.stringify(body));
  }
  return out;
}

/** The items that differ between two syntheses (added, removed or changed). */
function differences(a: Stacks, b: Stacks): string[] {
  const x = items(a);
  const y = items(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((k) => x.get(k) !== y.get(k)).sort();
}

/** Whether an item belongs to one agent: its Terraform name carries the agent's. */
function ofAgent(item: string, agent: string): boolean {
  const local = `openclaw_config_fleet_${agent.replace(/-/g, '_')}_`;
  return (
    new RegExp(
      `[. ]openclaw-${agent}-|[. ]openclaw-${agent}$|openclaw-${agent}-broker-rolearn$`,
    ).test(item) || item.includes(local)
  );
}

/** The fleet-level items that list the agents; each is updated in place, never replaced. */
const FLEET_DOCUMENTS = [
  'agents output.tailnet_policy',
  'agents-identity aws_ssm_parameter.openclaw-host-1-cells',
  'agents-identity aws_iam_role_policy.openclaw-host-1-agents',
  'agents-identity aws_iam_role_policy.openclaw-host-1-logs',
  'agents-identity aws_scheduler_schedule.openclaw-audit-monthly-review',
  // the rotation function's role may touch exactly the agents' gateway tokens and keys
  'agents-identity aws_iam_role_policy.openclaw-rotate-gateway-token',
];

type Agents = (gatewayToken: CredentialRotation) => FleetAgent[];
const research = (gatewayToken: CredentialRotation): FleetAgent => ({
  profile: RiskProfile.research(['docs.python.org:443']),
  allow: ['group:research'],
  gatewayToken,
  credentials: [fleetAgents(gatewayToken)[0].credentials[0]],
});

const base = synthAws(fleetAgents);
/** Each variant, and how many of its agent's own items change at least (all of them, or one). */
const variants: { what: string; agent: string; agents: Agents; own: number }[] = [
  { what: 'adding', agent: 'research', agents: (t) => [...fleetAgents(t), research(t)], own: 30 },
  {
    what: 'removing',
    agent: 'messaging',
    own: 40,
    agents: (t) => fleetAgents(t).filter((a) => a.profile.name !== 'messaging'),
  },
  {
    what: 'changing',
    agent: 'calendar-and-mail',
    // a process limit: the gateway container and the cell's slice in the cells parameter
    own: 1,
    agents: (t) =>
      fleetAgents(t).map((a) =>
        a.profile.name === 'calendar-and-mail'
          ? { ...a, allow: ['group:assistants', 'group:executives'], maxProcesses: 150 }
          : a,
      ),
  },
];

describe.each(variants)('$what the agent $agent', ({ agent, agents, own }) => {
  const variant = synthAws(agents);
  const changed = differences(base, variant);

  test("THEN the host's stack is the same, the instance's user data included", () => {
    expect(variant['agent-host']).toEqual(base['agent-host']);
    const instance = (s: Stacks) => s['agent-host'].resource.aws_instance['openclaw-host-1'];
    expect(instance(base).user_data_base64).toMatch(/^\$\{base64gzip\(/);
    expect(instance(variant).user_data_base64).toBe(instance(base).user_data_base64);
  });

  test("THEN only that agent's resources and the fleet's documents differ", () => {
    expect(changed.filter((k) => !ofAgent(k, agent) && !FLEET_DOCUMENTS.includes(k))).toEqual([]);
    // and the agent's own resources are among the changes, so the filter is not vacuous
    expect(changed.filter((k) => ofAgent(k, agent)).length).toBeGreaterThanOrEqual(own);
    // the cells parameter lists the agent (or no longer does)
    expect(changed).toContain('agents-identity aws_ssm_parameter.openclaw-host-1-cells');
  });

  test("THEN every other agent's resources are byte for byte the same", () => {
    const others = fleetAgents({ dangerouslyNoRotation: { reason: 'names only' } })
      .map((a) => a.profile.name)
      .filter((n) => n !== agent);
    const before = items(base);
    const after = items(variant);
    for (const other of others) {
      const theirs = [...before.keys()].filter((k) => ofAgent(k, other));
      expect(theirs.length).toBeGreaterThan(10);
      for (const k of theirs) expect([k, after.get(k)]).toEqual([k, before.get(k)]);
    }
  });
});

test('the agent filter tells agents apart (calendar-and-mail is not messaging)', () => {
  expect(ofAgent('agents docker_container.openclaw-messaging-gateway', 'messaging')).toBe(true);
  expect(ofAgent('agents docker_network.openclaw-messaging', 'messaging')).toBe(true);
  expect(ofAgent('agents docker_container.openclaw-calendar-and-mail-gateway', 'messaging')).toBe(
    false,
  );
  expect(ofAgent('agents-identity aws_ssm_parameter.openclaw-host-1-cells', 'messaging')).toBe(
    false,
  );
});
