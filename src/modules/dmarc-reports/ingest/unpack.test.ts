import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReportRejection } from '../lib/report-rejection.ts';
import { ByteReader } from './bytes.ts';
import { gunzip, gzipHeaderLength } from './gunzip.ts';
import { resolveLimits } from './limits.ts';
import { describeContent, sniff } from './unpack.ts';
import { unsafeEntryName } from './unzip.ts';

const limits = resolveLimits();

async function* chunksOf(data: Buffer, size: number) {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function gunzipAll(data: Buffer, size = 7, opts: Partial<typeof limits> = {}) {
  const warnings: string[] = [];
  const out: Buffer[] = [];
  for await (const chunk of gunzip(chunksOf(data, size), {
    limits: { ...limits, ...opts },
    onWarning: (w) => warnings.push(w),
  }))
    out.push(chunk);
  return { text: Buffer.concat(out).toString('utf8'), warnings };
}

async function gunzipRefusal(data: Buffer, size = 7, opts: Partial<typeof limits> = {}) {
  try {
    await gunzipAll(data, size, opts);
  } catch (err) {
    if (err instanceof ReportRejection) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('accepted');
}

describe('sniffing the container', () => {
  it('tells gzip, zip, XML, email and the rest by their first bytes', () => {
    const b = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));
    expect(sniff(b([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(sniff(b('PK\x03\x04rest'))).toBe('zip');
    expect(sniff(b('PK\x05\x06'))).toBe('zip');
    expect(sniff(b('<?xml version="1.0"?>'))).toBe('xml');
    expect(sniff(b('\xef\xbb\xbf\r\n  <feedback>'))).toBe('xml');
    expect(sniff(b([0xff, 0xfe, 0x3c, 0]))).toBe('xml');
    expect(sniff(b([0x3c, 0, 0x3f, 0]))).toBe('xml');
    expect(sniff(b('Received: from mx.example.com\r\n'))).toBe('email');
    expect(sniff(b('From dmarc@example.com Tue Nov 14 10:00:00 2023\n'))).toBe('email');
    expect(sniff(b('Return-Path: <x@example.com>\n'))).toBe('email');
    expect(sniff(b(''))).toBe('empty');
    expect(sniff(b('  \n\t'))).toBe('empty');
    expect(sniff(b('%PDF-1.7'))).toBe('unknown');
    expect(sniff(b([0, 0, 0, 0]))).toBe('unknown');
    expect(sniff(b('hello world'))).toBe('unknown');
  });

  it('says what unknown content looks like', () => {
    expect(describeContent(Buffer.from('%PDF-1.7'))).toBe('a PDF document');
    expect(describeContent(Buffer.from('BZh91AY'))).toBe('bzip2-compressed data (not supported)');
    expect(describeContent(Buffer.alloc(16))).toBe('binary data');
    expect(describeContent(Buffer.from('{"a":1}'))).toBe('JSON, not XML');
    expect(describeContent(Buffer.from('hello'))).toBe('text that is not XML');
  });

  it('refuses zip entry names that could escape', () => {
    expect(unsafeEntryName('report.xml')).toBeNull();
    expect(unsafeEntryName('dir/report.xml')).toBeNull();
    expect(unsafeEntryName('../evil.xml')).toMatch(/\.\./);
    expect(unsafeEntryName('a/../../evil.xml')).toMatch(/\.\./);
    expect(unsafeEntryName('/etc/passwd')).toMatch(/absolute/);
    expect(unsafeEntryName('C:/x.xml')).toMatch(/absolute/);
    expect(unsafeEntryName('..\\evil.xml')).toMatch(/backslash/);
    expect(unsafeEntryName('a\u0000.xml')).toMatch(/control/);
  });
});

describe('byte reader', () => {
  it('looks ahead, takes and gives back bytes across chunks', async () => {
    const reader = new ByteReader(chunksOf(Buffer.from('abcdefghij'), 3));
    expect((await reader.peek(5)).toString()).toBe('abcdef');
    expect((await reader.take(4)).toString()).toBe('abcd');
    expect(reader.consumed).toBe(4);
    const next = await reader.read();
    expect(next?.toString()).toBe('ef');
    reader.unshift(next!.subarray(1));
    const rest: string[] = [];
    for await (const c of reader.rest()) rest.push(c.toString());
    expect(rest.join('')).toBe('fghij');
    expect(reader.consumed).toBe(10);
  });
});

describe('gunzip', () => {
  const text = '<feedback>'.padEnd(100_000, 'x');
  const gz = zlib.gzipSync(text);

  it('reads a member whatever the chunking, and concatenated members', async () => {
    expect((await gunzipAll(gz, 1)).text).toBe(text);
    expect((await gunzipAll(gz, 65536)).text).toBe(text);
    const two = Buffer.concat([zlib.gzipSync('one '), zlib.gzipSync('two')]);
    expect(await gunzipAll(two, 5)).toEqual({ text: 'one two', warnings: [] });
  });

  it('reads the optional header fields', async () => {
    const named = Buffer.from(gz);
    named[3] = 0x08; // FNAME
    const withName = Buffer.concat([named.subarray(0, 10), Buffer.from('report.xml\0'), named.subarray(10)]);
    expect(gzipHeaderLength(withName)).toBe(21);
    expect((await gunzipAll(withName, 3)).text).toBe(text);
    expect(gzipHeaderLength(withName.subarray(0, 15))).toBe('more');
    expect(gzipHeaderLength(Buffer.from('hello world'))).toBe('invalid');
  });

  it('ignores trailing bytes after the last member, with a warning', async () => {
    for (const junk of ['\n', '\0\0\0\0', 'garbage after the stream', '\x1f\x8b\x01junk']) {
      const result = await gunzipAll(Buffer.concat([gz, Buffer.from(junk, 'latin1')]), 13);
      expect(result.text).toBe(text);
      expect(result.warnings).toEqual(['bytes after the end of the gzip stream were ignored']);
    }
  });

  it('refuses truncated, corrupt and non-gzip streams', async () => {
    expect(await gunzipRefusal(gz.subarray(0, gz.length - 20))).toMatchObject({ code: 'truncated' });
    expect(await gunzipRefusal(gz.subarray(0, gz.length - 4))).toMatchObject({ code: 'truncated' });
    expect(await gunzipRefusal(gz.subarray(0, 12))).toMatchObject({ code: 'truncated' });
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6]! ^= 0xff;
    expect(await gunzipRefusal(badCrc)).toMatchObject({ code: 'corrupt', message: /checksum/ });
    const badData = Buffer.from(gz);
    badData.fill(0xff, 10, 30);
    expect(await gunzipRefusal(badData)).toMatchObject({ code: 'corrupt' });
    expect(await gunzipRefusal(Buffer.from('not gzip at all'))).toMatchObject({ code: 'corrupt' });
    expect(await gunzipRefusal(Buffer.alloc(0))).toMatchObject({ code: 'empty' });
  });

  it('refuses a stream that expands past the ratio limit, early', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const started = performance.now();
    expect(await gunzipRefusal(bomb, 64 * 1024)).toMatchObject({
      code: 'compression-ratio',
      message: /expands more than 200 times/,
    });
    expect(performance.now() - started).toBeLessThan(2000);
    // Under the grace size the ratio does not count.
    expect((await gunzipAll(zlib.gzipSync(Buffer.alloc(1024 * 1024)), 4096)).text).toHaveLength(1024 * 1024);
  });
});
