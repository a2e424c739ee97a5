/**
 * Route resolution, as a pure function: which upstream a request is for and the exact URL it
 * goes to, or why it is refused. The target is always the configured upstream's origin.
 */
import { DEFAULT_METHODS, Upstream } from './config';

export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly outcome: 'refused';
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where a request goes: always the upstream's own origin. */
export interface Target {
  readonly origin: string;
  /** The path and query sent to the origin. */
  readonly path: string;
  readonly href: string;
}

export type Resolution =
  | { readonly upstream: Upstream; readonly target: Target }
  | { readonly upstream: Upstream | null; readonly refusal: Refusal };

/** The methods an upstream accepts. */
export function methodsOf(upstream: Upstream): readonly string[] {
  return upstream.methods ?? DEFAULT_METHODS;
}

const refuse = (
  status: number,
  message: string,
  upstream: Upstream | null,
  headers?: Record<string, string>,
): Resolution => ({ upstream, refusal: { status, message, outcome: 'refused', headers } });

/**
 * Each upstream's base URL, parsed once, and the targets its paths resolved to (upstream objects
 * live as long as the broker). A model API takes a handful of paths, and building a URL is the
 * dearest step of a request, so a path's target is remembered: paths up to TARGET_KEY_CHARS
 * long, at most TARGETS_PER_UPSTREAM of them, forgotten together when that many are held.
 */
const bases = new WeakMap<Upstream, { readonly url: URL; readonly targets: Map<string, Target> }>();

const TARGETS_PER_UPSTREAM = 256;
const TARGET_KEY_CHARS = 512;

function baseOf(upstream: Upstream): { readonly url: URL; readonly targets: Map<string, Target> } {
  let base = bases.get(upstream);
  if (!base) {
    base = { url: new URL(upstream.baseUrl), targets: new Map() };
    bases.set(upstream, base);
  }
  return base;
}

export function resolveRoute(
  method: string,
  rawPath: string,
  upstreams: ReadonlyMap<string, Upstream>,
): Resolution {
  // absolute-form requests (a forward proxy use) are refused: only named routes are served
  if (!rawPath.startsWith('/')) return refuse(403, 'only named upstream routes are served', null);
  const q = rawPath.indexOf('?');
  const path = q < 0 ? rawPath : rawPath.slice(0, q);
  const query = q < 0 ? '' : rawPath.slice(q);
  const [, name, ...rest] = path.split('/');
  const upstream = upstreams.get(name ?? '');
  if (!upstream) return refuse(403, `no upstream "${name ?? ''}" in the allowlist`, null);
  const methods = methodsOf(upstream);
  if (!methods.includes(method))
    return refuse(
      405,
      `method ${method} is not allowed for ${upstream.name}; allowed: ${methods.join(', ')}`,
      upstream,
      { allow: methods.join(', ') },
    );
  // Empty, "." and ".." segments are refused rather than normalised; the path is set on a copy
  // of the base URL, never resolved against it ("//evil.com/x" would change the host).
  if (rest.some((seg) => seg === '' || seg === '.' || seg === '..' || /%2e|%2f|%5c|\\/i.test(seg)))
    return refuse(400, 'the path has empty, dot or encoded separator segments', upstream);
  const base = baseOf(upstream);
  // the upstream name's segment is gone from the key: the rest of the path and the query
  const key = rawPath.slice(name.length + 1);
  const known = base.targets.get(key);
  if (known) return { upstream, target: known };
  const url = new URL(base.url.href);
  url.pathname = `${base.url.pathname.replace(/\/$/, '')}/${rest.join('/')}`;
  url.search = query;
  if (url.origin !== base.url.origin) return refuse(400, 'the path leaves the upstream', upstream);
  const target: Target = Object.freeze({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    href: url.href,
  });
  if (key.length <= TARGET_KEY_CHARS) {
    if (base.targets.size >= TARGETS_PER_UPSTREAM) base.targets.clear();
    base.targets.set(key, target);
  }
  return { upstream, target };
}
