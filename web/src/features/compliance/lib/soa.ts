// Grouping and filtering of a Statement of Applicability, done in the browser on the full list.
import type { EffectiveStatus, SoaEntryDto } from '../../../shared/api/types.ts';

export interface SoaFilter {
  section?: string | null | undefined;
  status?: EffectiveStatus | null | undefined;
  q?: string | undefined;
}

const normalise = (text: string) => text.normalize('NFKC').toLowerCase();

export function filterSoa(items: readonly SoaEntryDto[], f: SoaFilter): SoaEntryDto[] {
  const q = f.q ? normalise(f.q.trim()) : '';
  return items.filter(
    (i) =>
      (!f.section || i.section === f.section) &&
      (!f.status || i.effectiveStatus === f.status) &&
      (!q ||
        normalise(`${i.requirementRef} ${i.requirementTitle} ${i.justification ?? ''}`).includes(q) ||
        i.appliedControls.some((c) => normalise(`${c.code} ${c.name}`).includes(q))),
  );
}

export interface SoaGroup {
  ref: string;
  title: string;
  items: SoaEntryDto[];
  applicable: number;
  satisfied: number;
}

/** Entries under their sections, in the catalog's section order; entries of unknown sections come last. */
export function groupSoa(
  items: readonly SoaEntryDto[],
  sections: readonly { ref: string; title: string }[],
): SoaGroup[] {
  const groups = new Map<string, SoaGroup>();
  for (const s of sections)
    groups.set(s.ref, { ref: s.ref, title: s.title, items: [], applicable: 0, satisfied: 0 });
  for (const i of items) {
    let g = groups.get(i.section);
    if (!g) {
      g = { ref: i.section, title: '', items: [], applicable: 0, satisfied: 0 };
      groups.set(i.section, g);
    }
    g.items.push(i);
    if (i.effectiveStatus !== 'not_applicable') g.applicable += 1;
    if (i.effectiveStatus === 'implemented') g.satisfied += 1;
  }
  return [...groups.values()].filter((g) => g.items.length > 0);
}

/** Sections split into their families for column headers: clauses ("4".."10") and annexes ("A.5" -> "A"). */
export function sectionFamily(ref: string): string {
  const m = /^([A-Z])\./.exec(ref);
  return m ? m[1]! : '';
}

export function familySpans(sections: readonly { ref: string }[]): { family: string; span: number }[] {
  const out: { family: string; span: number }[] = [];
  for (const s of sections) {
    const family = sectionFamily(s.ref);
    const last = out[out.length - 1];
    if (last && last.family === family) last.span += 1;
    else out.push({ family, span: 1 });
  }
  return out;
}
