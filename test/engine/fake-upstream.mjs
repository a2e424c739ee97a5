/**
 * The model and Secrets Manager a broker reaches in test/engine/mcp-agent-turn.test.ts, run in a
 * container of its own inside the broker's network namespace, listening on loopback only (the
 * broker forwards plain http to loopback only). No dependencies: node's http module.
 *
 * - 127.0.0.1:MODEL_PORT speaks the Anthropic Messages API, streamed or not. It plays a scripted
 *   agent turn: it asks for the MCP tool named by TOOL_SUFFIX_1 (with TOOL_INPUT_1), then, once the
 *   tool result is back, for the one named by TOOL_SUFFIX_2 (no input), then answers in text.
 *   The tool names are taken from the request's own tool list, so the names recorded are the
 *   ones OpenClaw gave the model.
 * - 127.0.0.1:SECRETS_PORT answers GetSecretValue with SECRET_VALUE for any secret id
 *   (fake-secrets.mjs).
 *
 * Every request is written to stdout as one JSON line ({"fake": ...}), its body included; the
 * key the broker injected is recorded only as whether it matched.
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
const STEPS = [
  { suffix: env('TOOL_SUFFIX_1'), input: JSON.parse(env('TOOL_INPUT_1')) },
  { suffix: env('TOOL_SUFFIX_2'), input: {} },
];
const FINAL_TEXT = env('FINAL_TEXT');

const record = (entry) => process.stdout.write(`${JSON.stringify({ fake: entry })}\n`);

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 8 * 1024 * 1024) reject(new Error('body over 8 MiB'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** The text of every tool result in the request, in order. */
function toolResults(messages) {
  const out = [];
  for (const m of messages ?? [])
    if (m.role === 'user' && Array.isArray(m.content))
      for (const b of m.content)
        if (b.type === 'tool_result')
          out.push(
            typeof b.content === 'string'
              ? b.content
              : (b.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join(''),
          );
  return out;
}

/** The catalog id in a tool_search result that names the tool (its name ends with suffix). */
function foundId(text, suffix) {
  const ids = [...String(text).matchAll(/"(?:id|name)"\s*:\s*"([^"]+)"/g)].map((m) => m[1]);
  return ids.find((id) => id.endsWith(suffix));
}

/**
 * The content blocks the fake model answers with. OpenClaw's default Tool Search defers MCP
 * schemas behind tool_search / tool_call, so each scripted tool is first searched for, then
 * called by the id the search returned; a tool offered directly is called directly.
 */
function reply(body) {
  const results = toolResults(body.messages);
  const names = (body.tools ?? []).map((t) => t.name);
  const use = (name, input) => ({
    stop: 'tool_use',
    blocks: [{ type: 'tool_use', id: `toolu_engine_${results.length + 1}`, name, input }],
  });
  // walk the script over the results so far: each step takes one result, or two (search, call)
  let r = 0;
  for (const step of STEPS) {
    const direct = names.find((n) => n.endsWith(step.suffix));
    if (direct) {
      if (r === results.length) {
        record({ server: 'model', asks: direct, via: 'direct' });
        return use(direct, step.input);
      }
      r += 1;
      continue;
    }
    if (!names.includes('tool_search') || !names.includes('tool_call')) break;
    if (r === results.length) return use('tool_search', { query: step.suffix.replace(/_/g, ' ') });
    const id = foundId(results[r], step.suffix);
    if (!id) break;
    if (r + 1 === results.length) {
      record({ server: 'model', asks: id, via: 'tool_call' });
      return use('tool_call', { id, args: step.input });
    }
    r += 2;
  }
  return {
    stop: 'end_turn',
    blocks: [{ type: 'text', text: r > 0 && r === results.length ? FINAL_TEXT : 'no tool' }],
  };
}

function sendMessage(res, body) {
  const { stop, blocks } = reply(body);
  const message = {
    id: `msg_engine_${Date.now()}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: blocks,
    stop_reason: stop,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(message));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (type, data) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { input_tokens: 10, output_tokens: 0 },
    },
  });
  blocks.forEach((b, index) => {
    if (b.type === 'text') {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      event('content_block_delta', { index, delta: { type: 'text_delta', text: b.text } });
    } else {
      event('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
      });
      event('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) },
      });
    }
    event('content_block_stop', { index });
  });
  event('message_delta', {
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: 5 },
  });
  event('message_stop', {});
  res.end();
}

http
  .createServer(async (req, res) => {
    try {
      const text = await readBody(req);
      const keyMatched = req.headers['x-api-key'] === SECRET_VALUE;
      record({ server: 'model', method: req.method, url: req.url, keyMatched, body: text });
      if (!keyMatched) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            type: 'error',
            error: { type: 'authentication_error', message: 'x-api-key' },
          }),
        );
        return;
      }
      if (req.method === 'POST' && req.url.split('?')[0].endsWith('/v1/messages')) {
        sendMessage(res, JSON.parse(text));
        return;
      }
      if (req.method === 'GET' && req.url.split('?')[0].endsWith('/v1/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [], has_more: false }));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: req.url } }),
      );
    } catch (e) {
      record({ server: 'model', error: String(e) });
      res.writeHead(500);
      res.end();
    }
  })
  .listen(MODEL_PORT, '127.0.0.1', () => record({ server: 'model', listening: MODEL_PORT }));

fakeSecretsManager({
  port: SECRETS_PORT,
  secretValue: SECRET_VALUE,
  versionId: 'engine-test-version',
  record,
});
