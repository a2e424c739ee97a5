import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';
import { Duplex } from 'stream';

/**
 * A small client for the Docker Engine API (v1.41, what Docker 20.10 and later all speak), over
 * whatever `DOCKER_HOST` names: the local socket, `unix://`, `tcp://` (TLS with
 * `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`, as the docker CLI reads them) or `ssh://`, which
 * runs `docker system dial-stdio` on the host over ssh, as the docker CLI does.
 */

const API = '/v1.41';

/** An answer of the Engine API. */
export interface EngineResponse {
  readonly status: number;
  readonly body: Buffer;
}

/** What a command run inside a container printed, and how it ended. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link DockerEngine.exec}. */
export interface ExecOptions {
  /** @default - the container's user */
  readonly user?: string;
  /** @default - the container's environment */
  readonly env?: readonly string[];
  /** Give up after this long (the command keeps running in the container). @default 60000 */
  readonly timeoutMs?: number;
}

/** Thrown for an Engine API answer that is not a success. */
export class EngineError extends Error {
  constructor(
    message: string,
    public readonly status: number,
  ) {
    super(message);
  }
}

/** A Docker engine, reached the way the docker CLI would. */
export class DockerEngine {
  /** The engine as the environment names it (`DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`). */
  public static fromEnvironment(env: NodeJS.ProcessEnv = process.env): DockerEngine {
    return new DockerEngine(env.DOCKER_HOST || 'unix:///var/run/docker.sock', env);
  }

  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly host: string;

  constructor(
    public readonly dockerHost: string,
    env: NodeJS.ProcessEnv = {},
  ) {
    let url: URL;
    try {
      url = new URL(dockerHost);
    } catch {
      throw new Error(
        `DOCKER_HOST "${dockerHost}" is not a URL; use unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host`,
      );
    }
    this.transport = http;
    this.host = 'docker';
    if (url.protocol === 'unix:') {
      const socketPath = url.pathname;
      this.agent = new http.Agent({ keepAlive: false });
      (this.agent as unknown as { createConnection: () => net.Socket }).createConnection = () =>
        net.createConnection(socketPath);
    } else if (url.protocol === 'tcp:') {
      this.host = url.hostname;
      if (env.DOCKER_TLS_VERIFY) {
        const dir = env.DOCKER_CERT_PATH || path.join(env.HOME ?? '', '.docker');
        this.transport = https;
        this.agent = new https.Agent({
          ca: fs.readFileSync(path.join(dir, 'ca.pem')),
          cert: fs.readFileSync(path.join(dir, 'cert.pem')),
          key: fs.readFileSync(path.join(dir, 'key.pem')),
        });
      } else {
        this.agent = new http.Agent({ keepAlive: false });
      }
      this.port = Number(url.port || (env.DOCKER_TLS_VERIFY ? 2376 : 2375));
    } else if (url.protocol === 'ssh:') {
      const target = `${url.username ? `${url.username}@` : ''}${url.hostname}`;
      const args = [
        ...(url.port ? ['-p', url.port] : []),
        '-o',
        'BatchMode=yes',
        '--',
        target,
        'docker',
        'system',
        'dial-stdio',
      ];
      this.agent = new http.Agent({ keepAlive: false });
      (this.agent as unknown as { createConnection: () => Duplex }).createConnection = () => {
        const child = spawn('ssh', args, {
          stdio: ['pipe', 'pipe', 'inherit'],
          env: { ...process.env, ...env },
        });
        const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
        duplex.on('close', () => child.kill());
        return asSocket(duplex);
      };
    } else {
      throw new Error(
        `DOCKER_HOST "${dockerHost}" uses ${url.protocol}, which is not supported; use unix://, tcp:// or ssh://`,
      );
    }
  }

  private readonly port: number = 0;

