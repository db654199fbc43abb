// A real HTTP server for tests that receives webhook calls on 127.0.0.1: it keeps each call's headers and exact
// body, and answers with the status the test sets.
import http from 'node:http';

export interface ReceivedCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestWebhookServer {
  url: string;
  calls: ReceivedCall[];
  /** The status every call is answered with (200 by default). */
  status: number;
  close(): Promise<void>;
}

export async function startWebhookServer(path = '/hooks/mamori'): Promise<TestWebhookServer> {
  const calls: ReceivedCall[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(state.status, { 'content-type': 'text/plain' });
      res.end(state.status < 300 ? 'ok' : 'failing on purpose');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    calls,
    get status() {
      return state.status;
    },
    set status(v: number) {
      state.status = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
