import { describe, expect, it } from 'vitest';
import { daysUntil, effectiveStatus, evidenceState, scoreOf } from './score.ts';

describe('evidence state', () => {
  const today = '2026-11-27';
  it('is valid when one window covers today, expired when all ended, none without evidence', () => {
    expect(evidenceState([], today)).toBe('none');
    expect(evidenceState([{ validFrom: '2026-01-01', validUntil: '2026-11-27' }], today)).toBe('valid');
    expect(evidenceState([{ validFrom: '2026-01-01', validUntil: null }], today)).toBe('valid');
    expect(evidenceState([{ validFrom: '2025-01-01', validUntil: '2026-11-26' }], today)).toBe('expired');
    expect(evidenceState([{ validFrom: '2026-12-01', validUntil: null }], today)).toBe('expired');
    expect(
      evidenceState(
        [
          { validFrom: '2025-01-01', validUntil: '2025-12-31' },
          { validFrom: '2026-06-01', validUntil: '2027-05-31' },
        ],
        today,
      ),
    ).toBe('valid');
  });
});

describe('effective status and score', () => {
  it('counts an implemented requirement only with valid evidence, and shows why not otherwise', () => {
    expect(effectiveStatus({ applicable: true, status: 'implemented' }, 'valid')).toBe('implemented');
    expect(effectiveStatus({ applicable: true, status: 'implemented' }, 'expired')).toBe('evidence_expired');
    expect(effectiveStatus({ applicable: true, status: 'implemented' }, 'none')).toBe('no_evidence');
    expect(effectiveStatus({ applicable: false, status: 'implemented' }, 'valid')).toBe('not_applicable');
    expect(effectiveStatus({ applicable: true, status: 'partial' }, 'valid')).toBe('partial');
  });

  it('scores satisfied over applicable in per mille, rounding down', () => {
    expect(
      scoreOf(['implemented', 'evidence_expired', 'no_evidence', 'planned', 'not_applicable', 'implemented']),
    ).toEqual({
      applicable: 5,
      implemented: 4,
      satisfied: 2,
      evidenceExpired: 1,
      score: 400,
    });
    expect(scoreOf(['implemented', 'planned', 'planned'])).toMatchObject({ score: 333 });
    expect(scoreOf(['not_applicable'])).toMatchObject({ applicable: 0, score: 0 });
  });

  it('counts days to an expiry', () => {
    expect(daysUntil('2026-12-27', '2026-11-27')).toBe(30);
    expect(daysUntil('2026-11-20', '2026-11-27')).toBe(-7);
  });
});
