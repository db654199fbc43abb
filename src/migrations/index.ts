// The ordered list of forward-only migrations. Append; never edit a released one.
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_frameworks.ts';
import * as m0003 from './0003_compliance.ts';
import * as m0004 from './0004_assets.ts';
import * as m0005 from './0005_requirement_mappings.ts';
import * as m0006 from './0006_risks.ts';
import * as m0007 from './0007_risk_trend_and_sources.ts';
import * as m0008 from './0008_email_domains.ts';
import * as m0009 from './0009_dmarc_reports.ts';
import * as m0010 from './0010_notifications.ts';
import * as m0011 from './0011_dmarc_data_version.ts';
import * as m0012 from './0012_dmarc_file_reason_code.ts';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_frameworks': m0002,
  '0003_compliance': m0003,
  '0004_assets': m0004,
  '0005_requirement_mappings': m0005,
  '0006_risks': m0006,
  '0007_risk_trend_and_sources': m0007,
  '0008_email_domains': m0008,
  '0009_dmarc_reports': m0009,
  '0010_notifications': m0010,
  '0011_dmarc_data_version': m0011,
  '0012_dmarc_file_reason_code': m0012,
};
