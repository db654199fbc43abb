// DKIM public key records (RFC 6376 section 3.6.1, RFC 8463 for ed25519) published at
// <selector>._domainkey.<domain>: parsing, and findings on revoked, test-mode, weak or malformed keys.
// node:crypto's createPublicKey only decodes bytes in memory; it does no I/O.
import { createPublicKey } from 'node:crypto';
import { finding, quote, type Finding } from './findings.ts';
import { parseTagList, tagMap } from './tags.ts';

export type DkimKeyType = 'rsa' | 'ed25519';

export interface DkimKey {
  text: string;
  keyType: DkimKeyType;
  /** Empty p=: the key has been revoked. */
  revoked: boolean;
  /** t=y: the domain is testing DKIM; verifiers must not treat signed mail differently from unsigned. */
  testing: boolean;
  /** t=s: the "i=" domain must equal the "d=" domain exactly. */
  strictIdentity: boolean;
  /** h=: the acceptable hash algorithms; all when absent. */
  hashAlgorithms?: string[];
  /** s=: service types; ["*"] when absent. */
  serviceTypes: string[];
  /** The RSA modulus size, when the key decoded. */
  bits?: number;
  /** The key data, whitespace removed. */
  publicKey: string;
}

export interface DkimKeyParse {
  /** Null when the record is unusable as a key record at all. */
  key: DkimKey | null;
  findings: Finding[];
}

const KNOWN_TAGS = new Set(['v', 'h', 'k', 'n', 'p', 's', 't']);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function parseDkimKey(text: string): DkimKeyParse {
  const list = parseTagList(text, { prefix: 'dkim' });
  const findings = [...list.findings];
  const tags = tagMap(list.tags);
  const fatal = (code: string, message: string): DkimKeyParse => {
    findings.push(finding(code, 'error', message));
    return { key: null, findings };
  };

  const v = tags.get('v');
  if (v !== undefined) {
    if (list.tags[0]?.name !== 'v') return fatal('dkim-version', '"v=" must be the first tag when present');
    if (v !== 'DKIM1') return fatal('dkim-version', `v=${quote(v)}: the only version is "DKIM1"`);
  }
  for (const t of list.tags)
    if (!KNOWN_TAGS.has(t.name))
      findings.push(finding('dkim-unknown-tag', 'info', `unknown tag "${t.name}" is ignored by verifiers`));

  const k = tags.get('k') ?? 'rsa';
  if (k !== 'rsa' && k !== 'ed25519')
    return fatal('dkim-key-type', `k=${quote(k)}: verifiers know only "rsa" and "ed25519" keys`);

  const p = tags.get('p');
  if (p === undefined) return fatal('dkim-p-missing', 'the required "p=" tag (the public key) is missing');
  const publicKey = p.replace(/\s+/g, '');

  const key: DkimKey = {
    text,
    keyType: k,
    revoked: publicKey === '',
    testing: false,
    strictIdentity: false,
    serviceTypes: ['*'],
    publicKey,
  };

  const h = tags.get('h');
  if (h !== undefined) {
    key.hashAlgorithms = h.split(':').map((a) => a.trim());
    if (!key.hashAlgorithms.includes('sha256'))
      findings.push(
        finding(
          'dkim-hash-weak',
          'warning',
          `h=${quote(h)} does not allow sha256; sha1 is no longer acceptable`,
        ),
      );
  }

  const s = tags.get('s');
  if (s !== undefined) {
    key.serviceTypes = s.split(':').map((a) => a.trim());
    if (!key.serviceTypes.includes('*') && !key.serviceTypes.includes('email'))
      findings.push(finding('dkim-service-type', 'error', `s=${quote(s)}: the key is not usable for e-mail`));
  }

  const t = tags.get('t');
  if (t !== undefined) {
    const flags = t.split(':').map((f) => f.trim());
    key.testing = flags.includes('y');
    key.strictIdentity = flags.includes('s');
    for (const f of flags.filter((f) => f !== 'y' && f !== 's'))
      findings.push(finding('dkim-unknown-flag', 'info', `unknown flag ${quote(f)} in t= is ignored`));
    if (key.testing)
      findings.push(
        finding(
          'dkim-testing',
          'warning',
          't=y: the domain is testing DKIM; verifiers may ignore signatures',
        ),
      );
  }

  if (key.revoked) {
    findings.push(finding('dkim-revoked', 'warning', 'p= is empty: the key has been revoked'));
    return { key, findings };
  }
  if (!BASE64.test(publicKey)) {
    findings.push(finding('dkim-key-invalid', 'error', 'p= is not valid base64'));
    return { key, findings };
  }
  const der = Buffer.from(publicKey, 'base64');

  if (k === 'ed25519') {
    // RFC 8463: the bare 32-byte public key, not a SubjectPublicKeyInfo.
    if (der.length !== 32)
      findings.push(
        finding('dkim-key-invalid', 'error', `an ed25519 key is 32 bytes; p= decodes to ${der.length}`),
      );
    return { key, findings };
  }

  const decoded = decodeRsaKey(der);
  if (decoded.type === null) {
    findings.push(finding('dkim-key-invalid', 'error', 'p= does not decode as a public key'));
    return { key, findings };
  }
  if (decoded.type !== 'rsa') {
    findings.push(finding('dkim-key-mismatch', 'error', `k=rsa, but p= holds a ${decoded.type} key`));
    return { key, findings };
  }
  key.bits = decoded.bits;
  if (decoded.bits < 1024)
    findings.push(
      finding(
        'dkim-key-too-short',
        'error',
        `the RSA key has ${decoded.bits} bits; verifiers refuse keys under 1024`,
      ),
    );
  else if (decoded.bits < 2048)
    findings.push(finding('dkim-key-short', 'warning', `the RSA key has ${decoded.bits} bits; use 2048`));
  return { key, findings };
}

/** Decodes a SubjectPublicKeyInfo, or failing that a bare RSAPublicKey (RFC 3447), without throwing. */
function decodeRsaKey(der: Buffer): { type: string; bits: number } | { type: null } {
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      return { type: key.asymmetricKeyType ?? 'unknown', bits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
    } catch {
      // Try the next format.
    }
  }
  return { type: null };
}
