// The HTTPS fetcher of the posture checks: GET only, certificate verification always on, a size cap and a timeout on
// every fetch, redirects followed only where allowed, and only public addresses contacted. Two hooks for tests and
// operations: extra trusted CAs (added to Node's default store, never replacing it) and a host map that sends a
// name's connections to a given address and port while TLS still verifies the certificate for the name.
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { isPublicAddress } from '../../../platform/net/address-scope.ts';
import { publicLookup } from '../../../platform/net/public-lookup.ts';
import { describeFailure, type DnsResolver } from '../lib/dns.ts';
import type { FetchFailure, FetchOutcome, FetchRequest, HttpsFetcher } from '../lib/fetch.ts';

export interface HttpsFetcherOptions {
  /** PEM certificates trusted in addition to Node's default store (which NODE_EXTRA_CA_CERTS extends too). */
  extraCa?: string[];
  /** Host name (lower case) → where to connect instead; for tests and operations, e.g. MAMORI_HTTPS_HOSTS. */
  hosts?: ReadonlyMap<string, HostTarget>;
  /** Contact loopback and private addresses too. Off by default: records must not reach the scanner's own network. */
  allowPrivateAddresses?: boolean;
  /**
   * Resolve host names with this resolver (A and AAAA) rather than the system's, so that a scan asked to use a given
   * DNS server uses it for its HTTPS hosts too.
   */
  resolver?: DnsResolver;
  userAgent?: string;
  /** Redirects followed at most, when a request allows them. */
  maxRedirects?: number;
}

export interface HostTarget {
  host: string;
  port: number;
}

/**
 * "name=IP:PORT,name=[IPv6]:PORT" (the port defaults to 443) as a host map; throws RangeError naming the first
 * entry that is not of that form.
 */
export function parseHostMap(text: string): Map<string, HostTarget> {
  const map = new Map<string, HostTarget>();
  for (const entry of text.split(/[,\s]+/).filter(Boolean)) {
    const m = /^([A-Za-z0-9.-]+)=(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(entry);
    const host = m?.[2] ?? m?.[3];
    const port = m?.[4] === undefined ? 443 : Number(m[4]);
    if (!m || !host || net.isIP(host) === 0 || port < 1 || port > 65535)
      throw new RangeError(`"${entry}" is not NAME=IP[:PORT]`);
    map.set(m[1]!.toLowerCase().replace(/\.$/, ''), { host, port });
  }
  return map;
}

class FetchError extends Error {
  readonly failure: FetchFailure;
  constructor(failure: FetchFailure, message: string) {
    super(message);
    this.failure = failure;
  }
}

interface Hop {
  status: number;
  contentType: string | null;
  location: string | null;
  body: Buffer | null;
}

export function createHttpsFetcher(options: HttpsFetcherOptions = {}): HttpsFetcher {
  const extraCa = options.extraCa?.length ? options.extraCa : undefined;
  // With extra CAs, one TLS context for all the fetcher's connections: a context given the whole store (Node's
  // bundled roots, NODE_EXTRA_CA_CERTS and ours) parses every certificate in it, which each connection would do
  // again if it were given the list instead. Made at the first fetch. Without extras, Node's shared default.
  let secureContext: tls.SecureContext | undefined;
  const tlsContext = () => {
    if (!extraCa) return {};
    if (!secureContext) {
      const defaults = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates?.(
        'default',
      );
      secureContext = tls.createSecureContext({ ca: [...(defaults ?? tls.rootCertificates), ...extraCa] });
    }
    return { secureContext };
  };
  const maxRedirects = options.maxRedirects ?? 3;
  const userAgent = options.userAgent ?? 'mamori-posture-check';
  const allowPrivate = options.allowPrivateAddresses ?? false;
  const lookup = options.resolver
    ? resolverLookup(options.resolver, allowPrivate)
    : allowPrivate
      ? undefined
      : publicLookup;

  return {
    async fetch(request: FetchRequest): Promise<FetchOutcome> {
      const fail = (
        failure: FetchFailure,
        message: string,
        extra: { status?: number; contentType?: string | null; location?: string } = {},
      ): FetchOutcome => ({ ok: false, url: request.url, failure, message, ...extra });
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return fail('invalid-url', 'not a URL');
      }
      if (url.protocol !== 'https:') return fail('invalid-url', 'not an https URL');

      const controller = new AbortController();
      const timer = setTimeout(
        () =>
          controller.abort(new FetchError('timeout', `no complete response within ${request.timeoutMs} ms`)),
        Math.max(1, request.timeoutMs),
      );
      const onOuterAbort = () => controller.abort(new FetchError('timeout', 'the scan deadline passed'));
      if (request.signal?.aborted) onOuterAbort();
      request.signal?.addEventListener('abort', onOuterAbort, { once: true });
      try {
        for (let redirects = 0; ; redirects++) {
          const hop = await get(url, request, controller.signal);
          if (hop.status >= 300 && hop.status < 400 && hop.location !== null) {
            const next = URL.canParse(hop.location, url) ? new URL(hop.location, url) : null;
            const sameHost = next !== null && next.protocol === 'https:' && next.host === url.host;
            if (request.redirects === 'none' || !sameHost || redirects >= maxRedirects)
              return fail(
                'redirect',
                request.redirects === 'none'
                  ? `redirects to ${hop.location}, and redirects must not be followed`
                  : !sameHost
                    ? `redirects to another host (${hop.location})`
                    : `more than ${maxRedirects} redirects`,
                { status: hop.status, location: hop.location },
              );
            url = next;
            continue;
          }
          if (hop.status !== 200 || hop.body === null)
            return fail('status', `HTTP status ${hop.status}`, {
              status: hop.status,
              contentType: hop.contentType,
            });
          return {
            ok: true,
            url: url.href,
            status: hop.status,
            contentType: hop.contentType,
            body: hop.body,
          };
        }
      } catch (err) {
        const e = err instanceof FetchError ? err : classify(err);
        return fail(e.failure, e.message);
      } finally {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onOuterAbort);
      }
    },
  };

  function get(url: URL, request: FetchRequest, signal: AbortSignal): Promise<Hop> {
    const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const mapped = options.hosts?.get(hostname.replace(/\.$/, ''));
    const literal = net.isIP(hostname) !== 0;
    if (!mapped && literal && !allowPrivate && !isPublicAddress(hostname))
      return Promise.reject(new FetchError('blocked-address', `${hostname} is not a public address`));

    return new Promise<Hop>((resolve, reject) => {
      const req = https.request(
        {
          method: 'GET',
          host: mapped?.host ?? hostname,
          port: mapped?.port ?? (url.port === '' ? 443 : Number(url.port)),
          path: `${url.pathname}${url.search}`,
          // The certificate is verified for the URL's name even when the connection goes elsewhere.
          ...(literal ? {} : { servername: hostname }),
          headers: {
            host: url.host,
            'user-agent': userAgent,
            accept: request.accept ?? '*/*',
            'accept-encoding': 'identity',
          },
          agent: false,
          ...tlsContext(),
          ...(mapped || !lookup ? {} : { lookup }),
          signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const contentType = header(res, 'content-type');
          if (status !== 200) {
            res.resume();
            resolve({ status, contentType, location: header(res, 'location'), body: null });
            return;
          }
          readBody(res, request.maxBytes, signal).then(
            (body) => resolve({ status, contentType, location: null, body }),
            reject,
          );
        },
      );
      req.on('error', (err) =>
        reject(signal.aborted && signal.reason instanceof FetchError ? signal.reason : err),
      );
      req.end();
    });
  }
}

