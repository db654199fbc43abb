// Writes the OpenAPI document the server generates from its zod schemas to docs/openapi.json.
// CI's test compares the committed file with a fresh one: run `npm run openapi` after changing a contract.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/platform/config.ts';
import { createContext } from '../src/app/context.ts';
import { createServer } from '../src/app/server.ts';

export async function generateOpenApi(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-openapi-'));
  const ctx = await createContext(
    loadConfig({
      MAMORI_DATA_DIR: dir,
      MAMORI_SECRET_KEY: randomBytes(32).toString('base64'),
      MAMORI_LOG_LEVEL: 'silent',
    }),
  );
  try {
    const app = await createServer(ctx, { logLevel: 'silent', webDist: '' });
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    await app.close();
    return `${JSON.stringify(JSON.parse(res.body), null, 2)}\n`;
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const OPENAPI_FILE = path.resolve(import.meta.dirname, '..', 'docs', 'openapi.json');

if (import.meta.main) {
  fs.writeFileSync(OPENAPI_FILE, await generateOpenApi());
  console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
