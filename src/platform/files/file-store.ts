// Content-addressed file storage under the data directory: a file is stored once under its SHA-256.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

export interface StoredFile {
  sha256: string;
  size: number;
}

export interface FileStore {
  put(bytes: Uint8Array): Promise<StoredFile>;
  read(sha256: string): Promise<Buffer>;
  exists(sha256: string): boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function fileStore(root: string): FileStore {
  const pathOf = (sha256: string) => {
    if (!HEX64.test(sha256)) throw new Error('not a SHA-256 digest');
    return path.join(root, sha256.slice(0, 2), sha256);
  };
  return {
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const dest = pathOf(sha256);
      if (!fs.existsSync(dest)) {
        await fs.promises.mkdir(path.dirname(dest), { recursive: true });
        // Written under a temporary name and renamed, so a reader never sees half a file.
        const tmp = `${dest}.${randomBytes(6).toString('hex')}.tmp`;
        await fs.promises.writeFile(tmp, bytes, { mode: 0o640 });
        await fs.promises.rename(tmp, dest);
      }
      return { sha256, size: bytes.byteLength };
    },
    read: (sha256) => fs.promises.readFile(pathOf(sha256)),
    exists: (sha256) => fs.existsSync(pathOf(sha256)),
  };
}
