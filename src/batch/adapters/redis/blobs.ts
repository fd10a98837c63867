import type { BlobStore } from '../../ports.js';
import { unavailable } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { ScriptedRedis } from './scripts.js';

/**
 * Uploaded bytes in Redis, each with a time to live (`BLOB_TTL_MS`), so bytes that nothing reads any more
 * (a batch left behind) expire by themselves. Sizes are counted in a hash beside them, so `usedBytes` is one
 * read and a blob that expired is still uncounted exactly once when its batch goes.
 */
export class RedisBlobStore implements BlobStore {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {}

  private batchOf(key: string): string {
    return key.slice(0, Math.max(0, key.indexOf('/')));
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const k = this.keys;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await unavailable(() => this.redis.dlPutBlob(k.blob(key), k.blobSizes, k.stats, k.blobsOf(this.batchOf(key)), key, buffer, this.ttlMs));
  }

  /** Durability is Redis's own (AOF with `appendfsync everysec` or `always`; see docs/deployment.md). */
  async sync(): Promise<void> {}

  async get(key: string): Promise<Uint8Array | undefined> {
    const bytes = await unavailable(() => this.redis.getBuffer(this.keys.blob(key)));
    return bytes ?? undefined;
  }

  async delete(key: string): Promise<void> {
    const k = this.keys;
    await unavailable(() => this.redis.dlDeleteBlob(k.blob(key), k.blobSizes, k.stats, k.blobsOf(this.batchOf(key)), key));
  }

  async deleteBatch(batchId: string): Promise<void> {
    const keys = await unavailable(() => this.redis.smembers(this.keys.blobsOf(batchId)));
    for (const key of keys) await this.delete(key);
    await unavailable(() => this.redis.del(this.keys.blobsOf(batchId)));
  }

  async usedBytes(): Promise<number> {
    return Number((await unavailable(() => this.redis.hget(this.keys.stats, 'blobBytes'))) ?? 0);
  }
}
