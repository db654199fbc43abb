// IP addresses: strict parsing, prefix matching, and the text forms SPF macros and reverse names need.

export interface Ip {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

const HEXTET = /^[0-9a-f]{1,4}$/i;

/** RFC 7208 ip4-network: a dotted quad without leading zeros. */
export function parseIp4(text: string): Ip | null {
  // By character rather than by split and regular expression: every A record an evaluation meets is parsed.
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || part === 3) return null;
      bytes[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      // No leading zero: "0" alone, never "01".
      if (digits > 0 && value === 0) return null;
      value = value * 10 + (c - 0x30);
      if (value > 255) return null;
      digits += 1;
    } else return null;
  }
  if (digits === 0 || part !== 3) return null;
  bytes[3] = value;
  return { family: 4, bytes };
}

export function parseIp6(text: string): Ip | null {
  if (text.length > 45 || !/^[0-9a-f:.]+$/i.test(text)) return null;
  let s = text;
  const tail: number[] = [];
  if (s.includes('.')) {
    // An embedded IPv4 address replaces the last two hextets.
    const colon = s.lastIndexOf(':');
    const v4 = colon < 0 ? null : parseIp4(s.slice(colon + 1));
    if (!v4) return null;
    tail.push((v4.bytes[0]! << 8) | v4.bytes[1]!, (v4.bytes[2]! << 8) | v4.bytes[3]!);
    s = s.slice(0, colon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const hs = part.split(':');
    return hs.every((h) => HEXTET.test(h)) ? hs.map((h) => parseInt(h, 16)) : null;
  };
  let hextets: number[];
  const gap = s.indexOf('::');
  if (gap >= 0) {
    if (s.indexOf('::', gap + 1) >= 0) return null;
    const left = groups(s.slice(0, gap));
    const right = groups(s.slice(gap + 2));
    if (!left || !right) return null;
    const missing = 8 - left.length - right.length - tail.length;
    if (missing < 1) return null;
    hextets = [...left, ...new Array<number>(missing).fill(0), ...right, ...tail];
  } else {
    const all = groups(s);
    if (!all) return null;
    hextets = [...all, ...tail];
    if (hextets.length !== 8) return null;
  }
  const bytes = new Uint8Array(16);
  hextets.forEach((h, i) => {
    bytes[2 * i] = h >> 8;
    bytes[2 * i + 1] = h & 0xff;
  });
  return { family: 6, bytes };
}

export const parseIp = (text: string): Ip | null => (text.includes(':') ? parseIp6(text) : parseIp4(text));

/** The SMTP client's address: an IPv4-mapped IPv6 address is IPv4 (RFC 7208 section 5, item 9). */
export function parseClientIp(text: string): Ip | null {
  const ip = parseIp(text.trim());
  const mapped =
    ip?.family === 6 &&
    ip.bytes.subarray(0, 10).every((b) => b === 0) &&
    ip.bytes[10] === 0xff &&
    ip.bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

/** Whether `ip` lies in `network`/`prefix`; addresses of the other family never do. */
export function inNetwork(ip: Ip, network: Ip, prefix: number): boolean {
  if (ip.family !== network.family) return false;
  const full = prefix >> 3;
  for (let i = 0; i < full; i++) if (ip.bytes[i] !== network.bytes[i]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[full]! & mask) === (network.bytes[full]! & mask);
}

/** An IPv4 address as a 32-bit integer, as JavaScript's bitwise operators see it (signed). */
export const ip4Bits = (ip: Ip): number =>
  (ip.bytes[0]! << 24) | (ip.bytes[1]! << 16) | (ip.bytes[2]! << 8) | ip.bytes[3]!;

/** The netmask of an IPv4 prefix length (0-32), as ip4Bits gives addresses. */
export const ip4Mask = (prefix: number): number => (prefix === 0 ? 0 : -1 << (32 - prefix));

/** The network address of `ip`/`prefix`. */
export function maskIp(ip: Ip, prefix: number): Ip {
  const bytes = ip.bytes.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = bytes[i]! & (0xff << (8 - keep)) & 0xff;
  }
  return { family: ip.family, bytes };
}

/** Dotted quad, or the RFC 5952 form of an IPv6 address (lower case, longest zero run as "::"). */
export function formatIp(ip: Ip): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const h = Array.from({ length: 8 }, (_, i) => (ip.bytes[2 * i]! << 8) | ip.bytes[2 * i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (h[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && h[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(h);
  return `${hex(h.slice(0, bestAt))}::${hex(h.slice(bestAt + bestLen))}`;
}

/** The `i` macro: dotted quad, or 32 dot-separated nibbles for IPv6 (RFC 7208 section 7.3). */
export function dottedIp(ip: Ip): string {
  if (ip.family === 4) return formatIp(ip);
  return Array.from(ip.bytes, (b) => `${(b >> 4).toString(16)}.${(b & 15).toString(16)}`).join('.');
}

/** The name a PTR lookup for `ip` asks about. */
export const reverseName = (ip: Ip): string =>
  `${dottedIp(ip).split('.').reverse().join('.')}.${ip.family === 4 ? 'in-addr' : 'ip6'}.arpa`;

/** Whether an address lies in any of the ranges ("192.0.2.0/24", "2001:db8::/32", or a single address). */
export function inRanges(address: string, ranges: readonly string[]): boolean {
  const ip = parseClientIp(address);
  if (!ip) return false;
  return ranges.some((r) => {
    const [net, bits] = r.split('/');
    const network = net ? parseIp(net) : null;
    if (!network) return false;
    const prefix = bits === undefined ? network.bytes.length * 8 : Number(bits);
    return Number.isInteger(prefix) && inNetwork(ip, network, prefix);
  });
}
