/** The broker's pure pieces, as tables, without sockets. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import {
  publicHostPortProblem,
  tunnelAddressProblem,
  nonPublicKind,
} from '../../broker/src/connect-policy';
import { Upstream, validateBrokerConfig } from '../../broker/src/config';
import {
  isHeaderSafeSecret,
  keyForms,
  responseHeaderPolicy,
  upstreamRequestHeaders,
  DEFAULT_FORWARD_HEADERS,
} from '../../broker/src/header-policy';
import { KeyScanner } from '../../broker/src/key-scanner';
import { BrokerLogLine, LogRecord, stdoutLog } from '../../broker/src/log';
import { resolveRoute } from '../../broker/src/route';
import { SecretCache } from '../../broker/src/secrets';
import { TEST_SECRET_VALUES } from '../canaries';

const KEY = TEST_SECRET_VALUES[0];
const anthropic: Upstream = {
  name: 'anthropic',
  baseUrl: 'https://api.anthropic.com',
  auth: { kind: 'header', header: 'x-api-key' },
  secret: 's',
  requestsPerMinute: 1,
  methods: ['GET', 'POST', 'DELETE'],
};
const routes = new Map([['anthropic', anthropic]]);

describe('route resolution', () => {
  test.each<[string, string, number | string]>([
    ['POST', '/anthropic/v1/messages?beta=true', 'https://api.anthropic.com/v1/messages?beta=true'],
    ['GET', '/anthropic/v1/models', 'https://api.anthropic.com/v1/models'],
    ['POST', 'http://evil.example/v1', 403],
    ['POST', '/openai/v1/chat', 403],
    ['TRACE', '/anthropic/v1/messages', 405],
    ['PUT', '/anthropic/v1/messages', 405],
    ['POST', '/anthropic//evil.example/x', 400],
    ['POST', '/anthropic/../v1', 400],
    ['POST', '/anthropic/v1%2fmessages', 400],
    ['POST', '/anthropic/v1\\messages', 400],
  ])('%s %s -> %s', (method, path, expected) => {
    const r = resolveRoute(method, path, routes);
    if (typeof expected === 'string') expect('target' in r && r.target.href).toBe(expected);
    else expect('refusal' in r && r.refusal.status).toBe(expected);
  });

  test('a path resolved before resolves to the same target; its refusals still hold', () => {
    const first = resolveRoute('POST', '/anthropic/v1/messages?beta=true', routes);
    const again = resolveRoute('POST', '/anthropic/v1/messages?beta=true', routes);
    expect('target' in again && again.target).toBe('target' in first && first.target);
    expect('target' in again && again.target).toEqual({
      origin: 'https://api.anthropic.com',
      path: '/v1/messages?beta=true',
      href: 'https://api.anthropic.com/v1/messages?beta=true',
    });
    const other = resolveRoute('POST', '/anthropic/v1/messages?beta=false', routes);
    expect('target' in other && other.target.path).toBe('/v1/messages?beta=false');
    expect('refusal' in resolveRoute('TRACE', '/anthropic/v1/messages?beta=true', routes)).toBe(
      true,
    );
    // a long path is resolved each time, not remembered
    const long = `/anthropic/v1/${'a'.repeat(600)}`;
    const l1 = resolveRoute('GET', long, routes);
    const l2 = resolveRoute('GET', long, routes);
    expect('target' in l1 && 'target' in l2 && l1.target !== l2.target).toBe(true);
    expect('target' in l2 && l2.target.path).toBe(`/v1/${'a'.repeat(600)}`);
  });

  test('a path with characters a URL escapes goes out escaped, remembered or not', () => {
    for (let i = 0; i < 2; i++) {
      const r = resolveRoute('GET', '/anthropic/v1/a b"c', routes);
      expect('target' in r && r.target.path).toBe('/v1/a%20b%22c');
    }
  });
});

describe('header policy', () => {
  test('only allowlisted caller headers go upstream, with the key and identity encoding', () => {
    expect(
      upstreamRequestHeaders(
        {
          'content-type': 'application/json',
          'content-length': '2',
          'anthropic-version': '2023-06-01',
          'anthropic-api-key': 'x',
          'x-amz-security-token': 'y',
          authorization: 'Bearer z',
          'accept-encoding': 'gzip',
        },
        new Set(DEFAULT_FORWARD_HEADERS),
        anthropic.auth,
        KEY,
      ),
    ).toEqual({
      'content-type': 'application/json',
      'content-length': '2',
      'anthropic-version': '2023-06-01',
      'accept-encoding': 'identity',
      'x-api-key': KEY,
    });
  });

  test.each<[string, boolean]>([
    [KEY, true],
    [`${KEY}\r\nx: 1`, false],
    [`${KEY}\n`, false],
    [`${KEY}\u00e9`, false],
    [`${KEY}\u043a`, false],
    [` ${KEY}`, false],
    ['', false],
  ])('secret %j is header-safe: %s', (value, safe) => {
    expect(isHeaderSafeSecret(value)).toBe(safe);
  });

  const b64 = (s: string) => Buffer.from(s).toString('base64');
  test.each<[string, Record<string, string>, string | undefined]>([
    ['clean', { 'content-type': 'application/json', 'request-id': 'req_1' }, undefined],
    ['plain', { 'x-echo': KEY }, 'response header "x-echo"'],
    ['lower-cased', { 'x-echo': KEY.toLowerCase() }, 'response header "x-echo"'],
    [
      'URL-encoded',
      { 'x-echo': encodeURIComponent(KEY).replace(/-/g, '%2D') },
      'response header "x-echo"',
    ],
    ['base64 at offset 0', { 'x-echo': b64(KEY) }, 'response header "x-echo"'],
    ['base64 at offset 1', { 'x-echo': b64(`a${KEY}`) }, 'response header "x-echo"'],
    ['base64 at offset 2', { 'x-echo': b64(`ab${KEY}`) }, 'response header "x-echo"'],
    ['a fragment', { 'x-echo': KEY.slice(10, 30) }, 'response header "x-echo"'],
    ['as a name', { [KEY.toLowerCase()]: '1' }, 'a response header name'],
    [
      'gzip body',
      { 'content-encoding': 'gzip' },
      'a body in content-encoding "gzip" that cannot be scanned',
    ],
  ])('response headers, %s', (_name, headers, refusal) => {
    const r = responseHeaderPolicy(headers, KEY);
    expect('refusal' in r ? r.refusal : undefined).toBe(refusal);
  });

  test('hop-by-hop headers and vendor cookies are not passed back', () => {
    expect(
      responseHeaderPolicy(
        { connection: 'keep-alive', 'set-cookie': 'a=b', 'content-type': 'text/plain' },
        KEY,
      ),
    ).toEqual({ headers: { 'content-type': 'text/plain' } });
  });

  test('a header text remembered as clean for one key is still scanned for another', () => {
    const other = TEST_SECRET_VALUES[1];
    const headers = { 'x-echo': other, 'content-type': 'application/json' };
    // clean for KEY (and remembered as such), but it is the other key itself
    expect(responseHeaderPolicy(headers, KEY)).toEqual({ headers });
    expect(responseHeaderPolicy(headers, KEY)).toEqual({ headers });
    expect(responseHeaderPolicy(headers, other)).toEqual({ refusal: 'response header "x-echo"' });
  });

  test('a long stream of distinct clean header texts keeps the scan exact', () => {
    for (let i = 0; i < 600; i++)
      expect('headers' in responseHeaderPolicy({ 'x-request-id': `req-${i}` }, KEY)).toBe(true);
    expect(responseHeaderPolicy({ 'x-request-id': `req-${KEY}` }, KEY)).toEqual({
      refusal: 'response header "x-request-id"',
    });
  });

  test('every base64 form of the key is found in the base64 of a text holding it', () => {
    const { exact } = keyForms(KEY);
    for (const prefix of ['', 'a', 'ab', 'abc'])
      expect(exact.some((f) => b64(`${prefix}${KEY}!`).includes(f))).toBe(true);
  });
});

describe('key scanner', () => {
  const run = (parts: string[]) => {
    const scanner = new KeyScanner(KEY);
    let out = '';
    for (const p of parts) {
      const r = scanner.push(Buffer.from(p));
      if ('found' in r) return { found: true, out };
      out += r.release.toString();
    }
    return { found: false, out: out + scanner.end().toString() };
  };
  test.each<[string, string[], boolean]>([
    ['clean text passes whole', ['data: hello\n\n', 'data: world\n\n'], false],
    ['a lone key prefix is released at the end', ['x sk-ant', '-api03 y'], false],
    ['the key in one chunk', [`{"k":"${KEY}"}`], true],
    ['split in two', [KEY.slice(0, 5), KEY.slice(5)], true],
    ['one byte at a time', [...KEY], true],
    ['upper-cased', [KEY.toUpperCase()], true],
    [
      'URL-encoded, split',
      [encodeURIComponent(KEY).slice(0, 7), encodeURIComponent(KEY).slice(7)],
      true,
    ],
  ])('%s', (_name, parts, found) => {
    const r = run(parts);
    expect(r.found).toBe(found);
    if (!found) expect(r.out).toBe(parts.join(''));
    else expect(r.out).not.toContain(KEY.slice(0, 8));
  });

  test('nothing of a key that later completes is released before it is found', () => {
    const r = run(['ok ', KEY.slice(0, 20), KEY.slice(20)]);
    expect(r).toEqual({ found: true, out: 'ok ' });
  });
});

describe('CONNECT policy', () => {
  test.each<[string, string | undefined]>([
    ['api.telegram.org:443', undefined],
    ['*.telegram.org:443', 'is not an exact host:port (wildcards and bare hosts are not accepted)'],
    ['api.telegram.org', 'is not an exact host:port (wildcards and bare hosts are not accepted)'],
    ['api.telegram.org:99999', 'has port 99999, not a TCP port from 1 to 65535'],
    ['api.telegram.org:0', 'has port 0, not a TCP port from 1 to 65535'],
    ['169.254.169.254:80', 'names an IP address'],
    ['metadata.google.internal:80', 'names an internal host'],
  ])('entry %s', (target, problem) => {
    expect(publicHostPortProblem(target)).toBe(problem);
  });

  test.each<[string, string | undefined]>([
    ['93.184.216.34', undefined],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.100.100.100', 'shared (CGNAT)'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd00::1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['2606:4700::1111', undefined],
  ])('address %s is %s', (address, kind) => {
    expect(nonPublicKind(address)).toBe(kind);
  });

  test.each<[string, string, boolean, string | undefined]>([
    ['chat.example.com', '93.184.216.34', false, undefined],
    [
      'chat.example.com',
      '169.254.169.254',
      false,
      'chat.example.com resolves to 169.254.169.254, a link-local address',
    ],
    [
      'chat.example.com',
      '10.0.0.5',
      true,
      'chat.example.com resolves to 10.0.0.5, a private address',
    ],
    ['10.0.0.5', '10.0.0.5', true, undefined],
    ['10.0.0.5', '10.0.0.5', false, '10.0.0.5 resolves to 10.0.0.5, a private address'],
  ])('tunnel from %s to %s (private allowed: %s)', (host, address, allowed, problem) => {
    expect(tunnelAddressProblem(host, address, allowed)).toBe(problem);
  });
});

describe('configuration', () => {
  const base = { agent: 'a', listen: { host: '127.0.0.1', port: 1 }, upstreams: [] };
  test.each<[string, object, string]>([
    [
      'a TRACE method',
      { upstreams: [{ ...anthropic, methods: ['TRACE'] }] },
      'upstream "anthropic" method "TRACE" cannot be forwarded',
    ],
    [
      'a credential header to forward',
      { upstreams: [{ ...anthropic, forwardHeaders: ['anthropic-api-key'] }] },
      'upstream "anthropic" forwardHeaders entry "anthropic-api-key" can carry a credential or route the request',
    ],
    [
      'a session token header to forward',
      { upstreams: [{ ...anthropic, forwardHeaders: ['x-amz-security-token'] }] },
      'forwardHeaders entry "x-amz-security-token" can carry a credential',
    ],
    [
      'a CONNECT port above 65535',
      { connectAllowlist: ['api.telegram.org:70000'] },
      'CONNECT target "api.telegram.org:70000" has port 70000; give a TCP port from 1 to 65535',
    ],
    [
      'a private target that is a name',
      { connectPrivateTargets: ['db.example.com:5432'] },
      'private CONNECT target "db.example.com:5432" must be an exact IPv4 address and TCP port',
    ],
    [
      'an internal CONNECT name',
      { connectAllowlist: ['db.internal:5432'] },
      'CONNECT target "db.internal:5432" names an internal host',
    ],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => validateBrokerConfig({ ...base, ...overrides })).toThrow(message);
  });
});

describe('log record', () => {
  test('writes exactly one line, at the end, with what was set last', () => {
    const lines: BrokerLogLine[] = [];
    const rec = new LogRecord((l) => lines.push(l), 'a', 'POST', '/anthropic/v1/messages');
    rec.set('forwarded', 200);
    rec.bytesIn = 7;
    rec.bytesOut = 11;
    rec.set('upstream-cut', undefined, 'cut');
    expect(lines).toEqual([]);
    rec.end();
    rec.end();
    rec.set('refused', 403);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      status: 200,
      outcome: 'upstream-cut',
      detail: 'cut',
      bytesIn: 7,
      bytesOut: 11,
    });
  });
});

describe('stdout log', () => {
  test('lines finished in one turn leave in one write, each line whole and once', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const line = (path: string): BrokerLogLine => ({
        ts: 't',
        agent: 'a',
        upstream: null,
        method: 'GET',
        path,
        status: 200,
        bytesIn: 0,
        bytesOut: 0,
        latencyMs: 0,
        secret: null,
        outcome: 'forwarded',
      });
      stdoutLog(line('/one'));
      stdoutLog(line('/two'));
      expect(writes).toEqual([]);
      await new Promise((r) => setImmediate(r));
      expect(writes).toHaveLength(1);
      expect(writes[0].split('\n')).toEqual([
        JSON.stringify(line('/one')),
        JSON.stringify(line('/two')),
        '',
      ]);
      stdoutLog(line('/three'));
      await new Promise((r) => setImmediate(r));
      expect(writes).toHaveLength(2);
      expect(JSON.parse(writes[1])).toEqual(line('/three'));
    } finally {
      spy.mockRestore();
    }
  });
});

test('a line still pending when the process exits is written before it goes', () => {
  const log = path.resolve(__dirname, '../../broker/src/log.ts');
  const program = `
const fs = require('fs');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
require.extensions['.ts'] = (m, file) => m._compile(
  ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: file,
  }).outputText, file);
require(${JSON.stringify(log)}).stdoutLog({ path: '/last' });
process.exit(0);`;
  const r = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('{"path":"/last"}\n');
});

describe('secret cache', () => {
  test('concurrent misses share one read; a slow read times out and is not cached', async () => {
    let reads = 0;
    let answer: ((v: string) => void) | undefined;
    const cache = new SecretCache(
      () => {
        reads++;
        return new Promise<string>((r) => (answer = r));
      },
      60_000,
      100,
    );
    const all = Promise.allSettled([cache.get('s'), cache.get('s'), cache.get('s')]);
    expect(reads).toBe(1);
    const results = await all;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toContain(
      'secret s not read in 100 ms',
    );
    answer?.('late');
    const again = cache.get('s');
    expect(reads).toBe(2);
    answer?.('fresh');
    await expect(again).resolves.toBe('fresh');
  });
});
