// SQL of the frameworks module. Frameworks are group-level reference data (no company scope).
import type { Executor } from '../../platform/db/database.ts';

export interface FrameworkRow {
  id: string;
  ref: string;
  name: string;
  edition: string;
  publisher: string | null;
  source: 'builtin' | 'oscal';
  content_hash: string;
  oscal_head: string | null;
  requirement_count: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RequirementRow {
  id: string;
  framework_id: string;
  parent_id: string | null;
  position: number;
  depth: number;
  ref: string;
  title: string;
  kind: string;
  class: string | null;
  assessable: boolean | number;
  withdrawn: boolean | number;
  oscal_json: string | null;
}

const FRAMEWORK_COLUMNS = [
  'id',
  'ref',
  'name',
  'edition',
  'publisher',
  'source',
  'content_hash',
  'oscal_head',
  'requirement_count',
  'version',
  'created_at',
  'updated_at',
] as const;

export const frameworksRepository = (db: Executor) => ({
  async list(): Promise<FrameworkRow[]> {
    return (await db
      .selectFrom('frameworks')
      .select(FRAMEWORK_COLUMNS)
      .orderBy('name')
      .orderBy('id')
      .execute()) as FrameworkRow[];
  },

  async findById(id: string): Promise<FrameworkRow | undefined> {
    return (await db
      .selectFrom('frameworks')
      .select(FRAMEWORK_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst()) as FrameworkRow | undefined;
  },

  async findByRef(ref: string): Promise<FrameworkRow | undefined> {
    return (await db
      .selectFrom('frameworks')
      .select(FRAMEWORK_COLUMNS)
      .where('ref', '=', ref)
      .executeTakeFirst()) as FrameworkRow | undefined;
  },

  async insert(row: FrameworkRow): Promise<void> {
    await db.insertInto('frameworks').values(row).execute();
  },

  /** Inserts in document order, in chunks; `onChunk` sees how many rows are in. */
  async insertRequirements(rows: RequirementRow[], onChunk?: (done: number) => void): Promise<void> {
    const CHUNK = 250;
    for (let i = 0; i < rows.length; i += CHUNK) {
      await db
        .insertInto('requirements')
        .values(rows.slice(i, i + CHUNK))
        .execute();
      onChunk?.(Math.min(i + CHUNK, rows.length));
    }
  },

  async requirementsOf(frameworkId: string): Promise<RequirementRow[]> {
    return (await db
      .selectFrom('requirements')
      .selectAll()
      .where('framework_id', '=', frameworkId)
      .orderBy('position')
      .execute()) as RequirementRow[];
  },
});
