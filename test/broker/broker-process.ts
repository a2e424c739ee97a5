/**
 * The broker's own entrypoint (broker/src/main.ts) run as a child process on loopback, its
 * TypeScript transpiled on load: a crash is the process exiting, as it would in the container.
 */
import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';

const MAIN = path.resolve(__dirname, '..', '..', 'broker', 'src', 'main.ts');

// registers a require hook that transpiles .ts with the root package's TypeScript
const REGISTER = `
const fs = require('fs');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
require.extensions['.ts'] = (m, file) => m._compile(
  ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: file,
  }).outputText, file);
require(${JSON.stringify(MAIN)});
`;

export interface BrokerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the broker wrote to stdout and stderr. */
  output(): string;
  /** Parsed JSON log lines (stdout). */
  lines(): Record<string, unknown>[];
  /** True while the process has not exited. */
  alive(): boolean;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startBrokerProcess(
  config: Record<string, unknown>,
  secretsEndpoint: string,
  /** More configuration from the main listener's port (its MCP server listeners). */
  more: (port: number) => Record<string, unknown> = () => ({}),
): Promise<BrokerProcess> {
  const port = await freePort();
  const extra = more(port);
  const listening = 1 + (Array.isArray(extra.listeners) ? extra.listeners.length : 0);
  const child = spawn(process.execPath, ['-e', REGISTER], {
    env: {
      PATH: process.env.PATH,
      BROKER_CONFIG: JSON.stringify({ ...config, listen: { host: '127.0.0.1', port }, ...extra }),
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDTESTONLY',
      AWS_SECRET_ACCESS_KEY: 'test-only-not-a-secret',
      BROKER_SECRETS_ENDPOINT: secretsEndpoint,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const exit = new Promise<void>((r) =>
    child.on('exit', () => {
      exited = true;
      r();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  // bounded wait for the listening line of every listener
  const up = () => stdout.split('"listening"').length - 1 >= listening;
  for (let i = 0; i < 100 && !up() && !exited; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!up()) {
    child.kill('SIGKILL');
    throw new Error(`the broker process did not start:\n${stdout}\n${stderr}`);
  }
  return {
    url,
    child,
    output: () => stdout + stderr,
    lines: () =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    alive: () => !exited,
    stop: async () => {
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}
