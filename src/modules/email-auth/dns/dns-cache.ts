// A TTL-respecting cache in front of any DnsResolver: answers and NXDOMAIN/NODATA are kept for their TTL (capped),
// failures are never kept, and concurrent identical lookups share one query.
import type { DnsRecordType, DnsResolver, DnsResponse } from '../lib/dns.ts';

export interface DnsCacheOptions {
  maxEntries?: number;
  /** Upper bound on any TTL. */
  maxTtlSeconds?: number;
  /** For responses whose source gave no TTL; 0 keeps them out of the cache. */
  defaultTtlSeconds?: number;
  /** Milliseconds; injectable for tests. */
  now?: () => number;
}

export interface CachingResolver extends DnsResolver {
  readonly size: number;
  clear(): void;
}

export function createCachingResolver(inner: DnsResolver, options: DnsCacheOptions = {}): CachingResolver {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxTtl = options.maxTtlSeconds ?? 3600;
  const defaultTtl = options.defaultTtlSeconds ?? 0;
  const now = options.now ?? Date.now;
  // A Map keeps insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, { expires: number; response: DnsResponse }>();
  const inFlight = new Map<string, Promise<DnsResponse>>();

  return {
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
    resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsResponse<T>> {
      const key = `${type} ${name.toLowerCase().replace(/\.$/, '')}`;
      const hit = entries.get(key);
      if (hit && hit.expires > now()) {
        entries.delete(key);
        entries.set(key, hit);
        return Promise.resolve(hit.response as DnsResponse<T>);
      }
      if (hit) entries.delete(key);
      const pending = inFlight.get(key);
      if (pending) return pending as Promise<DnsResponse<T>>;
      const lookup = inner
        .resolve(name, type)
        .then((response) => {
          const ttl = Math.min(maxTtl, response.ttl ?? defaultTtl);
          if ((response.rcode === 'NOERROR' || response.rcode === 'NXDOMAIN') && ttl > 0) {
            entries.set(key, { expires: now() + ttl * 1000, response });
            if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
          }
          return response;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, lookup);
      return lookup;
    },
  };
}
