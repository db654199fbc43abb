// Row shapes of the assets module's tables.
export interface AssetRow {
  id: string;
  company_id: string;
  code: string;
  name: string;
  description: string | null;
  asset_type: string;
  department_id: string | null;
  owner_person_id: string;
  custodian_person_id: string | null;
  location: string | null;
  lifecycle: string;
  confidentiality: number;
  integrity: number;
  availability: number;
  /** 0/1 on SQLite, boolean on PostgreSQL: read through `Boolean()`. */
  personal_data: boolean | number;
  /** JSON array of category codes, `[]` when none. */
  personal_data_categories: string;
  personal_record_count: number | null;
  pci_scope: boolean | number;
  specified_user_info: boolean | number;
  version: number;
  created_at: string;
  updated_at: string;
}

/** An asset with the names the DTO shows next to its ids. */
export type AssetView = AssetRow & {
  department_name: string | null;
  owner_name: string | null;
  custodian_name: string | null;
};

export interface AssetRelationRow {
  id: string;
  company_id: string;
  from_asset_id: string;
  to_asset_id: string;
  kind: string;
  created_at: string;
}

/** Per company: its classification scale and the counter behind generated asset codes. Created on first use. */
export interface AssetScaleRow {
  company_id: string;
  levels: number;
  next_code_number: number;
  version: number;
  created_at: string;
  updated_at: string;
}
