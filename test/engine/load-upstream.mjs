/**
 * The model API and Secrets Manager a broker reaches in test/engine/broker-load.test.ts, run in a
 * container of its own inside the broker's network namespace, listening on loopback only. It
 * loads the broker's memory as hard as a model API can: no dependencies, node's http module.
 *
 * - 127.0.0.1:MODEL_PORT takes requests and holds them, reading nothing, until HOLD_COUNT are open
 *   at once; it prints {"fake":{"held":N}}, waits HOLD_AFTER_MS more (the broker is then at its
 *   in-flight cap with every request body stalled on it), then reads every body to its end and
 *   answers each with RESPONSE_BYTES of text/event-stream, written as fast as the broker takes
 *   them (honouring backpressure, so what piles up is in the broker, not here). If HOLD_COUNT
 *   never arrive, it releases after HOLD_MAX_MS anyway. Each answered request prints
 *   {"fake":{"answered":{"bytesIn":..., "key":true|false}}} ("key": the broker injected
 *   SECRET_VALUE).
 * - 127.0.0.1:SECRETS_PORT answers GetSecretValue with SECRET_VALUE for any secret id
 *   (fake-secrets.mjs).
 */
import * as http from 'node:http';
import { fakeSecretsManager } from './fake-secrets.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const MODEL_PORT = Number(env('MODEL_PORT'));
const SECRETS_PORT = Number(env('SECRETS_PORT'));
const SECRET_VALUE = env('SECRET_VALUE');
const HOLD_COUNT = Number(env('HOLD_COUNT'));
const HOLD_AFTER_MS = Number(env('HOLD_AFTER_MS'));
const HOLD_MAX_MS = Number(env('HOLD_MAX_MS'));
const RESPONSE_BYTES = Number(env('RESPONSE_BYTES'));

const record = (entry) => process.stdout.write(`${JSON.stringify({ fake: entry })}\n`);

const CHUNK = Buffer.from(`data: ${'x'.repeat(16 * 1024 - 8)}\n\n`);

/** Reads a body to its end, counting bytes (none kept). */
const drain = (req) =>
  new Promise((resolve, reject) => {
    let size = 0;
    req.on('data', (c) => (size += c.length));
    req.on('end', () => resolve(size));
    req.on('error', reject);
    req.resume(); // paused on arrival: a 'data' listener alone does not restart it
  });

/** Writes `bytes` of event stream, waiting for 'drain' whenever the broker stops taking them. */
async function answer(req, res) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (let sent = 0; sent < RESPONSE_BYTES; sent += CHUNK.length) {
    if (res.destroyed) return;
    if (!res.write(CHUNK.subarray(0, Math.min(CHUNK.length, RESPONSE_BYTES - sent))))
      await new Promise((r) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          r();
        };
        res.on('drain', done);
        res.on('close', done);
      });
  }
  res.end();
}

let held = [];
let released = false;
let firstAt = 0;
let maxTimer;

function release() {
  if (released) return;
  released = true;
  clearTimeout(maxTimer);
  const now = held;
  held = [];
  for (const go of now) go();
}

http
  .createServer((req, res) => {
    req.pause();
    const serve = async () => {
      try {
        const bytesIn = await drain(req);
        record({ answered: { bytesIn, key: req.headers['x-api-key'] === SECRET_VALUE } });
        await answer(req, res);
      } catch (e) {
        record({ error: String(e) });
        res.destroy();
      }
    };
    if (released) {
      void serve();
      return;
    }
    held.push(serve);
    if (held.length === 1 && firstAt === 0) {
      firstAt = Date.now();
      maxTimer = setTimeout(() => {
        record({ held: held.length, releasedBy: 'HOLD_MAX_MS' });
        release();
      }, HOLD_MAX_MS);
    }
    if (held.length === HOLD_COUNT) {
      record({ held: held.length });
      setTimeout(release, HOLD_AFTER_MS);
    }
  })
  .listen(MODEL_PORT, '127.0.0.1', () => record({ server: 'model', listening: MODEL_PORT }));

fakeSecretsManager({
  port: SECRETS_PORT,
  secretValue: SECRET_VALUE,
  versionId: 'engine-load-version',
  record,
});
