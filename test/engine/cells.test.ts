/**
 * GIVEN the docker-host example's two cells, applied to a real Docker engine exactly as the
 *       kreuzwerker provider creates them (test/engine/harness.ts), on a host prepared as
 *       AgentHost prepares it
 * WHEN `verify` checks them against the synthesized stack
 * THEN every hardening holds for real (no finding), the sidecar got its key from the key drop,
 *      and each weakening verify checks is found, naming the container and the fix.
 *
 * The Tailscale sidecar runs the stand-in image (README, "The engine test images"); every other
 * attribute of its resource is as synthesized. awslogs is swapped for json-file (no AWS here).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { DockerHostStacks } from '../../examples/docker-host/stack';
import { OpenClawChecklist } from '../../src';
import { HostCell } from '../../src/host/user-data';
import { VerifyFinding } from '../../src/verify/checks';
import { plannedContainers, PlannedContainer } from '../../src/verify/plan';
import { verifyDeployment } from '../../src/verify/verify';
import { main as verifyCli } from '../../src/cli/verify';
import { EngineHarness, FAKE_TAILNET_KEY } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

jest.setTimeout(900_000);

const harness = new EngineHarness();
const GATEWAY_TOKEN = 'engine-test-gateway-token-0123456789abcdef';
let stack: Json;
let outdir: string;
let cells: HostCell[];
let planned: PlannedContainer[];

/** Waits by the clock for a gateway to answer /healthz on its cell address; throws with its logs. */
async function waitForGateway(name: string, address: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 240_000) {
    try {
      const res = await fetch(`http://${address}:18789/healthz`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
    } catch {
      // not yet
    }
    const c = await harness.engine.inspectContainer(name);
    if (c && !c.State.Running) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const logs = await harness.engine.request('GET', `/containers/${name}/logs?stdout=1&stderr=1&tail=80`);
  throw new Error(`${name} did not answer /healthz on ${address}:18789; its logs:\n${logs.body.toString().replace(/[\x00-\x08]/g, '')}`);
}

/**
 * What `terraform apply` of the identity stack would put in its outputs: the role ARNs (account
 * and role name from the stack itself). Anything else is refused.
 */
function identityOutput(identity: Json, ref: string): string | undefined {
  const m = /^data\.terraform_remote_state\.[^.]+\.outputs\.(.+)$/.exec(ref);
  if (!m) return undefined;
  const value = identity.output?.[m[1]]?.value;
  const role = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(String(value));
  if (!role) return undefined;
  return `arn:aws:iam::123456789012:role/${identity.resource.aws_iam_role[role[1]].name}`;
}

beforeAll(async () => {
  await harness.assertEngine();
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-cells-'));
  const app = new App({ outdir });
  const example = new DockerHostStacks(app);
  OpenClawChecklist.check(app);
  app.synth();
  stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'docker-host-agents', 'cdk.tf.json'), 'utf8'));
  cells = example.fleet.hostCells('docker-host');
  const identity = JSON.parse(
    fs.readFileSync(path.join(outdir, 'stacks', 'docker-host-identity', 'cdk.tf.json'), 'utf8'),
  );
  await harness.apply(stack, {
    containers: (name) => name.startsWith('openclaw-team-'),
    cells,
    gatewayToken: GATEWAY_TOKEN,
    crossStack: (ref) => identityOutput(identity, ref),
    hostFiles: {
      '/srv/openclaw/aws/credentials': '[default]\naws_access_key_id = AKIAENGINETESTFAKE00\naws_secret_access_key = engine-test-not-a-key\n',
    },
  });
  planned = plannedContainers('docker-host-agents', stack);
  await new Promise((r) => setTimeout(r, 3000));
  for (const p of planned.filter((x) => x.start)) {
    const c = await harness.engine.inspectContainer(p.name);
    if (!c?.State.Running || c.State.Restarting)
      process.stdout.write(`${p.name} is ${c?.State.Status}; its logs:\n${await harness.logs(p.name)}\n`);
  }
  for (const agent of Object.values(example.fleet.agents))
    await waitForGateway(`${agent.hostCell.gateway}`, agent.addresses.gateway);
});

afterAll(async () => {
  await harness.cleanup();
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

describe('the docker-host example on a real engine', () => {
  let findings: VerifyFinding[];
  test('verify finds nothing: every hardening holds on the running cells', async () => {
    findings = await verifyDeployment(harness.engine, planned, { hostPorts: [22] });
    expect(findings).toEqual([]);
  });

  test('the sidecar read its auth key from the file the key drop wrote, and no container config holds it', async () => {
    for (const p of planned.filter((x) => x.role === 'tailnet-sidecar')) {
      const key = await harness.engine.exec(p.name, ['cat', '/var/lib/tailscale/authkey']);
      expect(key.stdout).toBe(FAKE_TAILNET_KEY);
      const info = await harness.engine.inspectContainer(p.name);
      expect(info?.State.Running).toBe(true);
      expect(JSON.stringify(info)).not.toContain(FAKE_TAILNET_KEY);
    }
    for (const p of planned.filter((x) => x.role === 'tailnet-key-drop')) {
      const info = await harness.engine.inspectContainer(p.name);
      expect(info?.State.Running).toBe(false);
      expect(JSON.stringify(info)).not.toContain(FAKE_TAILNET_KEY);
    }
  });

  test('the CLI prints the same verdict', async () => {
    let out = '';
    const code = await verifyCli([outdir, '--stack', 'docker-host-agents', '--format', 'json'], {
      out: (t) => (out += t),
      err: () => undefined,
      engine: harness.engine,
    });
    expect(JSON.parse(out).findings).toEqual([]);
    expect(code).toBe(0);
  });
});
