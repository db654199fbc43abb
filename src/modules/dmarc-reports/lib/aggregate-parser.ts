// A streaming reader of DMARC aggregate reports on saxen: bytes in, the report's metadata once, then its
// records in batches. Nothing but the current batch and at most PIECE characters of text are held, so a report
// of any size reads in bounded memory. Hostile XML is refused: no DTD (so no entity of ours to expand), only
// XML's five entities and character references, one root element, bounded nesting and text length.
import { Parser as Saxen, type SaxenContext } from 'saxen';
import {
  ALIGNMENTS,
  DISCOVERY_METHODS,
  DISPOSITIONS,
  DKIM_RESULTS,
  DMARC_RESULTS,
  OVERRIDE_TYPES,
  POLICY_ACTIONS,
  SCHEMA_NAMESPACES,
  SPF_RESULTS,
  SPF_SCOPES,
  WarningLog,
  enumLookup,
  isIpAddress,
  normaliseDomain,
  normaliseEnum,
  type AggregateRecord,
  type AggregateReport,
  type AggregateSummary,
  type DkimAuthResult,
  type EnumLookup,
  type OverrideReason,
  type ReportSchema,
  type SpfAuthResult,
} from './aggregate-model.ts';
import { ReportRejection, formatBytes } from './report-rejection.ts';

export interface XmlLimits {
  /** The deepest element nesting accepted; the root element is at depth 1. */
  maxDepth: number;
  /** The longest text of one element in characters; also bounds any other run of markup. */
  maxTextLength: number;
}

export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = { maxDepth: 32, maxTextLength: 64 * 1024 };

export interface AggregateParserOptions {
  /** Records per batch. */
  batchSize?: number;
  limits?: Partial<XmlLimits>;
  /**
   * Records held back while report_metadata or policy_published is still unread. Every schema puts them
   * first; a report that puts them after this many records is refused.
   */
  maxPendingRecords?: number;
  /** Distinct warnings kept per report. */
  maxWarnings?: number;
  /**
   * About how many characters of text are handed to the XML parser at a time (PIECE by default). A report
   * shorter than that is read whole at its end: it is refused before any of its records is handed over. Tests
   * set a few hundred to see a long report break after its first batches.
   */
  pieceLength?: number;
}

export type AggregateEvent =
  { type: 'report'; report: AggregateReport } | { type: 'records'; records: AggregateRecord[] };

// ---- The element tree we read. Anything else is skipped with its subtree. ----

interface ElementNode {
  readonly id: number;
  readonly leaf: boolean;
  readonly path: string;
  /** The names of the elements read inside this one, and their nodes at the same index. */
  readonly names: readonly string[];
  readonly children: readonly ElementNode[];
}

// Containers
const FEEDBACK = 1;
const METADATA = 2;
const DATE_RANGE = 3;
const POLICY = 4;
const RECORD = 5;
const REASON = 6;
const AUTH_DKIM = 7;
const AUTH_SPF = 8;
const OTHER_CONTAINER = 9;
const IGNORED_ID = 10;
// Leaves
const VERSION = 20;
const ORG_NAME = 21;
const EMAIL = 22;
const EXTRA_CONTACT = 23;
const REPORT_ID = 24;
const ERROR = 25;
const GENERATOR = 26;
const BEGIN = 27;
const END = 28;
const DOMAIN = 30;
const ADKIM = 31;
const ASPF = 32;
const P = 33;
const SP = 34;
const NP = 35;
const PCT = 36;
const FO = 37;
const TESTING = 38;
const DISCOVERY = 39;
const SOURCE_IP = 40;
const COUNT = 41;
const DISPOSITION = 42;
const PE_DKIM = 43;
const PE_SPF = 44;
const REASON_TYPE = 45;
const REASON_COMMENT = 46;
const HEADER_FROM = 47;
const ENVELOPE_FROM = 48;
const ENVELOPE_TO = 49;
const DKIM_DOMAIN = 50;
const DKIM_SELECTOR = 51;
const DKIM_RESULT = 52;
const DKIM_HUMAN = 53;
const SPF_DOMAIN = 54;
const SPF_SCOPE = 55;
const SPF_RESULT = 56;
const SPF_HUMAN = 57;

type Spec = number | [number, Record<string, Spec>];

function build(path: string, spec: Spec): ElementNode {
  if (typeof spec === 'number') return { id: spec, leaf: true, path, names: [], children: [] };
  const [id, kids] = spec;
  const names = Object.keys(kids);
  return {
    id,
    leaf: false,
    path,
    names,
    children: names.map((name) => build(`${path}/${name}`, kids[name]!)),
  };
}

