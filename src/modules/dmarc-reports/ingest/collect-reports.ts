// Reads a report file and keeps everything in memory: for tests and previews of small files only. The import
// service streams instead (parseReportFile with handlers).
import type { Readable } from 'node:stream';
import type { AggregateRecord, AggregateReport, AggregateSummary } from '../lib/aggregate-model.ts';
import type { FailureReport } from '../lib/arf-parser.ts';
import { parseReportFile, type FileOutcome, type ParseReportFileOptions } from './parse-report-file.ts';
import type { ReportSource } from './unpack.ts';

export interface CollectedAggregate {
  report: AggregateReport;
  records: AggregateRecord[];
  batches: number;
  summary: AggregateSummary;
  source: ReportSource;
}

export async function collectReports(
  input: string | Readable,
  options: Omit<ParseReportFileOptions, 'onAggregate' | 'onFailure'> = {},
): Promise<{ outcome: FileOutcome; aggregates: CollectedAggregate[]; failures: FailureReport[] }> {
  const aggregates: CollectedAggregate[] = [];
  const failures: FailureReport[] = [];
  const outcome = await parseReportFile(input, {
    ...options,
    onAggregate: async (stream, source) => {
      const records: AggregateRecord[] = [];
      let batches = 0;
      for await (const batch of stream) {
        batches += 1;
        records.push(...batch);
      }
      aggregates.push({ report: stream.report, records, batches, summary: stream.summary(), source });
    },
    onFailure: async (report) => {
      failures.push(report);
    },
  });
  return { outcome, aggregates, failures };
}
