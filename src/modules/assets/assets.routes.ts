// HTTP face of the assets module.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { stringify } from 'csv-stringify';
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import { badRequest } from '../../platform/errors.ts';
import type { AssetsService } from './assets.service.ts';
import {
  AssetDtoSchema,
  AssetExportQuerySchema,
  AssetFilterQuerySchema,
  AssetGraphSchema,
  AssetIdParamsSchema,
  AssetImportQuerySchema,
  AssetImportReportSchema,
  AssetPageSchema,
  AssetScaleDtoSchema,
  AssetSummarySchema,
  BulkUpdateResultSchema,
  BulkUpdateSchema,
  CompanyParamsSchema,
  CreateAssetSchema,
  CreateRelationSchema,
  GraphQuerySchema,
  ListAssetsQuerySchema,
  RelationDtoSchema,
  RelationParamsSchema,
  SetAssetScaleSchema,
  UpdateAssetSchema,
} from './assets.contract.ts';
import { CSV_EXPORT_OPTIONS } from '../../platform/csv.ts';

/** 100,000 assets make about 20 MB of CSV. */
export const MAX_ASSET_IMPORT_BYTES = 50 * 1024 * 1024;

export function assetsRoutes(app: ApiApp, svc: AssetsService): void {
  // The org module registers the same raw-body parser on this instance; whichever module comes first adds it.
  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser(
      ['text/csv', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: MAX_ASSET_IMPORT_BYTES },
      (_req, body, done) => done(null, body),
    );
  }

  const tags = ['assets'];
  app.get(
    '/assets',
    {
      config: { access: 'asset.read' },
      schema: {
        tags,
        description:
          'The inventory, filtered by any field; `q` searches code, name, description and location.',
        querystring: ListAssetsQuerySchema,
        response: { 200: AssetPageSchema },
      },
    },
    (req) => svc.listAssets(actorOf(req), req.query),
  );
  app.get(
    '/assets/summary',
    {
      config: { access: 'asset.read' },
      schema: {
        tags,
        description: 'Counts of the filtered inventory: per confidentiality x integrity, per type, per flag.',
        querystring: AssetFilterQuerySchema,
        response: { 200: AssetSummarySchema },
      },
    },
    (req) => svc.summary(actorOf(req), req.query),
  );
  app.post(
    '/assets',
    {
      config: { access: 'asset.write' },
      schema: { tags, body: CreateAssetSchema, response: { 201: AssetDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createAsset(actorOf(req), req.body)),
  );
  app.get(
    '/assets/export.csv',
    { config: { access: 'asset.read' }, schema: { tags, querystring: AssetExportQuerySchema } },
    async (req, reply) => {
      const rows = Readable.from(svc.exportAssetsCsv(actorOf(req), req.query));
      const csv = rows.pipe(stringify(CSV_EXPORT_OPTIONS));
      rows.on('error', (err) => csv.destroy(err));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="assets.csv"')
        .send(csv);
    },
  );
  app.post(
    '/assets/import',
    {
      config: { access: 'asset.write' },
      bodyLimit: MAX_ASSET_IMPORT_BYTES,
      schema: {
        tags,
        description:
          'Send the inventory CSV file as the body (Content-Type: text/csv; UTF-8 with or without BOM, or Shift_JIS). commit=false reports every bad row; commit=true writes all rows or none.',
        querystring: AssetImportQuerySchema,
        response: { 200: AssetImportReportSchema },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw badRequest('Send the CSV file as the request body with Content-Type: text/csv');
      return svc.importAssets(actorOf(req), req.body, req.query.commit === 'true');
    },
  );
  app.post(
    '/assets/bulk-update',
    {
      config: { access: 'asset.write' },
      schema: {
        tags,
        description:
          'Set the owner, custodian or classification of selected assets, all or none, each at the version given.',
        body: BulkUpdateSchema,
        response: { 200: BulkUpdateResultSchema },
      },
    },
    (req) => svc.bulkUpdate(actorOf(req), req.body),
  );
  app.get(
    '/assets/:id',
    {
      config: { access: 'asset.read' },
      schema: { tags, params: AssetIdParamsSchema, response: { 200: AssetDtoSchema } },
    },
    (req) => svc.getAsset(actorOf(req), req.params.id),
  );
  app.patch(
    '/assets/:id',
    {
      config: { access: 'asset.write' },
      schema: {
        tags,
        params: AssetIdParamsSchema,
        body: UpdateAssetSchema,
        response: { 200: AssetDtoSchema },
      },
    },
    (req) => svc.updateAsset(actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/assets/:id',
    {
      config: { access: 'asset.write' },
      schema: { tags, params: AssetIdParamsSchema, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await svc.deleteAsset(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/assets/:id/graph',
    {
      config: { access: 'asset.read' },
      schema: {
        tags,
        description:
          'The assets within `depth` relations (either direction) of this one, as nodes and edges.',
        params: AssetIdParamsSchema,
        querystring: GraphQuerySchema,
        response: { 200: AssetGraphSchema },
      },
    },
    (req) => svc.graph(actorOf(req), req.params.id, req.query.depth),
  );
  app.post(
    '/assets/:id/relations',
    {
      config: { access: 'asset.write' },
      schema: {
        tags,
        description: 'Relates this asset to another of its company: "<this> <kind> <toAssetId>".',
        params: AssetIdParamsSchema,
        body: CreateRelationSchema,
        response: { 201: RelationDtoSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await svc.createRelation(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/assets/:id/relations/:relationId',
    {
      config: { access: 'asset.write' },
      schema: { tags, params: RelationParamsSchema, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await svc.deleteRelation(actorOf(req), req.params.id, req.params.relationId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/companies/:companyId/asset-scale',
    {
      config: { access: 'asset.read' },
      schema: { tags, params: CompanyParamsSchema, response: { 200: AssetScaleDtoSchema } },
    },
    (req) => svc.getScale(actorOf(req), req.params.companyId),
  );
  app.put(
    '/companies/:companyId/asset-scale',
    {
      config: { access: 'asset.write' },
      schema: {
        tags,
        description:
          'The classification scale (1..levels) of the company; lowering it refuses while assets sit above.',
        params: CompanyParamsSchema,
        body: SetAssetScaleSchema,
        response: { 200: AssetScaleDtoSchema },
      },
    },
    (req) => svc.setScale(actorOf(req), req.params.companyId, req.body),
  );
}
