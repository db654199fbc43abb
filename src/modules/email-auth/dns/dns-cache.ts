// A TTL-respecting cache in front of any DnsResolver: answers and NXDOMAIN/NODATA are kept for their TTL (capped),
// failures are never kept, and concurrent identical lookups share one query.
import { DNS_RECORD_TYPES, type DnsRecordType, type DnsResolver, type DnsResponse } from '../lib/dns.ts';

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
  /** The fresh answer held for the question, if any, at once; undefined when it would have to be asked. */
  fromCache<T extends DnsRecordType>(name: string, type: T): DnsResponse<T> | undefined;
  readonly size: number;
  clear(): void;
}

/** An entry, linked into the recency list: `newer` towards the most recently used, `older` towards the eviction end. */
interface Entry {
  /** The lower-case name without the trailing dot; the key of its type's map. */
  name: string;
  map: Map<string, Entry>;
  expires: number;
  response: DnsResponse;
  /** Settled with the response, made on the first hit that wants a promise; later ones hand out the same. */
  promise: Promise<DnsResponse> | undefined;
  newer: Entry | null;
  older: Entry | null;
}

/** Lower case and without a trailing dot already. */
function isKeyForm(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return false;
  }
  return !name.endsWith('.');
}

export function createCachingResolver(inner: DnsResolver, options: DnsCacheOptions = {}): CachingResolver {
  const maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  const maxTtl = options.maxTtlSeconds ?? 3600;
  const defaultTtl = options.defaultTtlSeconds ?? 0;
  const now = options.now ?? Date.now;
  // Least recently used eviction over a doubly linked list: a hit moves its entry to the front without touching the
  // maps (re-inserting into a Map on every hit leaves it full of deleted slots that eviction then has to skip). One
  // map per record type, keyed by the name alone: no key string to build for each lookup.
  const byType = <V>() =>
    Object.fromEntries(DNS_RECORD_TYPES.map((t) => [t, new Map<string, V>()])) as Record<
      DnsRecordType,
      Map<string, V>
    >;
  let entries = byType<Entry>();
  const inFlight = byType<Promise<DnsResponse>>();
  let size = 0;
  let newest: Entry | null = null;
  let oldest: Entry | null = null;

  const unlink = (e: Entry) => {
    if (e.newer) e.newer.older = e.older;
    else newest = e.older;
    if (e.older) e.older.newer = e.newer;
    else oldest = e.newer;
    e.newer = e.older = null;
  };
  const pushNewest = (e: Entry) => {
    e.older = newest;
    e.newer = null;
    if (newest) newest.newer = e;
    newest = e;
    oldest ??= e;
  };
  const remove = (e: Entry) => {
    unlink(e);
    e.map.delete(e.name);
    size -= 1;
  };
  const keyOf = (name: string) =>
    // Most names come already in the key's form: then the very string is the key, and its hash is computed once.
    isKeyForm(name) ? name : (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  /** The fresh entry for the question, made the most recently used; an expired one is dropped. */
  const lookupEntry = (key: string, type: DnsRecordType): Entry | undefined => {
    const hit = entries[type].get(key);
    if (!hit) return undefined;
    if (hit.expires <= now()) {
      remove(hit);
      return undefined;
    }
    if (hit !== newest) {
      unlink(hit);
      pushNewest(hit);
    }
    return hit;
  };

  return {
    fromCache<T extends DnsRecordType>(name: string, type: T): DnsResponse<T> | undefined {
      return lookupEntry(keyOf(name), type)?.response as DnsResponse<T> | undefined;
    },
    get size() {
      return size;
    },
    clear() {
      entries = byType<Entry>();
      newest = oldest = null;
      size = 0;
    },
    resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsResponse<T>> {
      const key = keyOf(name);
      const hit = lookupEntry(key, type);
      if (hit) return (hit.promise ??= Promise.resolve(hit.response)) as Promise<DnsResponse<T>>;
      const pending = inFlight[type];
      const shared = pending.get(key);
      if (shared) return shared as Promise<DnsResponse<T>>;
      const lookup = inner.resolve(name, type).then(
        (response) => {
          pending.delete(key);
          const ttl = Math.min(maxTtl, response.ttl ?? defaultTtl);
          if ((response.rcode === 'NOERROR' || response.rcode === 'NXDOMAIN') && ttl > 0) {
            // The type's map of now: clear() may have dropped the one of the lookup's start.
            const map = entries[type];
            const stale = map.get(key);
            if (stale) remove(stale);
            const entry: Entry = {
              name: key,
              map,
              expires: now() + ttl * 1000,
              response,
              promise: undefined,
              newer: null,
              older: null,
            };
            map.set(key, entry);
            pushNewest(entry);
            size += 1;
            if (size > maxEntries) remove(oldest!);
          }
          return response;
        },
        (err: unknown) => {
          pending.delete(key);
          throw err;
        },
      );
      pending.set(key, lookup);
      return lookup;
    },
  };
}
