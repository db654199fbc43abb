// Forward-only migrations, run at start-up under Kysely's migration lock (safe with many replicas).
import { Migrator, type Migration } from 'kysely/migration';
import type { Database } from './database.ts';
import { OperationalError } from '../errors.ts';

export async function migrateToLatest(
  db: Database,
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new OperationalError(`Migration ${failed} failed: ${(error as Error).message}`, error);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
