// HTTP face of the dmarc-reports module: report files in, the import history, the reports kept.
import { Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import { attachment } from '../../platform/http/download.ts';
import { NoQuerySchema } from '../../platform/http/pagination.ts';
import { actorOf, type ApiApp } from '../../platform/http/app.ts';
import { AppError, badRequest, payloadTooLarge, unsupportedMediaType } from '../../platform/errors.ts';
import type { DmarcReportsService } from './dmarc-reports.service.ts';
import {
  CreateServiceSchema,
  FailureReportDetailSchema,
  FailureReportPageSchema,
  IdParamsSchema,
  ListFailureReportsQuerySchema,
  RecordsCsvQuerySchema,
  ServiceDtoSchema,
  ServiceListSchema,
  UpdateServiceSchema,
  AnalysisQuerySchema,
  AnalysisSchema,
  ReadinessQuerySchema,
  ReadinessSchema,
  SourcesQuerySchema,
  SourcesSchema,
  ImportResultSchema,
  ImportedFilePageSchema,
  ImportFileQuerySchema,
  ListFilesQuerySchema,
  ListReportsQuerySchema,
  ReportPageSchema,
} from './dmarc-reports.contract.ts';
import { CSV_EXPORT_OPTIONS } from '../../platform/csv.ts';

/** A whole report email or archive as sent; what it unpacks to is capped by the parser's own limits. */
export const MAX_REPORT_FILE_BYTES = 256 * 1024 * 1024;

/** Passes the body through, failing with 413 past the limit (the body is streamed, not buffered). */
function capped(body: Readable, limit: number): Readable {
  let seen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(payloadTooLarge(`The file is larger than ${limit / 1024 / 1024} MB`));
      else done(null, chunk);
    },
  });
  body.on('error', (err) => meter.destroy(err));
  return body.pipe(meter);
}

/** What a report file may be sent as; the content itself decides how it is read. */
const FILE_TYPES = new Set([
  'application/octet-stream',
  'application/gzip',
  'application/x-gzip',
  'application/zip',
  'application/x-zip-compressed',
  'application/xml',
  'text/xml',
  'message/rfc822',
]);