const TREE = build('feedback', [
  FEEDBACK,
  {
    version: VERSION,
    report_metadata: [
      METADATA,
      {
        org_name: ORG_NAME,
        email: EMAIL,
        extra_contact_info: EXTRA_CONTACT,
        report_id: REPORT_ID,
        error: ERROR,
        generator: GENERATOR,
        date_range: [DATE_RANGE, { begin: BEGIN, end: END }],
      },
    ],
    policy_published: [
      POLICY,
      {
        domain: DOMAIN,
        adkim: ADKIM,
        aspf: ASPF,
        p: P,
        sp: SP,
        np: NP,
        pct: PCT,
        fo: FO,
        testing: TESTING,
        discovery_method: DISCOVERY,
      },
    ],
    record: [
      RECORD,
      {
        row: [
          OTHER_CONTAINER,
          {
            source_ip: SOURCE_IP,
            count: COUNT,
            policy_evaluated: [
              OTHER_CONTAINER,
              {
                disposition: DISPOSITION,
                dkim: PE_DKIM,
                spf: PE_SPF,
                reason: [REASON, { type: REASON_TYPE, comment: REASON_COMMENT }],
              },
            ],
          },
        ],
        identifiers: [
          OTHER_CONTAINER,
          { header_from: HEADER_FROM, envelope_from: ENVELOPE_FROM, envelope_to: ENVELOPE_TO },
        ],
        auth_results: [
          OTHER_CONTAINER,
          {
            dkim: [
              AUTH_DKIM,
              { domain: DKIM_DOMAIN, selector: DKIM_SELECTOR, result: DKIM_RESULT, human_result: DKIM_HUMAN },
            ],
            spf: [
              AUTH_SPF,
              { domain: SPF_DOMAIN, scope: SPF_SCOPE, result: SPF_RESULT, human_result: SPF_HUMAN },
            ],
          },
        ],
      },
    ],
  },
]);

const IGNORED: ElementNode = { id: IGNORED_ID, leaf: false, path: '', names: [], children: [] };

/**
 * The node of a child element by its local name (as written, else in lower case). A scan of a few names: the
 * names saxen gives are new strings, which a Map would hash on every lookup, and this runs for every element.
 */
function childOf(parent: ElementNode, local: string): ElementNode {
  const { names, children } = parent;
  for (let i = 0; i < names.length; i++) if (names[i] === local) return children[i]!;
  const lower = local.toLowerCase();
  if (lower !== local) for (let i = 0; i < names.length; i++) if (names[i] === lower) return children[i]!;
  return IGNORED;
}

// ---- Drafts: raw text as read, normalised when the element closes. ----

interface HeaderDraft {
  version: string | null;
  orgName: string | null;
  email: string | null;
  extraContact: string | null;
  reportId: string | null;
  begin: string | null;
  end: string | null;
  errors: string[];
  generator: string | null;
  domain: string | null;
  adkim: string | null;
  aspf: string | null;
  p: string | null;
  sp: string | null;
  np: string | null;
  pct: string | null;
  fo: string | null;
  testing: string | null;
  discovery: string | null;
}

/** A record as it is read: built in place, its required values checked when it closes. */
const newRecord = (): AggregateRecord => ({
  sourceIp: '',
  count: 0,
  policyEvaluated: { disposition: null, dkim: null, spf: null, reasons: [] },
  identifiers: { headerFrom: null, envelopeFrom: null, envelopeTo: null },
  authResults: { dkim: [], spf: [] },
});

const NO_EVENTS: AggregateEvent[] = [];
/**
 * Text is handed to saxen in pieces of about this many characters, each cut just after a '>' where there is one
 * near the end. saxen holds an unfinished token (a tag, text, a comment) over to the next piece by joining it to
 * that piece, and reads a joined piece at about half speed; a piece that ends with a tag leaves nothing over.
 * Pieces this short also stay in V8's young generation (objects under 128 KB), which frees them without a full
 * collection: each 1 MiB piece used to last until one. A piece in which no token ends is refused when the
 * token grows beyond maxTextLength.
 */
const PIECE = 64 * 1024;
const GT = 0x3e;
/**
 * A value read from the report as a string of its own. V8 keeps a substring of 13 characters or more as a view
 * of the string it was cut from (a shorter one is copied), so a value kept in a record until its batch is sent
 * would keep its whole piece of text alive until the batch goes. Held that long, pieces outlived two
 * young-generation collections and moved to the old generation, for full collections to free (in the benchmark
 * import, a parser thread moved 200 MB there and ran 46 full collections; with copies, 66 MB and 30).
 */
const detached = (s: string): string => (s.length < 13 ? s : (' ' + s).slice(1));
const SNIFF_BYTES = 512;
const EPOCH = /^\d{1,12}(?:\.\d*)?$/;
const INTEGER = /^[+]?\d{1,15}$/;
// eslint-disable-next-line no-control-regex -- the C0 controls XML 1.0 forbids, replaced before saxen sees them
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

