/**
 * Small, dependency-free helpers for the IP addresses and CIDR blocks that appear in the gateway
 * config (`trustedProxies`, `customBindHost`, origins).
 */

/** A parsed address or CIDR block. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  /** The address part as written. */
  readonly address: string;
  /** Prefix length; a bare address has the full length (32 or 128). */
  readonly prefixLength: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a dotted-quad IPv4 address. */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** True for an IPv6 address (loose syntax check: hex groups, at most one `::`). */
export function isIpv6(value: string): boolean {
  if (!value.includes(':') || value.split('::').length > 2) return false;
  const groups = value.split(':').filter((g) => g.length > 0);
  return groups.length <= 8 && groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `x::y/n`; undefined when it is neither. */
export function parseCidr(value: string): ParsedCidr | undefined {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || address === undefined) return undefined;
  const family = isIpv4(address) ? 4 : isIpv6(address) ? 6 : undefined;
  if (family === undefined) return undefined;
  const full = family === 4 ? 32 : 128;
  if (prefix === undefined) return { family, address, prefixLength: full };
  if (!/^\d{1,3}$/.test(prefix)) return undefined;
  const prefixLength = Number(prefix);
  if (prefixLength > full) return undefined;
  return { family, address, prefixLength };
}

/** True when the block names exactly one host (`/32`, `/128` or a bare address). */
export function isSingleHost(cidr: ParsedCidr): boolean {
  return cidr.prefixLength === (cidr.family === 4 ? 32 : 128);
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function inIpv4Block(address: string, block: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  const start = Math.floor(ipv4ToNumber(block) / size) * size;
  const value = ipv4ToNumber(address);
  return value >= start && value < start + size;
}

/** True for 127.0.0.0/8 and ::1. */
export function isLoopbackAddress(address: string): boolean {
  if (isIpv4(address)) return inIpv4Block(address, '127.0.0.0', 8);
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/**
 * True for addresses that are not reachable from the public internet: loopback, RFC 1918,
 * Tailscale's CGNAT range 100.64.0.0/10, link-local, and IPv6 unique-local / link-local.
 */
export function isPrivateAddress(address: string): boolean {
  if (isIpv4(address)) {
    return (
      inIpv4Block(address, '127.0.0.0', 8) ||
      inIpv4Block(address, '10.0.0.0', 8) ||
      inIpv4Block(address, '172.16.0.0', 12) ||
      inIpv4Block(address, '192.168.0.0', 16) ||
      inIpv4Block(address, '100.64.0.0', 10) ||
      inIpv4Block(address, '169.254.0.0', 16)
    );
  }
  if (isIpv6(address)) {
    const lower = address.toLowerCase();
    return isLoopbackAddress(lower) || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
  }
  return false;
}
