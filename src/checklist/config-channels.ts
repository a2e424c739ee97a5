import JSON5 from 'json5';
import { hasInterpolation, unescapeTerraformTemplate } from '../core/terraform-string';

/**
 * Where an OpenClaw config can travel besides the two channels our constructs use (an
 * `openclaw_config_*` local and a container's `OPENCLAW_CONFIG_JSON`): a container upload, a
 * local file, an SSM parameter, an S3 object, a cloud-init `write_files` entry in user data, or a
 * Kubernetes config map or secret (mounted into a pod as files);
 * as plain text or base64, in JSON or JSON5 (OpenClaw's own format). Pure functions over the
 * attributes of one resource.
 */

type Json = Record<string, unknown>;

/** One config found in a resource: where, and the text as written. */
export interface FoundConfig {
  /** Suffix of the config's address, after the resource address (`:upload:/path`). */
  readonly where: string;
  /** The text, or a reference/expression that cannot be read at synth time. */
  readonly text: string;
}

/** A file name or key that says it holds an OpenClaw config. */
const CONFIG_NAME = /(^|[/\\._-])openclaw[^/\\]*\.json5?$|\/\.openclaw\/[^/]*\.json5?$/i;

const OPENCLAW_KEYS = ['gateway', 'agents', 'channels', 'tools', 'models', 'discovery'];

/** True when a parsed value has the shape of an OpenClaw config. */
export function looksLikeConfig(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const keys = Object.keys(doc);
  const gateway = (doc as Json).gateway;
  return (
    typeof gateway === 'object' &&
    gateway !== null &&
    keys.filter((k) => OPENCLAW_KEYS.includes(k)).length >= 1
  );
}

/**
 * Parses a config as written: JSON, then JSON5, each also after base64 decoding. Returns the
 * document, or the text itself when it cannot be read (a reference, a template, not JSON).
 */
export function parseConfigText(text: string): unknown {
  if (hasInterpolation(text.replace(/\$\$\{/g, ''))) return text;
  const plain = unescapeTerraformTemplate(text);
  for (const candidate of [plain, decodeBase64(plain)]) {
    if (candidate === undefined) continue;
    for (const parse of [JSON.parse, JSON5.parse]) {
      try {
        const doc: unknown = parse(candidate);
        if (typeof doc === 'object' && doc !== null) return doc;
      } catch {
        // try the next reading
      }
    }
  }
  return text;
}

function decodeBase64(text: string): string | undefined {
  const t = text.trim();
  if (t.length < 8 || !/^[A-Za-z0-9+/=\r\n]+$/.test(t)) return undefined;
  const decoded = Buffer.from(t, 'base64').toString('utf8');
  return /^[\s\S]*[{}][\s\S]*$/.test(decoded) ? decoded : undefined;
}

/** User data as text: base64 (launch templates, user_data_base64) decoded when it decodes to text. */
function decodeUserData(text: string): string {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/=\r\n]+$/.test(t)) return text;
  const decoded = Buffer.from(t, 'base64').toString('utf8');
  return /^[\x09\x0a\x0d\x20-\x7e]*$/.test(decoded.slice(0, 200)) ? decoded : text;
}

/** True when a text is a config (by its name, or by what it parses to). */
function isConfig(name: string, text: string): boolean {
  return CONFIG_NAME.test(name) || looksLikeConfig(parseConfigText(text));
}

