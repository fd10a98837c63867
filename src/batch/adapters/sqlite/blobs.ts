import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
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
 * Uploaded images as files under `DATA_DIR/blobs/<batch>/<index>`: each file's bytes are synced before
 * `put` resolves, and the batch's directory entries by `sync` (once per batch, before it is accepted),
 * so an accepted batch's uploads survive a crash or power loss.
 */
export class FileBlobStore implements BlobStore {
  private used = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const batch of readdirSync(dir)) {
      const batchDir = path.join(dir, batch);
      for (const name of readdirSync(batchDir)) {
        this.used += statSync(path.join(batchDir, name)).size;
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
    try {
      await this.delete(key);
      mkdirSync(path.dirname(file), { recursive: true });
      // No temporary name needed: nothing refers to the file until this resolves (its queue entry is
      // written after), and a batch whose upload did not finish is deleted at the next start.
      const handle = await open(file, 'w');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.used += bytes.byteLength;
    } catch (error) {
      await rm(file, { force: true }).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOSPC' ? 'the disk is full' : `${code ?? ''} ${(error as Error).message}`.trim();
      throw new StoreUnavailableError(`the upload could not be stored under ${this.dir}: ${reason}`, { cause: error });
    }
  }

  async sync(batchId: string): Promise<void> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(batchId)) return;
    try {
      fsyncDir(path.join(this.dir, batchId));
      fsyncDir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // no blobs (every file was refused)
      throw new StoreUnavailableError(`the uploads under ${this.dir} could not be synced: ${(error as Error).message}`, { cause: error });
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
    for (const name of names) await this.delete(`${batchId}/${name}`);
    await rm(batchDir, { recursive: true, force: true });
  }

  async usedBytes(): Promise<number> {
    return this.used;
  }
}
