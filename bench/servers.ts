// The benchmarks' servers as seen from a benchmark: fork them, read their counts, stop them.
import { fork } from 'node:child_process';
import path from 'node:path';
import type { ServersReply, ServersRequest } from './servers-child.ts';

export interface BenchServers {
  dns: { host: string; port: number };
  https: { host: string; port: number } | null;
  /** DNS queries (UDP and TCP) and HTTPS requests answered so far. */
  count(): Promise<{ queries: number; udp: number; tcp: number; requests: number }>;
  stop(): Promise<void>;
}

/**
 * Starts the DNS server (and the HTTPS server, when given its certificate and routes) in a child process. With
 * `port`, the DNS server listens on that port, and null comes back when it cannot be had (in use, say).
 */
export async function startBenchServers(options: Omit<ServersRequest, 'kind'>): Promise<BenchServers | null> {
  const child = fork(path.join(import.meta.dirname, 'servers-child.ts'), { stdio: 'inherit' });
  const request = (m: ServersRequest | { kind: 'count' }) =>
    new Promise<ServersReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the bench servers exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (reply) => {
        child.off('exit', onExit);
        resolve(reply as ServersReply);
      });
      child.send(m);
    });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.disconnect();
    await exited;
  };
  const started = await request({ kind: 'start', ...options });
  if (started.kind !== 'started') {
    await stop();
    if (options.port !== undefined) return null;
    throw new Error(`the bench servers did not start: ${started.kind === 'failed' ? started.message : ''}`);
  }
  return {
    dns: started.dns,
    https: started.https,
    async count() {
      const r = await request({ kind: 'count' });
      if (r.kind !== 'count') throw new Error('unexpected reply from the bench servers');
      return { queries: r.queries, udp: r.udp, tcp: r.tcp, requests: r.requests };
    },
    stop,
  };
}
