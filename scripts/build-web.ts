// Builds the web UI into web/dist when it is missing or older than its sources (`--force` always builds).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `Mamori needs Node.js 24 or later (this is ${process.versions.node}); run it through npm so the pinned Node.js is used.`,
  );
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const dist = path.join(web, 'dist', 'index.html');

function newest(dir: string): number {
  let max = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return max;
}

if (!fs.existsSync(path.join(web, 'index.html'))) process.exit(0);
const force = process.argv.includes('--force');
if (!force && fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newest(web)) process.exit(0);
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!fs.existsSync(vite)) {
  console.error('Cannot build the web UI: vite is not installed (run npm install without --omit=dev).');
  process.exit(1);
}
console.log('Building the web UI…');
const r = spawnSync(
  process.execPath,
  [vite, 'build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'],
  {
    stdio: 'inherit',
    cwd: root,
  },
);
process.exit(r.status ?? 1);
