import { describe, expect, it } from 'vitest';
import { mailFileName } from './mail-file-name.ts';

describe('mailFileName', () => {
  it('names a mail by its subject, made safe for a file name', () => {
    expect(mailFileName({ uid: 1, subject: 'Report Domain: example.com Submitter: google.com' })).toBe(
      'Report Domain example.com Submitter google.com.eml',
    );
    expect(mailFileName({ uid: 1, subject: '../../etc/passwd' })).toBe('etc passwd.eml');
    expect(mailFileName({ uid: 1, subject: 'a\u0000b\r\nc\td<>|*?"\\e' })).toBe('a b c d e.eml');
    expect(mailFileName({ uid: 1, subject: 'DMARC 集計レポート example.jp' })).toBe(
      'DMARC 集計レポート example.jp.eml',
    );
  });

  it('falls back on the Message-ID, then the UID', () => {
    expect(mailFileName({ uid: 7, subject: ' :: ', messageId: '<r-1/x@reporter.example>' })).toBe(
      'r-1 x@reporter.example.eml',
    );
    expect(mailFileName({ uid: 7, subject: '', messageId: '' })).toBe('mail-7.eml');
    expect(mailFileName({ uid: 7 })).toBe('mail-7.eml');
  });

  it('keeps the name short', () => {
    const name = mailFileName({ uid: 1, subject: 'レ'.repeat(500) });
    expect([...name].length).toBe(120 + '.eml'.length);
  });
});
