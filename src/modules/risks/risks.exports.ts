// The risk treatment plan (ISO/IEC 27001 6.1.3 e) as XLSX and PDF: every risk of a company, highest residual
// level first, with its treatment, the controls that treat it, its dated tasks and any acceptance.
import ExcelJS from 'exceljs';
import { pdfTable } from '../../platform/reports/pdf-table.ts';
import type { RiskDto } from './risks.contract.ts';

export interface TreatmentPlanReport {
  companyName: string;
  shortCode: string;
  methodVersion: number | null;
  acceptanceThreshold: string | null;
  risks: RiskDto[];
  people: Map<string, string>;
  controls: Map<string, string>;
  today: string;
  generatedAt: string;
}

const TREATMENT_LABEL: Record<string, string> = {
  mitigate: 'Mitigate',
  accept: 'Accept',
  transfer: 'Transfer',
  avoid: 'Avoid',
};

const personName = (r: TreatmentPlanReport, id: string | null) => (id ? (r.people.get(id) ?? '') : '');

function taskLines(r: TreatmentPlanReport, risk: RiskDto): string {
  return risk.tasks
    .map((t) => {
      const state = t.done ? 'done' : t.dueDate && t.dueDate < r.today ? 'OVERDUE' : 'open';
      return [`[${state}] ${t.title}`, personName(r, t.ownerPersonId), t.dueDate ?? '']
        .filter(Boolean)
        .join(' — ');
    })
    .join('\n');
}

function acceptanceText(r: TreatmentPlanReport, risk: RiskDto): string {
  if (!risk.acceptance) return risk.aboveThreshold && risk.treatment === 'accept' ? 'sign-off missing' : '';
  const expired = risk.acceptance.expiresOn < r.today ? ' (EXPIRED)' : '';
  return `${risk.acceptance.acceptedBy}, until ${risk.acceptance.expiresOn}${expired}`;
}

const COLUMNS = [
  'Risk',
  'Owner',
  'Inherent',
  'Residual',
  'Above threshold',
  'Treatment',
  'Controls',
  'Tasks (state, owner, due)',
  'Acceptance',
  'Review date',
];

const row = (r: TreatmentPlanReport, risk: RiskDto) => [
  risk.title,
  personName(r, risk.ownerPersonId),
  `${risk.inherent.level} (L${risk.inherent.likelihood} x I${risk.inherent.impact})`,
  `${risk.residual.level} (L${risk.residual.likelihood} x I${risk.residual.impact})`,
  risk.aboveThreshold ? 'yes' : 'no',
  TREATMENT_LABEL[risk.treatment] ?? risk.treatment,
  risk.controlIds.map((id) => r.controls.get(id) ?? id).join('\n'),
  taskLines(r, risk),
  acceptanceText(r, risk),
  risk.reviewDate ?? '',
];

const summary = (r: TreatmentPlanReport) => {
  const open = r.risks.reduce((n, x) => n + x.tasks.filter((t) => !t.done).length, 0);
  return `${r.risks.length} risks, ${r.risks.filter((x) => x.aboveThreshold).length} above the acceptance threshold (${r.acceptanceThreshold ?? '—'}, method version ${r.methodVersion ?? '—'}); ${open} open tasks. Generated ${r.generatedAt}.`;
};

export async function treatmentPlanXlsx(r: TreatmentPlanReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Mamori';
  wb.created = new Date(r.generatedAt);
  const ws = wb.addWorksheet('Risk treatment plan', { views: [{ state: 'frozen', ySplit: 3 }] });
  ws.addRow([`Risk treatment plan — ${r.companyName}`]).font = { bold: true, size: 14 };
  ws.addRow([summary(r)]);
  const header = ws.addRow(COLUMNS);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF5' } };
  for (const risk of r.risks) ws.addRow(row(r, risk)).alignment = { vertical: 'top', wrapText: true };
  [44, 20, 18, 18, 10, 11, 36, 50, 28, 12].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: COLUMNS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function treatmentPlanPdf(r: TreatmentPlanReport): Promise<Buffer> {
  const widths = [120, 60, 58, 58, 36, 48, 90, 160, 80, 50];
  return pdfTable({
    title: `Risk treatment plan — ${r.companyName}`,
    lines: [summary(r)],
    columns: COLUMNS.map((title, i) => ({ title, width: widths[i]! })),
    rows: r.risks.map((risk) => row(r, risk)),
  });
}
