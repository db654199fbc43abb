import { describe, expect, it } from 'vitest';
import type { SoaEntryDto } from '../../../shared/api/types.ts';
import { familySpans, filterSoa, groupSoa, sectionFamily } from './soa.ts';

const entry = (
  ref: string,
  section: string,
  effectiveStatus: SoaEntryDto['effectiveStatus'],
  title = ref,
): SoaEntryDto => ({
  id: ref,
  companyId: 'c',
  frameworkId: 'f',
  requirementId: `r-${ref}`,
  requirementRef: ref,
  requirementTitle: title,
  section,
  applicable: effectiveStatus !== 'not_applicable',
  justification: null,
  status:
    effectiveStatus === 'evidence_expired' || effectiveStatus === 'no_evidence'
      ? 'implemented'
      : effectiveStatus,
  effectiveStatus,
  ownerPersonId: null,
  targetDate: null,
  appliedControls: ref === 'A.5.1' ? [{ id: 'x', code: 'POL-01', name: 'Policy set' }] : [],
  version: 1,
  updatedAt: '2026-01-01T00:00:00Z',
});

const ITEMS = [
  entry('4.1', '4', 'implemented', 'Understanding the organization'),
  entry('A.5.1', 'A.5', 'implemented', 'Policies'),
  entry('A.5.2', 'A.5', 'no_evidence', 'Roles'),
  entry('A.7.1', 'A.7', 'not_applicable', 'Physical perimeters'),
  entry('Z.1', 'Z', 'planned'),
];
const SECTIONS = [
  { ref: '4', title: 'Context' },
  { ref: 'A.5', title: 'Organizational controls' },
  { ref: 'A.6', title: 'People controls' },
  { ref: 'A.7', title: 'Physical controls' },
];

describe('SoA helpers', () => {
  it('filters by section, status and text (ref, title, control code)', () => {
    expect(filterSoa(ITEMS, { section: 'A.5' }).map((i) => i.requirementRef)).toEqual(['A.5.1', 'A.5.2']);
    expect(filterSoa(ITEMS, { status: 'no_evidence' }).map((i) => i.requirementRef)).toEqual(['A.5.2']);
    expect(filterSoa(ITEMS, { q: 'pol-01' }).map((i) => i.requirementRef)).toEqual(['A.5.1']);
    expect(filterSoa(ITEMS, { q: 'ORGANIZATION' }).map((i) => i.requirementRef)).toEqual(['4.1']);
    expect(filterSoa(ITEMS, {})).toHaveLength(5);
  });

  it('groups in section order, drops empty sections and counts the score parts', () => {
    const groups = groupSoa(ITEMS, SECTIONS);
    expect(groups.map((g) => g.ref)).toEqual(['4', 'A.5', 'A.7', 'Z']);
    const a5 = groups[1]!;
    expect([a5.applicable, a5.satisfied]).toEqual([2, 1]);
    expect([groups[2]!.applicable, groups[2]!.satisfied]).toEqual([0, 0]);
  });

  it('splits sections into clause and annex families', () => {
    expect(sectionFamily('10')).toBe('');
    expect(sectionFamily('A.8')).toBe('A');
    expect(familySpans([{ ref: '4' }, { ref: '5' }, { ref: 'A.5' }, { ref: 'A.6' }, { ref: 'A.7' }])).toEqual(
      [
        { family: '', span: 2 },
        { family: 'A', span: 3 },
      ],
    );
  });
});