function header(res: IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

function readBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      reject(new FetchError('too-large', `the body is ${declared} bytes; at most ${maxBytes} are read`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(new FetchError('too-large', `the body is over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('close', () => {
      if (res.complete) return;
      reject(
        signal.aborted && signal.reason instanceof FetchError
          ? signal.reason
          : new FetchError('network', 'the connection closed before the whole body came'),
      );
    });
  });
}

/** Host names resolved through a DnsResolver: A and AAAA (as the caller's family asks), non-public ones dropped. */
function resolverLookup(resolver: DnsResolver, allowPrivate: boolean): net.LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const family =
      lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
    void Promise.all([
      family === 6 ? null : resolver.resolve(hostname, 'A'),
      family === 4 ? null : resolver.resolve(hostname, 'AAAA'),
    ]).then(([a, aaaa]) => {
      const found = [
        ...(a?.answers ?? []).map((address) => ({ address, family: 4 })),
        ...(aaaa?.answers ?? []).map((address) => ({ address, family: 6 })),
      ];
      const allowed = allowPrivate ? found : found.filter((x) => isPublicAddress(x.address));
      const failed = [a, aaaa].find((r) => r && r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN');
      if (allowed.length === 0) {
        const [code, message] =
          found.length > 0
            ? ['EMAMORIBLOCKED', `${hostname} resolves only to non-public addresses`]
            : failed
              ? ['EAI_AGAIN', `the address lookup of ${hostname} ${describeFailure(failed)}`]
              : ['ENOTFOUND', `${hostname} has no address`];
        callback(Object.assign(new Error(message), { code }), '', 0);
      } else if (lookupOptions.all) callback(null, allowed);
      else callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

function classify(err: unknown): FetchError {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  const message = e instanceof Error ? e.message : String(err);
  if (code === 'EMAMORIBLOCKED') return new FetchError('blocked-address', message);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA')
    return new FetchError('dns', message);
  if (code === 'ETIMEDOUT' || code === 'ABORT_ERR') return new FetchError('timeout', message);
  if (
    /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|ALTNAME|HANDSHAKE/.test(code) ||
    /certificate|TLS|SSL/i.test(message)
  )
    return new FetchError('tls', message);
  return new FetchError('network', message);
}
