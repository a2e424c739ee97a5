/**
 * Header policy, as pure functions: which caller headers go upstream, how the key is injected,
 * which upstream headers come back, and whether a secret can be a header value at all.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'http';

/**
 * Request headers forwarded to every upstream: the generic ones a JSON API needs and the model
 * APIs' own (Anthropic and OpenAI, including their SDKs' x-stainless-* telemetry).
 */
export const DEFAULT_FORWARD_HEADERS: readonly string[] = [
  'accept',
  'content-type',
  'user-agent',
  'idempotency-key',
  'x-request-id',
  'anthropic-version',
  'anthropic-beta',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
  'x-stainless-helper-method',
];

/** Header names that can carry a credential: never forwardable, whatever is configured. */
const CREDENTIAL_NAME = /(^|-)(auth\w*|api-?key|key|token|secret|cookie|session|password)(-|$)/;

/** Why `name` cannot be in an upstream's forward list, or undefined. */
export function headerNameProblem(name: string, authHeader?: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return 'is not a lower-case header name';
  if (CREDENTIAL_NAME.test(name) || name === authHeader?.toLowerCase() || name === 'host')
    return 'can carry a credential or route the request';
  return undefined;
}

/**
 * Headers for the upstream request: only allowlisted caller headers, the key, identity
 * encoding (so the response can be scanned for the key) and the body framing.
 */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  allow: ReadonlySet<string>,
  auth: { readonly kind: 'header'; readonly header: string } | { readonly kind: 'bearer' },
  key: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || !allow.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (incoming['content-length'] !== undefined) out['content-length'] = incoming['content-length'];
  out['accept-encoding'] = 'identity';
  if (auth.kind === 'bearer') out.authorization = `Bearer ${key}`;
  else out[auth.header.toLowerCase()] = key;
  return out;
}

/**
 * True when `value` can be sent as a header value unchanged: visible ASCII and inner spaces
 * only (no CR/LF, no control or non-ASCII character, no surrounding space).
 */
export function isHeaderSafeSecret(value: string): boolean {
  return /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value);
}

/** Response headers never passed back (hop-by-hop, cookies from the vendor). */
const STRIPPED_RESPONSE = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'set-cookie',
  'proxy-authenticate',
  'upgrade',
  'trailer',
  'te',
]);

/**
 * The forms of the key a reflection scan looks for. Case-insensitive forms are lower-cased
 * (match them in lower-cased text); base64 forms are case-sensitive, one per alignment of the
 * key inside a longer base64 text, without the characters that depend on its neighbours.
 */
export function keyForms(key: string): { folded: string[]; exact: string[] } {
  const folded = new Set<string>([key.toLowerCase()]);
  folded.add(encodeURIComponent(key).toLowerCase());
  folded.add(
    [...Buffer.from(key)]
      .map((b) => `%${b.toString(16).padStart(2, '0')}`)
      .join('')
      .toLowerCase(),
  );
  const exact = new Set<string>();
  const bytes = Buffer.from(key);
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // characters whose six bits all come from the key's bytes
    const core = b64.slice(Math.ceil((pad * 4) / 3), Math.floor(((pad + bytes.length) * 4) / 3));
    if (core.length >= 8) {
      exact.add(core);
      exact.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return { folded: [...folded].filter((f) => f.length > 0), exact: [...exact] };
}

/** What the scans look for, per key (computed once per key value, not per request). */
export interface KeyPatterns {
  readonly folded: readonly string[];
  readonly exact: readonly string[];
  /** Every piece of the lower-cased key of fragmentLength(key) characters. */
  readonly fragments: readonly string[];
  /**
   * Header texts already scanned and found clean, for this key only (a pure function of text and
   * key, so a hit is the answer the scan would give). Bounded: cleared when full.
   */
  readonly clean: Set<string>;
}

const patternCache = new Map<string, KeyPatterns>();

/** Clean header texts remembered per key (at most 32 KiB); longer texts are scanned every time. */
const CLEAN_ENTRIES = 256;
const CLEAN_TEXT_CHARS = 128;

export function keyPatterns(key: string): KeyPatterns {
  const hit = patternCache.get(key);
  if (hit) return hit;
  const { folded, exact } = keyForms(key);
  const lower = key.toLowerCase();
  const n = fragmentLength(key);
  const fragments: string[] = [];
  for (let i = 0; i + n <= lower.length; i++) fragments.push(lower.slice(i, i + n));
  const patterns = { folded, exact, fragments, clean: new Set<string>() };
  // a handful of keys at most (one per upstream, and the previous one after a rotation)
  if (patternCache.size >= 32) patternCache.clear();
  patternCache.set(key, patterns);
  return patterns;
}

/** True when one header text (a name or a value) carries the key in any form. */
function carries(forms: KeyPatterns, text: string): boolean {
  if (forms.clean.has(text)) return false;
  const folded = text.toLowerCase();
  let decoded = folded;
  if (text.includes('%')) {
    try {
      decoded = decodeURIComponent(text).toLowerCase();
    } catch {
      // not URL-encoded
    }
  }
  const found =
    forms.folded.some((f) => folded.includes(f)) ||
    forms.exact.some((f) => text.includes(f)) ||
    forms.fragments.some((f) => folded.includes(f) || decoded.includes(f));
  if (!found && text.length <= CLEAN_TEXT_CHARS) {
    if (forms.clean.size >= CLEAN_ENTRIES) forms.clean.clear();
    forms.clean.add(text);
  }
  return found;
}

/** The shortest piece of the key that counts as a fragment of it in a header. */
export function fragmentLength(key: string): number {
  return Math.max(8, Math.min(16, Math.ceil(key.length / 3)));
}

/**
 * The response headers to pass back, or the reason to refuse the response: a header value or
 * name carries the key (plain, case-folded, URL- or base64-encoded, or a fragment of it, so a
 * key split over several headers is caught too), or the body is encoded so it cannot be scanned.
 * The reason names the header, never its value.
 */
export function responseHeaderPolicy(
  headers: Record<string, string | string[] | undefined>,
  key: string,
): { headers: OutgoingHttpHeaders } | { refusal: string } {
  const forms = keyPatterns(key);
  const out: OutgoingHttpHeaders = {};
  // every value, joined: a key split over several headers, in whatever pieces
  let all = '';
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (carries(forms, name)) return { refusal: 'a response header name' };
    if (typeof value === 'string') {
      if (carries(forms, value)) return { refusal: `response header "${name}"` };
      all += value;
    } else {
      for (const v of value) {
        if (carries(forms, v)) return { refusal: `response header "${name}"` };
        all += v;
      }
    }
    if (STRIPPED_RESPONSE.has(name)) continue;
    out[name] = value;
  }
  const allFolded = all.toLowerCase();
  if (forms.folded.some((f) => allFolded.includes(f)))
    return { refusal: 'response headers taken together' };
  const encoding = String(headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity')
    return { refusal: `a body in content-encoding "${encoding}" that cannot be scanned` };
  return { headers: out };
}
