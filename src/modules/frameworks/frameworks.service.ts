// Control catalogs: the built-in ones, OSCAL import and export. Group-level reference data.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { can, type Actor } from '../../platform/authz/permissions.ts';
import {
  AppError,
  conflict,
  forbidden,
  notFound,
  RowIssues,
  stateConflict,
  taken,
  validationFailed,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import {
  frameworksRepository,
  type FrameworkRow,
  type MappingRow,
  type RequirementRow,
} from './frameworks.repository.ts';
import { parseMappingsCsv, type MappingRelation } from './lib/mappings-csv.ts';
import {
  OscalError,
  flattenCatalog,
  parseOscalCatalog,
  rebuildCatalog,
  type OscalCatalogDocument,
} from './lib/oscal.ts';
import {
  catalogFileRows,
  contentHash,
  oscalRows,
  toOscal,
  type CatalogFile,
  type RequirementNode,
} from './lib/catalog.ts';
import type {
  CreateMappingInput,
  FrameworkDto,
  MappingDto,
  MappingImportReport,
  RequirementDto,
  UpdateMappingInput,
} from './frameworks.contract.ts';

export const BUILTIN_CATALOG_DIR = path.join(import.meta.dirname, 'catalogs');

const frameworkDto = (f: FrameworkRow): FrameworkDto => ({
  id: f.id,
  ref: f.ref,
  name: f.name,
  edition: f.edition,
  publisher: f.publisher,
  source: f.source,
  requirements: f.requirement_count,
  version: f.version,
  createdAt: f.created_at,
  updatedAt: f.updated_at,
});

const requirementDto = (r: RequirementRow): RequirementDto => ({
  id: r.id,
  parentId: r.parent_id,
  ref: r.ref,
  title: r.title,
  kind: r.kind,
  class: r.class,
  depth: r.depth,
  assessable: Boolean(r.assessable),
  withdrawn: Boolean(r.withdrawn),
});

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');

/** A framework's requirements as other modules use them: with the section each belongs to. */
export interface Catalog {
  framework: FrameworkDto;
  sections: { ref: string; title: string }[];
  requirements: Map<
    string,
    {
      id: string;
      ref: string;
      title: string;
      assessable: boolean;
      withdrawn: boolean;
      position: number;
      section: string;
    }
  >;
}

/**
 * The level that sections a catalog for roll-ups and heat maps: below a handful of top-level parts (ISO's
 * clauses and Annex A, PCI's goals), the next level (Annex A themes, PCI requirements); else the top level.
 */
function buildCatalog(framework: FrameworkDto, rows: RequirementRow[]): Catalog {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const top = rows.filter((r) => r.depth === 0).length;
  const second = rows.filter((r) => r.depth === 1 && !r.assessable).length;
  const sectionDepth = top <= 6 && second > 0 && second <= 30 ? 1 : 0;
  const sectionOf = (r: RequirementRow): RequirementRow => {
    let cur = r;
    while (cur.depth > sectionDepth && cur.parent_id) cur = byId.get(cur.parent_id)!;
    return cur;
  };
  const sections = rows
    .filter((r) => r.depth === sectionDepth && !r.assessable)
    .map((r) => ({ ref: r.ref, title: r.title }));
  const requirements: Catalog['requirements'] = new Map();
  for (const r of rows) {
    requirements.set(r.id, {
      id: r.id,
      ref: r.ref,
      title: r.title,
      assessable: Boolean(r.assessable),
      withdrawn: Boolean(r.withdrawn),
      position: r.position,
      section: sectionOf(r).ref,
    });
  }
  return { framework, sections, requirements };
}

export type ImportProgress = (phase: 'parsed' | 'stored', done: number, total: number) => void;

export function createFrameworksService(deps: { db: Database; catalogDir?: string }) {
  const { db } = deps;
  const repo = frameworksRepository(db.kysely);
  const catalogDir = deps.catalogDir ?? BUILTIN_CATALOG_DIR;

  // Catalogs never change once stored, so other modules may keep them.
  const catalogs = new Map<string, Catalog>();
  async function catalogFor(frameworkId: string): Promise<Catalog | undefined> {
    const hit = catalogs.get(frameworkId);
    if (hit) return hit;
    const f = await repo.findById(frameworkId);
    if (!f) return undefined;
    const built = buildCatalog(frameworkDto(f), await repo.requirementsOf(f.id));
    catalogs.set(frameworkId, built);
    return built;
  }

  const requireRead = (actor: Actor) => {
    if (!can(actor, 'framework.read')) throw forbidden();
  };

  async function store(
    actor: Actor,
    meta: {
      ref: string;
      name: string;
      edition: string;
      publisher: string | null;
      source: FrameworkRow['source'];
      hash: string;
      oscalHead: string | null;
    },
    nodes: RequirementNode[],
    onProgress?: ImportProgress,
  ): Promise<FrameworkDto> {
    return db.transaction(async (tx) => {
      const r = frameworksRepository(tx);
      if (await r.findByRef(meta.ref))
        throw conflict(`A framework with ref ${meta.ref} already exists`, [taken('ref', meta.ref)]);
      const at = new Date().toISOString();
      const row: FrameworkRow = {
        id: newId(),
        ref: meta.ref,
        name: meta.name,
        edition: meta.edition,
        publisher: meta.publisher,
        source: meta.source,
        content_hash: meta.hash,
        oscal_head: meta.oscalHead,
        requirement_count: nodes.filter((n) => n.assessable).length,
        version: 1,
        created_at: at,
        updated_at: at,
      };
      await r.insert(row);
      const ids = nodes.map(() => newId());
      await r.insertRequirements(
        nodes.map((n) => ({
          id: ids[n.index]!,
          framework_id: row.id,
          parent_id: n.parentIndex === null ? null : ids[n.parentIndex]!,
          position: n.index,
          depth: n.depth,
          ref: n.ref,
          title: n.title,
          kind: n.kind,
          class: n.class,
          assessable: n.assessable,
          withdrawn: n.withdrawn,
          oscal_json: n.oscalJson,
        })),
        (done) => onProgress?.('stored', done, nodes.length),
      );
      await recordAudit(tx, actor, {
        action: meta.source === 'builtin' ? 'framework.install' : 'framework.import',
        entityType: 'framework',
        entityId: row.id,
        companyId: null,
        after: {
          ref: row.ref,
          name: row.name,
          edition: row.edition,
          requirements: row.requirement_count,
          sha256: row.content_hash,
        },
      });
      return frameworkDto(row);
    });
  }

  /** A requirement by id with its catalog, for mapping DTOs. */
  async function requirementById(id: string, frameworkOf?: Map<string, string>) {
    const frameworkId = (frameworkOf ?? (await repo.frameworksOfRequirements([id]))).get(id);
    const catalog = frameworkId ? await catalogFor(frameworkId) : undefined;
    const req = catalog?.requirements.get(id);
    return catalog && req
      ? {
          id,
          frameworkId: catalog.framework.id,
          frameworkRef: catalog.framework.ref,
          ref: req.ref,
          title: req.title,
        }
      : undefined;
  }

  async function mappingDtos(rows: MappingRow[]): Promise<MappingDto[]> {
    const frameworkOf = await repo.frameworksOfRequirements(
      rows.flatMap((m) => [m.source_requirement_id, m.target_requirement_id]),
    );
    const out: MappingDto[] = [];
    for (const m of rows) {
      const source = await requirementById(m.source_requirement_id, frameworkOf);
      const target = await requirementById(m.target_requirement_id, frameworkOf);
      if (source && target)
        out.push({
          id: m.id,
          source,
          target,
          relation: m.relation as MappingRelation,
          note: m.note,
          version: m.version,
        });
    }
    return out;
  }

  const mappingSnapshot = (m: MappingRow) => ({
    source: m.source_requirement_id,
    target: m.target_requirement_id,
    relation: m.relation,
    note: m.note,
    version: m.version,
  });

  const requireManage = (actor: Actor) => {
    if (!can(actor, 'framework.manage')) throw forbidden();
  };

  async function load(actor: Actor, idOrRef: string, by: 'id' | 'ref'): Promise<FrameworkRow> {
    requireRead(actor);
    const f = by === 'id' ? await repo.findById(idOrRef) : await repo.findByRef(idOrRef);
    if (!f) throw notFound(`Framework ${by === 'ref' ? idOrRef : ''}`.trim());
    return f;
  }

  return {
    /** Installs the built-in catalogs that are not in the database yet (at start-up, by the system). */
    async installBuiltins(actor: Actor): Promise<string[]> {
      const installed: string[] = [];
      for (const file of fs
        .readdirSync(catalogDir)
        .filter((f) => f.endsWith('.json'))
        .sort()) {
        const text = fs.readFileSync(path.join(catalogDir, file), 'utf8');
        const catalog = JSON.parse(text) as CatalogFile;
        if (await repo.findByRef(catalog.ref)) continue;
        await store(
          actor,
          {
            ref: catalog.ref,
            name: catalog.name,
            edition: catalog.version,
            publisher: catalog.publisher,
            source: 'builtin',
            hash: contentHash(text),
            oscalHead: null,
          },
          catalogFileRows(catalog),
        );
        installed.push(catalog.ref);
      }
      return installed;
    },

    /** Reference data for other modules (they check their own permissions): undefined for an unknown id. */
    catalog: catalogFor,

    // ---------- mappings between requirements of different frameworks ----------
    async mappingsOf(actor: Actor, requirementId: string): Promise<MappingDto[]> {
      requireRead(actor);
      if (!(await requirementById(requirementId))) throw notFound('Requirement');
      return mappingDtos(await repo.mappingsOf(requirementId));
    },

    async createMapping(actor: Actor, input: CreateMappingInput): Promise<MappingDto> {
      requireManage(actor);
      const source = await requirementById(input.sourceRequirementId);
      const target = await requirementById(input.targetRequirementId);
      if (!source || !target) {
        throw validationFailed('Both requirements must exist', [
          {
            path: source ? 'targetRequirementId' : 'sourceRequirementId',
            message: 'not found',
            code: 'not_found',
          },
        ]);
      }
      if (source.frameworkId === target.frameworkId)
        throw validationFailed('A mapping links requirements of two different frameworks', [
          { path: 'targetRequirementId', message: 'is in the same framework', code: 'same_framework' },
        ]);
      const row = await db.transaction(async (tx) => {
        const r = frameworksRepository(tx);
        if ((await r.mappingBetween(source.id, target.id)) || (await r.mappingBetween(target.id, source.id)))
          throw stateConflict('mapping_exists', 'These requirements are already mapped');
        const at = new Date().toISOString();
        const row: MappingRow = {
          id: newId(),
          source_requirement_id: source.id,
          target_requirement_id: target.id,
          relation: input.relation,
          note: input.note,
          version: 1,
          created_at: at,
          updated_at: at,
        };
        await r.insertMappings([row]);
        await recordAudit(tx, actor, {
          action: 'mapping.create',
          entityType: 'requirement_mapping',
          entityId: row.id,
          companyId: null,
          after: {
            ...mappingSnapshot(row),
            sourceRef: `${source.frameworkRef}:${source.ref}`,
            targetRef: `${target.frameworkRef}:${target.ref}`,
          },
        });
        return row;
      });
      return (await mappingDtos([row]))[0]!;
    },

    async updateMapping(actor: Actor, id: string, input: UpdateMappingInput): Promise<MappingDto> {
      requireManage(actor);
      const after = await db.transaction(async (tx) => {
        const r = frameworksRepository(tx);
        const before = await r.mapping(id);
        if (!before) throw notFound('Mapping');
        const ok = await r.updateMapping(id, input.version, {
          ...(input.relation !== undefined ? { relation: input.relation } : {}),
          ...(input.note !== undefined ? { note: input.note } : {}),
          updated_at: new Date().toISOString(),
        });
        if (!ok)
          throw new AppError(
            'stale_version',
            409,
            'Mapping was changed by someone else; reload it and try again',
          );
        const after = (await r.mapping(id))!;
        await recordAudit(tx, actor, {
          action: 'mapping.update',
          entityType: 'requirement_mapping',
          entityId: id,
          companyId: null,
          before: mappingSnapshot(before),
          after: mappingSnapshot(after),
        });
        return after;
      });
      return (await mappingDtos([after]))[0]!;
    },

    async deleteMapping(actor: Actor, id: string): Promise<void> {
      requireManage(actor);
      await db.transaction(async (tx) => {
        const r = frameworksRepository(tx);
        const before = await r.mapping(id);
        if (!before) throw notFound('Mapping');
        await r.deleteMapping(id);
        await recordAudit(tx, actor, {
          action: 'mapping.delete',
          entityType: 'requirement_mapping',
          entityId: id,
          companyId: null,
          before: mappingSnapshot(before),
        });
      });
    },

    /** Dry run, or all-or-nothing import, of a mapping CSV (frameworks by ref, requirements by ref). */
    async importMappings(actor: Actor, text: string, commit: boolean): Promise<MappingImportReport> {
      requireManage(actor);
      const parsed = parseMappingsCsv(text);
      const errors = [...parsed.errors];
      let errorCount = parsed.errorCount;
      const byRef = new Map<string, Catalog>();
      for (const f of await repo.list()) byRef.set(f.ref, (await catalogFor(f.id))!);
      const refIndex = new Map<string, Map<string, string>>();
      const resolve = (
        framework: string,
        ref: string,
      ): { id?: string; error?: string; missing?: 'framework' } => {
        const c = byRef.get(framework);
        if (!c) return { error: `framework "${framework}" is not in Mamori`, missing: 'framework' };
        let idx = refIndex.get(framework);
        if (!idx) {
          idx = new Map([...c.requirements.values()].map((q) => [q.ref, q.id]));
          refIndex.set(framework, idx);
        }
        const id = idx.get(ref);
        return id ? { id } : { error: `requirement "${ref}" is not in ${framework}` };
      };
      const resolved: {
        line: number;
        source: string;
        target: string;
        relation: MappingRelation;
        note: string | null;
      }[] = [];
      for (const row of parsed.rows) {
        const s = resolve(row.sourceFramework, row.sourceRef);
        const t = resolve(row.targetFramework, row.targetRef);
        const problems = new RowIssues();
        for (const [side, r] of [
          ['source', s],
          ['target', t],
        ] as const)
          if (r.error) problems.add(`${side}_${r.missing ?? 'ref'}`, 'not_found', r.error);
        if (!problems.size && row.sourceFramework === row.targetFramework)
          problems.add(
            'target_framework',
            'same_framework',
            'a mapping links requirements of two different frameworks',
          );
        if (problems.size) {
          errorCount += 1;
          if (errors.length < 1000) errors.push(problems.error(row.line));
          continue;
        }
        resolved.push({
          line: row.line,
          source: s.id!,
          target: t.id!,
          relation: row.relation,
          note: row.note,
        });
      }
      const run = async (tx: typeof db.kysely) => {
        const r = frameworksRepository(tx);
        const creates: MappingRow[] = [];
        const updates: { before: MappingRow; relation: string; note: string | null }[] = [];
        let unchanged = 0;
        const at = new Date().toISOString();
        for (const m of resolved) {
          const existing =
            (await r.mappingBetween(m.source, m.target)) ?? (await r.mappingBetween(m.target, m.source));
          if (!existing)
            creates.push({
              id: newId(),
              source_requirement_id: m.source,
              target_requirement_id: m.target,
              relation: m.relation,
              note: m.note,
              version: 1,
              created_at: at,
              updated_at: at,
            });
          else if (existing.relation !== m.relation || existing.note !== m.note)
            updates.push({ before: existing, relation: m.relation, note: m.note });
          else unchanged += 1;
        }
        const report: MappingImportReport = {
          committed: false,
          rows: parsed.total,
          created: creates.length,
          updated: updates.length,
          unchanged,
          errors: errors.sort((a, b) => a.line - b.line),
          errorsTruncated: errorCount > errors.length,
        };
        if (!commit || errorCount > 0) return report;
        await r.insertMappings(creates);
        for (const u of updates) {
          if (
            !(await r.updateMapping(u.before.id, u.before.version, {
              relation: u.relation,
              note: u.note,
              updated_at: at,
            }))
          ) {
            throw new AppError('stale_version', 409, 'A mapping changed during the import; run it again');
          }
        }
        await recordAudit(tx, actor, [
          ...creates.map((m) => ({
            action: 'mapping.create',
            entityType: 'requirement_mapping',
            entityId: m.id,
            companyId: null,
            after: mappingSnapshot(m),
          })),
          ...updates.map((u) => ({
            action: 'mapping.update',
            entityType: 'requirement_mapping',
            entityId: u.before.id,
            companyId: null,
            before: mappingSnapshot(u.before),
            after: {
              ...mappingSnapshot(u.before),
              relation: u.relation,
              note: u.note,
              version: u.before.version + 1,
            },
          })),
          {
            action: 'mappings.import',
            entityType: 'import',
            entityId: null,
            companyId: null,
            after: { rows: report.rows, created: report.created, updated: report.updated, unchanged },
          },
        ]);
        return { ...report, committed: true };
      };
      return commit ? db.transaction(run) : run(db.kysely);
    },

    /** Mappings as CSV rows (header first), optionally those touching one framework. */
    async exportMappings(actor: Actor, frameworkRef?: string): Promise<string[][]> {
      requireRead(actor);
      const dtos = await mappingDtos(await repo.allMappings());
      const rows = dtos.filter(
        (m) =>
          !frameworkRef || m.source.frameworkRef === frameworkRef || m.target.frameworkRef === frameworkRef,
      );
      return [
        ['source_framework', 'source_ref', 'target_framework', 'target_ref', 'relation', 'note'],
        ...rows.map((m) => [
          m.source.frameworkRef,
          m.source.ref,
          m.target.frameworkRef,
          m.target.ref,
          m.relation,
          m.note ?? '',
        ]),
      ];
    },

    async list(actor: Actor): Promise<FrameworkDto[]> {
      requireRead(actor);
      return (await repo.list()).map(frameworkDto);
    },

    async requirements(
      actor: Actor,
      id: string,
    ): Promise<{ framework: FrameworkDto; items: RequirementDto[] }> {
      const f = await load(actor, id, 'id');
      return { framework: frameworkDto(f), items: (await repo.requirementsOf(f.id)).map(requirementDto) };
    },

    /** Imports an OSCAL catalog whole, or refuses it with where it is wrong and stores nothing. */
    async importOscal(
      actor: Actor,
      text: string,
      opts: { ref?: string | undefined; onProgress?: ImportProgress } = {},
    ): Promise<FrameworkDto> {
      if (!can(actor, 'framework.manage')) throw forbidden();
      let doc: OscalCatalogDocument;
      try {
        doc = parseOscalCatalog(text);
      } catch (err) {
        if (err instanceof OscalError) {
          throw validationFailed(`The OSCAL catalog is not valid: ${err.message}`, [
            { path: err.where, message: err.message, code: 'invalid' },
          ]);
        }
        throw err;
      }
      const { head, nodes } = flattenCatalog(doc);
      opts.onProgress?.('parsed', nodes.length, nodes.length);
      const meta = doc.catalog.metadata;
      const ref = opts.ref ?? slug(`${meta.title}`);
      if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(ref)) {
        throw validationFailed('Give the framework a ref', [
          { path: 'ref', message: 'could not be derived from the title', code: 'required' },
        ]);
      }
      return store(
        actor,
        {
          ref,
          name: meta.title,
          edition: meta.version,
          publisher: null,
          source: 'oscal',
          hash: contentHash(text),
          oscalHead: head,
        },
        oscalRows(nodes),
        opts.onProgress,
      );
    },

    /** The framework as an OSCAL catalog: an imported one exactly as it came, a built-in one generated. */
    async exportOscal(actor: Actor, idOrRef: string, by: 'id' | 'ref' = 'id'): Promise<OscalCatalogDocument> {
      const f = await load(actor, idOrRef, by);
      const rows = await repo.requirementsOf(f.id);
      const index = new Map(rows.map((r) => [r.id, r.position]));
      if (f.oscal_head !== null) {
        return rebuildCatalog(
          f.oscal_head,
          rows.map((r) => {
            if (r.oscal_json === null)
              throw new AppError('corrupt_catalog', 500, `Requirement ${r.ref} lost its OSCAL data`, {
                expose: false,
              });
            return {
              index: r.position,
              parentIndex: r.parent_id ? index.get(r.parent_id)! : null,
              kind: r.kind as 'group' | 'control',
              data: r.oscal_json,
            };
          }),
        );
      }
      return toOscal(
        { ref: f.ref, name: f.name, edition: f.edition, updatedAt: f.updated_at },
        rows.map((r) => ({
          index: r.position,
          parentIndex: r.parent_id ? index.get(r.parent_id)! : null,
          ref: r.ref,
          title: r.title,
          kind: r.kind,
          assessable: Boolean(r.assessable),
        })),
      );
    },
  };
}

export type FrameworksService = ReturnType<typeof createFrameworksService>;
