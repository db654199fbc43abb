// The "tag=value" lists of DKIM key records (RFC 6376 section 3.2), DMARC (RFC 7489 section 6.4), MTA-STS and
// TLS-RPT TXT records (RFC 8461, RFC 8460) and BIMI: tags separated by ";", with optional whitespace around.
import { finding, quote, type Finding } from './findings.ts';

export interface Tag {
  /** As written, or lower case when the list's tag names are case-insensitive. */
  name: string;
  /** Trimmed of surrounding whitespace. */
  value: string;
}

export interface TagList {
  /** In order, the first of any duplicates only. */
  tags: Tag[];
  findings: Finding[];
}

export interface TagListOptions {
  /** Prefix of finding codes: "<prefix>-tag-syntax" etc. */
  prefix: string;
  /** Lower-case the tag names (DMARC); DKIM tag names are case-sensitive. */
  lowerNames?: boolean;
}

const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function parseTagList(text: string, { prefix, lowerNames = false }: TagListOptions): TagList {
  const findings: Finding[] = [];
  const tags: Tag[] = [];
  const seen = new Set<string>();
  const parts = text.split(';');
  // A trailing ";" is allowed; an empty part elsewhere is not.
  if (parts.length > 1 && parts[parts.length - 1]!.trim() === '') parts.pop();
  for (const [i, part] of parts.entries()) {
    const trimmed = part.trim();
    if (trimmed === '') {
      if (i > 0 || parts.length > 1)
        findings.push(finding(`${prefix}-tag-syntax`, 'warning', `empty tag at position ${i + 1} (";;")`));
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      findings.push(finding(`${prefix}-tag-syntax`, 'error', `${quote(trimmed)} is not a tag=value pair`));
      continue;
    }
    const rawName = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    if (!TAG_NAME.test(rawName)) {
      findings.push(finding(`${prefix}-tag-syntax`, 'error', `${quote(rawName)} is not a valid tag name`));
      continue;
    }
    const name = lowerNames ? rawName.toLowerCase() : rawName;
    if (seen.has(name)) {
      findings.push(
        finding(
          `${prefix}-tag-duplicate`,
          'error',
          `tag "${name}" appears more than once; only the first is read`,
        ),
      );
      continue;
    }
    seen.add(name);
    tags.push({ name, value });
  }
  return { tags, findings };
}

/** The tags as a map, for lookups by name. */
export const tagMap = (tags: readonly Tag[]): Map<string, string> =>
  new Map(tags.map((t) => [t.name, t.value]));
