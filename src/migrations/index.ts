// The ordered list of forward-only migrations. Append; never edit a released one.
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_frameworks.ts';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_frameworks': m0002,
};
