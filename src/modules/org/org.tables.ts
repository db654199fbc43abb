// Row shapes of the org module's tables.
export interface CompanyRow {
  id: string;
  legal_name: string;
  short_code: string;
  country: string;
  parent_id: string | null;
  status: 'active' | 'inactive' | 'closed';
  ciso_person_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DepartmentRow {
  id: string;
  company_id: string;
  parent_id: string | null;
  name: string;
  code: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PersonRow {
  id: string;
  company_id: string;
  department_id: string | null;
  manager_id: string | null;
  employee_number: string;
  name: string;
  email: string | null;
  personnel_category: string;
  /** 0/1 on SQLite, boolean on PostgreSQL: read through `Boolean()`. */
  active: boolean | number;
  version: number;
  created_at: string;
  updated_at: string;
}
