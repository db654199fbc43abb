// The OpenAPI document is generated from the zod contracts; the committed copy must match it.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, generateOpenApi } from '../../scripts/openapi.ts';

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1, describes every route with its responses, and matches docs/openapi.json', async () => {
    const text = await generateOpenApi();
    const doc = JSON.parse(text) as {
      openapi: string;
      paths: Record<string, Record<string, { responses?: object; tags?: string[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ p, m, op })),
    );
    expect(ops.length).toBeGreaterThan(30);
    for (const { p, m, op } of ops) {
      expect(op.responses, `${m} ${p}`).toBeDefined();
      expect(op.tags?.length, `${m} ${p} has no tag`).toBeGreaterThan(0);
    }
    expect(fs.readFileSync(OPENAPI_FILE, 'utf8'), 'docs/openapi.json is stale: run npm run openapi').toBe(
      text,
    );
  });
});
