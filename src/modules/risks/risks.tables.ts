// Row shapes of the risks module's tables.
export interface RiskMethodVersionRow {
  company_id: string;
  version: number;
  /** JSON of a RiskMethodDefinition. */
  definition: string;
  created_at: string;
  created_by: string;
}

export interface CatalogueItemRow {
  id: string;
  kind: string;
  code: string;
  name: string;
  description: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RiskRow {
  id: string;
  company_id: string;
  title: string;
  scenario: string;
  /** JSON arrays. */
  asset_ids: string;
  control_ids: string;
  tasks: string;
  threat_id: string | null;
  vulnerability_id: string | null;
  owner_person_id: string;
  method_version: number;
  inherent_likelihood: number;
  inherent_impact: number;
  inherent_level: string;
  inherent_rank: number;
  residual_likelihood: number;
  residual_impact: number;
  residual_level: string;
  residual_rank: number;
  treatment: string;
  review_date: string | null;
  accepted_at: string | null;
  accepted_by: string | null;
  acceptance_expires_on: string | null;
  acceptance_note: string | null;
  source_kind: string | null;
  source_ref: string | null;
  source_label: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RiskSnapshotRow {
  company_id: string;
  taken_on: string;
  total: number;
  above_threshold: number;
  accepted: number;
  overdue_reviews: number;
  /** JSON: [{ rank, inherent, residual }]. */
  by_rank: string;
}
