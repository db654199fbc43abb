// Mappings seen from one requirement: the stored relation reads source → target, so from the target's side it is inverted.
import type { MappingDto } from '../../../shared/api/types.ts';

export type MappingRelation = MappingDto['relation'];
export const RELATIONS: readonly MappingRelation[] = ['equivalent', 'subset', 'superset', 'intersects'];

export const RELATION_COLORS: Record<MappingRelation, string> = {
  equivalent: 'teal',
  subset: 'blue',
  superset: 'grape',
  intersects: 'orange',
};

/** The same relation read the other way round (A ⊂ B is B ⊃ A). */
export function invertRelation(relation: MappingRelation): MappingRelation {
  if (relation === 'subset') return 'superset';
  if (relation === 'superset') return 'subset';
  return relation;
}

export interface MappingView {
  mapping: MappingDto;
  /** The requirement on the other side. */
  other: MappingDto['source'];
  /** How the requirement we look from relates to the other one. */
  relation: MappingRelation;
  /** Whether the requirement we look from is the stored source. */
  asSource: boolean;
}

/** One requirement's mappings from its own point of view, ordered by the other side's framework and ref. */
export function viewMappings(requirementId: string, mappings: MappingDto[]): MappingView[] {
  return mappings
    .map((m): MappingView => {
      const asSource = m.source.id === requirementId;
      return {
        mapping: m,
        other: asSource ? m.target : m.source,
        relation: asSource ? m.relation : invertRelation(m.relation),
        asSource,
      };
    })
    .sort(
      (a, b) =>
        a.other.frameworkRef.localeCompare(b.other.frameworkRef) ||
        a.other.ref.localeCompare(b.other.ref, undefined, { numeric: true }),
    );
}

/** The relation to store, given the one chosen from the viewing requirement's side. */
export const storedRelation = (
  view: Pick<MappingView, 'asSource'>,
  chosen: MappingRelation,
): MappingRelation => (view.asSource ? chosen : invertRelation(chosen));
