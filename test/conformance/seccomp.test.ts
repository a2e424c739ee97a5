/**
 * The library's seccomp profile, enforced by the kernel through libseccomp (as runc would load
 * it, with no-new-privileges), proves two things:
 * - GIVEN the filter THEN every syscall the profile lists as denied fails with EPERM, namespace
 *   flags on clone fail, clone3 answers ENOSYS, and ordinary calls still work;
 * - GIVEN the filter AND the container's own start script THEN the real OpenClaw gateway (Node 24)
 *   starts, answers /healthz and refuses unauthenticated tool calls: the profile is not so strict
 *   that the gateway cannot run.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { renderSeccompProfile, SeccompProfile } from '../../src';
import { startScript } from '../../src/container/hardened-container';
import { DENIED_SYSCALLS } from '../../src/container/seccomp-profile';
import { REQUIRED_DENIALS } from '../required-denials';
import { loopbackOnFreePort } from './configs';
import {
  assertOracleInstalled,
  groupMembers,
  ORACLE_CLI,
  ORACLE_NODE,
  RunningGateway,
  startGatewayCommand,
  waitForHealth,
} from './oracle';

jest.setTimeout(320_000);

const root = path.resolve(__dirname, '..', '..');
const binary = path.join(root, '.cache', 'seccomp-run');
const rulesFile = path.join(root, '.cache', 'seccomp-rules.txt');

/** Translates the Docker-format profile into the helper's rules, with Docker's semantics. */
function rulesFor(profile: SeccompProfile): string {
  const lines = [`default ${profile.defaultErrnoRet}`];
  for (const rule of profile.syscalls) {
    for (const name of rule.names) {
      if (rule.action === 'SCMP_ACT_ERRNO') {
        lines.push(`errno ${name} ${rule.errnoRet ?? 1}`);
      } else if (rule.args && rule.args.length > 0) {
        for (const a of rule.args)
          lines.push(`allow_masked_eq ${name} ${a.index} ${a.value} ${a.valueTwo}`);
      } else {
        lines.push(`allow ${name}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function run(args: string[]): Map<string, { result: number; errno: number }> {
  const out = execFileSync(binary, [rulesFile, ...args], { encoding: 'utf8' });
  const results = new Map<string, { result: number; errno: number }>();
  for (const line of out.trim().split('\n')) {
    const [name, result, errno] = line.split(' ');
    results.set(name, { result: Number(result), errno: Number(errno) });
  }
  return results;
}

beforeAll(() => {
  const source = path.join(__dirname, 'seccomp', 'seccomp-run.c');
  const cc = spawnSync('cc', ['-O2', '-Wall', '-o', binary, source, '-l:libseccomp.so.2'], {
    encoding: 'utf8',
  });
  if (cc.status !== 0) {
    throw new Error(
      `cannot build the seccomp helper (needs cc and libseccomp.so.2):\n${cc.stderr}`,
    );
  }
  fs.writeFileSync(rulesFile, rulesFor(renderSeccompProfile()));
});

test('the filter is active and ordinary syscalls still work', () => {
  const r = run(['probe', 'getppid', 'kcmp']);
  expect(r.get('getppid')!.result).toBeGreaterThan(0);
  expect(r.get('kcmp')).toEqual({ result: -1, errno: 1 });
});

// vhangup is left out: it acts on the calling terminal if a broken filter let it through.
const probed = DENIED_SYSCALLS.filter((n) => n !== 'vhangup');

test('every denied syscall fails with EPERM under the filter', () => {
  const r = run(['probe', ...probed]);
  // a name this architecture does not have is printed as "unknown" (NaN here) and cannot be called
  const known = [...r.entries()].filter(([, v]) => !Number.isNaN(v.result));
  expect(known.length).toBeGreaterThan(probed.length * 0.8);
  expect(known.filter(([, v]) => !(v.result === -1 && v.errno === 1))).toEqual([]);
  for (const name of REQUIRED_DENIALS) {
    expect([name, r.get(name)]).toEqual([name, { result: -1, errno: 1 }]);
  }
});

test('clone makes processes but not namespaces; clone3 answers ENOSYS', () => {
  expect(run(['clone', '0']).get('clone')).toEqual({ result: 0, errno: 0 });
  expect(run(['clone', String(0x10000000)]).get('clone')).toEqual({ result: -1, errno: 1 }); // CLONE_NEWUSER
  expect(run(['clone', String(0x40000000)]).get('clone')).toEqual({ result: -1, errno: 1 }); // CLONE_NEWNET
  expect(run(['clone', String(0x00020000)]).get('clone')).toEqual({ result: -1, errno: 1 }); // CLONE_NEWNS
  expect(run(['probe', 'clone3']).get('clone3')).toEqual({ result: -1, errno: 38 });
});

let gateway: RunningGateway | undefined;
afterAll(async () => {
  await gateway?.stop();
});

test('the real gateway runs under the filter through the container start script', async () => {
  assertOracleInstalled();
  const { home, port, rendered } = await loopbackOnFreePort();
  const configFile = path.join(home.stateDir, 'openclaw.json');
  const script = startScript({ configFile, command: `${ORACLE_NODE} ${ORACLE_CLI} gateway run` });
  gateway = startGatewayCommand(home, binary, [rulesFile, 'exec', '/bin/sh', '-c', script], {
    OPENCLAW_CONFIG_JSON: JSON.stringify(rendered.document),
  });
  const health = await waitForHealth(gateway, `http://127.0.0.1:${port}`);
  expect(JSON.parse(health.body)).toMatchObject({ ok: true, status: 'live' });
  // every process of the gateway runs in seccomp filter mode (2) with no-new-privileges
  const members = groupMembers(gateway.child.pid!);
  expect(members.length).toBeGreaterThan(0);
  for (const pid of members) {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const mode = /^Seccomp:\s+(\d)/m.exec(status)?.[1];
    const nnp = /^NoNewPrivs:\s+(\d)/m.exec(status)?.[1];
    expect([pid, mode, nnp]).toEqual([pid, '2', '1']);
  }
  // the start script wrote the config with umask 077 and removed nothing else
  expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
  expect(JSON.parse(fs.readFileSync(configFile, 'utf8'))).toEqual(rendered.document);
  const invoke = await fetch(`http://127.0.0.1:${port}/tools/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tool: 'session_status', args: {} }),
  });
  expect(invoke.status).toBe(401);
  expect(gateway.output()).not.toMatch(/SIGSYS|Operation not permitted.*(clone|thread)/i);
  await gateway.stop();
  gateway = undefined;
  fs.rmSync(home.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});
