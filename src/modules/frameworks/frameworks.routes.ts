// HTTP face of the frameworks module.
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import { z } from 'zod';
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import { badRequest } from '../../platform/errors.ts';
import type { FrameworksService } from './frameworks.service.ts';
import { MAX_OSCAL_BYTES } from './lib/oscal.ts';
import { stringify } from 'csv-stringify/sync';
import { decodeCsvBytes } from '../../platform/csv.ts';
import {
  CreateMappingSchema,
  MappingDtoSchema,
  MappingExportQuerySchema,
  MappingImportQuerySchema,
  MappingImportReportSchema,
  MappingListSchema,
  RequirementParamsSchema,
  UpdateMappingSchema,
  FrameworkDtoSchema,
  FrameworkListSchema,
  FrameworkParamsSchema,
  ImportOscalQuerySchema,
  RequirementListSchema,
} from './frameworks.contract.ts';
import { CSV_EXPORT_OPTIONS } from '../../platform/csv.ts';

export function frameworksRoutes(app: ApiApp, svc: FrameworksService): void {
  const tags = ['frameworks'];
  app.get(
    '/frameworks',
    {
      config: { access: 'framework.read' },
      schema: { tags, querystring: NoQuerySchema, response: { 200: FrameworkListSchema } },
    },
    async (req) => ({
      items: await svc.list(actorOf(req)),
    }),
  );
  app.get(
    '/frameworks/:id/requirements',
    {
      config: { access: 'framework.read' },
      schema: { tags, params: FrameworkParamsSchema, response: { 200: RequirementListSchema } },
    },
    (req) => svc.requirements(actorOf(req), req.params.id),
  );
  app.get(
    '/frameworks/:id/oscal',
    {
      config: { access: 'framework.read' },
      schema: {
        tags,
        description: 'The framework as an OSCAL catalog (JSON).',
        params: FrameworkParamsSchema,
        response: { 200: z.object({ catalog: z.looseObject({}) }) },
      },
    },
    async (req, reply) => {
      const doc = await svc.exportOscal(actorOf(req), req.params.id);
      return reply.header('content-disposition', 'attachment; filename="catalog.oscal.json"').send(doc);
    },
  );

  app.get(
    '/requirements/:id/mappings',
    {
      config: { access: 'framework.read' },
      schema: {
        tags,
        params: RequirementParamsSchema,
        querystring: NoQuerySchema,
        response: { 200: MappingListSchema },
      },
    },
    async (req) => ({ items: await svc.mappingsOf(actorOf(req), req.params.id) }),
  );
  app.post(
    '/requirement-mappings',
    {
      config: { access: 'framework.manage' },
      schema: { tags, body: CreateMappingSchema, response: { 201: MappingDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createMapping(actorOf(req), req.body)),
  );
  app.patch(
    '/requirement-mappings/:id',
    {
      config: { access: 'framework.manage' },
      schema: {
        tags,
        params: RequirementParamsSchema,
        body: UpdateMappingSchema,
        response: { 200: MappingDtoSchema },
      },
    },
    (req) => svc.updateMapping(actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/requirement-mappings/:id',
    {
      config: { access: 'framework.manage' },
      schema: { tags, params: RequirementParamsSchema, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await svc.deleteMapping(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/requirement-mappings/import',
    {
      config: { access: 'framework.manage' },
      schema: {
        tags,
        description:
          'Send a CSV (source_framework,source_ref,target_framework,target_ref,relation,note) as the body with Content-Type text/csv. commit=false reports only.',
        querystring: MappingImportQuerySchema,
        response: { 200: MappingImportReportSchema },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw badRequest('Send the CSV file as the request body with Content-Type: text/csv');
      return svc.importMappings(actorOf(req), decodeCsvBytes(req.body), req.query.commit === 'true');
    },
  );
  app.get(
    '/requirement-mappings/export.csv',
    { config: { access: 'framework.read' }, schema: { tags, querystring: MappingExportQuerySchema } },
    async (req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="requirement-mappings.csv"')
        .send(stringify(await svc.exportMappings(actorOf(req), req.query.framework), CSV_EXPORT_OPTIONS)),
  );

  // The import reads the body as text itself: the OSCAL parser checks nesting depth before anything parses it.
  void app.register(async (plain) => {
    const sub = plain as unknown as ApiApp;
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser(
      ['application/json', 'application/octet-stream'],
      { parseAs: 'string', bodyLimit: MAX_OSCAL_BYTES },
      (_req, body, done) => done(null, body),
    );
    sub.post(
      '/frameworks/import',
      {
        config: { access: 'framework.manage' },
        bodyLimit: MAX_OSCAL_BYTES,
        schema: {
          tags,
          description:
            'Send an OSCAL catalog (JSON) as the body. It is imported whole, or refused with where it is wrong.',
          querystring: ImportOscalQuerySchema,
          response: { 201: FrameworkDtoSchema },
        },
      },
      async (req, reply) => {
        if (typeof req.body !== 'string' || req.body.length === 0)
          throw badRequest('Send the OSCAL catalog file as the request body');
        return reply.code(201).send(await svc.importOscal(actorOf(req), req.body, { ref: req.query.ref }));
      },
    );
  });
}
