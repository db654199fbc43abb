// A real authoritative DNS server on 127.0.0.1 for tests and benchmarks: serves zone data in the SPF test suite's
// `zonedata` shape over UDP and TCP on one random port, follows CNAMEs inside the zone, and misbehaves on demand.
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { DNS_RECORD_TYPES, type DnsRcode } from '../../src/modules/email-auth/lib/dns.ts';
import {
  compileZone,
  lookupZone,
  type CompiledZone,
  type ZoneData,
  type ZoneQueryType,
} from '../../src/modules/email-auth/lib/zonedata.ts';

/** Ways to misbehave for one query name. */
export type DnsFault =
  /** Never answer. */
  | 'drop'
  /** The right id, then bytes that do not decode. */
  | 'garbage'
  /** The real answer cut short, without the TC bit. */
  | 'cut'
  /** The real answer under another id. */
  | 'wrong-id'
  /** An answer to another name. */
  | 'other-question'
  /** TC over UDP; over TCP a length prefix promising more than is sent, then the connection closes. */
  | 'tcp-cut';

export interface DnsServerOptions {
  zone?: ZoneData;
  /** Of every record, and of the SOA sent with negative answers. */
  ttl?: number;
  /** Every UDP answer comes back with TC set and no records, so clients must ask again over TCP. */
  truncateUdp?: boolean;
  /** Keyed by lower-case query name without the trailing dot. */
  faults?: Record<string, DnsFault>;
  /**
   * Zones (keyed by lower-case name without the trailing dot; the name and every name under it) whose server does
   * not know EDNS(0): a query carrying an OPT record is answered with this rcode and no OPT, as old servers do
   * (FORMERR with the header alone, NOTIMP with the question); the same query without OPT is answered normally.
   */
  rejectEdns?: Record<string, 'FORMERR' | 'NOTIMP'>;
}

export interface QueryLogEntry {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  /** Whether the query carried an EDNS(0) OPT record. */
  edns: boolean;
}

export interface TestDnsServer {
  host: string;
  port: number;
  /** HOST:PORT, as `mamori email spf --dns-server` takes it. */
  address: string;
  /** Every query received, in order; clear it with `queries.length = 0`. */
  queries: QueryLogEntry[];
  /** Live: change truncateUdp, faults or ttl between queries. */
  options: DnsServerOptions;
  setZone(zone: ZoneData): void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const RCODE_NUMBERS: Record<DnsRcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  TIMEOUT: 2,
  ERROR: 2,
};
const SERVED = new Set<string>([...DNS_RECORD_TYPES, 'SPF', 'CNAME']);

export async function startDnsServer(options: DnsServerOptions = {}): Promise<TestDnsServer> {
  let zone: CompiledZone = compileZone(options.zone ?? {});
  const queries: QueryLogEntry[] = [];
  const connections = new Set<net.Socket>();
  const answer = (query: DecodedPacket, transport: 'udp' | 'tcp') =>
    respond(zone, options, queries, query, transport);

  const onDatagram = (udp: dgram.Socket) => (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    const query = decodeQuery(msg);
    if (!query) return;
    const reply = answer(query, 'udp');
    if (reply) udp.send(reply.bytes, rinfo.port, rinfo.address);
  };
  const onConnection = (socket: net.Socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + msg.length);
        const query = decodeQuery(msg);
        const reply = query ? answer(query, 'tcp') : null;
        if (!reply) continue;
        const length = Buffer.alloc(2);
        length.writeUInt16BE(reply.bytes.length);
        if (reply.cutOverTcp) {
          socket.end(Buffer.concat([length, reply.bytes.subarray(0, reply.bytes.length >> 1)]));
          return;
        }
        socket.write(Buffer.concat([length, reply.bytes]));
      }
    });
  };

  const { udp, tcp, port } = await listen(onDatagram, onConnection);
  return {
    host: HOST,
    port,
    address: `${HOST}:${port}`,
    queries,
    options,
    setZone(next) {
      zone = compileZone(next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of connections) s.destroy();
        udp.close(() => tcp.close(() => resolve()));
      }),
  };
}

/** Binds UDP on a random port, then TCP on the same one; tries again when TCP finds it taken. */
async function listen(
  onDatagram: (udp: dgram.Socket) => (msg: Buffer, rinfo: dgram.RemoteInfo) => void,
  onConnection: (socket: net.Socket) => void,
): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    // A large receive buffer: benchmarks send bursts of hundreds of queries, which the default one drops.
    const udp = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, HOST, () => resolve());
    });
    const port = udp.address().port;
    udp.on('message', onDatagram(udp));
    const tcp = net.createServer(onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, HOST, () => resolve());
      });
      return { udp, tcp, port };
    } catch (err) {
      udp.close();
      if (attempt >= 20) throw err;
    }
  }
}

function decodeQuery(msg: Buffer): DecodedPacket | null {
  try {
    const packet = dnsPacket.decode(msg);
    return packet.flag_qr ? null : packet;
  } catch {
    return null;
  }
}

