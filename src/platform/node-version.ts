export const REQUIRED_NODE_MAJOR = 24;

/** Throws a clear message when the running Node.js is older than the one Mamori is built for. */
export function assertSupportedNode(version: string = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (!(major >= REQUIRED_NODE_MAJOR)) {
    throw new Error(
      `Mamori needs Node.js ${REQUIRED_NODE_MAJOR} or later; this is Node.js ${version}. ` +
        'Use `npm start`, `npm test` or `npx mamori`, which run the Node.js pinned in devDependencies.',
    );
  }
}
