// The SPF benchmark's world, generated from a seed (nothing is committed): sender domains whose records include
// shared provider records one to three levels deep (ranges, a, mx, exists with macros), some with redirect=, a rare
// ptr, a few broken ones (too many lookups, void lookups, bad syntax, two records, a missing include), the zone
// data that serves them, and (ip, sender) pairs each with the result RFC 7208 gives, worked out by construction
// from the records' structure (no DNS, no parsing), so that every engine can be checked against it.
import { evaluateModel, type ModelRecord, type ModelResult, type ModelTerm } from './spf-model.ts';

export interface SpfPair {
  ip: string;
  sender: string;
  helo: string;
  /** What RFC 7208 gives for the pair. */
  expected: ModelResult;
  /** How the sender's record is built: normal, redirect, none, or the kind of breakage. */
  category: string;
}

export interface SpfWorld {
  zone: Record<string, unknown[]>;
  pairs: SpfPair[];
  senders: number;
  providers: number;
  /** Domains per category. */
  categories: Map<string, number>;
}

/** A small deterministic generator (mulberry32): the same seed, the same world. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Source = { v4: (() => string) | null; v6: (() => string) | null };

/** IPv4 addresses as numbers, allocated upwards from a base so that no two sources overlap. */
class Allocator {
  private next: number;
  constructor(base: string) {
    this.next = ipv4ToNumber(base);
  }
  block(prefix: number): { cidr: string; base: number; size: number } {
    const size = 2 ** (32 - prefix);
    this.next = Math.ceil(this.next / size) * size;
    const base = this.next;
    this.next += size;
    return { cidr: `${numberToIpv4(base)}/${prefix}`, base, size };
  }
  host(): string {
    return numberToIpv4(this.block(32).base);
  }
}

const ipv4ToNumber = (ip: string) => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
const numberToIpv4 = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const hex = (n: number) => n.toString(16);

/** The 32 nibbles of an IPv6 address written in full (8 hextets), for %{i} and %{ir}. */
function nibbles(ip: string): string[] {
  return ip
    .split(':')
    .map((h) => h.padStart(4, '0'))
    .join('')
    .split('');
}

/** Zone text as character-strings of at most 255 bytes. */
const txt = (text: string) => ({ TXT: text.length > 255 ? text.match(/.{1,255}/g)! : text });

