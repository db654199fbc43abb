// DNS over UDP with TCP fallback on truncation, and EDNS(0) with a plain retry for servers that refuse it: the network
// DnsResolver behind SPF checks. Whatever happens on the wire (no answer, a malformed or mismatched one, a connection
// closed half-way) ends as a TIMEOUT or ERROR response, never a thrown error or a promise that does not settle.
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import {
  isQueryableName,
  normalizeName,
  type DnsRcode,
  type DnsRecordData,
  type DnsRecordType,
  type DnsResolver,
  type DnsResponse,
} from '../lib/dns.ts';
import { formatIp, parseIp, parseIp4, parseIp6 } from '../../../platform/net/ip.ts';
import { systemResolvConf, type DnsServerAddress } from './dns-config.ts';

export interface DnsClientOptions {
  /** Tried in order. Default: the nameservers of /etc/resolv.conf. */
  servers?: DnsServerAddress[];
  /** For each attempt (UDP, then TCP when truncated). Default: resolv.conf's, else 2000. */
  timeoutMs?: number;
  /** Further rounds over all servers, only after timeouts and transport errors. Default: resolv.conf's, else 1. */
  retries?: number;
  /** Advertised with EDNS(0); larger answers come back truncated and are asked again over TCP. Default 1232. */
  udpPayloadSize?: number;
  /**
   * Send an EDNS(0) OPT record (default true). A server answering such a query FORMERR or NOTIMP without an OPT
   * record of its own does not know EDNS (RFC 6891 section 7): the query is asked again without it.
   */
  edns?: boolean;
}

type Exchange = { kind: 'message'; bytes: Buffer } | { kind: 'timeout' } | { kind: 'error'; message: string };
type Decoded = { ok: true; packet: DecodedPacket } | { ok: false; response: DnsResponse<never> };

const RCODES: Record<number, DnsRcode> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};
const MAX_CNAME_HOPS = 16;

