// Refuses to run the suite on a Node.js older than the one Mamori is built for.
import { assertSupportedNode } from '../../src/platform/node-version.ts';

export default function setup(): void {
  assertSupportedNode();
}
