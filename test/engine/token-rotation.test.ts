/**
 * GIVEN two gateways of the docker-host example running on a real Docker engine with the same
 *       old token, prepared as the host prepares them (test/engine/harness.ts)
 * WHEN a rotation of one gateway's token is under way (an AWSPENDING version) and the host's
 *      reconciler (runtime/host/openclaw-reconcile) runs, with aws, systemctl and iptables as
 *      stand-ins (no AWS, and the harness owns this machine's firewall) and the real docker CLI
 * THEN only that gateway restarted (its StartedAt moved, the other's did not), it accepts the
 *      new token and refuses the old one, the other still takes its own, and the reconciler
 *      recorded the version for the rotation function.
 */
import { spawn, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { DockerHostStacks } from '../../examples/docker-host/stack';
import { cellsDocument } from '../../src/host/cells-document';
import { HostCell, reconcilerScript } from '../../src/host/user-data';
import { EngineHarness, STAND_IN_ROLE } from './harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

jest.setTimeout(900_000);

const harness = new EngineHarness();
const OLD = 'engine-rotation-old-token-0123456789abcdef';
const NEW = 'engine-rotation-new-token-fedcba9876543210';
const ROTATED = 'openclaw-team-research-gateway';
const OTHER = 'openclaw-team-chat-gateway';
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-rotation-'));
let cells: HostCell[];
/** What the reconciler writes on this machine outside the harness's paths, removed after. */
const reconcilerPaths: string[] = ['/var/lib/openclaw/reconciler', '/run/openclaw/reconciler'];

async function addressOf(name: string): Promise<string> {
  const c: Json = await harness.engine.inspectContainer(name);
  return Object.values<Json>(c.NetworkSettings.Networks)[0].IPAddress;
}

async function startedAt(name: string): Promise<string> {
  const c: Json = await harness.engine.inspectContainer(name);
  return c.State.StartedAt;
}

async function invoke(name: string, token: string): Promise<number> {
  const res = await fetch(`http://${await addressOf(name)}:18789/tools/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ tool: 'session_status', args: {} }),
    signal: AbortSignal.timeout(30_000),
  });
  return res.status;
}

/** Waits by the clock until the gateway answers /healthz. */
async function healthy(name: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 240_000) {
    try {
      const res = await fetch(`http://${await addressOf(name)}:18789/healthz`, {
        signal: AbortSignal.timeout(3000),
      });
      if (res.status === 200) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${name} did not answer /healthz; its logs:\n${await harness.logs(name)}`);
}

beforeAll(async () => {
  await harness.ready();
  const outdir = path.join(work, 'out');
  const app = new App({ outdir });
  const example = new DockerHostStacks(app);
  app.synth();
  const stack = JSON.parse(
    fs.readFileSync(path.join(outdir, 'stacks', 'docker-host-agents', 'cdk.tf.json'), 'utf8'),
  );
  cells = example.fleet
    .hostCells('docker-host')
    .filter((c) => [ROTATED, OTHER].includes(c.gateway));
  expect(cells.map((c) => c.gateway).sort()).toEqual([OTHER, ROTATED]);
  await harness.apply(stack, {
    containers: (name) => name === ROTATED || name === OTHER,
    cells,
    gatewayToken: OLD,
    crossStack: STAND_IN_ROLE,
  });
  await harness.waitRunning(ROTATED);
  await harness.waitRunning(OTHER);
  await healthy(ROTATED);
  await healthy(OTHER);
});

afterAll(async () => {
  for (const p of reconcilerPaths) fs.rmSync(p, { recursive: true, force: true });
  for (const c of cells ?? []) fs.rmSync(`/etc/systemd/system/${c.slice}`, { force: true });
  fs.rmSync(work, { recursive: true, force: true });
  await harness.cleanup();
});

test('only the rotated gateway restarts; it takes the new token and refuses the old; the version is recorded', async () => {
  expect(await invoke(ROTATED, OLD)).toBe(200);
  const before = { rotated: await startedAt(ROTATED), other: await startedAt(OTHER) };

  // stand-ins for what is not here: Secrets Manager and SSM (aws), systemd, iptables
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  const stub = path.resolve(__dirname, '../host/reconciler/stub.py');
  for (const s of ['aws', 'systemctl', 'iptables'])
    fs.writeFileSync(path.join(bin, s), `#!/bin/sh\nexec ${PYTHON} ${stub} ${s} "$@"\n`, {
      mode: 0o755,
    });
  const world = path.join(work, 'world.json');
  const secret = (c: HostCell) => c.gatewayTokenSecret;
  fs.writeFileSync(
    world,
    JSON.stringify({
      cells: cellsDocument(cells),
      secrets: Object.fromEntries(
        cells.map((c) => [
          secret(c),
          c.gateway === ROTATED
            ? { stages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }, values: { v1: OLD, v2: NEW } }
            : { stages: { v1: ['AWSCURRENT'] }, values: { v1: OLD } },
        ]),
      ),
    }),
  );
  const settings = path.join(work, 'reconciler.json');
  fs.writeFileSync(
    settings,
    JSON.stringify({ region: 'eu-west-1', parameter: '/openclaw/hosts/docker-host/cells' }),
  );
  const script = path.join(work, 'openclaw-reconcile');
  fs.writeFileSync(script, reconcilerScript());
  const log = path.join(work, 'calls.jsonl');
  const done = await new Promise<{ status: number | null; out: string }>((resolve) => {
    const child = spawn(PYTHON, [script, '--root', '/', '--settings', settings], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STUB_LOG: log, STUB_WORLD: world },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (status) => resolve({ status, out }));
  });
  process.stdout.write(done.out);
  expect(done.out).toContain(`${ROTATED}: uses token version v2; recorded for the rotation`);
  expect(done.status).toBe(0);

  const after = { rotated: await startedAt(ROTATED), other: await startedAt(OTHER) };
  expect(after.rotated).not.toBe(before.rotated);
  expect(after.other).toBe(before.other);
  expect(await invoke(ROTATED, NEW)).toBe(200);
  expect(await invoke(ROTATED, OLD)).toBe(401);
  expect(await invoke(OTHER, OLD)).toBe(200);
  const recorded = JSON.parse(fs.readFileSync(world, 'utf8')).secrets[
    secret(cells.find((c) => c.gateway === ROTATED)!)
  ];
  expect(recorded.tags).toEqual([{ Key: 'openclaw:applied-version', Value: 'v2' }]);
  const file = `/run/openclaw/${ROTATED}/secrets/gateway-token`;
  expect(fs.readFileSync(file, 'utf8')).toBe(NEW);
  expect([fs.statSync(file).mode & 0o777, fs.statSync(file).uid]).toEqual([0o600, 1000]);
});
