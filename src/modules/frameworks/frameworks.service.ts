// Control catalogs: the built-in ones, OSCAL import and export. Group-level reference data.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { can, type Actor } from '../../platform/authz/permissions.ts';
import { AppError, conflict, forbidden, notFound, validationFailed } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { frameworksRepository, type FrameworkRow, type RequirementRow } from './frameworks.repository.ts';
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
import type { FrameworkDto, RequirementDto } from './frameworks.contract.ts';

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

export type ImportProgress = (phase: 'parsed' | 'stored', done: number, total: number) => void;

export function createFrameworksService(deps: { db: Database; catalogDir?: string }) {
  const { db } = deps;
  const repo = frameworksRepository(db.kysely);
  const catalogDir = deps.catalogDir ?? BUILTIN_CATALOG_DIR;

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
      if (await r.findByRef(meta.ref)) throw conflict(`A framework with ref ${meta.ref} already exists`);
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
            { path: err.where, message: err.message },
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
          { path: 'ref', message: 'could not be derived from the title' },
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
