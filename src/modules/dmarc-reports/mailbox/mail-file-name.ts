// The name under which a report mail is imported (shown in import results and the audit trail): its subject,
// else its Message-ID, made safe for a file name, + ".eml".

const MAX_STEM = 120;

/** Letters and digits of any script, and a few harmless marks; everything else becomes a space. */
const UNSAFE = /[^\p{L}\p{M}\p{N} ._@+=,()[\]#-]+/gu;

function clean(text: string | undefined): string {
  if (!text) return '';
  const stem = text
    .normalize('NFC')
    .replace(UNSAFE, ' ')
    .replace(/\s+/g, ' ')
    // No hidden names and no "..": dots and spaces go at either end.
    .replace(/^[ .]+|[ .]+$/g, '');
  const chars = [...stem];
  return chars.length > MAX_STEM ? chars.slice(0, MAX_STEM).join('').trimEnd() : stem;
}

export function mailFileName(mail: { subject?: string; messageId?: string; uid: number }): string {
  const stem = clean(mail.subject) || clean(mail.messageId?.replace(/^<|>$/g, '')) || `mail-${mail.uid}`;
  return `${stem}.eml`;
}