export function createDnsClient(options: DnsClientOptions = {}): DnsResolver {
  const system = options.servers ? undefined : systemResolvConf();
  const servers = options.servers ?? system!.servers;
  const timeoutMs = options.timeoutMs ?? system?.timeoutMs ?? 2000;
  const retries = options.retries ?? (system?.attempts === undefined ? 1 : system.attempts - 1);
  // 0 stands for "no EDNS" below: plain DNS, 512-byte UDP answers.
  const udpPayloadSize = options.edns === false ? 0 : Math.max(512, options.udpPayloadSize ?? 1232);
  if (servers.length === 0) throw new Error('createDnsClient needs at least one server');
  const notIp = servers.find((s) => !parseIp(s.host.replace(/%.*$/, '')));
  if (notIp) throw new Error(`DNS server ${notIp.host} is not an IP address`);

  return {
    async resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsResponse<T>> {
      const qname = normalizeName(name);
      if (!isQueryableName(qname))
        return { rcode: 'ERROR', answers: [], error: `"${qname}" cannot be put in a DNS query` };
      let last: DnsResponse<T> = { rcode: 'TIMEOUT', answers: [] };
      for (let round = 0; round <= retries; round++) {
        let retryable = false;
        for (const server of servers) {
          const r = await ask<T>(server, qname, type, timeoutMs, udpPayloadSize);
          if (r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN') return r;
          // Another server may do better; remember the most telling failure.
          if (r.rcode === 'TIMEOUT' || r.rcode === 'ERROR') retryable = true;
          if (last.rcode === 'TIMEOUT' || r.rcode !== 'TIMEOUT') last = r;
        }
        if (!retryable) break;
      }
      return last;
    },
  };
}

async function ask<T extends DnsRecordType>(
  server: DnsServerAddress,
  qname: string,
  type: T,
  timeoutMs: number,
  udpPayloadSize: number,
): Promise<DnsResponse<T>> {
  let decoded = await exchange(server, qname, type, timeoutMs, udpPayloadSize);
  if (udpPayloadSize > 0 && decoded.ok && refusesEdns(decoded.packet))
    decoded = await exchange(server, qname, type, timeoutMs, 0);
  if (!decoded.ok) return decoded.response;
  if (decoded.packet.flag_tc)
    return { rcode: 'ERROR', answers: [], error: 'the answer was truncated over TCP too' };
  return toResponse(decoded.packet, qname, type);
}

/** One query over UDP, asked again over TCP when the answer is truncated; udpPayloadSize 0 sends no OPT record. */
async function exchange(
  server: DnsServerAddress,
  qname: string,
  type: DnsRecordType,
  timeoutMs: number,
  udpPayloadSize: number,
): Promise<Decoded> {
  const channel = udpChannel(server);
  const id = freeId(channel);
  const query = encodeQuery(id, qname, type, udpPayloadSize);
  const decoded = decodeExchange(await udpExchange(channel, server, query, id, timeoutMs), id, qname, type);
  if (decoded.ok && decoded.packet.flag_tc)
    return decodeExchange(await tcpExchange(server, query, timeoutMs), id, qname, type);
  return decoded;
}

const TYPE_CODES: Record<DnsRecordType, number> = { A: 1, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };
const OPT = 41;
const IN = 1;
const RECURSION_DESIRED = 0x0100;

/**
 * A query message (RFC 1035 section 4.1): the header with recursion desired, one question, and with udpPayloadSize
 * an EDNS(0) OPT record advertising it (RFC 6891 section 6.1). `qname` is a queryable name without the trailing dot;
 * its labels are written in UTF-8.
 */
export function encodeQuery(id: number, qname: string, type: DnsRecordType, udpPayloadSize: number): Buffer {
  const labels = qname.split('.');
  let nameLength = 1;
  for (const label of labels) nameLength += 1 + Buffer.byteLength(label);
  const message = Buffer.alloc(12 + nameLength + 4 + (udpPayloadSize > 0 ? 11 : 0));
  message.writeUInt16BE(id, 0);
  message.writeUInt16BE(RECURSION_DESIRED, 2);
  message.writeUInt16BE(1, 4);
  message.writeUInt16BE(udpPayloadSize > 0 ? 1 : 0, 10);
  let at = 12;
  for (const label of labels) {
    const length = message.write(label, at + 1);
    message[at] = length;
    at += 1 + length;
  }
  at += 1; // the root label
  message.writeUInt16BE(TYPE_CODES[type], at);
  message.writeUInt16BE(IN, at + 2);
  // OPT: the root name, its type, the payload size as its class; extended rcode, version, flags and data all zero.
  if (udpPayloadSize > 0) {
    message.writeUInt16BE(OPT, at + 5);
    message.writeUInt16BE(udpPayloadSize, at + 7);
  }
  return message;
}

/** FORMERR or NOTIMP to a query with an OPT record, from a server that sends none back: it does not know EDNS. */
function refusesEdns(packet: DecodedPacket): boolean {
  const rcode = RCODES[(packet.flags ?? 0) & 0xf];
  return (
    (rcode === 'FORMERR' || rcode === 'NOTIMP') && !(packet.additionals ?? []).some((a) => a.type === 'OPT')
  );
}

/** Checks that a message answers our question; anything else becomes an ERROR response. */
function decodeExchange(exchange: Exchange, id: number, qname: string, type: DnsRecordType): Decoded {
  const error = (message: string): Decoded => ({
    ok: false,
    response: { rcode: 'ERROR', answers: [], error: message },
  });
  if (exchange.kind === 'timeout') return { ok: false, response: { rcode: 'TIMEOUT', answers: [] } };
  if (exchange.kind === 'error') return error(exchange.message);
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(exchange.bytes);
  } catch (err) {
    return error(`malformed response: ${(err as Error).message}`);
  }
  // dns-packet reads past the end of a cut message without complaint (a shorter string, say): check the length.
  if (dnsPacket.decode.bytes > exchange.bytes.length)
    return error('malformed response: the message ends inside its last record');
  const q = packet.questions?.[0];
  if (packet.id !== id || !packet.flag_qr) return error('the response does not answer the query');
  // Servers that cannot parse a query (an OPT record they do not know, say) may send the header alone back.
  const refusal =
    RCODES[(packet.flags ?? 0) & 0xf] === 'FORMERR' || RCODES[(packet.flags ?? 0) & 0xf] === 'NOTIMP';
  if (!q && refusal) return { ok: true, packet };
  if (!q || q.type !== type || normalizeName(q.name) !== qname)
    return error('the response is for another question');
  return { ok: true, packet };
}