const ALIGNMENT = enumLookup(ALIGNMENTS, { relaxed: 'r', strict: 's' });
const POLICY_ACTION = enumLookup(POLICY_ACTIONS);
const DISCOVERY_METHOD = enumLookup(DISCOVERY_METHODS);
const DISPOSITION_VALUE = enumLookup(DISPOSITIONS);
const DMARC_RESULT = enumLookup(DMARC_RESULTS);
const DKIM_RESULT_VALUE = enumLookup(DKIM_RESULTS, { temp_error: 'temperror', perm_error: 'permerror' });
const SPF_RESULT_VALUE = enumLookup(SPF_RESULTS, {
  hardfail: 'fail',
  'soft fail': 'softfail',
  temp_error: 'temperror',
  perm_error: 'permerror',
});
const SPF_SCOPE_VALUE = enumLookup(SPF_SCOPES, { mailfrom: 'mfrom', 'mail from': 'mfrom' });
const OVERRIDE_TYPE = enumLookup(OVERRIDE_TYPES);

/**
 * Picks the text encoding from the first bytes: a byte order mark, UTF-16 without one, or the XML
 * declaration's encoding="..." (read as ASCII). UTF-8 otherwise.
 */
export function sniffXmlEncoding(head: Uint8Array): string {
  const [b0, b1, b2, b3] = head;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0 && b2 === 0x3f && b3 === 0) return 'utf-16le';
  if (b0 === 0 && b1 === 0x3c && b2 === 0 && b3 === 0x3f) return 'utf-16be';
  const ascii = String.fromCharCode(...head.subarray(0, SNIFF_BYTES));
  const m = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(ascii);
  const label = m?.[1]?.toLowerCase() ?? 'utf-8';
  // The declaration was readable as ASCII, so the text is not UTF-16 whatever it says.
  return label.startsWith('utf-16') || label === 'unicode' ? 'utf-8' : label;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The push parser. write() takes bytes and returns the events they completed: the report's metadata once
 * (always before any record), then full batches of records; end() returns the last events and the summary.
 * Both throw a ReportRejection when the report cannot be read.
 */
export class AggregateParser {
  readonly #batchSize: number;
  readonly #pieceLength: number;
  readonly #limits: XmlLimits;
  readonly #maxPending: number;
  readonly #warnings: WarningLog;
  readonly #sax: Saxen;
  /** Decoded text not yet handed to saxen, and its length. */
  #unread: string[] = [];
  #unreadLength = 0;
  /** Pieces handed to saxen so far: its line numbers count from the piece it is reading. */
  #pieces = 0;

  #decoder: TextDecoder | null = null;
  #encoding = 'utf-8';
  #head: Uint8Array[] = [];
  #headLength = 0;
  #replaced = 0;
  #controls = 0;

  #stack: ElementNode[] = [];
  #names: string[] = [];
  /** Inside an element whose text is read (a leaf): only such text is decoded and kept. */
  #collecting = false;
  /** Nothing but white space was read so far. */
  #blank = true;
  /** The text handed over so far reached the first element. */
  #prologRead = false;
  #text = '';
  #events = 0;
  #quiet = 0;
  #sawRoot = false;
  #prologTail = '';
  #out: AggregateEvent[] = [];

