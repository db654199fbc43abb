// Report files: the Statement of Applicability as XLSX and PDF, the certification register as CSV and XLSX.
import ExcelJS from 'exceljs';
import { pdfTable } from '../../platform/reports/pdf-table.ts';
import { stringify } from 'csv-stringify/sync';
import type { AdoptionDto, CertificationDto, SoaEntryDto } from './compliance.contract.ts';
import { CSV_EXPORT_OPTIONS } from '../../platform/csv.ts';

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

export async function soaPdf(r: SoaReport): Promise<Buffer> {
  return pdfTable({
    title: `Statement of Applicability — ${r.adoption.frameworkName}`,
    lines: [
      r.companyName,
      `Scope: ${r.adoption.scopeStatement ?? '—'}`,
      `Score ${(r.adoption.score.score / 10).toFixed(1)} % — ${r.adoption.score.satisfied} of ${r.adoption.score.applicable} applicable requirements implemented with valid evidence; ${r.adoption.score.evidenceExpired} with expired evidence. Generated ${r.generatedAt}.`,
    ],
    columns: [
      { title: 'Ref', width: 50 },
      { title: 'Requirement', width: 230 },
      { title: 'Applicable', width: 55 },
      { title: 'Status', width: 110 },
      { title: 'Justification / controls', width: 250 },
      { title: 'Owner', width: 75 },
    ],
    rows: r.items.map((i) => [
      i.requirementRef,
      i.requirementTitle,
      i.applicable ? 'Yes' : 'No',
      STATUS_LABEL[i.effectiveStatus] ?? i.effectiveStatus,
      [i.applicable ? '' : (i.justification ?? ''), ...i.appliedControls.map((c) => `${c.code} ${c.name}`)]
        .filter(Boolean)
        .join('; '),
      i.ownerPersonId ? (r.people.get(i.ownerPersonId) ?? '') : '',
    ]),
  });
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
  return stringify([CERT_COLUMNS, ...items.map(certRow)], CSV_EXPORT_OPTIONS);
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
