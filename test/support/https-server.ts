// A real HTTPS server on 127.0.0.1 for tests and benchmarks, with a certificate authority made at test time by the
// openssl command: serves fixed responses per host and path (MTA-STS policies, BIMI logos and evidence), and
// misbehaves on demand (redirects, hangs, oversized bodies).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestCa {
  /** The CA certificate, PEM: trust it through HttpsFetcherOptions.extraCa or NODE_EXTRA_CA_CERTS. */
  cert: string;
  /** Its file, for NODE_EXTRA_CA_CERTS. */
  certFile: string;
  /** A key and a certificate signed by the CA for these DNS names, with extra openssl extension lines if given. */
  issue(names: string[], extensions?: string[]): { key: string; cert: string };
  /** Removes the CA's files. */
  dispose(): void;
}

const OPENSSL = fs.existsSync('/usr/bin/openssl') ? '/usr/bin/openssl' : 'openssl';
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A throw-away certificate authority (P-256, valid two days) in a temporary directory. */
export function createTestCa(name = 'Mamori Test CA'): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-ca-'));
  const file = (f: string) => path.join(dir, f);
  const openssl = (args: string[]) =>
    execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  let serial = 0;
  return {
    cert: fs.readFileSync(file('ca.crt'), 'utf8'),
    certFile: file('ca.crt'),
    issue(names, extensions = ['extendedKeyUsage=serverAuth']) {
      serial += 1;
      const base = `leaf${serial}`;
      fs.writeFileSync(
        file(`${base}.ext`),
        [
          `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
          'basicConstraints=CA:FALSE',
          'keyUsage=critical,digitalSignature',
          ...extensions,
        ].join('\n'),
      );
      openssl(['req', ...EC, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${names[0]}`]);
      openssl([
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-set_serial',
        String(1000 + serial),
        '-days',
        '2',
        '-extfile',
        `${base}.ext`,
        '-out',
        `${base}.crt`,
      ]);
      return {
        key: fs.readFileSync(file(`${base}.key`), 'utf8'),
        cert: fs.readFileSync(file(`${base}.crt`), 'utf8'),
      };
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface HttpsRoute {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the headers, then nothing more: the client must time out. */
  hang?: boolean;
  /** Stream this many bytes without a Content-Length. */
  streamBytes?: number;
}

export interface TestHttpsServer {
  host: string;
  port: number;
  /** HOST:PORT, as a MAMORI_HTTPS_HOSTS target. */
  address: string;
  /** Keyed "host/path" (the host lower case, as in the URL), e.g. "mta-sts.example.test/.well-known/mta-sts.txt". */
  routes: Map<string, HttpsRoute>;
  /** Every request received: "host/path". */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `routes` over HTTPS with one certificate (its names are those the clients may ask for); 404 elsewhere. */
export async function startHttpsServer(options: {
  key: string;
  cert: string;
  routes?: Record<string, HttpsRoute>;
}): Promise<TestHttpsServer> {
  const routes = new Map(Object.entries(options.routes ?? {}));
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = https.createServer({ key: options.key, cert: options.cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const key = `${host}${req.url ?? '/'}`;
    requests.push(key);
    const route = routes.get(key);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(route.status ?? 200, route.headers ?? {});
    if (route.hang) {
      res.flushHeaders();
      return;
    }
    if (route.streamBytes !== undefined) {
      const chunk = Buffer.alloc(4096, 0x61);
      let left = route.streamBytes;
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!res.write(chunk.subarray(0, n))) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    res.end(route.body ?? '');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {
    // Clients that refuse the certificate are part of the tests.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    routes,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
