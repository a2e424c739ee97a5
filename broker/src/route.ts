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

export type Resolution =
  | { readonly upstream: Upstream; readonly target: URL }
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

/** Each upstream's base URL, parsed once (upstream objects live as long as the broker). */
const bases = new WeakMap<Upstream, URL>();

function baseOf(upstream: Upstream): URL {
  let base = bases.get(upstream);
  if (!base) {
    base = new URL(upstream.baseUrl);
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
  const target = new URL(base.href);
  target.pathname = `${base.pathname.replace(/\/$/, '')}/${rest.join('/')}`;
  target.search = query;
  if (target.origin !== base.origin) return refuse(400, 'the path leaves the upstream', upstream);
  return { upstream, target };
}
