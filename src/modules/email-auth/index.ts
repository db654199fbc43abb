// Public face of the email-auth module: SPF evaluation and flattening over any DnsResolver, the DNS client that
// implements it on the network, zone-data resolvers for tests, and the `mamori email` commands.
export {
  DNS_RECORD_TYPES,
  isVoid,
  normalizeName,
  type DnsRcode,
  type DnsRecordData,
  type DnsRecordType,
  type DnsResolver,
  type DnsResponse,
  type MxRecord,
} from './lib/dns.ts';
export {
  checkHost,
  checkSender,
  isValidSpfDomain,
  SPF_RESULTS,
  type CheckHostOptions,
  type SpfOutcome,
  type SpfResult,
} from './lib/spf/check-host.ts';
export {
  flattenSpf,
  type FlattenOptions,
  type SpfFlattening,
  type SpfRange,
  type SpfUnflattenable,
} from './lib/spf/flatten.ts';
export {
  isSpfRecord,
  parseSpfRecord,
  selectSpfRecord,
  type Directive,
  type Modifier,
  type Qualifier,
  type SpfRecord,
} from './lib/spf/record.ts';
export {
  judge,
  parseSuite,
  runSuiteCase,
  type CaseOutcome,
  type SuiteCase,
  type SuiteScenario,
} from './lib/spf/suite.ts';
export { compileZone, lookupZone, zoneResolver, type CompiledZone, type ZoneData } from './lib/zonedata.ts';
export { createDnsClient, type DnsClientOptions } from './dns/dns-client.ts';
export { createCachingResolver, type CachingResolver, type DnsCacheOptions } from './dns/dns-cache.ts';
export { parseServerAddress, systemResolvConf, type DnsServerAddress } from './dns/dns-config.ts';
export { emailCommand } from './email-auth.cli.ts';
