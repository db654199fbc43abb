// Row shapes of the identity module's tables, as the repository reads them.
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  person_id: string | null;
  password_hash: string | null;
  status: 'active' | 'disabled';
  locale: 'en' | 'ja';
  mfa_secret_enc: string | null;
  mfa_pending_secret_enc: string | null;
  mfa_last_step: number | null;
  last_login_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface GrantRow {
  id: string;
  user_id: string;
  role: string;
  company_id: string | null;
  granted_by: string | null;
  created_at: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  stage: 'full' | 'mfa_enrollment';
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  created_at: string;
}
