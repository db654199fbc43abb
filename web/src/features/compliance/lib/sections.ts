// Section titles of ISO/IEC 27001:2022 in the UI language (the catalog itself is in English).
import type { MessageKey, TFunction } from '../../../shared/i18n/i18n.tsx';

const ISO27001_SECTIONS = ['4', '5', '6', '7', '8', '9', '10', 'A.5', 'A.6', 'A.7', 'A.8'] as const;
type IsoSection = (typeof ISO27001_SECTIONS)[number];

const isIsoSection = (ref: string): ref is IsoSection =>
  (ISO27001_SECTIONS as readonly string[]).includes(ref);

export function sectionTitle(
  t: TFunction,
  frameworkRef: string | undefined,
  ref: string,
  fallback: string,
): string {
  if (frameworkRef?.startsWith('iso27001') && isIsoSection(ref)) {
    const key: MessageKey = `iso27001.section.${ref}`;
    return t(key);
  }
  return fallback;
}
