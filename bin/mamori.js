#!/usr/bin/env node
// Entry point of the `mamori` command: refuses old Node.js, then runs the TypeScript CLI directly.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `mamori needs Node.js 24 or later; this is Node.js ${process.versions.node}.\n` +
      'Run it through npm (npm start, npx mamori ...) so the pinned Node.js 24 from devDependencies is used.\n',
  );
  process.exit(1);
}
await import('../src/cli/main.ts');
