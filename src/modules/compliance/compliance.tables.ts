// Row shapes of the compliance module's tables.
export interface AdoptionRow {
  id: string;
  company_id: string;
  framework_id: string;
  scope_statement: string | null;
  adopted_at: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SoaEntryRow {
  id: string;
  company_id: string;
  framework_id: string;
  requirement_id: string;
  applicable: boolean | number;
  justification: string | null;
  status: string;
  owner_person_id: string | null;
  target_date: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AppliedControlRow {
  id: string;
  company_id: string;
  code: string;
  name: string;
  description: string | null;
  owner_person_id: string | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EvidenceRow {
  id: string;
  company_id: string;
  applied_control_id: string;
  kind: 'file' | 'link' | 'note';
  title: string;
  url: string | null;
  note: string | null;
  file_sha256: string | null;
  file_name: string | null;
  file_size: number | null;
  media_type: string | null;
  valid_from: string;
  valid_until: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SnapshotRow {
  company_id: string;
  framework_id: string;
  taken_on: string;
  section: string;
  applicable: number;
  implemented: number;
  satisfied: number;
  evidence_expired: number;
  score: number;
}

export interface CertificationRow {
  id: string;
  company_id: string;
  standard: string;
  scope: string;
  certification_body: string;
  certificate_number: string | null;
  first_certified_on: string | null;
  expires_on: string | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CertificationAuditRow {
  id: string;
  certification_id: string;
  company_id: string;
  kind: string;
  planned_on: string;
  held_on: string | null;
  outcome: string;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
