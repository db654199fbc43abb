// Where the public conformance suites live: ../shared/conformance beside the checkout, or MAMORI_CONFORMANCE_DIR.
// A clone without them skips those tests; CI (CI=true) must have them and fails when they are missing.
import fs from 'node:fs';
import path from 'node:path';

export const CONFORMANCE_DIR = path.resolve(
  process.env.MAMORI_CONFORMANCE_DIR ??
    path.join(import.meta.dirname, '..', '..', '..', 'shared', 'conformance'),
);

export const hasConformance = fs.existsSync(CONFORMANCE_DIR);

if (!hasConformance && process.env.CI) {
  throw new Error(
    `The conformance suites are missing at ${CONFORMANCE_DIR}; CI must run them (set MAMORI_CONFORMANCE_DIR)`,
  );
}

export const conformanceFile = (...parts: string[]): string => path.join(CONFORMANCE_DIR, ...parts);
