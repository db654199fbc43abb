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

export interface MappingRow {
  id: string;
  source_requirement_id: string;
  target_requirement_id: string;
  relation: string;
  note: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export const frameworksRepository = (db: Executor) => ({
  async mappingsOf(requirementId: string): Promise<MappingRow[]> {
    return (await db
      .selectFrom('requirement_mappings')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('source_requirement_id', '=', requirementId),
          eb('target_requirement_id', '=', requirementId),
        ]),
      )
      .orderBy('created_at')
      .execute()) as MappingRow[];
  },

  async allMappings(): Promise<MappingRow[]> {
    return (await db
      .selectFrom('requirement_mappings')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute()) as MappingRow[];
  },

  async mapping(id: string): Promise<MappingRow | undefined> {
    return (await db
      .selectFrom('requirement_mappings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as MappingRow | undefined;
  },

  async mappingBetween(sourceId: string, targetId: string): Promise<MappingRow | undefined> {
    return (await db
      .selectFrom('requirement_mappings')
      .selectAll()
      .where('source_requirement_id', '=', sourceId)
      .where('target_requirement_id', '=', targetId)
      .executeTakeFirst()) as MappingRow | undefined;
  },

  async insertMappings(rows: MappingRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 250)
      await db
        .insertInto('requirement_mappings')
        .values(rows.slice(i, i + 250))
        .execute();
  },

  async updateMapping(id: string, version: number, patch: Partial<MappingRow>): Promise<boolean> {
    const r = await db
      .updateTable('requirement_mappings')
      .set({ ...patch, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async deleteMapping(id: string): Promise<void> {
    await db.deleteFrom('requirement_mappings').where('id', '=', id).execute();
  },

  /** The framework of each requirement id. */
  async frameworksOfRequirements(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('requirements')
      .select(['id', 'framework_id'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id as string, r.framework_id as string]));
  },

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
