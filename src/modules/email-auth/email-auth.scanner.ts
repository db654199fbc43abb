// The posture scanner of the running product, built from the configuration: the configured (or the system's)
// resolvers behind one TTL-respecting cache shared by all scans, and the HTTPS fetcher.
import fs from 'node:fs';
import type { Config } from '../../platform/config.ts';
import { OperationalError } from '../../platform/errors.ts';
import { parseServerAddress, type DnsServerAddress } from './dns/dns-config.ts';
import { createScanDeps, scanDomain } from './scan/posture-scan.ts';
import { parseHostMap } from './scan/https-fetcher.ts';
import type { DomainScanner } from './email-auth.service.ts';

export function createDomainScanner(scans: Config['scans']): DomainScanner {
  let dnsServers: DnsServerAddress[] | undefined;
  if (scans.dnsServers) {
    dnsServers = scans.dnsServers.split(',').map((s) => {
      const server = parseServerAddress(s);
      if (!server) throw new OperationalError(`MAMORI_DNS_SERVERS: "${s.trim()}" is not IP[:PORT]`);
      return server;
    });
  }
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
