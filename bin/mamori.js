#!/usr/bin/env -S node --max-semi-space-size=16
// Entry point of the `mamori` command: refuses old Node.js, then runs the TypeScript CLI directly.
// Node runs with a young generation of at most 2 x 16 MB (here, in `npm start` and `npm run mamori`): imports
// churn through short-lived objects, and V8's default sizing lets them pile up to hundreds of megabytes.
// For the same reason the old generation may grow only by half of what survived its last full collection
// before the next one (V8 otherwise lets it reach up to four times that): a large import keeps tens of
// megabytes alive while allocating gigabytes. A growth factor, not a limit: nothing runs out of memory by it.
// And V8 does not decide to create objects of a kind directly in the old generation when many of them once
// outlived a collection ("pretenuring"): the parser's tags and an import's rows are short-lived, and once so
// created each became old garbage for a full collection to find; a DMARC import then spent twice the time in GC.
// Set here rather than on the command line so that `node bin/mamori.js` gets them too; bench/support.ts copies
// them.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=50');
setFlagsFromString('--no-allocation-site-pretenuring');
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `mamori needs Node.js 24 or later; this is Node.js ${process.versions.node}.\n` +
      'Run it through npm (npm start, npx mamori ...) so the pinned Node.js 24 from devDependencies is used.\n',
  );
  process.exit(1);
}
// V8 keeps the code it compiled for each module (after TypeScript's types are stripped) on disk, and later runs
// and their parser threads load it instead of compiling again: a command starts in about two thirds of the
// time. The cache is kept beside the installed packages, not in the shared temporary directory, so that only
// whoever installed Mamori can write code it will run. NODE_COMPILE_CACHE chooses another directory;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. Threads and child processes inherit it through the environment.
const { enableCompileCache } = await import('node:module');
const { fileURLToPath } = await import('node:url');
const { directory } = enableCompileCache(
  process.env.NODE_COMPILE_CACHE ??
    fileURLToPath(new URL('../node_modules/.cache/mamori-compile', import.meta.url)),
);
if (directory) process.env.NODE_COMPILE_CACHE = directory;
await import('../src/cli/main.ts');
