// What a BIMI record points at, once fetched: the logo, which must be an SVG Tiny Portable/Secure document
// (draft-svg-tiny-ps-abrotman), and the evidence document, a PEM Verified or Common Mark Certificate. A light check,
// not a validating XML parser: it looks for what makes mailbox providers refuse a logo. node:crypto's
// X509Certificate only decodes bytes in memory; it does no I/O.
import { X509Certificate } from 'node:crypto';
import { finding, quote, type Finding } from './findings.ts';

/** The size limit of a BIMI logo. */
export const BIMI_SVG_MAX_BYTES = 32 * 1024;

export interface BimiSvgInfo {
  /** The root element is <svg>. */
  svg: boolean;
  baseProfile: string | null;
  version: string | null;
  title: string | null;
  /** version="1.2", baseProfile="tiny-ps", a title, and none of the forbidden elements or attributes. */
  tinyPs: boolean;
}

// Elements SVG Tiny PS leaves out: scripting, animation, embedded content and interactivity.
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'foreignobject',
  'image',
  'video',
  'audio',
  'animate',
  'animatemotion',
  'animatetransform',
  'animatecolor',
  'set',
  'discard',
  'handler',
  'listener',
  'iframe',
  'a',
]);

const ELEMENT = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
const ATTRIBUTE = /([^\s=>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function checkBimiSvg(text: string): { svg: BimiSvgInfo; findings: Finding[] } {
  const findings: Finding[] = [];
  const info: BimiSvgInfo = { svg: false, baseProfile: null, version: null, title: null, tinyPs: false };
  const body = text.replace(/^\uFEFF/, '');
  if (/<!ENTITY/i.test(body))
    findings.push(
      finding('bimi-svg-entity', 'error', 'the SVG declares XML entities, which are not allowed'),
    );
  const withoutComments = body.replace(/<!--[\s\S]*?-->/g, '');

  const elements = [...withoutComments.matchAll(ELEMENT)].map((m) => ({
    name: m[1]!.toLowerCase().replace(/^svg:/, ''),
    attributes: new Map(
      [...(m[2] ?? '').matchAll(ATTRIBUTE)].map((a) => [a[1]!.toLowerCase(), a[2] ?? a[3] ?? '']),
    ),
  }));
  const root = elements[0];
  if (!root || root.name !== 'svg') {
    findings.push(
      finding('bimi-svg-not-svg', 'error', 'the logo is not an SVG document (its root element is not <svg>)'),
    );
    return { svg: info, findings };
  }
  info.svg = true;
  info.baseProfile = root.attributes.get('baseprofile') ?? null;
  info.version = root.attributes.get('version') ?? null;
  if (info.baseProfile !== 'tiny-ps')
    findings.push(
      finding(
        'bimi-svg-profile',
        'error',
        info.baseProfile === null
          ? 'the <svg> element has no baseProfile="tiny-ps": the logo is not SVG Tiny PS'
          : `baseProfile=${quote(info.baseProfile)} is not "tiny-ps"`,
      ),
    );
  if (info.version !== '1.2')
    findings.push(
      finding(
        'bimi-svg-version',
        'error',
        info.version === null
          ? 'the <svg> element has no version="1.2"'
          : `version=${quote(info.version)} is not "1.2"`,
      ),
    );
  for (const a of ['x', 'y'])
    if (root.attributes.has(a))
      findings.push(finding('bimi-svg-root-position', 'error', `the <svg> element must not have "${a}="`));

  const title = /<(?:svg:)?title(?:\s[^>]*)?>([\s\S]*?)<\/(?:svg:)?title>/i.exec(withoutComments);
  info.title = title ? title[1]!.trim() : null;
  if (!info.title)
    findings.push(
      finding('bimi-svg-title', 'error', 'the SVG has no <title> (the brand name) as SVG Tiny PS requires'),
    );

  const forbidden = new Set<string>();
  let handlers = false;
  let external = false;
  for (const e of elements) {
    if (FORBIDDEN_ELEMENTS.has(e.name)) forbidden.add(e.name);
    for (const [name, value] of e.attributes) {
      if (/^on/.test(name)) handlers = true;
      if ((name === 'href' || name === 'xlink:href') && !value.startsWith('#')) external = true;
    }
  }
  if (forbidden.has('script') || handlers || /javascript:/i.test(withoutComments))
    findings.push(finding('bimi-svg-script', 'error', 'the SVG holds scripts or event handlers'));
  forbidden.delete('script');
  if (forbidden.size > 0)
    findings.push(
      finding(
        'bimi-svg-forbidden-element',
        'error',
        `SVG Tiny PS does not allow ${[...forbidden].map((n) => `<${n}>`).join(', ')}`,
      ),
    );
  if (external)
    findings.push(
      finding(
        'bimi-svg-external-reference',
        'error',
        'the SVG refers to other documents; it must be self-contained',
      ),
    );

  const viewBox = root.attributes
    .get('viewbox')
    ?.trim()
    .split(/[\s,]+/)
    .map(Number);
  if (viewBox && viewBox.length === 4 && viewBox.every(Number.isFinite) && viewBox[2] !== viewBox[3])
    findings.push(
      finding(
        'bimi-svg-not-square',
        'warning',
        `the viewBox is ${viewBox[2]}×${viewBox[3]}; logos are shown square`,
      ),
    );

  info.tinyPs = !findings.some((f) => f.severity === 'error');
  return { svg: info, findings };
}

export interface BimiEvidenceInfo {
  certificates: number;
  subject: string | null;
  issuer: string | null;
  validFrom: string | null;
  validTo: string | null;
  /** The DNS names of its subjectAltName. */
  names: string[];
  /** It carries the BIMI extended key usage (id-kp-BrandIndicatorforMessageIdentification). */
  bimiUsage: boolean;
  /** It carries a logotype extension (RFC 3709), where a mark certificate embeds the logo. */
  logotype: boolean;
}

const BIMI_EKU = '1.3.6.1.5.5.7.3.31';
// The DER encoding of OID 1.3.6.1.5.5.7.1.12 (id-pe-logotype).
const LOGOTYPE_OID = Buffer.from('06082b0601050507010c', 'hex');
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Checks the evidence document of a BIMI record: PEM certificates, the first being the mark certificate, in force
 * at `now`, naming the domain (or its organisational domain). The chain to a mark verifying authority is not checked.
 */
export function checkBimiEvidence(
  pem: string,
  domains: readonly string[],
  now: Date,
): { evidence: BimiEvidenceInfo; findings: Finding[] } {
  const findings: Finding[] = [];
  const evidence: BimiEvidenceInfo = {
    certificates: 0,
    subject: null,
    issuer: null,
    validFrom: null,
    validTo: null,
    names: [],
    bimiUsage: false,
    logotype: false,
  };
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  evidence.certificates = blocks.length;
  if (blocks.length === 0) {
    findings.push(
      finding('bimi-evidence-not-pem', 'error', 'the evidence document holds no PEM certificate'),
    );
    return { evidence, findings };
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(blocks[0]!);
  } catch {
    findings.push(
      finding(
        'bimi-evidence-invalid',
        'error',
        'the first certificate of the evidence document does not decode',
      ),
    );
    return { evidence, findings };
  }
  evidence.subject = cert.subject;
  evidence.issuer = cert.issuer;
  evidence.validFrom = new Date(cert.validFrom).toISOString();
  evidence.validTo = new Date(cert.validTo).toISOString();
  evidence.names = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .filter((n) => n.startsWith('DNS:'))
    .map((n) => n.slice(4).toLowerCase());
  evidence.bimiUsage = (cert.keyUsage ?? []).includes(BIMI_EKU);
  evidence.logotype = cert.raw.includes(LOGOTYPE_OID);

  if (new Date(cert.validTo) < now)
    findings.push(
      finding('bimi-evidence-expired', 'error', `the mark certificate expired on ${evidence.validTo}`),
    );
  else if (new Date(cert.validFrom) > now)
    findings.push(
      finding(
        'bimi-evidence-not-yet-valid',
        'error',
        `the mark certificate is valid only from ${evidence.validFrom}`,
      ),
    );
  const wanted = domains.map((d) => d.toLowerCase());
  if (!evidence.names.some((n) => wanted.includes(n)))
    findings.push(
      finding(
        'bimi-evidence-domain',
        'error',
        `the mark certificate names ${evidence.names.length ? evidence.names.join(', ') : 'no domain'}, not ${wanted[0] ?? '?'}`,
      ),
    );
  if (!evidence.bimiUsage)
    findings.push(
      finding(
        'bimi-evidence-not-mark',
        'warning',
        'the certificate lacks the BIMI extended key usage of a VMC or CMC',
      ),
    );
  if (!evidence.logotype)
    findings.push(
      finding('bimi-evidence-no-logotype', 'warning', 'the certificate embeds no logo (logotype extension)'),
    );
  return { evidence, findings };
}
