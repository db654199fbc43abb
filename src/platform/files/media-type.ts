// What an uploaded file really is, from its first bytes and its name; anything not on the list is refused.
// Pure code: no I/O.

export interface MediaType {
  type: string;
  extensions: string[];
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

const OFFICE: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
};

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, n > 4 ? n - 4 : n));
    return true;
  } catch {
    return false;
  }
}

/** The media type of an accepted evidence file, or null when the content is not an accepted kind. */
export function detectMediaType(bytes: Uint8Array, fileName: string): string | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(bytes, ZIP)) return OFFICE[ext] ?? 'application/zip';
  if (startsWith(bytes, [0x4d, 0x5a]) || startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return null; // executables
  if (looksLikeText(bytes)) {
    const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
    // Markup a browser would run is refused: evidence is downloaded, never rendered as a page.
    if (
      head.startsWith('<!doctype html') ||
      head.startsWith('<html') ||
      head.includes('<svg') ||
      head.includes('<script')
    )
      return null;
    if (ext === 'csv') return 'text/csv';
    if (ext === 'json') return 'application/json';
    if (ext === 'xml') return 'application/xml';
    if (ext === 'md') return 'text/markdown';
    return 'text/plain';
  }
  return null;
}

export const ACCEPTED_EVIDENCE =
  'PDF, PNG, JPEG, GIF, Office documents (xlsx, docx, pptx), ZIP, and plain text (txt, csv, json, xml, md)';
