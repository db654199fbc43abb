// The posture scanner of the running product, built from the configuration: the configured (or the system's)
// resolvers behind one TTL-respecting cache shared by all scans, and the HTTPS fetcher.
import fs from 'node:fs';
import type { Config } from '../../platform/config.ts';
import { OperationalError } from '../../platform/errors.ts';
import { parseServerAddress, type DnsServerAddress } from './dns/dns-config.ts';
import { createDnsClient } from './dns/dns-client.ts';
import { parseClientIp, reverseName } from '../../platform/net/ip.ts';
import { createScanDeps, scanDomain } from './scan/posture-scan.ts';
import { parseHostMap } from './scan/https-fetcher.ts';
import type { DomainScanner } from './email-auth.service.ts';

function dnsServersOf(scans: Config['scans']): DnsServerAddress[] | undefined {
  return scans.dnsServers?.split(',').map((s) => {
    const server = parseServerAddress(s);
    if (!server) throw new OperationalError(`MAMORI_DNS_SERVERS: "${s.trim()}" is not IP[:PORT]`);
    return server;
  });
}

/** Reverse DNS over the scans' resolvers: the first PTR name of an address, or null. */
export function createReverseLookup(scans: Config['scans']): (ip: string) => Promise<string | null> {
  const servers = dnsServersOf(scans);
  const dns = createDnsClient(servers ? { servers } : {});
  return async (address) => {
    const ip = parseClientIp(address);
    if (!ip) return null;
    const r = await dns.resolve(reverseName(ip), 'PTR');
    return r.rcode === 'NOERROR' ? (r.answers[0]?.replace(/\.$/, '').toLowerCase() ?? null) : null;
  };
}

export function createDomainScanner(scans: Config['scans']): DomainScanner {
  const dnsServers = dnsServersOf(scans);
  let httpsHosts;
  try {
    httpsHosts = scans.httpsHosts ? parseHostMap(scans.httpsHosts) : undefined;
  } catch (err) {
    throw new OperationalError(`MAMORI_HTTPS_HOSTS: ${(err as Error).message}`);
  }
  let extraCa: string[] | undefined;
  if (scans.extraCaFile) {
    try {
      extraCa = [fs.readFileSync(scans.extraCaFile, 'utf8')];
    } catch (err) {
      throw new OperationalError(`MAMORI_EXTRA_CA_FILE: ${(err as Error).message}`);
    }
  }
  const deps = createScanDeps({
    ...(dnsServers ? { dnsServers } : {}),
    ...(httpsHosts ? { httpsHosts } : {}),
    ...(extraCa ? { extraCa } : {}),
    ...(scans.allowPrivateAddresses ? { allowPrivateAddresses: true } : {}),
  });
  return (target) =>
    scanDomain(
      {
        domain: target.domain,
        role: target.role,
        dkimSelectors: target.dkimSelectors,
        expectedSources: target.expectedSources,
      },
      deps,
    );
}
