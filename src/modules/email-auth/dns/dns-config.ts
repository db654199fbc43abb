// Where DNS queries go: server addresses as operators write them, and the system's choice from /etc/resolv.conf.
import fs from 'node:fs';
import net from 'node:net';

export interface DnsServerAddress {
  host: string;
  port: number;
}

export interface ResolvConf {
  servers: DnsServerAddress[];
  /** `options timeout:N`, in milliseconds. */
  timeoutMs?: number;
  /** `options attempts:N`. */
  attempts?: number;
}

/** "192.0.2.1", "192.0.2.1:5353", "2001:db8::1", "[2001:db8::1]:5353"; null for anything else (names included). */
export function parseServerAddress(text: string): DnsServerAddress | null {
  const s = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : net.isIPv6(s)
      ? [s, undefined]
      : [s.replace(/:\d+$/, ''), /:(\d+)$/.exec(s)?.[1]];
  if (net.isIP(host) === 0) return null;
  const p = port === undefined ? 53 : Number(port);
  return Number.isInteger(p) && p > 0 && p < 65536 ? { host, port: p } : null;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { servers: [] };
  for (const line of text.split('\n')) {
    const [key, ...values] = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (key === 'nameserver' && values[0]) {
      const server = parseServerAddress(values[0].includes(':') ? `[${values[0]}]` : values[0]);
      if (server) conf.servers.push(server);
    } else if (key === 'options') {
      for (const v of values) {
        const m = /^(timeout|attempts):(\d+)$/.exec(v);
        if (m?.[1] === 'timeout') conf.timeoutMs = Math.min(30, Math.max(1, Number(m[2]))) * 1000;
        if (m?.[1] === 'attempts') conf.attempts = Math.min(5, Math.max(1, Number(m[2])));
      }
    }
  }
  return conf;
}

/** The system's resolvers; 127.0.0.1 when /etc/resolv.conf is missing or lists none, as the C library does. */
export function systemResolvConf(file = '/etc/resolv.conf'): ResolvConf {
  let conf: ResolvConf = { servers: [] };
  try {
    conf = parseResolvConf(fs.readFileSync(file, 'utf8'));
  } catch {
    // no resolv.conf: fall through to the default
  }
  return conf.servers.length > 0 ? conf : { ...conf, servers: [{ host: '127.0.0.1', port: 53 }] };
}
