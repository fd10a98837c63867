import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StoreUnavailableError, type BlobStore } from '../../ports.js';

/** Keys are `batchId/index`: two path segments of [A-Za-z0-9-] only (never a client's file name). */
const KEY = /^[A-Za-z0-9-]{1,64}\/[A-Za-z0-9-]{1,64}$/;

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`bad blob key ${JSON.stringify(key)}`);
}

function unavailable(what: string, error: unknown): StoreUnavailableError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOSPC' ? 'the disk is full' : `${code ?? ''} ${(error as Error).message}`.trim();
  return new StoreUnavailableError(`${what}: ${reason}`, { cause: error });
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
 * Uploaded images as files under `DATA_DIR/blobs/<batch>/<index>`. `put` writes a file; `sync` syncs all
 * the files of a batch at once and their directory entries (once per batch, before it is accepted), so an
 * accepted batch's uploads survive a crash or power loss.
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
      // Written, not yet synced: `sync` syncs the batch's files together before the batch is accepted.
      // Nothing depends on an unsynced file: a batch not accepted is deleted at the next start.
      await writeFile(file, bytes);
      this.used += bytes.byteLength;
    } catch (error) {
      await rm(file, { force: true }).catch(() => undefined);
      throw unavailable(`the upload could not be stored under ${this.dir}`, error);
    }
  }

  async sync(batchId: string): Promise<void> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(batchId)) return;
    const batchDir = path.join(this.dir, batchId);
    try {
      let names: string[];
      try {
        names = readdirSync(batchDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // no blobs (every file was refused)
        throw error;
      }
      // The files at once (the disk may take them together), then their directory entries.
      await Promise.all(
        names.map(async (name) => {
          let handle: Awaited<ReturnType<typeof open>>;
          try {
            handle = await open(path.join(batchDir, name), 'r');
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // already read and deleted
            throw error;
          }
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
        }),
      );
      fsyncDir(batchDir);
      fsyncDir(this.dir);
    } catch (error) {
      throw unavailable(`the uploads under ${batchDir} could not be synced`, error);
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
