// A landscape A4 PDF report: a title, lines of context, and a table that breaks across pages with its header
// repeated. Japanese text is drawn when the machine has a CJK font; without one it shows as '?'.
import fs from 'node:fs';
import PDFDocument from 'pdfkit';

/** A font able to draw Japanese names, when the machine has one (Debian: fonts-ipafont-gothic or fonts-noto-cjk). */
const CJK_FONTS = [
  process.env.MAMORI_PDF_FONT,
  '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
  '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
].filter((f): f is string => !!f);

export interface PdfTableReport {
  title: string;
  /** Lines under the title: the company, scope, summary figures, when it was generated. */
  lines: string[];
  columns: { title: string; width: number }[];
  rows: string[][];
}

export async function pdfTable(r: PdfTableReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: r.title, Author: 'Mamori' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const font = CJK_FONTS.find((f) => fs.existsSync(f));
  const text = (s: string) => (font ? s : s.replace(/[^\u0020-\u00ff\n]/g, '?'));
  if (font) doc.registerFont('body', font, font.endsWith('.ttc') ? 'NotoSansCJKjp-Regular' : undefined);
  const body = font ? 'body' : 'Helvetica';
  const bold = font ? 'body' : 'Helvetica-Bold';

  doc.font(bold).fontSize(16).text(text(r.title));
  doc.font(body).fontSize(10).moveDown(0.3);
  for (const line of r.lines) doc.text(text(line));
  doc.moveDown();

  const header = () => {
    let x = doc.page.margins.left;
    const y = doc.y;
    doc.font(bold).fontSize(8);
    for (const c of r.columns) {
      doc.text(text(c.title), x, y, { width: c.width - 4 });
      x += c.width;
    }
    doc
      .moveTo(doc.page.margins.left, doc.y + 2)
      .lineTo(doc.page.width - doc.page.margins.right, doc.y + 2)
      .stroke('#999999');
    doc.moveDown(0.5);
  };
  header();
  doc.font(body).fontSize(8);
  for (const row of r.rows) {
    const cells = row.map(text);
    const height = Math.max(
      ...cells.map((c, k) => doc.heightOfString(c, { width: r.columns[k]!.width - 4 })),
    );
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
      doc.font(body).fontSize(8);
    }
    const y = doc.y;
    let x = doc.page.margins.left;
    cells.forEach((c, k) => {
      doc.text(c, x, y, { width: r.columns[k]!.width - 4 });
      x += r.columns[k]!.width;
    });
    doc.x = doc.page.margins.left;
    doc.y = y + height + 4;
  }
  doc.end();
  return done;
}
