// Report files: the Statement of Applicability as XLSX and PDF, the certification register as CSV and XLSX.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { stringify } from 'csv-stringify/sync';
import type { AdoptionDto, CertificationDto, SoaEntryDto } from './compliance.contract.ts';

export interface SoaReport {
  companyName: string;
  adoption: AdoptionDto;
  sections: { ref: string; title: string }[];
  items: SoaEntryDto[];
  people: Map<string, string>;
  generatedAt: string;
}

const STATUS_LABEL: Record<string, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  partial: 'Partially implemented',
  implemented: 'Implemented',
  not_applicable: 'Not applicable',
  evidence_expired: 'Implemented, evidence expired',
  no_evidence: 'Implemented, no evidence',
};

const SOA_COLUMNS = [
  'Ref',
  'Requirement',
  'Section',
  'Applicable',
  'Justification',
  'Implementation status',
  'Score status',
  'Owner',
  'Target date',
  'Applied controls',
];

const soaRow = (r: SoaReport, i: SoaEntryDto) => [
  i.requirementRef,
  i.requirementTitle,
  i.section,
  i.applicable ? 'Yes' : 'No',
  i.justification ?? '',
  STATUS_LABEL[i.status] ?? i.status,
  STATUS_LABEL[i.effectiveStatus] ?? i.effectiveStatus,
  i.ownerPersonId ? (r.people.get(i.ownerPersonId) ?? '') : '',
  i.targetDate ?? '',
  i.appliedControls.map((c) => `${c.code} ${c.name}`).join('\n'),
];

export async function soaXlsx(r: SoaReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Mamori';
  wb.created = new Date(r.generatedAt);
  const ws = wb.addWorksheet('Statement of Applicability', { views: [{ state: 'frozen', ySplit: 4 }] });
  ws.addRow([`Statement of Applicability — ${r.adoption.frameworkName}`]).font = { bold: true, size: 14 };
  ws.addRow([`${r.companyName}. Scope: ${r.adoption.scopeStatement ?? '—'}`]);
  ws.addRow([
    `Score ${(r.adoption.score.score / 10).toFixed(1)} % (${r.adoption.score.satisfied} of ${r.adoption.score.applicable} applicable requirements implemented with valid evidence). Generated ${r.generatedAt}.`,
  ]);
  const header = ws.addRow(SOA_COLUMNS);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF5' } };
  for (const item of r.items) ws.addRow(soaRow(r, item)).alignment = { vertical: 'top', wrapText: true };
  [10, 60, 10, 11, 40, 22, 28, 24, 12, 40].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.autoFilter = { from: { row: 4, column: 1 }, to: { row: 4, column: SOA_COLUMNS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A font able to draw Japanese names, when the machine has one (Debian: fonts-ipafont-gothic or fonts-noto-cjk). */
const CJK_FONTS = [
  process.env.MAMORI_PDF_FONT,
  '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
  '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
].filter((f): f is string => !!f);

export async function soaPdf(r: SoaReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    info: { Title: `SoA ${r.adoption.frameworkName} ${r.companyName}`, Author: 'Mamori' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const font = CJK_FONTS.find((f) => fs.existsSync(f));
  // Without a CJK font, characters outside Latin-1 cannot be drawn: they are shown as '?'.
  const text = (s: string) => (font ? s : s.replace(/[^\u0020-\u00ff\n]/g, '?'));
  if (font) doc.registerFont('body', font, font.endsWith('.ttc') ? 'NotoSansCJKjp-Regular' : undefined);
  const body = font ? 'body' : 'Helvetica';
  const bold = font ? 'body' : 'Helvetica-Bold';

  doc
    .font(bold)
    .fontSize(16)
    .text(text(`Statement of Applicability — ${r.adoption.frameworkName}`));
  doc
    .font(body)
    .fontSize(10)
    .moveDown(0.3)
    .text(text(`${r.companyName}`));
  doc.text(text(`Scope: ${r.adoption.scopeStatement ?? '—'}`));
  doc.text(
    `Score ${(r.adoption.score.score / 10).toFixed(1)} % — ${r.adoption.score.satisfied} of ${r.adoption.score.applicable} applicable requirements implemented with valid evidence; ${r.adoption.score.evidenceExpired} with expired evidence. Generated ${r.generatedAt}.`,
  );
  doc.moveDown();

  const cols = [
    { title: 'Ref', width: 50 },
    { title: 'Requirement', width: 230 },
    { title: 'Applicable', width: 55 },
    { title: 'Status', width: 110 },
    { title: 'Justification / controls', width: 250 },
    { title: 'Owner', width: 75 },
  ];
  const header = () => {
    let x = doc.page.margins.left;
    const y = doc.y;
    doc.font(bold).fontSize(8);
    for (const c of cols) {
      doc.text(c.title, x, y, { width: c.width - 4 });
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
  for (const i of r.items) {
    const cells = [
      i.requirementRef,
      i.requirementTitle,
      i.applicable ? 'Yes' : 'No',
      STATUS_LABEL[i.effectiveStatus] ?? i.effectiveStatus,
      [i.applicable ? '' : (i.justification ?? ''), ...i.appliedControls.map((c) => `${c.code} ${c.name}`)]
        .filter(Boolean)
        .join('; '),
      i.ownerPersonId ? (r.people.get(i.ownerPersonId) ?? '') : '',
    ].map(text);
    const height = Math.max(...cells.map((c, k) => doc.heightOfString(c, { width: cols[k]!.width - 4 })));
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
      doc.font(body).fontSize(8);
    }
    const y = doc.y;
    let x = doc.page.margins.left;
    cells.forEach((c, k) => {
      doc.text(c, x, y, { width: cols[k]!.width - 4 });
      x += cols[k]!.width;
    });
    doc.x = doc.page.margins.left;
    doc.y = y + height + 4;
  }
  doc.end();
  return done;
}

const CERT_COLUMNS = [
  'Company',
  'Standard',
  'Scope',
  'Certification body',
  'Certificate number',
  'First certified',
  'Expires',
  'Status',
  'Next audit',
  'Next audit date',
  'Overdue',
];
const certRow = (c: CertificationDto) => [
  c.companyName,
  c.standard,
  c.scope,
  c.certificationBody,
  c.certificateNumber ?? '',
  c.firstCertifiedOn ?? '',
  c.expiresOn ?? '',
  c.status,
  c.nextAudit?.kind ?? '',
  c.nextAudit?.plannedOn ?? '',
  c.overdue ? 'yes' : 'no',
];

export function certificationsCsv(items: CertificationDto[]): string {
  return stringify([CERT_COLUMNS, ...items.map(certRow)], { bom: true, record_delimiter: 'windows' });
}

export async function certificationsXlsx(items: CertificationDto[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Mamori';
  const ws = wb.addWorksheet('Certifications', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(CERT_COLUMNS).font = { bold: true };
  for (const c of items) ws.addRow(certRow(c));
  [36, 16, 40, 24, 18, 14, 12, 12, 16, 14, 9].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
