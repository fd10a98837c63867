/** The memory adapter: batches, jobs and uploads in this process's memory; nothing survives it. */
import type { BatchEvent, NewBatchEvent } from '../../events.js';
import type { BatchBackend, BatchStore, BlobStore, StoreStats } from '../../ports.js';
import { applyEvent, cancelState, initialState, stampEvent, type BatchState } from '../../state.js';
import { LiveFollowers } from '../live.js';
import { LocalJobQueue } from '../local-queue.js';

/** Rough bytes of an event in memory, counted like the durable store counts its JSON. */
const sizeOf = (event: BatchEvent) => JSON.stringify(event).length;

class MemoryBatchStore implements BatchStore {
  private readonly batches = new Map<string, { state: BatchState; log: BatchEvent[] }>();
  private readonly live = new LiveFollowers();

  async create(id: string, total: number, now: number): Promise<BatchState> {
    if (this.batches.has(id)) throw new Error(`batch ${id} exists`);
    const state = initialState(id, total, now);
    this.batches.set(id, { state, log: [] });
    return state;
  }

  async accept(id: string): Promise<void> {
    const batch = this.batches.get(id);
    if (batch) batch.state = { ...batch.state, accepted: true };
  }

  async get(id: string): Promise<BatchState | undefined> {
    return this.batches.get(id)?.state;
  }

  async append(batchId: string, event: NewBatchEvent): Promise<BatchEvent | null> {
    const batch = this.batches.get(batchId);
    if (!batch || batch.state.finishedAt !== null) return null;
    const stored = stampEvent(batch.state, event);
    batch.state = applyEvent(batch.state, stored, Date.now(), sizeOf(stored));
    batch.log.push(stored);
    this.live.publish(stored);
    return stored;
  }

  async events(batchId: string, after = 0): Promise<BatchEvent[]> {
    const log = this.batches.get(batchId)?.log ?? [];
    return after <= 0 ? [...log] : log.filter((e) => e.sequence > after);
  }

  async follow(batchId: string, after = 0): Promise<AsyncIterableIterator<BatchEvent> | undefined> {
    const batch = this.batches.get(batchId);
    if (!batch) return undefined;
    return this.live.follow(batchId, batch.state.total, after, batch.state.finishedAt !== null, () => batch.log);
  }

  async subscribers(batchId: string): Promise<number> {
    return this.live.count(batchId);
  }

  async cancel(batchId: string): Promise<BatchState | undefined> {
    const batch = this.batches.get(batchId);
    if (!batch) return undefined;
    batch.state = cancelState(batch.state);
    return batch.state;
  }

  async unfinished(): Promise<BatchState[]> {
    return [...this.batches.values()].map((b) => b.state).filter((s) => s.finishedAt === null);
  }

  async finished(before = Number.POSITIVE_INFINITY): Promise<BatchState[]> {
    return [...this.batches.values()]
      .map((b) => b.state)
      .filter((s) => s.finishedAt !== null && s.finishedAt <= before)
      .sort((a, b) => a.finishedAt! - b.finishedAt!);
  }

  async delete(batchId: string): Promise<void> {
    this.batches.delete(batchId);
    this.live.end(batchId);
  }

  async stats(): Promise<StoreStats> {
    let images = 0;
    let storedBytes = 0;
    for (const { state } of this.batches.values()) {
      images += state.total;
      storedBytes += state.logBytes;
    }
    return { batches: this.batches.size, images, storedBytes };
  }

  endStreams(): void {
    this.live.end();
  }

  async close(): Promise<void> {
    this.live.end();
    this.batches.clear();
  }
}

class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Uint8Array>();
  private used = 0;

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.delete(key);
    this.blobs.set(key, bytes);
    this.used += bytes.byteLength;
  }

  async sync(): Promise<void> {}

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(key);
  }

  async delete(key: string): Promise<void> {
    const old = this.blobs.get(key);
    if (!old) return;
    this.blobs.delete(key);
    this.used -= old.byteLength;
  }

  async deleteBatch(batchId: string): Promise<void> {
    for (const key of [...this.blobs.keys()]) if (key.startsWith(`${batchId}/`)) await this.delete(key);
  }

  async usedBytes(): Promise<number> {
    return this.used;
  }
}

/** Batches in memory: fast, bounded by the same limits, lost with the process. */
export function createMemoryBackend(options: { concurrency: number }): BatchBackend {
  const store = new MemoryBatchStore();
  const queue = new LocalJobQueue(options.concurrency);
  const blobs = new MemoryBlobStore();
  return {
    info: { kind: 'memory', durable: false, shared: false, location: null },
    store,
    queue,
    blobs,
    async close() {
      await queue.close();
      await store.close();
    },
  };
}