const asText = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The OpenClaw configs a resource carries, in every channel above. */
export function configsIn(type: string, attributes: Json): FoundConfig[] {
  const out: FoundConfig[] = [];
  const add = (where: string, name: string, ...values: unknown[]) => {
    for (const v of values) {
      const text = asText(v);
      if (text !== undefined && isConfig(name, text)) {
        out.push({ where, text });
        return;
      }
    }
  };
  switch (type) {
    case 'docker_container':
      for (const u of toList(attributes.upload)) {
        const up = (u ?? {}) as Json;
        const file = String(up.file ?? '');
        const source = up.source === undefined ? undefined : `source ${String(up.source)}`;
        add(`:upload:${file}`, file, up.content, up.content_base64, source);
      }
      break;
    case 'local_file':
    case 'local_sensitive_file': {
      const file = String(attributes.filename ?? '');
      add(
        `:${file}`,
        file,
        attributes.content,
        attributes.sensitive_content,
        attributes.content_base64,
      );
      break;
    }
    case 'aws_ssm_parameter': {
      const name = String(attributes.name ?? '');
      // a parameter named for the agent's config is one, even when its value cannot be read
      const named = /openclaw/i.test(name) && /config/i.test(name) ? 'openclaw.json' : name;
      add('', named, attributes.value, attributes.insecure_value);
      break;
    }
    case 'aws_s3_object':
    case 'aws_s3_bucket_object': {
      const key = String(attributes.key ?? '');
      add(`:${key}`, key, attributes.content, attributes.content_base64);
      break;
    }
    case 'kubernetes_config_map':
    case 'kubernetes_config_map_v1':
    case 'kubernetes_secret':
    case 'kubernetes_secret_v1': {
      // a pod mounts it as files: each key is a file name, `binary_data` values are base64
      const data = (attributes.data ?? {}) as Json;
      const binary = (attributes.binary_data ?? {}) as Json;
      for (const [key, value] of Object.entries(typeof data === 'object' ? data : {}))
        add(`:data:${key}`, key, value);
      for (const [key, value] of Object.entries(typeof binary === 'object' ? binary : {}))
        add(`:binary_data:${key}`, key, value);
      break;
    }
    case 'aws_instance':
    case 'aws_launch_template':
      for (const key of ['user_data', 'user_data_base64']) {
        const text = asText(attributes[key]);
        if (text === undefined) continue;
        const plain = decodeUserData(text);
        for (const f of writeFiles(plain)) {
          // decoded text is literal: Terraform does not interpolate inside it
          const literal = plain !== text || f.decoded;
          add(`:write_files:${f.path}`, f.path, literal ? escapeLiteral(f.content) : f.content);
        }
      }
      break;
    default:
      break;
  }
  return out;
}

/** Writes literal text as a Terraform string would hold it (`${` escaped as `$${`). */
function escapeLiteral(text: string): string {
  return text.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{');
}

function toList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/**
 * The `write_files` entries of a cloud-config document: path and content (decoded when the
 * entry says `encoding: b64`). A line-based reader for the usual shapes (`content: |` blocks and
 * one-line contents), not a YAML parser.
 */
export function writeFiles(text: string): { path: string; content: string; decoded: boolean }[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^write_files:\s*$/.test(l));
  if (start < 0) return [];
  const entries: { path: string; content: string; decoded: boolean }[] = [];
  let current: { path?: string; content?: string; encoding?: string } | undefined;
  const flush = () => {
    if (current?.path !== undefined && current.content !== undefined) {
      const decoded = /^(b64|base64)$/.test(current.encoding ?? '');
      const content = decoded
        ? Buffer.from(current.content, 'base64').toString('utf8')
        : current.content;
      entries.push({ path: current.path, content, decoded });
    }
  };
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (/^\S/.test(line)) break; // the next top-level key
    const item = /^(\s*)-\s+(\w+):\s*(.*)$/.exec(line);
    const field = item ?? /^(\s+)(\w+):\s*(.*)$/.exec(line);
    if (!field) continue;
    if (item) {
      flush();
      current = {};
    }
    if (!current) continue;
    const [, indent, key, rawValue] = field;
    let value = rawValue.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (key === 'content' && /^[|>][+-]?$/.test(value)) {
      const block: string[] = [];
      const base = indent.length + (item ? 2 : 0);
      while (i + 1 < lines.length && (lines[i + 1].trim() === '' || leading(lines[i + 1]) > base)) {
        block.push(lines[++i]);
      }
      const cut = Math.min(...block.filter((l) => l.trim()).map(leading));
      value = block.map((l) => l.slice(cut)).join('\n');
    }
    if (key === 'path') current.path = value;
    if (key === 'content') current.content = value;
    if (key === 'encoding') current.encoding = value;
  }
  flush();
  return entries;
}

function leading(line: string): number {
  return line.length - line.trimStart().length;
}
