import { describe, expect, it } from 'vitest';
import { parseFailureReport, parseHeaderFields } from './arf-parser.ts';
import { ReportRejection } from './report-rejection.ts';

describe('feedback report fields', () => {
  it('keeps folded values with their line breaks', () => {
    expect(parseHeaderFields('A: one\r\nB: two\r\n   more\r\n\r\nC:three  \n')).toEqual([
      { name: 'A', value: 'one' },
      { name: 'B', value: 'two\n   more' },
      { name: 'C', value: 'three' },
    ]);
  });

  it('reads an RFC 6591 authentication failure report', () => {
    const report = parseFailureReport({
      feedbackReport: [
        'Feedback-Type: auth-failure',
        'User-Agent: Filter/1.0',
        'Version: 1',
        'Original-Mail-From: <a@sender.example>',
        'Original-Rcpt-To: <b@example.com>',
        'Original-Rcpt-To: <c@example.com>',
        'Arrival-Date: Tue, 14 Nov 2023 10:00:00 +0000',
        'Reporting-MTA: dns; mx.example.com',
        'Source-IP: [2001:db8::25] (mail.sender.example)',
        'Source-Port: 25',
        'Incidents: 3',
        'Authentication-Results: mx.example.com; dmarc=fail',
        '    header.from=sender.example',
        'Auth-Failure: DMARC',
        'Delivery-Result: reject',
        'Identity-Alignment: dkim, spf',
        'DKIM-Domain: sender.example',
        'DKIM-Selector: s1',
        'SPF-DNS: txt : sender.example : "v=spf1 -all"',
        'Reported-Domain: sender.example',
      ].join('\r\n'),
      originalHeaders: 'From: a@sender.example\r\nSubject: hi\r\n',
    });
    expect(report).toMatchObject({
      feedbackType: 'auth-failure',
      userAgent: 'Filter/1.0',
      version: '1',
      originalMailFrom: '<a@sender.example>',
      originalRcptTo: ['<b@example.com>', '<c@example.com>'],
      arrivalDate: 1699956000,
      reportingMta: 'mx.example.com',
      sourceIp: '2001:db8::25',
      sourcePort: 25,
      incidents: 3,
      authenticationResults: ['mx.example.com; dmarc=fail\n    header.from=sender.example'],
      authFailure: 'dmarc',
      deliveryResult: 'reject',
      identityAlignment: 'dkim-spf',
      dkim: { domain: 'sender.example', selector: 's1' },
      spfDns: 'txt : sender.example : "v=spf1 -all"',
      reportedDomains: ['sender.example'],
      originalHeaders: 'From: a@sender.example\nSubject: hi\n',
      warnings: [],
    });
    expect(report.fields).toHaveLength(19);
  });

  it('warns about values it does not know, and refuses a part without Feedback-Type', () => {
    const report = parseFailureReport({
      feedbackReport:
        'Feedback-Type: complaint\nAuth-Failure: weird\nArrival-Date: soon\nIdentity-Alignment: none\n',
    });
    expect(report.feedbackType).toBe('unknown');
    expect(report.authFailure).toBe('unknown');
    expect(report.identityAlignment).toBe('none');
    expect(report.warnings).toEqual([
      'Feedback-Type: unknown value "complaint"',
      'Auth-Failure: unknown value "weird"',
      'Arrival-Date: "soon" is not a date',
      'User-Agent is missing',
      'Version is missing',
    ]);
    expect(() => parseFailureReport({ feedbackReport: 'User-Agent: x\n' })).toThrow(ReportRejection);
  });
});