export function generateSpfWorld(options: { senders: number; pairs: number; seed?: number }): SpfWorld {
  const rnd = random(options.seed ?? 7208);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const zone: Record<string, unknown[]> = {};
  const add = (name: string, ...entries: unknown[]) => (zone[name] ??= []).push(...entries);
  const records = new Map<string, ModelRecord>();
  const sources = new Map<string, Source>();

  const ranges4 = new Allocator('20.0.0.0');
  const own4 = new Allocator('50.0.0.0');
  const hosts4 = new Allocator('60.0.0.0');
  const listed4 = new Allocator('70.0.0.0');
  const ptr4 = new Allocator('80.0.0.0');
  let v6Serial = 0;
  const v6Prefix = () => `2a0${int(0, 9)}:${hex(++v6Serial)}`;
  const randomIn = (block: { base: number; size: number }) =>
    numberToIpv4(block.base + Math.floor(rnd() * block.size));
  const v6In = (prefix: string) =>
    `${prefix}:${Array.from({ length: 8 - prefix.split(':').length }, () => hex(Math.floor(rnd() * 0x10000))).join(':')}`;
  let keySerial = 0;
  const term = (t: Omit<ModelTerm, 'key'>, source?: Source): ModelTerm => {
    const key = `k${++keySerial}`;
    if (source) sources.set(key, source);
    return { ...t, key };
  };
  const rangesTerm = (n4: number, n6: number): ModelTerm => {
    const blocks = Array.from({ length: n4 }, () => ranges4.block(int(18, 24)));
    const prefixes = Array.from({ length: n6 }, v6Prefix);
    const text = [...blocks.map((b) => `ip4:${b.cidr}`), ...prefixes.map((p) => `ip6:${p}::/32`)].join(' ');
    return term(
      { kind: 'ip', q: '+', text },
      {
        v4: blocks.length ? () => randomIn(pick(blocks)) : null,
        v6: prefixes.length ? () => v6In(pick(prefixes)) : null,
      },
    );
  };
  /** Hosts with A and AAAA records (so that a and mx are never void lookups for either family). */
  const hosts = (names: string[]): Source => {
    const addresses = names.map((name) => {
      const a = hosts4.host();
      const n = ipv4ToNumber(a);
      const aaaa = `2a01:0:0:0:0:0:${hex(Math.floor(n / 65536))}:${hex(n % 65536)}`;
      add(name, { A: a }, { AAAA: aaaa });
      return { a, aaaa };
    });
    return { v4: () => pick(addresses).a, v6: () => pick(addresses).aaaa };
  };
  const record = (name: string, r: Omit<ModelRecord, 'text'>) => {
    const text = recordText(r);
    records.set(name, { ...r, text });
    add(name, txt(text));
  };

  // Providers: the shared records sender domains include.
  const PROVIDERS = 30;
  const providerCost: number[] = [];
  const providerVoids: number[] = [];
  const providerNames: string[] = [];
  for (let p = 0; p < PROVIDERS; p++) {
    const P = `provider-${p}.example`;
    const top = `_spf.${P}`;
    providerNames.push(top);
    const kind = p % 5 < 3 ? 'netblocks' : p % 5 === 3 ? 'relays' : 'macro';
    if (kind === 'netblocks') {
      // Three levels: _spf -> _netblocks, _netblocks2 (-> _netblocks3 for some).
      const deep = p % 2 === 0;
      const parts = ['_netblocks', '_netblocks2', ...(deep ? ['_netblocks3'] : [])].map((l) => `${l}.${P}`);
      record(top, {
        terms: [
          term({ kind: 'include', q: '+', target: parts[0]!, text: `include:${parts[0]}` }),
          term({ kind: 'include', q: '+', target: parts[1]!, text: `include:${parts[1]}` }),
        ],
        all: '~',
      });
      record(parts[0]!, { terms: [rangesTerm(int(4, 9), 0)], all: '~' });
      record(parts[1]!, {
        terms: [
          rangesTerm(int(1, 3), int(2, 4)),
          ...(deep
            ? [term({ kind: 'include', q: '+', target: parts[2]!, text: `include:${parts[2]}` })]
            : []),
        ],
        all: '~',
      });
      if (deep) record(parts[2]!, { terms: [rangesTerm(int(2, 5), int(1, 2))], all: '~' });
      providerCost.push(deep ? 4 : 3);
      providerVoids.push(0);
    } else if (kind === 'relays') {
      // Ranges, then one include of relays named by a, a and mx.
      const relays = `_relays.${P}`;
      record(top, {
        terms: [
          rangesTerm(int(2, 4), 0),
          term({ kind: 'include', q: '+', target: relays, text: `include:${relays}` }),
        ],
        all: '-',
      });
      const r1 = term({ kind: 'a', q: '+', text: `a:relay1.${P}` }, hosts([`relay1.${P}`]));
      // a:relay2/28 authorises the relay's whole /28: it gets a block of its own.
      const net2 = hosts4.block(28);
      const relay2 = { a: numberToIpv4(net2.base + 1), aaaa: v6In(v6Prefix()) };
      add(`relay2.${P}`, { A: relay2.a }, { AAAA: relay2.aaaa });
      const r2 = term(
        { kind: 'a', q: '+', text: `a:relay2.${P}/28` },
        { v4: () => randomIn(net2), v6: () => relay2.aaaa },
      );
      const mx = term({ kind: 'mx', q: '+', text: `mx:${P}` }, hosts([`mx1.${P}`, `mx2.${P}`]));
      add(P, { MX: [10, `mx1.${P}`] }, { MX: [20, `mx2.${P}`] });
      record(relays, { terms: [r1, r2, mx, rangesTerm(0, 1)], all: '-' });
      providerCost.push(5);
      providerVoids.push(0);
    } else {
      // A few ranges and an exists with macros over an allow-list of single addresses.
      const reversed = p % 2 === 0;
      const spec = reversed ? `%{ir}.%{v}._spf.${P}` : `%{i}._ip.${P}`;
      const listed = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? v6In(v6Prefix()) : listed4.host()));
      for (const ip of listed) {
        const v6 = ip.includes(':');
        const name = v6
          ? reversed
            ? `${nibbles(ip).reverse().join('.')}.ip6._spf.${P}`
            : `${nibbles(ip).join('.')}._ip.${P}`
          : reversed
            ? `${ip.split('.').reverse().join('.')}.in-addr._spf.${P}`
            : `${ip}._ip.${P}`;
        add(name, { A: '127.0.0.2' });
      }
      const v4 = listed.filter((ip) => !ip.includes(':'));
      const v6 = listed.filter((ip) => ip.includes(':'));
      record(top, {
        terms: [
          rangesTerm(int(1, 3), 0),
          term(
            { kind: 'exists', q: '+', text: `exists:${spec}` },
            { v4: () => pick(v4), v6: () => pick(v6) },
          ),
        ],
        all: '~',
      });
      providerCost.push(2);
      providerVoids.push(1);
    }
  }

  // Sender domains.
  const categories = new Map<string, number>();
  const senderCategory: string[] = [];
  const VERIFY = [
    'google-site-verification=',
    'MS=ms',
    'facebook-domain-verification=',
    'apple-domain-verification=',
  ];
  for (let s = 0; s < options.senders; s++) {
    const S = `sender-${s}.example`;
    const roll = rnd();
    const category =
      roll < 0.005
        ? 'nxdomain'
        : roll < 0.025
          ? 'none'
          : roll < 0.125
            ? 'redirect'
            : roll < 0.131
              ? 'too-many-lookups'
              : roll < 0.135
                ? 'void-lookups'
                : roll < 0.138
                  ? 'include-missing'
                  : roll < 0.141
                    ? 'syntax'
                    : roll < 0.143
                      ? 'two-records'
                      : roll < 0.145
                        ? 'include-loop'
                        : 'normal';
    senderCategory.push(category);
    categories.set(category, (categories.get(category) ?? 0) + 1);
    if (category === 'nxdomain') continue;
    for (const v of VERIFY) if (rnd() < 0.35) add(S, txt(`${v}${hex(Math.floor(rnd() * 2 ** 32))}`));
    add(S, { MX: [10, `mx1.${S}`] }, { MX: [20, `mx2.${S}`] });
    const apex = hosts([S]);
    const mxHosts = hosts([`mx1.${S}`, `mx2.${S}`]);
    if (category === 'none') continue;
    const ownBlock = own4.block(int(27, 29));
    const own = term(
      { kind: 'ip', q: '+', text: `ip4:${ownBlock.cidr}` },
      { v4: () => randomIn(ownBlock), v6: null },
    );
    const include = (target: string) => term({ kind: 'include', q: '+', target, text: `include:${target}` });
    const all = pick(['-', '-', '-', '-', '-', '-', '~', '~', '~', '~', '~', '?'] as const);
    switch (category) {
      case 'redirect': {
        const target = pick(providerNames);
        record(S, { terms: rnd() < 0.5 ? [own] : [], redirect: target });
        break;
      }
      case 'too-many-lookups': {
        // Every provider of the relays kind costs 5 lookups: three of them are 15.
        const relays = providerNames.filter((_, i) => i % 5 === 3);
        record(S, { terms: [own, ...[0, 1, 2].map((i) => include(relays[(s + i) % relays.length]!))], all });
        break;
      }
      case 'void-lookups': {
        const gone = [1, 2, 3].map((i) =>
          term({ kind: 'a', q: '+', text: `a:old${i}.${S}`, voidMiss: true }),
        );
        record(S, { terms: [own, ...gone, include(pick(providerNames))], all });
        break;
      }
      case 'include-missing':
        record(S, { terms: [own, include(`_spf.gone-${s}.example`)], all });
        break;
      case 'syntax':
        record(S, { terms: [own], all, broken: `ip4:${int(256, 999)}.0.2.0/24` });
        break;
      case 'two-records':
        record(S, { terms: [own, include(pick(providerNames))], all });
        add(S, txt(`v=spf1 ip4:${own4.block(29).cidr} -all`));
        records.get(S)!.duplicate = true;
        break;
      case 'include-loop':
        record(S, { terms: [own, include(S)], all });
        break;
      default: {
        // Own parts, then one to three providers, within 10 lookups and 2 void lookups for a stranger.
        const terms: ModelTerm[] = [];
        let cost = 0;
        let voids = 0;
        if (rnd() < 0.4) terms.push(own);
        if (rnd() < 0.3) {
          terms.push(term({ kind: 'a', q: '+', text: 'a' }, apex));
          cost += 1;
        }
        if (rnd() < 0.3) {
          terms.push(term({ kind: 'mx', q: '+', text: 'mx' }, mxHosts));
          cost += 1;
        }
        if (rnd() < 0.01) {
          const names = [1, 2].map((i) => `mail-${i}.${S}`);
          const ips = names.map(() => ptr4.host());
          names.forEach((n, i) => {
            add(n, { A: ips[i]! });
            add(`${ips[i]!.split('.').reverse().join('.')}.in-addr.arpa`, { PTR: n });
          });
          terms.push(term({ kind: 'ptr', q: '+', text: 'ptr' }, { v4: () => pick(ips), v6: null }));
          cost += 1;
          voids += 1;
        }
        const wanted = int(1, 3);
        const chosen = new Set<number>();
        for (let tries = 0; chosen.size < wanted && tries < 20; tries++) {
          const p = int(0, PROVIDERS - 1);
          if (chosen.has(p) || cost + providerCost[p]! > 10 || voids + providerVoids[p]! > 2) continue;
          chosen.add(p);
          cost += providerCost[p]!;
          voids += providerVoids[p]!;
          terms.push(include(providerNames[p]!));
        }
        record(S, { terms, all });
      }
    }
  }

  // Pairs: a sender, then an address one of its record's terms authorises (about 55%) or a stranger's.
  const pairs: SpfPair[] = [];
  for (let i = 0; i < options.pairs; i++) {
    const s = int(0, options.senders - 1);
    const S = `sender-${s}.example`;
    const reachable = reachableSources(records, sources, S);
    const v6 = rnd() < 0.1;
    let ip: string;
    let key: string | null = null;
    if (reachable.length > 0 && rnd() < 0.55) {
      const candidates = reachable.filter((k) => sources.get(k)![v6 ? 'v6' : 'v4']);
      key = pick(candidates.length ? candidates : reachable);
      const src = sources.get(key)!;
      ip = ((v6 ? src.v6 : src.v4) ?? src.v4 ?? src.v6)!();
    } else {
      ip = v6 ? v6In('2001:db8:dead') : `100.${int(64, 127)}.${int(0, 255)}.${int(1, 254)}`;
    }
    pairs.push({
      ip,
      sender: `user${int(1, 9999)}@${S}`,
      helo: `mail.client-${int(1, 500)}.example`,
      expected: evaluateModel(records, S, key),
      category: senderCategory[s]!,
    });
  }
  return { zone, pairs, senders: options.senders, providers: PROVIDERS, categories };
}

/** The source keys of every term reachable from a domain's record (through include and redirect). */
function reachableSources(
  records: Map<string, ModelRecord>,
  sources: Map<string, Source>,
  domain: string,
): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (name: string) => {
    const r = records.get(name);
    if (!r || seen.has(name)) return;
    seen.add(name);
    for (const t of r.terms) {
      if (sources.has(t.key)) found.push(t.key);
      if (t.kind === 'include' && t.target) walk(t.target);
    }
    if (r.redirect) walk(r.redirect);
  };
  walk(domain);
  return found;
}

function recordText(r: Omit<ModelRecord, 'text'>): string {
  return [
    'v=spf1',
    ...r.terms.map((t) => (t.q === '+' ? t.text : `${t.q}${t.text}`)),
    ...(r.broken ? [r.broken] : []),
    ...(r.redirect ? [`redirect=${r.redirect}`] : []),
    ...(r.all ? [`${r.all}all`] : []),
  ].join(' ');
}