  #schema: ReportSchema = 'rfc7489';
  #header: HeaderDraft = {
    version: null,
    orgName: null,
    email: null,
    extraContact: null,
    reportId: null,
    begin: null,
    end: null,
    errors: [],
    generator: null,
    domain: null,
    adkim: null,
    aspf: null,
    p: null,
    sp: null,
    np: null,
    pct: null,
    fo: null,
    testing: null,
    discovery: null,
  };
  #metadataSeen = false;
  #policySeen = false;
  #report: AggregateReport | null = null;

  #record: AggregateRecord | null = null;
  #rawIp: string | null = null;
  #rawCount: string | null = null;
  #dkim: DkimAuthResult | null = null;
  #spf: SpfAuthResult | null = null;
  #authResultSeen = false;
  #reason: OverrideReason | null = null;
  #recordIndex = 0;
  #pending: AggregateRecord[] = [];
  #batch: AggregateRecord[] = [];
  #records = 0;
  #messages = 0;
  #skipped = 0;
  #ended = false;

  constructor(options: AggregateParserOptions = {}) {
    this.#batchSize = Math.max(1, options.batchSize ?? 1000);
    this.#pieceLength = Math.max(1, options.pieceLength ?? PIECE);
    this.#limits = { ...DEFAULT_XML_LIMITS, ...options.limits };
    this.#maxPending = options.maxPendingRecords ?? 10_000;
    this.#warnings = new WarningLog(options.maxWarnings ?? 100);
    const sax = new Saxen();
    sax.on('openTag', (name, attrs) => this.#open(name, attrs));
    sax.on('closeTag', () => this.#close());
    sax.on('text', (text, _decode, context) => {
      this.#token(text, context);
      if (this.#collecting) this.#onText(this.#decode(text, context));
      else if (text.includes('&')) this.#decode(text, context);
    });
    sax.on('cdata', (text, context) => {
      this.#token(text, context);
      if (this.#collecting) this.#onText(text);
    });
    sax.on('comment', (text, _decode, context) => this.#token(text, context));
    sax.on('question', (text, context) => this.#token(text, context));
    sax.on('attention', (text, _decode, context) => {
      if (/^<!(?:DOCTYPE|ENTITY)/i.test(text)) throw dtdRefused();
      throw this.#malformed(`unexpected markup ${clip(text)}`, context);
    });
    sax.on('warn', (err, context) => {
      throw this.#malformed(err.message, context);
    });
    sax.on('error', (err, context) => {
      throw err instanceof ReportRejection ? err : this.#malformed(err.message, context);
    });
    this.#sax = sax;
  }

  /** The report's metadata, once read (null before). */
  get report(): AggregateReport | null {
    return this.#report;
  }

  write(chunk: Uint8Array): AggregateEvent[] {
    if (this.#ended) throw new Error('write() after end()');
    if (chunk.length === 0) return NO_EVENTS;
    let bytes = chunk;
    if (!this.#decoder) {
      this.#head.push(chunk);
      this.#headLength += chunk.length;
      if (this.#headLength < SNIFF_BYTES) return NO_EVENTS;
      bytes = this.#startDecoding();
    }
    this.#read(bytes);
    return this.#take();
  }

  end(): { events: AggregateEvent[]; summary: AggregateSummary } {
    if (this.#ended) throw new Error('end() called twice');
    this.#ended = true;
    const rest = this.#decoder ? new Uint8Array(0) : this.#startDecoding();
    this.#feed(this.#decoder!.decode(rest));
    this.#flush();
    if (!this.#sawRoot) {
      if (this.#headLength === 0) throw new ReportRejection('empty', 'the report is empty');
      if (this.#blank) throw new ReportRejection('not-xml', 'the report holds no XML element');
      this.#sax.end();
      throw this.#malformed('no element, only text', null);
    }
    if (this.#stack.length > 0) {
      throw new ReportRejection(
        'truncated',
        `the XML ends inside <${this.#names.at(-1) ?? 'feedback'}>: the report is truncated`,
      );
    }
    const failed = this.#sax.end();
    if (failed) throw failed instanceof ReportRejection ? failed : this.#malformed(failed.message, null);
    if (!this.#report) this.#finishHeader();
    if (this.#records === 0 && this.#skipped === 0) this.#warnings.add('the report has no records');
    if (this.#batch.length > 0) {
      this.#out.push({ type: 'records', records: this.#batch });
      this.#batch = [];
    }
    if (this.#replaced > 0)
      this.#warnings.add(
        `${this.#replaced} invalid ${this.#encoding} byte sequences were replaced with U+FFFD`,
      );
    if (this.#controls > 0)
      this.#warnings.add(
        `${this.#controls} control characters (not allowed in XML) were replaced with U+FFFD`,
      );
    return {
      events: this.#take(),
      summary: {
        records: this.#records,
        messages: this.#messages,
        skippedRecords: this.#skipped,
        warnings: this.#warnings.list(),
      },
    };
  }

  #take(): AggregateEvent[] {
    if (this.#out.length === 0) return NO_EVENTS;
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #startDecoding(): Uint8Array {
    const head = concat(this.#head, this.#headLength);
    this.#head = [];
    let label = sniffXmlEncoding(head);
    try {
      this.#decoder = new TextDecoder(label, { fatal: false });
    } catch {
      this.#warnings.add(`the declared encoding "${label}" is not supported; read as UTF-8`);
      label = 'utf-8';
      this.#decoder = new TextDecoder(label, { fatal: false });
    }
    this.#encoding = label === 'utf-8' ? 'UTF-8' : label;
    return head;
  }

  /** Decodes bytes for saxen, cutting them into pieces that end just after a '>' where one is near (PIECE). */
  #read(bytes: Uint8Array): void {
    const decoder = this.#decoder!;
    let rest = bytes;
    for (;;) {
      const room = Math.max(1, this.#pieceLength - this.#unreadLength);
      if (rest.length < room) {
        if (rest.length > 0) this.#feed(decoder.decode(rest, { stream: true }));
        return;
      }
      const gt = rest.lastIndexOf(GT, room - 1);
      const cut = gt === -1 ? room : gt + 1;
      this.#feed(decoder.decode(rest.subarray(0, cut), { stream: true }));
      this.#flush();
      rest = rest.subarray(cut);
    }
  }

  #feed(input: string): void {
    if (input.length === 0) return;
    let text = input;
    if (text.includes('\uFFFD')) {
      for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) this.#replaced += 1;
    }
    CONTROL.lastIndex = 0;
    if (CONTROL.test(text)) {
      text = text.replace(CONTROL, () => {
        this.#controls += 1;
        return '\uFFFD';
      });
    }
    if (!this.#prologRead) {
      if (this.#blank && /\S/.test(text)) this.#blank = false;
      // Refuse a DTD before saxen would hold all of it: no DOCTYPE is ever read, let alone resolved. Only the
      // prolog, up to the first element, can hold one; after it saxen hands one over (see 'attention').
      const element = text.search(/<[^!?]/);
      const probe = this.#prologTail + (element === -1 ? text : text.slice(0, element));
      if (/<!DOCTYPE|<!ENTITY/i.test(probe)) throw dtdRefused();
      this.#prologTail = probe.slice(-9);
      if (element !== -1) this.#prologRead = true;
    }
    this.#unread.push(text);
    this.#unreadLength += text.length;
    if (this.#unreadLength >= this.#pieceLength) this.#flush();
  }

  /** Hands the pending text to saxen. */
  #flush(): void {
    if (this.#unreadLength === 0) return;
    const piece = this.#unread.length === 1 ? this.#unread[0]! : this.#unread.join('');
    this.#unread = [];
    this.#unreadLength = 0;
    this.#pieces += 1;
    const before = this.#events;
    this.#sax.write(piece);
    // saxen holds a token (text, comment, CDATA, tag) until it ends: bound what it may hold.
    if (this.#events !== before) this.#quiet = 0;
    else if ((this.#quiet += piece.length) > this.#limits.maxTextLength) throw this.#runTooLong('');
  }

  /** A token saxen read whole (text, CDATA, a comment, a processing instruction): bounded in length. */
  #token(text: string, context: () => SaxenContext): void {
    this.#events += 1;
    if (text.length > this.#limits.maxTextLength)
      throw this.#runTooLong(this.#position(context, (l, c) => ` (line ${l}, column ${c})`));
  }

  /** A token longer than maxTextLength, where it stands (`at`: a position, or nothing). */
  #runTooLong(at: string): ReportRejection {
    return new ReportRejection(
      'text-too-long',
      `a text or markup run in ${this.#where()} is longer than ${formatBytes(this.#limits.maxTextLength)}${at}`,
    );
  }

  /**
   * Where saxen is, worded by `word` (lines and columns from 1), while it reads the report's first piece: its
   * count starts again with each piece. Empty otherwise.
   */
  #position(context: (() => SaxenContext) | null, word: (line: number, column: number) => string): string {
    if (!context || this.#pieces > 1) return '';
    const { line, column } = context();
    return word(line + 1, column + 1);
  }

  /**
   * Text with its references replaced: XML's five entities and character references. Anything else after an
   * ampersand is an error, as the XML specification says for an entity no DTD declares (and none may here).
   */
  #decode(text: string, context: () => SaxenContext): string {
    if (!text.includes('&')) return text;
    // The name runs to the next ';', '&' or white space: text is at most maxTextLength long.
    return text.replace(/&([^;&\s]*);?/g, (ref, name: string) => {
      if (!ref.endsWith(';')) throw this.#malformed(`a bare "&" (write &amp;)`, context);
      const predefined = PREDEFINED_ENTITIES.get(name);
      if (predefined !== undefined) return predefined;
      const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
      if (!m) throw this.#malformed(`undefined entity ${clip(ref)}`, context);
      const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
      if (!isXmlChar(code))
        throw this.#malformed(`the character reference ${ref} is not a character of XML`, context);
      return String.fromCodePoint(code);
    });
  }

  #malformed(detail: string, context: (() => SaxenContext) | null): ReportRejection {
    const where = this.#position(context, (l, c) => ` at line ${l}, column ${c}`) || ` in ${this.#where()}`;
    return new ReportRejection('malformed-xml', `malformed XML${where}: ${detail.replace(/\.$/, '')}`);
  }

  #where(): string {
    return this.#names.length > 0 ? this.#names.join('/') : 'the prolog';
  }

  #open(name: string, attributes: () => Record<string, string> | false): void {
    this.#events += 1;
    const colon = name.indexOf(':');
    const local = colon === -1 ? name : name.slice(colon + 1);
    const depth = this.#stack.length + 1;
    if (depth > this.#limits.maxDepth) {
      throw new ReportRejection(
        'too-deep',
        `elements are nested deeper than ${this.#limits.maxDepth} levels (at ${this.#names.slice(0, 6).join('/')}/…)`,
      );
    }
    if (depth === 1 && this.#sawRoot) throw this.#malformed(`a second root element <${clip(name)}>`, null);
    this.#names.push(local);
    if (depth === 1) {
      this.#sawRoot = true;
      if (local !== 'feedback') {
        throw new ReportRejection(
          'not-a-report',
          `the root element is <${name}>, not <feedback>: this is not a DMARC aggregate report`,
        );
      }
      const attrs = attributes();
      if (attrs === false) throw this.#malformed(`the attributes of <${clip(name)}> cannot be read`, null);
      const ns = attrs[colon === -1 ? 'xmlns' : `xmlns:${name.slice(0, colon)}`];
      if (ns !== undefined && ns.trim() !== '') {
        const schema = SCHEMA_NAMESPACES[ns.trim()];
        if (schema) this.#schema = schema;
        else this.#warnings.add(`unknown XML namespace "${ns.trim()}"; read as RFC 7489`);
      }
      this.#stack.push(TREE);
      this.#collecting = false;
      return;
    }
    const node = childOf(this.#stack[depth - 2]!, local);
    this.#stack.push(node);
    if (node.leaf) {
      this.#collecting = true;
      this.#text = '';
      return;
    }
    this.#collecting = false;
    switch (node.id) {
      case RECORD:
        this.#record = newRecord();
        this.#rawIp = null;
        this.#rawCount = null;
        this.#recordIndex += 1;
        break;
      case AUTH_DKIM:
        this.#dkim = { domain: '', selector: null, result: 'unknown', humanResult: null };
        this.#authResultSeen = false;
        break;
      case AUTH_SPF:
        this.#spf = { domain: '', scope: null, result: 'unknown', humanResult: null };
        this.#authResultSeen = false;
        break;
      case REASON:
        this.#reason = { type: 'unknown', comment: null };
        break;
    }
  }

  #close(): void {
    this.#events += 1;
    const node = this.#stack.pop()!;
    this.#names.pop();
    if (node.leaf) {
      if (this.#collecting) this.#assign(node, detached(this.#text.trim()));
      this.#collecting = false;
      this.#text = '';
      return;
    }
    this.#collecting = false;
    switch (node.id) {
      case METADATA:
        this.#metadataSeen = true;
        if (this.#policySeen && !this.#report) this.#finishHeader();
        break;
      case POLICY:
        this.#policySeen = true;
        if (this.#metadataSeen && !this.#report) this.#finishHeader();
        break;
      case RECORD:
        this.#finishRecord();
        break;
      case AUTH_DKIM:
        if (!this.#authResultSeen) this.#missing('feedback/record/auth_results/dkim/result');
        this.#record!.authResults.dkim.push(this.#dkim!);
        this.#dkim = null;
        break;
      case AUTH_SPF:
        if (!this.#authResultSeen) this.#missing('feedback/record/auth_results/spf/result');
        this.#record!.authResults.spf.push(this.#spf!);
        this.#spf = null;
        break;
      case REASON:
        this.#record!.policyEvaluated.reasons.push(this.#reason!);
        this.#reason = null;
        break;
    }
  }

  /** Text of the element being read (several pieces when CDATA or comments cut it). */
  #onText(text: string): void {
    const max = this.#limits.maxTextLength;
    if (this.#text.length + text.length > max) {
      throw new ReportRejection(
        'text-too-long',
        `the text of ${this.#where()} is longer than ${formatBytes(max)}`,
      );
    }
    this.#text += text;
  }

  #assign(node: ElementNode, value: string): void {
    const h = this.#header;
    const r = this.#record;
    switch (node.id) {
      case VERSION:
        h.version = value;
        return;
      case ORG_NAME:
        h.orgName = value;
        return;
      case EMAIL:
        h.email = value;
        return;
      case EXTRA_CONTACT:
        h.extraContact = value;
        return;
      case REPORT_ID:
        h.reportId = value;
        return;
      case ERROR:
        if (value !== '') h.errors.push(value);
        return;
      case GENERATOR:
        h.generator = value;
        return;
      case BEGIN:
        h.begin = value;
        return;
      case END:
        h.end = value;
        return;
      case DOMAIN:
        h.domain = value;
        return;
      case ADKIM:
        h.adkim = value;
        return;
      case ASPF:
        h.aspf = value;
        return;
      case P:
        h.p = value;
        return;
      case SP:
        h.sp = value;
        return;
      case NP:
        h.np = value;
        return;
      case PCT:
        h.pct = value;
        return;
      case FO:
        h.fo = value;
        return;
      case TESTING:
        h.testing = value;
        return;
      case DISCOVERY:
        h.discovery = value;
        return;
    }
    if (!r) return;
    const w = this.#warnings;
    switch (node.id) {
      case SOURCE_IP:
        this.#rawIp = value;
        return;
      case COUNT:
        this.#rawCount = value;
        return;
      case DISPOSITION:
        r.policyEvaluated.disposition = value ? normaliseEnum(value, DISPOSITION_VALUE, node.path, w) : null;
        return;
      case PE_DKIM:
        r.policyEvaluated.dkim = value ? normaliseEnum(value, DMARC_RESULT, node.path, w) : null;
        return;
      case PE_SPF:
        r.policyEvaluated.spf = value ? normaliseEnum(value, DMARC_RESULT, node.path, w) : null;
        return;
      case REASON_TYPE:
        if (value) this.#reason!.type = normaliseEnum(value, OVERRIDE_TYPE, node.path, w);
        return;
      case REASON_COMMENT:
        this.#reason!.comment = value || null;
        return;
      case HEADER_FROM:
        r.identifiers.headerFrom = value ? normaliseDomain(value) : null;
        return;
      case ENVELOPE_FROM:
        r.identifiers.envelopeFrom = value ? normaliseDomain(value) : null;
        return;
      case ENVELOPE_TO:
        r.identifiers.envelopeTo = value ? normaliseDomain(value) : null;
        return;
      case DKIM_DOMAIN:
        this.#dkim!.domain = normaliseDomain(value);
        return;
      case DKIM_SELECTOR:
        this.#dkim!.selector = value || null;
        return;
      case DKIM_RESULT:
        if (!value) return;
        this.#authResultSeen = true;
        this.#dkim!.result = normaliseEnum(value, DKIM_RESULT_VALUE, node.path, w);
        return;
      case DKIM_HUMAN:
        this.#dkim!.humanResult = value || null;
        return;
      case SPF_DOMAIN:
        this.#spf!.domain = normaliseDomain(value);
        return;
      case SPF_SCOPE:
        this.#spf!.scope = value ? normaliseEnum(value, SPF_SCOPE_VALUE, node.path, w) : null;
        return;
      case SPF_RESULT:
        if (!value) return;
        this.#authResultSeen = true;
        this.#spf!.result = normaliseEnum(value, SPF_RESULT_VALUE, node.path, w);
        return;
      case SPF_HUMAN:
        this.#spf!.humanResult = value || null;
        return;
    }
  }

  #missing(path: string): void {
    this.#warnings.add(`${path} is missing in some records`, `missing ${path}`);
  }

  #finishHeader(): void {
    const h = this.#header;
    const w = this.#warnings;
    const missing = (path: string) => new ReportRejection('missing-field', `${path} is missing`);
    if (!this.#metadataSeen) throw missing('feedback/report_metadata');
    if (!this.#policySeen) throw missing('feedback/policy_published');
    if (!h.reportId) throw missing('feedback/report_metadata/report_id');
    if (!h.domain) throw missing('feedback/policy_published/domain');
    const epoch = (raw: string | null, name: string): number => {
      const path = `feedback/report_metadata/date_range/${name}`;
      if (raw === null || raw === '') throw missing(path);
      if (!EPOCH.test(raw))
        throw new ReportRejection('invalid-field', `${path} is not a time in epoch seconds: "${clip(raw)}"`);
      return Math.floor(Number(raw));
    };
    const begin = epoch(h.begin, 'begin');
    const end = epoch(h.end, 'end');
    if (begin > end) w.add('feedback/report_metadata/date_range: begin is after end');
    if (!h.orgName) w.add('feedback/report_metadata/org_name is empty');
    if (!h.email) w.add('feedback/report_metadata/email is missing');
    const opt = <T extends string>(
      raw: string | null,
      lookup: EnumLookup<T>,
      name: string,
    ): T | 'unknown' | null =>
      raw === null || raw === '' ? null : normaliseEnum(raw, lookup, `feedback/policy_published/${name}`, w);
    let pct: number | null = null;
    if (h.pct !== null && h.pct !== '') {
      const n = INTEGER.test(h.pct) ? Number(h.pct) : NaN;
      if (n >= 0 && n <= 100) pct = n;
      else w.add(`feedback/policy_published/pct: "${clip(h.pct)}" is not a percentage; ignored`);
    }
    let testing: boolean | null = null;
    if (h.testing !== null && h.testing !== '') {
      const t = h.testing.toLowerCase();
      if (t === 'y' || t === 'yes' || t === 'true' || t === '1') testing = true;
      else if (t === 'n' || t === 'no' || t === 'false' || t === '0') testing = false;
      else w.add(`feedback/policy_published/testing: unknown value "${clip(h.testing)}"; ignored`);
    }
    if (!h.p) w.add('feedback/policy_published/p is missing');
    this.#report = {
      schema: this.#schema,
      version: h.version || null,
      reporter: {
        orgName: h.orgName ?? '',
        email: h.email || null,
        extraContact: h.extraContact || null,
        reportId: h.reportId,
        dateRange: { begin, end },
        errors: h.errors,
        generator: h.generator || null,
      },
      policyPublished: {
        domain: normaliseDomain(h.domain),
        adkim: opt(h.adkim, ALIGNMENT, 'adkim'),
        aspf: opt(h.aspf, ALIGNMENT, 'aspf'),
        p: opt(h.p, POLICY_ACTION, 'p'),
        sp: opt(h.sp, POLICY_ACTION, 'sp'),
        np: opt(h.np, POLICY_ACTION, 'np'),
        pct,
        fo: h.fo || null,
        testing,
        discoveryMethod: opt(h.discovery, DISCOVERY_METHOD, 'discovery_method'),
      },
    };
    this.#out.push({ type: 'report', report: this.#report });
    for (const record of this.#pending) this.#add(record);
    this.#pending = [];
  }

  #add(record: AggregateRecord): void {
    this.#batch.push(record);
    if (this.#batch.length >= this.#batchSize) {
      this.#out.push({ type: 'records', records: this.#batch });
      this.#batch = [];
    }
  }

  #finishRecord(): void {
    const record = this.#checkRecord(this.#record!);
    this.#record = null;
    if (!record) {
      this.#skipped += 1;
      return;
    }
    this.#records += 1;
    this.#messages += record.count;
    if (this.#report) {
      this.#add(record);
      return;
    }
    this.#pending.push(record);
    if (this.#pending.length > this.#maxPending) {
      throw new ReportRejection(
        'missing-field',
        `more than ${this.#maxPending} records come before report_metadata and policy_published`,
      );
    }
  }

  /** The record with its source and count set, or null (with a warning) when either is missing or wrong. */
  #checkRecord(r: AggregateRecord): AggregateRecord | null {
    const w = this.#warnings;
    const skip = (why: string) => {
      w.add(`record ${this.#recordIndex}: ${why}; the record is skipped`, why);
      return null;
    };
    const ip = this.#rawIp;
    const count = this.#rawCount;
    if (!ip) return skip('feedback/record/row/source_ip is missing');
    if (count === null || count === '') return skip('feedback/record/row/count is missing');
    if (!INTEGER.test(count)) return skip(`feedback/record/row/count "${clip(count)}" is not a count`);
    r.sourceIp = ip.includes(':') ? ip.toLowerCase() : ip;
    r.count = Number(count);
    if (!isIpAddress(r.sourceIp))
      w.add(
        `record ${this.#recordIndex}: feedback/record/row/source_ip "${clip(r.sourceIp)}" is not an IP address`,
        'ip',
      );
    const pe = r.policyEvaluated;
    if (pe.disposition === null) this.#missing('feedback/record/row/policy_evaluated/disposition');
    if (pe.dkim === null) this.#missing('feedback/record/row/policy_evaluated/dkim');
    if (pe.spf === null) this.#missing('feedback/record/row/policy_evaluated/spf');
    if (r.identifiers.headerFrom === null) this.#missing('feedback/record/identifiers/header_from');
    return r;
  }
}

const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['apos', "'"],
  ['quot', '"'],
]);

/** Char in XML 1.0 (production 2). */
const isXmlChar = (c: number): boolean =>
  c === 0x9 ||
  c === 0xa ||
  c === 0xd ||
  (c >= 0x20 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xfffd) ||
  (c >= 0x10000 && c <= 0x10ffff);

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

const dtdRefused = () =>
  new ReportRejection('dtd', 'DTDs are not allowed: the report has a DOCTYPE or ENTITY declaration');

/** The events of one report read from a byte source; the generator's return value is the summary. */
export async function* aggregateEvents(
  source: AsyncIterable<Uint8Array>,
  options: AggregateParserOptions = {},
): AsyncGenerator<AggregateEvent, AggregateSummary, undefined> {
  const parser = new AggregateParser(options);
  for await (const chunk of source) yield* parser.write(chunk);
  const { events, summary } = parser.end();
  yield* events;
  return summary;
}

/**
 * One report being read: its metadata, and its records in batches to pull with `for await`. The batches end
 * only when the whole document has been read and checked, so a consumer that writes them inside a
 * transaction commits only complete reports. A consumer may stop early (a duplicate): close() then stops
 * reading the source.
 */
export interface AggregateReportStream extends AsyncIterable<AggregateRecord[]> {
  readonly report: AggregateReport;
  /** True once the records were read to the end. */
  readonly done: boolean;
  /** Counts and warnings of the whole report; throws before the records were read to the end. */
  summary(): AggregateSummary;
  close(): Promise<void>;
}

export interface OpenAggregateStreamOptions extends AggregateParserOptions {
  /** Warnings of the container (e.g. trailing bytes after a gzip stream), added to the summary's. */
  sourceWarnings?: () => readonly string[];
}

class ReportStream implements AggregateReportStream {
  readonly report: AggregateReport;
  readonly #events: AsyncGenerator<AggregateEvent, AggregateSummary, undefined>;
  readonly #sourceWarnings: () => readonly string[];
  #summary: AggregateSummary | null = null;
  #started = false;

  constructor(
    report: AggregateReport,
    events: AsyncGenerator<AggregateEvent, AggregateSummary, undefined>,
    sourceWarnings: () => readonly string[],
  ) {
    this.report = report;
    this.#events = events;
    this.#sourceWarnings = sourceWarnings;
  }

  get done(): boolean {
    return this.#summary !== null;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<AggregateRecord[], void, undefined> {
    if (this.#started) throw new Error('the records of a report can be read only once');
    this.#started = true;
    for (;;) {
      const next = await this.#events.next();
      if (next.done) {
        this.#summary = next.value;
        return;
      }
      if (next.value.type === 'records') yield next.value.records;
    }
  }

  summary(): AggregateSummary {
    if (!this.#summary) throw new Error('the report has not been read to the end');
    const extra = this.#sourceWarnings();
    return extra.length === 0
      ? this.#summary
      : { ...this.#summary, warnings: [...extra, ...this.#summary.warnings] };
  }

  async close(): Promise<void> {
    if (!this.#summary) await this.#events.return(undefined as never);
  }
}

/** Reads a report up to its metadata (throwing a ReportRejection when it cannot) and hands over the rest. */
export async function openAggregateStream(
  source: AsyncIterable<Uint8Array>,
  options: OpenAggregateStreamOptions = {},
): Promise<AggregateReportStream> {
  const events = aggregateEvents(source, options);
  const first = await events.next();
  if (first.done || first.value.type !== 'report') {
    await events.return(undefined as never);
    throw new ReportRejection('no-report', 'the XML holds no aggregate report');
  }
  return new ReportStream(first.value.report, events, options.sourceWarnings ?? (() => []));
}