  /** One Engine API call; the body is JSON unless it is a Buffer. */
  public request(
    method: string,
    apiPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs = 120_000,
  ): Promise<EngineResponse> {
    const payload =
      body === undefined
        ? undefined
        : Buffer.isBuffer(body)
          ? body
          : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        {
          agent: this.agent,
          host: this.host,
          ...(this.port ? { port: this.port } : {}),
          method,
          path: `${API}${apiPath}`,
          headers: {
            ...(payload
              ? {
                  'content-type': Buffer.isBuffer(body) ? 'application/x-tar' : 'application/json',
                  'content-length': String(payload.length),
                }
              : {}),
            ...headers,
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${apiPath} took over ${timeoutMs} ms`)),
      );
      req.on('error', (e) =>
        reject(new Error(`cannot reach the Docker engine at ${this.dockerHost}: ${e.message}`)),
      );
      req.end(payload);
    });
  }

  /** A call that must succeed, answering JSON (or nothing). */
  public async json<T = unknown>(
    method: string,
    apiPath: string,
    body?: unknown,
    okStatuses: readonly number[] = [200, 201, 204],
  ): Promise<T> {
    const res = await this.request(method, apiPath, body);
    if (!okStatuses.includes(res.status)) {
      let message = res.body.toString();
      try {
        message = (JSON.parse(message) as { message?: string }).message ?? message;
      } catch {
        // not JSON
      }
      throw new EngineError(`${method} ${apiPath}: ${res.status} ${message.trim()}`, res.status);
    }
    return (res.body.length > 0 ? JSON.parse(res.body.toString()) : undefined) as T;
  }

  /** Inspects a container; undefined when there is none by that name or id. */
  public async inspectContainer(nameOrId: string): Promise<ContainerInspect | undefined> {
    const res = await this.request('GET', `/containers/${encodeURIComponent(nameOrId)}/json`);
    if (res.status === 404) return undefined;
    if (res.status !== 200)
      throw new EngineError(`inspect ${nameOrId}: ${res.status} ${res.body}`, res.status);
    return JSON.parse(res.body.toString()) as ContainerInspect;
  }

  /** Runs a command in a running container and collects its output. */
  public async exec(
    container: string,
    cmd: readonly string[],
    options: ExecOptions = {},
  ): Promise<ExecResult> {
    const created = await this.json<{ Id: string }>(
      'POST',
      `/containers/${encodeURIComponent(container)}/exec`,
      {
        Cmd: cmd,
        AttachStdout: true,
        AttachStderr: true,
        ...(options.user ? { User: options.user } : {}),
        ...(options.env ? { Env: options.env } : {}),
      },
    );
    const res = await this.request(
      'POST',
      `/exec/${created.Id}/start`,
      { Detach: false, Tty: false },
      {},
      options.timeoutMs ?? 60_000,
    );
    if (res.status !== 200)
      throw new EngineError(`exec in ${container}: ${res.status} ${res.body}`, res.status);
    const { stdout, stderr } = demultiplex(res.body);
    const info = await this.json<{ ExitCode: number | null }>('GET', `/exec/${created.Id}/json`);
    return { exitCode: info.ExitCode ?? -1, stdout, stderr };
  }
}

/**
 * What Node's HTTP client calls on a socket beyond a stream: the idle timeout (kept, so a silent
 * ssh connection still times out) and a few options that mean nothing over a pipe.
 */
function asSocket(duplex: Duplex): Duplex {
  let timer: NodeJS.Timeout | undefined;
  let idleMs = 0;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = idleMs > 0 ? setTimeout(() => duplex.emit('timeout'), idleMs) : undefined;
  };
  duplex.on('data', arm);
  duplex.on('close', () => timer && clearTimeout(timer));
  return Object.assign(duplex, {
    setTimeout(ms: number, callback?: () => void) {
      idleMs = ms;
      if (callback) duplex.once('timeout', callback);
      arm();
      return duplex;
    },
    setNoDelay: () => duplex,
    setKeepAlive: () => duplex,
    ref: () => duplex,
    unref: () => duplex,
  });
}

/** Splits the engine's multiplexed stdout/stderr stream (8-byte frame headers). */
export function demultiplex(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let i = 0;
  while (i + 8 <= raw.length) {
    const kind = raw[i];
    const size = raw.readUInt32BE(i + 4);
    const frame = raw.subarray(i + 8, i + 8 + size);
    (kind === 2 ? err : out).push(frame);
    i += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** One entry of a tar archive. */
export interface TarEntry {
  readonly name: string;
  readonly content: Buffer | string;
  /** @default 0o644 */
  readonly mode?: number;
}

/** A ustar archive of regular files (what the Engine API takes for uploads and build contexts). */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content);
    const header = Buffer.alloc(512);
    let name = entry.name.replace(/^\/+/, '');
    let prefix = '';
    if (Buffer.byteLength(name) > 100) {
      const cut = name.lastIndexOf('/', 155);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
    }
    header.write(name, 0, 100);
    header.write(((entry.mode ?? 0o644) & 0o7777).toString(8).padStart(7, '0'), 100);
    header.write('0000000', 108);
    header.write('0000000', 116);
    header.write(data.length.toString(8).padStart(11, '0'), 124);
    header.write(
      Math.floor(Date.now() / 1000)
        .toString(8)
        .padStart(11, '0'),
      136,
    );
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\u000000', 257);
    header.write(prefix, 345, 155);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** The parts of `GET /containers/{id}/json` the checks read. */
export interface ContainerInspect {
  readonly Id: string;
  readonly Name: string;
  readonly Image: string;
  readonly State: {
    readonly Running: boolean;
    readonly Restarting: boolean;
    readonly Status: string;
    readonly Pid: number;
    readonly Health?: { readonly Status: string };
  };
  readonly Config: {
    readonly User: string;
    readonly Env: string[] | null;
    readonly Labels: Record<string, string> | null;
    readonly Image: string;
    readonly Entrypoint: string[] | null;
    readonly Cmd: string[] | null;
  };
  readonly HostConfig: {
    readonly CapAdd: string[] | null;
    readonly CapDrop: string[] | null;
    readonly SecurityOpt: string[] | null;
    readonly ReadonlyRootfs: boolean;
    readonly Privileged: boolean;
    readonly PublishAllPorts: boolean;
    readonly PortBindings: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    readonly Memory: number;
    readonly MemorySwap: number;
    readonly NanoCpus: number;
    readonly CpuPeriod: number;
    readonly CpuQuota: number;
    readonly CgroupParent: string;
    readonly PidsLimit: number | null;
    readonly NetworkMode: string;
    readonly IpcMode: string;
    readonly PidMode: string;
    readonly UsernsMode: string;
    readonly Tmpfs: Record<string, string> | null;
    readonly Init: boolean | null;
    readonly LogConfig: { readonly Type: string; readonly Config: Record<string, string> };
    readonly Devices: unknown[] | null;
    readonly GroupAdd: string[] | null;
  };
  readonly Mounts: {
    readonly Type: string;
    readonly Source: string;
    readonly Destination: string;
    readonly RW: boolean;
    readonly Name?: string;
  }[];
  readonly NetworkSettings: {
    readonly Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    readonly Networks: Record<
      string,
      { readonly IPAddress: string; readonly Gateway: string; readonly NetworkID: string }
    >;
  };
}
