// Whether an address is on the public Internet. URLs named by DNS records (a BIMI logo, an MTA-STS policy host) and
// the group's webhook are fetched only from public addresses, so neither a published record nor a setting can point
// Mamori at its own network.
import { inNetwork, parseIp, type Ip } from './ip.ts';

const NON_PUBLIC: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['::', 127],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];
const RANGES = NON_PUBLIC.map(([network, prefix]) => ({ network: parseIp(network)!, prefix }));
const MAPPED = parseIp('::ffff:0:0')!;
const NAT64 = parseIp('64:ff9b::')!;
const SIX_TO_FOUR = parseIp('2002::')!;

/** False for loopback, private, link-local, shared, documentation, multicast and reserved addresses, and for non-IPs. */
export function isPublicAddress(text: string): boolean {
  const ip = parseIp(text.replace(/%.*$/, ''));
  return ip !== null && isPublicIp(ip);
}

function isPublicIp(ip: Ip): boolean {
  if (ip.family === 6) {
    // Addresses that carry an IPv4 address reach what that address reaches.
    if (inNetwork(ip, MAPPED, 96) || inNetwork(ip, NAT64, 96))
      return isPublicIp({ family: 4, bytes: ip.bytes.slice(12) });
    if (inNetwork(ip, SIX_TO_FOUR, 16)) return isPublicIp({ family: 4, bytes: ip.bytes.slice(2, 6) });
  }
  return !RANGES.some((r) => inNetwork(ip, r.network, r.prefix));
}