export function dmarcReportsRoutes(app: ApiApp, svc: DmarcReportsService): void {
  const tags = ['dmarc'];
  // The upload is read as a stream: a report of hundreds of megabytes never sits in memory whole.
  void app.register(async (plain) => {
    const sub = plain as unknown as ApiApp;
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    sub.post(
      '/dmarc/files',
      {
        config: { access: 'email.write' },
        schema: {
          tags,
          description:
            'Send one report file as the body: an aggregate report (.xml, .xml.gz, .zip with one or several reports), a report email (.eml) or a failure report email. Each report goes in whole or not at all; a report already stored is a duplicate; a report for a domain no company has in its inventory is kept as unclaimed (group-wide users only).',
          querystring: ImportFileQuerySchema,
          response: { 200: ImportResultSchema },
        },
      },
      async (req) => {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!FILE_TYPES.has(type))
          throw unsupportedMediaType(
            'Send the report file as the body with Content-Type application/octet-stream (or gzip, zip, xml, message/rfc822)',
          );
        const body = req.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function')
          throw badRequest('Send the report file as the request body');
        const result = await svc.importFile(actorOf(req), capped(body, MAX_REPORT_FILE_BYTES), {
          name: req.query.name,
          channel: 'upload',
        });
        // A file none of whose reports could be stored is bad input; it stays in the import history.
        if (result.status === 'rejected')
          throw new AppError('report_rejected', 422, result.reason ?? 'The file holds no DMARC report', {
            extensions: { reasonCode: result.reasonCode },
          });
        return result;
      },
    );
  });
  app.get(
    '/dmarc/files',
    {
      config: { access: 'email.write' },
      schema: {
        tags,
        description: 'The files handed in (group-wide importers see all; others their own), newest first.',
        querystring: ListFilesQuerySchema,
        response: { 200: ImportedFilePageSchema },
      },
    },
    (req) => svc.listFiles(actorOf(req), req.query),
  );
  app.get(
    '/dmarc/reports',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'Aggregate reports of the domains the caller sees, newest period first; `unclaimed=true` lists those for domains no company has in its inventory.',
        querystring: ListReportsQuerySchema,
        response: { 200: ReportPageSchema },
      },
    },
    (req) => svc.listReports(actorOf(req), req.query),
  );
  app.get(
    '/dmarc/analysis',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'Message volume per day, DMARC pass rate, DKIM and SPF aligned / authenticated-but-unaligned / failing, dispositions and forwarded mail over the last `days` days: for one domain, a company, or every domain the caller sees.',
        querystring: AnalysisQuerySchema,
        response: { 200: AnalysisSchema },
      },
    },
    (req) => svc.analysis(actorOf(req), req.query),
  );
  app.get(
    '/dmarc/sources',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'A domain’s sending sources: failing ones of its own (SPF-authorised or signed by it, but unaligned), failing unknown ones (likely spoofing), and the passing ones; with reverse DNS names and known services.',
        querystring: SourcesQuerySchema,
        response: { 200: SourcesSchema },
      },
    },
    (req) => svc.sources(actorOf(req), req.query),
  );
  app.get(
    '/dmarc/readiness',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'For each sending domain, whether it can move to the next DMARC policy (none → quarantine → reject), and the share of legitimate mail that would be affected.',
        querystring: ReadinessQuerySchema,
        response: { 200: ReadinessSchema },
      },
    },
    (req) => svc.readiness(actorOf(req), req.query),
  );
  app.get(
    '/dmarc/records.csv',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'The records of a domain’s aggregate reports over the last `days` days as CSV, with filters.',
        querystring: RecordsCsvQuerySchema,
      },
    },
    async (req, reply) => {
      const rows = Readable.from(await svc.recordsCsv(actorOf(req), req.query));
      const csv = rows.pipe(stringify(CSV_EXPORT_OPTIONS));
      rows.on('error', (err) => csv.destroy(err));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(`dmarc-records-${req.query.domain}.csv`))
        .send(csv);
    },
  );
  app.get(
    '/dmarc/failure-reports',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'Failure (RFC 6591 / RFC 9991) and abuse reports of the domains the caller sees, newest first.',
        querystring: ListFailureReportsQuerySchema,
        response: { 200: FailureReportPageSchema },
      },
    },
    (req) => svc.listFailureReports(actorOf(req), req.query),
  );
  app.get(
    '/dmarc/failure-reports/:id',
    {
      config: { access: 'email.read' },
      schema: { tags, params: IdParamsSchema, response: { 200: FailureReportDetailSchema } },
    },
    (req) => svc.getFailureReport(actorOf(req), req.params.id),
  );
  app.get(
    '/dmarc/services',
    {
      config: { access: 'email.read' },
      schema: {
        tags,
        description:
          'Known sending services and the reverse DNS suffixes of their servers, by which sources are named.',
        querystring: NoQuerySchema,
        response: { 200: ServiceListSchema },
      },
    },
    (req) => svc.listServices(actorOf(req)),
  );
  app.post(
    '/dmarc/services',
    {
      config: { access: 'email.manage' },
      schema: { tags, body: CreateServiceSchema, response: { 201: ServiceDtoSchema } },
    },
    async (req, reply) => reply.code(201).send(await svc.createService(actorOf(req), req.body)),
  );
  app.patch(
    '/dmarc/services/:id',
    {
      config: { access: 'email.manage' },
      schema: {
        tags,
        params: IdParamsSchema,
        body: UpdateServiceSchema,
        response: { 200: ServiceDtoSchema },
      },
    },
    (req) => svc.updateService(actorOf(req), req.params.id, req.body),
  );
}