function toResponse<T extends DnsRecordType>(packet: DecodedPacket, qname: string, type: T): DnsResponse<T> {
  const rcode = RCODES[(packet.flags ?? 0) & 0xf];
  if (rcode === undefined)
    return { rcode: 'ERROR', answers: [], error: `rcode ${(packet.flags ?? 0) & 0xf}` };
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN')
    return { rcode, answers: [], error: `the server answered ${rcode}` };
  const all = packet.answers ?? [];
  // Follow the CNAME chain from the question; only records owned by its end answer it.
  let owner = qname;
  let ttl = Infinity;
  const seen = new Set<string>();
  for (let hops = 0; hops < MAX_CNAME_HOPS && !seen.has(owner); hops++) {
    seen.add(owner);
    let next: string | undefined;
    for (const a of all) {
      if (a.type !== 'CNAME' || normalizeName(a.name) !== owner) continue;
      ttl = Math.min(ttl, a.ttl ?? 0);
      next = normalizeName(a.data);
      break;
    }
    if (next === undefined) break;
    owner = next;
  }
  const answers: DnsRecordData[T][] = [];
  for (const a of all) {
    if (a.type !== type || normalizeName(a.name) !== owner) continue;
    const data = recordData(a);
    if (data === null) continue;
    answers.push(data as DnsRecordData[T]);
    ttl = Math.min(ttl, (a as { ttl?: number }).ttl ?? 0);
  }
  if (rcode === 'NXDOMAIN' || answers.length === 0) {
    const soa = (packet.authorities ?? []).find((a) => a.type === 'SOA');
    const negative = soa?.type === 'SOA' ? Math.min(soa.ttl ?? 0, soa.data.minimum ?? 0) : undefined;
    return { rcode, answers: [], ...(negative === undefined ? {} : { ttl: negative }) };
  }
  return { rcode, answers, ttl: Number.isFinite(ttl) ? ttl : 0 };
}

/** The answer's data in the resolver interface's form; null for data that does not decode to its type. */
function recordData(a: Answer): DnsRecordData[DnsRecordType] | null {
  // dns-packet writes an A record as a dotted quad already; an AAAA record is put in RFC 5952 form.
  if (a.type === 'A') return parseIp4(a.data) ? a.data : null;
  if (a.type === 'AAAA') {
    const ip = parseIp6(a.data);
    return ip ? formatIp(ip) : null;
  }
  if (a.type === 'PTR') return stripDot(a.data);
  if (a.type === 'MX') return { preference: a.data.preference ?? 0, exchange: stripDot(a.data.exchange) };
  if (a.type === 'TXT') {
    const strings = Array.isArray(a.data) ? a.data : [a.data];
    return strings.map((s) => (typeof s === 'string' ? s : s.toString('latin1')));
  }
  return null;
}

const stripDot = (name: string): string =>
  name === '.' ? '' : name.endsWith('.') ? name.slice(0, -1) : name;

/**
 * UDP sockets are shared between the queries to one server, as client resolver libraries such as c-ares share them: opening a
 * socket costs more than the exchange itself. A socket takes at most UDP_MAX_QUERIES queries, then a new one (on a new
 * random port, chosen by the kernel) takes over, and it is closed once it has nothing pending. Queries pending on one
 * socket have distinct random ids, and a datagram is taken only from the server's address and port, for a pending id.
 *
 * A query made while others wait on the socket is sent at the end of the turn of the event loop, with the others
 * made in that turn (the answers that came in, and the lookups they led to): a send to a server that waits for work
 * wakes it, which costs far more than the send itself, and one wake then serves the whole burst. A query alone on its
 * socket goes at once.
 */
interface UdpChannel {
  key: string;
  socket: dgram.Socket;
  pending: Map<number, (e: Exchange) => void>;
  queries: number;
  /** Armed again whenever the last pending query ends; retires the channel when it finds nothing pending. */
  idle: ReturnType<typeof setTimeout> | undefined;
  /** Connected to the server: the kernel takes datagrams from it alone, and a send looks no address up. */
  connected: boolean;
  /** Queries to send at the end of this turn of the event loop, each with its id. */
  outbox: { query: Buffer; id: number }[];
}

const UDP_MAX_QUERIES = 100;
/** How long a socket with nothing pending is kept for the next query. */
const UDP_IDLE_MS = 500;
/** The socket taking new queries, per server. */
const channels = new Map<string, UdpChannel>();

