import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { StoreUnavailableError, type BlobStore } from '../../ports.js';

/** Keys are `batchId/index`: two path segments of [A-Za-z0-9-] only (never a client's file name). */
const KEY = /^[A-Za-z0-9-]{1,64}\/[A-Za-z0-9-]{1,64}$/;

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`bad blob key ${JSON.stringify(key)}`);
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Uploaded images as files under `DATA_DIR/blobs/<batch>/<index>`: written to a temporary name, synced,
 * renamed, and the directory synced, so a stored blob survives a crash or power loss whole or not at all.
 */
export class FileBlobStore implements BlobStore {
  private used = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const batch of readdirSync(dir)) {
      const batchDir = path.join(dir, batch);
      for (const name of readdirSync(batchDir)) {
        if (name.endsWith('.tmp')) rmSync(path.join(batchDir, name), { force: true });
        else this.used += statSync(path.join(batchDir, name)).size;
      }
    }
  }

  /** Batch ids that have blobs on disk. */
  batchIds(): string[] {
    return readdirSync(this.dir);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    checkKey(key);
    const file = path.join(this.dir, key);
    const batchDir = path.dirname(file);
    const temp = `${file}.tmp`;
    try {
      await this.delete(key);
      mkdirSync(batchDir, { recursive: true });
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
      fsyncDir(batchDir);
      this.used += bytes.byteLength;
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOSPC' ? 'the disk is full' : `${code ?? ''} ${(error as Error).message}`.trim();
      throw new StoreUnavailableError(`the upload could not be stored under ${this.dir}: ${reason}`, { cause: error });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    checkKey(key);
    try {
      return await readFile(path.join(this.dir, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreUnavailableError(`a stored upload could not be read: ${(error as Error).message}`, { cause: error });
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    const file = path.join(this.dir, key);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) return;
    await rm(file, { force: true });
    this.used -= size;
  }

  async deleteBatch(batchId: string): Promise<void> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(batchId)) return;
    const batchDir = path.join(this.dir, batchId);
    let names: string[];
    try {
      names = readdirSync(batchDir);
    } catch {
      return;
    }
    for (const name of names) if (!name.endsWith('.tmp')) await this.delete(`${batchId}/${name}`);
    await rm(batchDir, { recursive: true, force: true });
  }

  async usedBytes(): Promise<number> {
    return this.used;
  }
}
