// Row shapes of the dmarc-reports module's tables.
import type { DailyEntry } from './lib/prepare-records.ts';

export interface ReportRow {
  id: string;
  policy_domain: string;
  claim_domain: string | null;
  reporter: string;
  report_id: string;
  reporter_email: string | null;
  schema: string;
  begin_at: number;
  end_at: number;
  /** JSON. */
  policy: string;
  records: number;
  messages: number;
  /** JSON array. */
  warnings: string;
  file_id: string;
  received_at: string;
}

export interface RecordRow {
  report_id: string;
  seq: number;
  source_ip: string;
  count: number;
  disposition: string | null;
  dkim: string | null;
  spf: string | null;
  header_from: string | null;
  envelope_from: string | null;
  envelope_to: string | null;
  /** JSON, null without override reasons. */
  reasons: string | null;
  /** JSON: { dkim: [...], spf: [...] }. */
  auth: string;
}

/** A row of dmarc_daily: messages by source and class on one day (built by lib/prepare-records.ts). */
export type DailyRow = DailyEntry;

export interface ServiceRow {
  id: string;
  name: string;
  /** JSON array. */
  rdns_suffixes: string;
  spf_includes: string;
  version: number;
  updated_at: string;
}

export interface FailureReportRow {
  id: string;
  reported_domain: string;
  claim_domain: string | null;
  feedback_type: string;
  source_ip: string | null;
  arrival_at: number | null;
  original_mail_from: string | null;
  auth_failure: string | null;
  delivery_result: string | null;
  fingerprint: string;
  /** JSON. */
  details: string;
  original_headers: string | null;
  file_id: string;
  received_at: string;
}

export interface FileRow {
  id: string;
  name: string;
  channel: string;
  status: string;
  reason: string | null;
  /** lib/report-rejection.ts FILE_REASON_CODES; null when nothing was refused, or for files imported before. */
  reason_code: string | null;
  reports: number;
  records: number;
  messages: number;
  imported_by: string;
  imported_at: string;
}
