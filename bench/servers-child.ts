// The benchmarks' DNS server, and HTTPS server when asked for, in a process of their own (forked by bench/servers.ts),
// so that answering does not compete with the code under test for one event loop. It counts the queries and requests
// it answers, and can listen on port 53 for clients that cannot be told a port (the C library's stub resolver).
import dgram from 'node:dgram';
import { startDnsServer, type TestDnsServer } from '../test/support/dns-server.ts';
import { startHttpsServer, type HttpsRoute, type TestHttpsServer } from '../test/support/https-server.ts';

export interface ServersRequest {
  kind: 'start';
  zone: Record<string, unknown>;
  ttl: number;
  /** Port 53, say; a random one when absent. */
  port?: number;
  https?: { key: string; cert: string; routes: Record<string, HttpsRoute> };
}
export type ServersReply =
  | { kind: 'started'; dns: { host: string; port: number }; https: { host: string; port: number } | null }
  | { kind: 'failed'; message: string }
  | { kind: 'count'; queries: number; udp: number; tcp: number; requests: number };

let dns: TestDnsServer | undefined;
let https: TestHttpsServer | undefined;
const totals = { queries: 0, udp: 0, tcp: 0, requests: 0 };
const send = (m: ServersReply) => process.send!(m);

/** Folds the servers' logs into the totals, so that the logs do not grow through a long run. */
function fold() {
  if (dns) {
    for (const q of dns.queries) totals[q.transport] += 1;
    totals.queries += dns.queries.length;
    dns.queries.length = 0;
  }
  if (https) {
    totals.requests += https.requests.length;
    https.requests.length = 0;
  }
}
setInterval(fold, 500).unref();

/**
 * startDnsServer binds a random port; for a fixed one, the port-0 bind it makes is redirected while it starts.
 * TCP then listens on the port UDP got, as it always does.
 */
async function startDns(zone: Record<string, unknown>, ttl: number, port?: number): Promise<TestDnsServer> {
  if (port === undefined) return startDnsServer({ zone, ttl });
  const bind = dgram.Socket.prototype.bind;
  dgram.Socket.prototype.bind = function (this: dgram.Socket, ...args: unknown[]) {
    if (args[0] === 0) args[0] = port;
    return (bind as (...a: unknown[]) => dgram.Socket).apply(this, args);
  } as typeof bind;
  try {
    return await startDnsServer({ zone, ttl });
  } finally {
    dgram.Socket.prototype.bind = bind;
  }
}

process.on('message', (m: ServersRequest | { kind: 'count' }) => {
  if (m.kind === 'count') {
    fold();
    send({ kind: 'count', ...totals });
    return;
  }
  (async () => {
    dns = await startDns(m.zone, m.ttl, m.port);
    https = m.https ? await startHttpsServer(m.https) : undefined;
    send({
      kind: 'started',
      dns: { host: dns.host, port: dns.port },
      https: https ? { host: https.host, port: https.port } : null,
    });
  })().catch((err: unknown) =>
    send({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
