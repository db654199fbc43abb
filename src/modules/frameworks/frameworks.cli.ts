// `mamori frameworks …`: list, import and export control catalogs (scripts depend on the output shapes).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError, UsageError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/authz/permissions.ts';
import type { FrameworksService } from './frameworks.service.ts';

export async function frameworksCommand(
  svc: FrameworksService,
  actor: Actor,
  args: string[],
): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
      const items = await svc.list(actor);
      if (values.json) {
        console.log(
          JSON.stringify(
            items.map((f) => ({
              ref: f.ref,
              name: f.name,
              version: f.edition,
              requirements: f.requirements,
            })),
          ),
        );
      } else {
        for (const f of items)
          console.log(`${f.ref.padEnd(32)} ${String(f.requirements).padStart(5)}  ${f.name} (${f.edition})`);
      }
      return 0;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { ref: { type: 'string' } },
        allowPositionals: true,
      });
      const file = positionals[0];
      if (!file || positionals.length !== 1) throw new UsageError('frameworks import needs exactly one FILE');
      if (!fs.existsSync(file)) throw new AppError('not_found', 404, `File not found: ${file}`);
      const bar = (done: number, total: number) => {
        const width = 30;
        const filled = Math.round((done / Math.max(total, 1)) * width);
        process.stderr.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} requirements`,
        );
      };
      const f = await svc.importOscal(actor, fs.readFileSync(file, 'utf8'), {
        ref: values.ref,
        onProgress: (phase, done, total) => (phase === 'stored' ? bar(done, total) : undefined),
      });
      process.stderr.write('\n');
      console.log(`Imported ${f.name} (${f.edition}) as ${f.ref}: ${f.requirements} requirements`);
      return 0;
    }
    case 'export': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { format: { type: 'string' } },
        allowPositionals: true,
      });
      const ref = positionals[0];
      if (!ref || positionals.length !== 1) throw new UsageError('frameworks export needs exactly one REF');
      if ((values.format ?? 'oscal') !== 'oscal') throw new UsageError('--format must be oscal');
      console.log(JSON.stringify(await svc.exportOscal(actor, ref, 'ref'), null, 2));
      return 0;
    }
    default:
      throw new UsageError(`Unknown frameworks command: ${sub ?? '(none)'}`);
  }
}