function respond(
  zone: CompiledZone,
  options: DnsServerOptions,
  log: QueryLogEntry[],
  query: DecodedPacket,
  transport: 'udp' | 'tcp',
): { bytes: Buffer; cutOverTcp?: boolean } | null {
  const id = query.id ?? 0;
  const q = query.questions?.[0];
  if (!q) return { bytes: dnsPacket.encode({ id, type: 'response', flags: RCODE_NUMBERS.FORMERR }) };
  const key = q.name.toLowerCase().replace(/\.$/, '');
  const opt = query.additionals?.find((a) => a.type === 'OPT');
  log.push({ name: q.name, type: q.type, transport, edns: opt !== undefined });
  const fault = options.faults?.[key];
  if (fault === 'drop') return null;
  const refusal = opt ? ednsRefusal(options.rejectEdns, key) : undefined;
  if (refusal)
    return {
      bytes: dnsPacket.encode({
        id,
        type: 'response',
        flags: RCODE_NUMBERS[refusal],
        questions: refusal === 'NOTIMP' ? [q] : [],
      }),
    };

  const ttl = options.ttl ?? 300;
  const type = q.type as string;
  const found = SERVED.has(type)
    ? lookupZone(zone, q.name, type as ZoneQueryType)
    : { rcode: (zone.has(key) ? 'NOERROR' : 'NXDOMAIN') as DnsRcode, chain: [], owner: q.name, answers: [] };
  if (found.rcode === 'TIMEOUT') return null;
  const answers: Answer[] = [
    ...found.chain.map((c): Answer => ({ type: 'CNAME', name: c.owner, ttl, data: c.target })),
    ...found.answers.map((data) => record(type, found.owner, ttl, data)),
  ];
  const negative = found.rcode === 'NXDOMAIN' || (found.rcode === 'NOERROR' && answers.length === 0);
  const packet: Packet = {
    id,
    type: 'response',
    flags:
      dnsPacket.AUTHORITATIVE_ANSWER |
      ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
      RCODE_NUMBERS[found.rcode],
    questions: [fault === 'other-question' ? { ...q, name: `other.${q.name}` } : q],
    answers,
    authorities: negative
      ? [
          {
            type: 'SOA',
            name: found.owner,
            ttl,
            data: { mname: 'ns.test', rname: 'hostmaster.test', serial: 1, minimum: ttl },
          },
        ]
      : [],
  };
  let bytes: Buffer;
  try {
    bytes = dnsPacket.encode(packet);
  } catch {
    // Zone data no DNS message can carry, such as one TXT record over 64 KiB.
    bytes = dnsPacket.encode({ ...packet, flags: (packet.flags ?? 0) | RCODE_NUMBERS.SERVFAIL, answers: [] });
  }
  // What fits: the client's EDNS size (512 without) over UDP; a 16-bit length over TCP, as for any server.
  const limit = transport === 'tcp' ? 0xffff : opt?.type === 'OPT' ? Math.max(512, opt.udpPayloadSize) : 512;
  if (bytes.length > limit || (transport === 'udp' && (options.truncateUdp || fault === 'tcp-cut'))) {
    bytes = dnsPacket.encode({
      ...packet,
      flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
      answers: [],
      authorities: [],
    });
  }
  switch (fault) {
    case 'garbage': {
      const junk = Buffer.alloc(40, 0xc0);
      junk.writeUInt16BE(id, 0);
      junk.writeUInt16BE(0x8180, 2);
      return { bytes: junk };
    }
    case 'cut':
      return { bytes: bytes.subarray(0, Math.max(14, bytes.length - 7)) };
    case 'wrong-id':
      bytes.writeUInt16BE(id ^ 0xffff, 0);
      return { bytes };
    case 'tcp-cut':
      return { bytes, cutOverTcp: transport === 'tcp' };
    default:
      return { bytes };
  }
}

function ednsRefusal(zones: DnsServerOptions['rejectEdns'], name: string): 'FORMERR' | 'NOTIMP' | undefined {
  for (const [zone, rcode] of Object.entries(zones ?? {}))
    if (name === zone || name.endsWith(`.${zone}`)) return rcode;
  return undefined;
}

function record(type: string, name: string, ttl: number, data: unknown): Answer {
  switch (type) {
    case 'TXT':
      return { type: 'TXT', name, ttl, data: characterStrings(data as string[]) };
    case 'SPF':
      // dns-packet has no codec for type 99: hand its generic one the RDATA, laid out as for TXT.
      return {
        type: 'SPF' as 'NULL',
        name,
        ttl,
        data: Buffer.concat(
          characterStrings(data as string[]).map((b) => Buffer.concat([Buffer.from([b.length]), b])),
        ),
      };
    case 'MX': {
      const mx = data as { preference: number; exchange: string };
      return { type: 'MX', name, ttl, data: { preference: mx.preference, exchange: mx.exchange || '.' } };
    }
    default:
      return { type: type as 'A', name, ttl, data: data as string };
  }
}

/** Zone text as DNS character-strings: bytes as written (latin1) when every char fits, else UTF-8; 255 at most each. */
function characterStrings(strings: string[]): Buffer[] {
  return strings.flatMap((s) => {
    const bytes = Buffer.from(s, [...s].every((ch) => ch.charCodeAt(0) <= 0xff) ? 'latin1' : 'utf8');
    if (bytes.length === 0) return [bytes];
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 255) chunks.push(bytes.subarray(i, i + 255));
    return chunks;
  });
}
