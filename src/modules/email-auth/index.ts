// Public face of the email-auth module: the sending-domain inventory and its posture scans, SPF evaluation and flattening over any DnsResolver, the DNS client that
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
  isValidSpfDomain,
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
export { inRanges } from '../../platform/net/ip.ts';
export { emailCommand } from './email-auth.cli.ts';
export {
  createScanDeps,
  mapConcurrent,
  scanDomain,
  scanMany,
  type ScanDeps,
  type ScanInput,
  type ScanManyOptions,
  type ScanSetup,
} from './scan/posture-scan.ts';
export { createHttpsFetcher, parseHostMap, type HttpsFetcherOptions } from './scan/https-fetcher.ts';
export type { FetchOutcome, FetchRequest, HttpsFetcher } from './lib/fetch.ts';
export type { Finding, Severity } from './lib/findings.ts';
export type { Posture, PostureReport, ReportFinding } from './lib/posture.ts';
export { formatPostureReport } from './lib/posture-format.ts';
export {
  createEmailAuthService,
  type EmailAuthService,
  type DomainScanner,
  type ScanTarget,
} from './email-auth.service.ts';
export { createDomainScanner, createReverseLookup } from './email-auth.scanner.ts';
export { emailAuthRoutes } from './email-auth.routes.ts';
export * from './email-auth.contract.ts';
