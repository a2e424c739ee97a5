/**
 * CONNECT policy, as pure functions: which host:port entries may be granted, and which resolved
 * addresses a granted name may be tunnelled to. No sockets here.
 */
import { BlockList, isIP } from 'net';

/** A host:port entry split into its parts; undefined when it is not `host:port` at all. */
export function splitHostPort(
  target: string,
): { readonly host: string; readonly port: number } | undefined {
  const m = /^([^:\s]+):(\d{1,10})$/.exec(target);
  if (!m) return undefined;
  return { host: m[1].toLowerCase(), port: Number(m[2]) };
}

/** True for a TCP port number, 1 to 65535. */
export function isTcpPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/**
 * Why `target` is not an exact public `host:port` (a DNS name with a dot, a TCP port, no
 * wildcard, no IP address, no internal name), or undefined when it is one. The profile layer
 * (egress hosts) and the broker construct (CONNECT grants) both refuse on it.
 */
export function publicHostPortProblem(target: string): string | undefined {
  const m = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+):(\d{1,5})$/.exec(
    target,
  );
  if (!m) return 'is not an exact host:port (wildcards and bare hosts are not accepted)';
  const name = m[1];
  if (!isTcpPort(Number(m[5]))) return `has port ${m[5]}, not a TCP port from 1 to 65535`;
  if (/^[0-9.]+$/.test(name)) return 'names an IP address';
  if (/\.(internal|local|localhost)$/.test(name)) return 'names an internal host';
  return undefined;
}

/** Address ranges a granted name must never resolve to, with the word the log uses. */
const RANGES: readonly (readonly [string, number, 'ipv4' | 'ipv6', string])[] = [
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'],
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fc00::', 7, 'ipv6', 'private'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];
const LISTS = RANGES.map(([net, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, family, kind };
});

/** The kind of non-public address this is (`loopback`, `link-local`, `private`, ...), if any. */
export function nonPublicKind(address: string): string | undefined {
  let a = address.toLowerCase();
  // an IPv4-mapped IPv6 address is the IPv4 address
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) a = mapped[1];
  const family = isIP(a) === 4 ? 'ipv4' : isIP(a) === 6 ? 'ipv6' : undefined;
  if (!family) return 'unparsable';
  return LISTS.find((l) => l.family === family && l.list.check(a, family))?.kind;
}

/**
 * Whether a tunnel to `address` (what the entry's host resolved to) is allowed. An address that
 * is not public is allowed only when the entry names that very IP and the operator listed it
 * among the private targets.
 */
export function tunnelAddressProblem(
  entryHost: string,
  address: string,
  privateAllowed: boolean,
): string | undefined {
  const kind = nonPublicKind(address);
  if (kind === undefined) return undefined;
  if (privateAllowed && entryHost === address.toLowerCase()) return undefined;
  return `${entryHost} resolves to ${address}, a${/^[aeiou]/.test(kind) ? 'n' : ''} ${kind} address`;
}
