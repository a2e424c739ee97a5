/** Loopback fakes for the broker tests: Secrets Manager (its JSON protocol) and a model API. */
import * as http from 'http';
import * as net from 'net';

export interface Listening {
  readonly server: http.Server;
  readonly url: string;
  close(): Promise<void>;
}

export function listen(server: http.Server): Promise<Listening> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        server,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

/** A Secrets Manager that answers GetSecretValue from a map; `fail` makes it refuse. */
export class FakeSecretsManager {
  public readonly values = new Map<string, string>();
  public reads = 0;
  public fail = false;

  public server(): http.Server {
    return http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const target = req.headers['x-amz-target'];
        const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
        this.reads++;
        const value = SecretId ? this.values.get(SecretId) : undefined;
        if (this.fail || target !== 'secretsmanager.GetSecretValue' || value === undefined) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            ARN: `arn:aws:secretsmanager:eu-west-1:1:secret:${SecretId}`,
            Name: SecretId,
            SecretString: value,
            VersionId: 'v1',
          }),
        );
      });
    });
  }
}

/** A model API that records what arrives and accepts only `validKey`. */
export class FakeUpstream {
  public readonly seen: {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  }[] = [];
  public validKey: string | undefined;

  constructor(private readonly header: string) {}

  public server(): http.Server {
    return http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
        });
        const presented =
          this.header === 'authorization'
            ? String(req.headers.authorization ?? '').replace(/^Bearer /, '')
            : req.headers[this.header];
        if (this.validKey !== undefined && presented !== this.validKey) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'vendor=1' });
        res.end(JSON.stringify({ ok: true, path: req.url }));
      });
    });
  }
}

/** An Anthropic-style upstream entry for the broker, pointed at a fake. */
export function anthropicUpstream(baseUrl: string, secret: string, requestsPerMinute: number) {
  return {
    name: 'anthropic',
    baseUrl,
    auth: { kind: 'header' as const, header: 'x-api-key' },
    secret,
    requestsPerMinute,
    methods: ['GET', 'POST', 'DELETE'],
  };
}

/**
 * The status a CONNECT to `target` through the broker at `base` gets (-1 when the connection
 * fails); the tunnel, when one opens, is closed at once. `localAddress` is the caller's source.
 */
export async function connectStatus(
  base: string,
  target: string,
  localAddress?: string,
): Promise<number> {
  const { status, socket } = await openTunnel(base, target, localAddress);
  socket?.destroy();
  return status;
}

/**
 * A CONNECT through the broker at `base` that stays open: its status, and the tunnel's socket
 * when one opened (the caller closes it). `localAddress` is the caller's source.
 */
export function openTunnel(
  base: string,
  target: string,
  localAddress?: string,
): Promise<{ status: number; socket?: net.Socket }> {
  const u = new URL(base);
  return new Promise((resolve) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      method: 'CONNECT',
      path: target,
      ...(localAddress !== undefined ? { localAddress } : {}),
    });
    req.on('connect', (r, socket) => {
      socket.on('error', () => undefined);
      resolve({ status: r.statusCode ?? 0, socket });
    });
    req.on('response', (r) => resolve({ status: r.statusCode ?? 0 }));
    req.on('error', () => resolve({ status: -1 }));
    req.end();
  });
}

/** A caller's connection that sent part of a request head and waits: what came back, and if it closed. */
export interface HalfHead {
  readonly socket: net.Socket;
  closed: boolean;
  answer: string;
}

/**
 * Opens `count` connections one after another, each sending `bytes` of a request head, from
 * `localAddress` (a loopback address) when given.
 */
export async function openHalfHeads(
  port: number,
  count: number,
  bytes = 64,
  localAddress?: string,
): Promise<HalfHead[]> {
  const head = `POST /anthropic/v1/messages HTTP/1.1\r\nhost: broker\r\nx-pad: `;
  const pad = 'a'.repeat(Math.max(0, bytes - head.length));
  const opened: HalfHead[] = [];
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    const c: HalfHead = { socket, closed: false, answer: '' };
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => (c.answer += d.toString('latin1')));
    socket.on('close', () => (c.closed = true));
    await new Promise<void>((r) => {
      socket.once('connect', () => socket.write(head + pad, () => r()));
      socket.once('close', () => r());
    });
    opened.push(c);
  }
  return opened;
}
