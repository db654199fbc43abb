import { describe, expect, it } from 'vitest';
import type { MappingDto } from '../../../shared/api/types.ts';
import { invertRelation, storedRelation, viewMappings } from './mappings.ts';

const req = (id: string, frameworkRef: string, ref: string) => ({
  id,
  frameworkId: `f-${frameworkRef}`,
  frameworkRef,
  ref,
  title: `${ref} title`,
});
const mapping = (
  id: string,
  source: string,
  target: string,
  relation: MappingDto['relation'],
): MappingDto => ({
  id,
  source: req(source, source.split(':')[0]!, source.split(':')[1]!),
  target: req(target, target.split(':')[0]!, target.split(':')[1]!),
  relation,
  note: null,
  version: 1,
});

describe('mappings seen from one requirement', () => {
  it('inverts subset and superset only', () => {
    expect(invertRelation('subset')).toBe('superset');
    expect(invertRelation('superset')).toBe('subset');
    expect(invertRelation('equivalent')).toBe('equivalent');
    expect(invertRelation('intersects')).toBe('intersects');
  });

  it('shows the other side and reads the relation from the viewing requirement', () => {
    const views = viewMappings('iso:A.8.5', [
      mapping('m1', 'pci:8.3.1', 'iso:A.8.5', 'subset'),
      mapping('m2', 'iso:A.8.5', 'csf:PR.AA-01', 'intersects'),
      mapping('m3', 'iso:A.8.5', 'pci:8.2.1', 'subset'),
    ]);
    expect(views.map((v) => [v.other.ref, v.relation, v.asSource])).toEqual([
      ['PR.AA-01', 'intersects', true],
      ['8.2.1', 'subset', true],
      ['8.3.1', 'superset', false],
    ]);
    expect(storedRelation(views[2]!, 'superset')).toBe('subset');
    expect(storedRelation(views[0]!, 'superset')).toBe('superset');
  });
});