function udpChannel(server: DnsServerAddress): UdpChannel {
  const key = `${server.host} ${server.port}`;
  const current = channels.get(key);
  if (current && current.queries < UDP_MAX_QUERIES) return current;
  if (current) retire(current);
  const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
  const expected = formatIp(parseIp(server.host.replace(/%.*$/, ''))!);
  const channel: UdpChannel = {
    key,
    socket,
    pending: new Map(),
    queries: 0,
    idle: undefined,
    connected: false,
    outbox: [],
  };
  try {
    // connectSync is recent (Node.js 24.x): without it, each datagram is sent to the address.
    if (typeof socket.connectSync === 'function') {
      socket.connectSync(server.port, server.host);
      channel.connected = true;
    }
  } catch {
    // sent to the address, then
  }
  socket.on('message', (msg, rinfo) => {
    // Anything but our server's answer to a pending id is ignored: stray, late or spoofed.
    if (rinfo.port !== server.port || msg.length < 2) return;
    if (rinfo.address !== server.host) {
      const from = parseIp(rinfo.address.replace(/%.*$/, ''));
      if (!from || formatIp(from) !== expected) return;
    }
    channel.pending.get(msg.readUInt16BE(0))?.({ kind: 'message', bytes: msg });
  });
  socket.on('error', (err) => {
    retire(channel);
    for (const finish of [...channel.pending.values()]) finish({ kind: 'error', message: err.message });
  });
  // Pending queries keep the process alive through their timers; an idle socket must not.
  socket.unref();
  channels.set(key, channel);
  return channel;
}

/** Takes no new queries; closed once nothing is pending. */
function retire(channel: UdpChannel) {
  if (channels.get(channel.key) === channel) channels.delete(channel.key);
  clearTimeout(channel.idle);
  if (channel.pending.size === 0) close(channel.socket);
}

function close(socket: dgram.Socket) {
  try {
    socket.close();
  } catch {
    // already closed after an error
  }
}

/** A random id that no query pending on the channel has. */
function freeId(channel: UdpChannel): number {
  for (;;) {
    const id = randomInt(0x10000);
    if (!channel.pending.has(id)) return id;
  }
}

function udpExchange(
  channel: UdpChannel,
  server: DnsServerAddress,
  query: Buffer,
  id: number,
  timeoutMs: number,
): Promise<Exchange> {
  return new Promise((resolve) => {
    channel.queries += 1;
    const finish = (e: Exchange) => {
      if (channel.pending.get(id) !== finish) return;
      channel.pending.delete(id);
      clearTimeout(timer);
      if (channel.pending.size === 0) {
        if (channels.get(channel.key) !== channel) close(channel.socket);
        else if (channel.idle) channel.idle.refresh();
        else {
          channel.idle = setTimeout(() => {
            if (channel.pending.size === 0) retire(channel);
          }, UDP_IDLE_MS);
          channel.idle.unref();
        }
      }
      resolve(e);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    channel.pending.set(id, finish);
    if (channel.pending.size === 1) transmit(channel, server, query, finish);
    else {
      if (channel.outbox.length === 0) setImmediate(sendOutbox, channel, server);
      channel.outbox.push({ query, id });
    }
  });
}

function sendOutbox(channel: UdpChannel, server: DnsServerAddress) {
  const outbox = channel.outbox;
  channel.outbox = [];
  for (const { query, id } of outbox) {
    // A query may have ended before its turn came: the socket failed, say.
    const finish = channel.pending.get(id);
    if (finish) transmit(channel, server, query, finish);
  }
}

function transmit(
  channel: UdpChannel,
  server: DnsServerAddress,
  query: Buffer,
  finish: (e: Exchange) => void,
) {
  const sent = (err: Error | null) => {
    if (err) finish({ kind: 'error', message: err.message });
  };
  try {
    if (channel.connected) channel.socket.send(query, sent);
    else channel.socket.send(query, server.port, server.host, sent);
  } catch (err) {
    finish({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

function tcpExchange(server: DnsServerAddress, query: Buffer, timeoutMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (e: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(e);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      const length = received.readUInt16BE(0);
      if (received.length >= 2 + length) finish({ kind: 'message', bytes: received.subarray(2, 2 + length) });
    });
    socket.on('error', (err) => finish({ kind: 'error', message: err.message }));
    socket.on('close', () =>
      finish({ kind: 'error', message: 'the TCP connection closed before a full response' }),
    );
  });
}
