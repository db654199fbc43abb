// `mamori assets …`: the inventory CSV import from a file, as the API's import does it (scripts read --json).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError, UsageError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/authz/permissions.ts';
import type { AssetsService } from './assets.service.ts';

/**
 * Runs `mamori assets ARGS`. Arguments are checked before `open` is called, so that a mistyped command opens
 * no database; `open` lends the service for the command's duration.
 */
export async function assetsCommand(
  args: string[],
  actor: Actor,
  open: (fn: (svc: AssetsService) => Promise<number>) => Promise<number>,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw new UsageError(`Unknown assets command: ${sub ?? '(none)'}`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      company: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('assets import needs exactly one FILE');
  const company = values.company?.trim();
  if (!company) throw new UsageError('assets import needs --company ID|CODE: the company the file is for');
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new AppError('not_found', 404, `File not found: ${file}`);
  const bytes = fs.readFileSync(file);
  const commit = values['dry-run'] !== true;

  return open(async (svc) => {
    const r = await svc.importAssets(actor, bytes, commit, { company, maxErrors: Number.MAX_SAFE_INTEGER });
    const failed = r.errors.length > 0;
    if (values.json) {
      console.log(JSON.stringify({ file, company, dryRun: !commit, ...r }));
      return failed ? 1 : 0;
    }
    const verb = commit && r.committed ? ['created', 'updated'] : ['to create', 'to update'];
    console.log(
      `${r.rows} rows: ${r.created} ${verb[0]}, ${r.updated} ${verb[1]}, ${r.unchanged} unchanged, ${r.errors.length} with errors`,
    );
    for (const e of r.errors) console.error(`line ${e.line}: ${e.message}`);
    if (failed) {
      console.error(
        commit
          ? 'Nothing was imported: fix the rows above and run again.'
          : 'Fix the rows above before importing.',
      );
      return 1;
    }
    console.log(
      r.committed
        ? `Imported ${r.created + r.updated} assets into ${company}.`
        : 'Dry run only: run again without --dry-run to import.',
    );
    return 0;
  });
}
