// HTTP face of the org module.
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { stringify } from 'csv-stringify';
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import { badRequest } from '../../platform/errors.ts';
import type { OrgService } from './org.service.ts';
import {
  CompanyDtoSchema,
  CompanyIdParamsSchema,
  CompanyPageSchema,
  CreateCompanySchema,
  CreateDepartmentSchema,
  CreatePersonSchema,
  DepartmentDtoSchema,
  DepartmentListSchema,
  IdParamsSchema,
  ImportQuerySchema,
  ListCompaniesQuerySchema,
  ListPeopleQuerySchema,
  PeopleImportReportSchema,
  PersonDtoSchema,
  PersonPageSchema,
  SetCisoSchema,
  UpdateCompanySchema,
  UpdateDepartmentSchema,
  UpdatePersonSchema,
} from './org.contract.ts';
import { CSV_EXPORT_OPTIONS } from '../../platform/csv.ts';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const ExportQuerySchema = ListPeopleQuerySchema.omit({ limit: true, cursor: true });
const StatsSchema = z.object({
  byCategory: z.array(z.object({ category: z.string(), count: z.number().int() })),
});

export function orgRoutes(app: ApiApp, svc: OrgService): void {
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
    (_req, body, done) => done(null, body),
  );

  const companies = { tags: ['companies'] };
  app.get(
    '/companies',
    {
      config: { access: 'company.read' },
      schema: { ...companies, querystring: ListCompaniesQuerySchema, response: { 200: CompanyPageSchema } },
    },
    (req) => svc.listCompanies(actorOf(req), req.query),
  );
  app.post(
    '/companies',
    {
      config: { access: 'company.create' },
      schema: { ...companies, body: CreateCompanySchema, response: { 201: CompanyDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createCompany(actorOf(req), req.body)),
  );
  app.get(
    '/companies/:id',
    {
      config: { access: 'company.read' },
      schema: { ...companies, params: IdParamsSchema, response: { 200: CompanyDtoSchema } },
    },
    (req) => svc.getCompany(actorOf(req), req.params.id),
  );
  app.patch(
    '/companies/:id',
    {
      config: { access: 'company.update' },
      schema: {
        ...companies,
        params: IdParamsSchema,
        body: UpdateCompanySchema,
        response: { 200: CompanyDtoSchema },
      },
    },
    (req) => svc.updateCompany(actorOf(req), req.params.id, req.body),
  );
  app.put(
    '/companies/:id/ciso',
    {
      config: { access: 'company.set_ciso' },
      schema: {
        ...companies,
        params: IdParamsSchema,
        body: SetCisoSchema,
        response: { 200: CompanyDtoSchema },
      },
    },
    (req) => svc.setCiso(actorOf(req), req.params.id, req.body),
  );

  const departments = { tags: ['departments'] };
  app.get(
    '/companies/:companyId/departments',
    {
      config: { access: 'department.read' },
      schema: { ...departments, params: CompanyIdParamsSchema, response: { 200: DepartmentListSchema } },
    },
    async (req) => ({ items: await svc.listDepartments(actorOf(req), req.params.companyId) }),
  );
  app.post(
    '/companies/:companyId/departments',
    {
      config: { access: 'department.write' },
      schema: {
        ...departments,
        params: CompanyIdParamsSchema,
        body: CreateDepartmentSchema,
        response: { 201: DepartmentDtoSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await svc.createDepartment(actorOf(req), req.params.companyId, req.body)),
  );
  app.patch(
    '/departments/:id',
    {
      config: { access: 'department.write' },
      schema: {
        ...departments,
        params: IdParamsSchema,
        body: UpdateDepartmentSchema,
        response: { 200: DepartmentDtoSchema },
      },
    },
    (req) => svc.updateDepartment(actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/departments/:id',
    {
      config: { access: 'department.write' },
      schema: { ...departments, params: IdParamsSchema, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await svc.deleteDepartment(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  const people = { tags: ['people'] };
  app.get(
    '/people',
    {
      config: { access: 'person.read' },
      schema: { ...people, querystring: ListPeopleQuerySchema, response: { 200: PersonPageSchema } },
    },
    (req) => svc.listPeople(actorOf(req), req.query),
  );
  app.get(
    '/people/stats',
    {
      config: { access: 'person.read' },
      schema: { ...people, querystring: NoQuerySchema, response: { 200: StatsSchema } },
    },
    async (req) => ({ byCategory: await svc.peopleByCategory(actorOf(req)) }),
  );
  app.post(
    '/people',
    {
      config: { access: 'person.write' },
      schema: { ...people, body: CreatePersonSchema, response: { 201: PersonDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createPerson(actorOf(req), req.body)),
  );
  app.get(
    '/people/export.csv',
    { config: { access: 'person.read' }, schema: { ...people, querystring: ExportQuerySchema } },
    async (req, reply) => {
      const rows = Readable.from(svc.exportPeopleCsv(actorOf(req), req.query));
      const csv = rows.pipe(stringify(CSV_EXPORT_OPTIONS));
      rows.on('error', (err) => csv.destroy(err));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="people.csv"')
        .send(csv);
    },
  );
  app.post(
    '/people/import',
    {
      config: { access: 'person.write' },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        ...people,
        description:
          'Send the HR CSV file as the body (Content-Type: text/csv). commit=false reports only; commit=true writes all rows or none.',
        querystring: ImportQuerySchema,
        response: { 200: PeopleImportReportSchema },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw badRequest('Send the CSV file as the request body with Content-Type: text/csv');
      return svc.importPeople(actorOf(req), req.body, req.query.commit === 'true');
    },
  );
  app.get(
    '/people/:id',
    {
      config: { access: 'person.read' },
      schema: { ...people, params: IdParamsSchema, response: { 200: PersonDtoSchema } },
    },
    (req) => svc.getPerson(actorOf(req), req.params.id),
  );
  app.patch(
    '/people/:id',
    {
      config: { access: 'person.write' },
      schema: {
        ...people,
        params: IdParamsSchema,
        body: UpdatePersonSchema,
        response: { 200: PersonDtoSchema },
      },
    },
    (req) => svc.updatePerson(actorOf(req), req.params.id, req.body),
  );
}
