// Row shapes of the email-auth module's tables.
export interface EmailDomainRow {
  id: string;
  company_id: string;
  name: string;
  service: string;
  role: string;
  owner_person_id: string | null;
  /** JSON arrays. */
  dkim_selectors: string;
  expected_sources: string;
  scan_interval_hours: number;
  raise_risks: number;
  next_scan_at: string;
  claimed_until: string | null;
  last_scan_id: string | null;
  last_scanned_at: string | null;
  last_attempt_at: string | null;
  spf_status: string | null;
  dmarc_policy: string | null;
  dmarc_pct: number | null;
  dkim_strong: number | null;
  mta_sts: string | null;
  tls_rpt: number | null;
  bimi: number | null;
  errors: number | null;
  warnings: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ScanRow {
  id: string;
  domain_id: string;
  company_id: string;
  scanned_at: string;
  duration_ms: number;
  trigger: string;
  complete: number;
  errors: number;
  warnings: number;
  /** JSON: the roll-up; the regressions; the whole report. */
  posture: string;
  regressions: string;
  report: string;
}

/** A scan without its report, joined with its domain's name. */
export type ScanSummaryRow = Omit<ScanRow, 'report'> & { domain: string };

export interface AlertRow {
  id: string;
  scan_id: string | null;
  domain_id: string;
  company_id: string;
  raised_at: string;
  severity: string;
  regressions: string;
  risk_id: string | null;
  risk_note: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  version: number;
}

/** An alert joined with its domain's name. */
export type AlertListRow = AlertRow & { domain: string };
