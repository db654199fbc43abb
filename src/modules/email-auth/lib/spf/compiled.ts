// SPF records made ready for check_host(): picked from a name's TXT records, parsed, and each term put in one shape
// (so that the evaluator's loop reads one kind of object) with any target that has no macros worked out. The same
// records come back again and again (every sender's includes of a provider), mostly as the very same answer lists
// from a cache: the pick is kept per answer list, the compiled record per record text.
import { isQueryableName } from '../dns.ts';
import { ip4Bits, ip4Mask, type Ip } from '../../../../platform/net/ip.ts';
import { toTargetName, type MacroString } from './macro.ts';
import {
  isValidSpfDomain,
  parseSpfRecord,
  selectSpfRecord,
  type Directive,
  type MechanismName,
  type Qualifier,
  type SpfRecord,
} from './record.ts';

/** A domain-spec, with the name it stands for when it has no macros. */
export interface Target {
  spec: MacroString;
  /** Null when the spec has macros: it is expanded for each evaluation. */
  fixed: FixedTarget | null;
}

export interface FixedTarget {
  name: string;
  /** isQueryableName(name) */
  queryable: boolean;
  /** isValidSpfDomain(name) */
  spfDomain: boolean;
}

/** A mechanism with what evaluating it needs; every field is there for every mechanism. */
export interface Term {
  mechanism: MechanismName;
  qualifier: Qualifier;
  /** As written. */
  text: string;
  /** Of include and exists, and of a, mx and ptr when written with one. */
  target: Target | null;
  /** Of ip4 and ip6. */
  network: Ip | null;
  prefix: number;
  /** Of ip4: the network and its mask as ip4Bits and ip4Mask give them, for a test of two integers. */
  bits4: number;
  mask4: number;
  /** Of a and mx. */
  cidr4: number;
  cidr6: number;
}

export interface CompiledRecord {
  /** In the order they are evaluated. */
  terms: Term[];
  redirect: { text: string; target: Target } | null;
  exp: Target | null;
}

export type FoundRecord =
  | { kind: 'none' }
  | { kind: 'several'; error: string }
  | { kind: 'invalid'; error: string }
  | { kind: 'one'; record: CompiledRecord };

type Compiled = Extract<FoundRecord, { kind: 'invalid' | 'one' }>;

// Compiled records are never changed. The memo of record texts is bounded in entries and record size, and starts
// afresh when full; the one of answer lists goes with the lists.
const foundByAnswers = new WeakMap<string[][], FoundRecord>();
const compiledByText = new Map<string, Compiled>();
const MAX_KEPT = 4096;
const MAX_KEPT_LENGTH = 2048;

/** The SPF record among a name's TXT records (section 4.5), compiled; worked out once per answer list and text. */
export function spfRecordOf(answers: string[][]): FoundRecord {
  let found = foundByAnswers.get(answers);
  if (found) return found;
  const selected = selectSpfRecord(answers);
  if (!selected.ok) found = { kind: 'several', error: selected.error };
  else if (selected.text === null) found = { kind: 'none' };
  else found = compiledText(selected.text);
  foundByAnswers.set(answers, found);
  return found;
}

function compiledText(text: string): Compiled {
  let compiled = compiledByText.get(text);
  if (compiled) return compiled;
  const parse = parseSpfRecord(text);
  compiled = parse.ok
    ? { kind: 'one', record: compile(parse.record) }
    : { kind: 'invalid', error: parse.error };
  if (text.length <= MAX_KEPT_LENGTH) {
    if (compiledByText.size >= MAX_KEPT) compiledByText.clear();
    compiledByText.set(text, compiled);
  }
  return compiled;
}

function compile(record: SpfRecord): CompiledRecord {
  return {
    terms: record.directives.map(compileTerm),
    redirect: record.redirect
      ? { text: record.redirect.text, target: compileTarget(record.redirect.value) }
      : null,
    exp: record.exp ? compileTarget(record.exp.value) : null,
  };
}

function compileTerm(d: Directive): Term {
  const mask4 = d.mechanism === 'ip4' ? ip4Mask(d.prefix) : 0;
  return {
    mechanism: d.mechanism,
    qualifier: d.qualifier,
    text: d.text,
    target: 'target' in d && d.target ? compileTarget(d.target) : null,
    network: 'network' in d ? d.network : null,
    prefix: 'prefix' in d ? d.prefix : 0,
    bits4: d.mechanism === 'ip4' ? ip4Bits(d.network) & mask4 : 0,
    mask4,
    cidr4: 'cidr4' in d ? d.cidr4 : 32,
    cidr6: 'cidr6' in d ? d.cidr6 : 128,
  };
}

function compileTarget(spec: MacroString): Target {
  if (spec.tokens.some((t) => t.kind === 'macro')) return { spec, fixed: null };
  // Escapes (%%, %_, %-) stand for their text, as expansion would make them.
  const name = toTargetName(spec.tokens.map((t) => (t.kind === 'macro' ? '' : t.text)).join(''));
  return { spec, fixed: { name, queryable: isQueryableName(name), spfDomain: isValidSpfDomain(name) } };
}
