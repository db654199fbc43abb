// HTTPS fetches of the posture checks (MTA-STS policies, BIMI logos and evidence), as an interface: the network
// fetcher (scan/https-fetcher.ts) and test fakes implement it, and the checks judge its outcomes without I/O.

export interface FetchRequest {
  url: string;
  /** A longer body is not read: the fetch fails as too-large. */
  maxBytes: number;
  timeoutMs: number;
  /** MTA-STS follows none (RFC 8461 section 3.3); others may follow a few that stay on the same host. */
  redirects: 'none' | 'same-host';
  accept?: string;
  /** Aborts the fetch, e.g. at the scan's deadline. */
  signal?: AbortSignal;
}

export type FetchFailure =
  | 'invalid-url'
  /** The host resolves only to loopback, private or otherwise non-public addresses. */
  | 'blocked-address'
  | 'dns'
  | 'timeout'
  /** The certificate did not verify, or the handshake failed. */
  | 'tls'
  | 'network'
  /** A status other than 200. */
  | 'status'
  /** A redirect that may not be followed. */
  | 'redirect'
  | 'too-large';

export type FetchOutcome =
  | { ok: true; url: string; status: number; contentType: string | null; body: Buffer }
  | {
      ok: false;
      url: string;
      failure: FetchFailure;
      message: string;
      status?: number;
      contentType?: string | null;
      location?: string;
    };

export interface HttpsFetcher {
  /** Never rejects: every failure comes back as an outcome. */
  fetch(request: FetchRequest): Promise<FetchOutcome>;
}

/** The media type of a Content-Type value, lower case, without parameters. */
export const mediaType = (contentType: string | null | undefined): string | null =>
  contentType ? contentType.split(';')[0]!.trim().toLowerCase() || null : null;
