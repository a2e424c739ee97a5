/**
 * Does a set of CIDR blocks cover the internet? `0.0.0.0/0` does, and so do `0.0.0.0/1` plus
 * `128.0.0.0/1`, or every public block listed one by one. A set covers the internet when the
 * union of its blocks holds every public address (private, loopback, link-local, CGNAT and
 * reserved ranges may be left out). IPv6: the union holds all of global unicast (2000::/3).
 */

interface Range {
  readonly start: bigint;
  readonly end: bigint; // inclusive
}

/** Blocks that are not the public internet, IPv4. */
const V4_NON_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
];

/** Parses `a.b.c.d/n` or an IPv6 block into an address range; undefined when not a CIDR. */
export function parseCidr(cidr: string): (Range & { v6: boolean }) | undefined {
  const [addr, bitsText] = cidr.trim().split('/');
  if (addr === undefined) return undefined;
  const v6 = addr.includes(':');
  const width = v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const value = v6 ? parseV6(addr) : parseV4(addr);
  if (value === undefined) return undefined;
  const size = 1n << BigInt(width - bits);
  const start = (value / size) * size;
  return { start, end: start + size - 1n, v6 };
}

function parseV4(addr: string): bigint | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256n + BigInt(Number(p));
  }
  return n;
}

function parseV6(addr: string): bigint | undefined {
  const [head, tail, extra] = addr.split('::');
  if (extra !== undefined) return undefined;
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? h.length !== 8 : missing < 0) return undefined;
  let n = 0n;
  for (const g of [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = n * 65536n + BigInt(parseInt(g, 16));
  }
  return n;
}

/** True when the union of `cidrs` covers every public address of its family. */
export function coversInternet(cidrs: readonly unknown[]): boolean {
  const parsed = cidrs
    .filter((c): c is string => typeof c === 'string')
    .map(parseCidr)
    .filter((r): r is Range & { v6: boolean } => r !== undefined);
  const v4 = parsed.filter((r) => !r.v6);
  const v6 = parsed.filter((r) => r.v6);
  const publicV4 = subtract(
    [{ start: 0n, end: (1n << 32n) - 1n }],
    V4_NON_PUBLIC.map((c) => parseCidr(c)!),
  );
  const globalV6 = [parseCidr('2000::/3')!];
  return covers(merge(v4), publicV4) || covers(merge(v6), globalV6);
}

function merge(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1n)
      out[out.length - 1] = { start: last.start, end: r.end > last.end ? r.end : last.end };
    else out.push(r);
  }
  return out;
}

function subtract(from: readonly Range[], cut: readonly Range[]): Range[] {
  let out = [...from];
  for (const c of cut) {
    out = out.flatMap((r) => {
      if (c.end < r.start || c.start > r.end) return [r];
      const parts: Range[] = [];
      if (c.start > r.start) parts.push({ start: r.start, end: c.start - 1n });
      if (c.end < r.end) parts.push({ start: c.end + 1n, end: r.end });
      return parts;
    });
  }
  return out;
}

/** True when the merged `have` ranges contain every range of `need`. */
function covers(have: readonly Range[], need: readonly Range[]): boolean {
  return subtract(need, have).length === 0 && have.length > 0;
}

/**
 * Network ACL semantics: entries in rule-number order, first match wins. True when the addresses
 * the `allow` entries admit (each minus what earlier entries already decided) cover the internet.
 */
export function admitsInternetInOrder(
  entries: readonly { readonly cidr: string; readonly allow: boolean }[],
): boolean {
  let decided: Range[] = [];
  const allowed: Range[] = [];
  let v6: boolean | undefined;
  for (const e of entries) {
    const r = parseCidr(e.cidr);
    if (!r) continue;
    v6 = r.v6;
    if (e.allow) allowed.push(...subtract([r], decided));
    decided = merge([...decided, r]);
  }
  if (v6 === undefined) return false;
  const need = v6
    ? [parseCidr('2000::/3')!]
    : subtract(
        [{ start: 0n, end: (1n << 32n) - 1n }],
        V4_NON_PUBLIC.map((c) => parseCidr(c)!),
      );
  return covers(merge(allowed), need);
}
