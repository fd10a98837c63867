/**
 * The SQLite store's bounds and faults through the real API: MAX_STORED_BYTES (SERVER_BUSY when full,
 * finished batches evicted to make room), retention deleting rows and files, cancel, and a store that
 * fails under a running service (STORE_UNAVAILABLE, then served again). Real SQLite in a temporary
 * DATA_DIR, real HTTP and graphql-sse; the pipeline is a slow fake (these tests are about the store).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteBackend } from '../../src/batch/adapters/sqlite/index.js';
import { ServiceClient, ServiceError } from '../../src/client/client.js';
import { BatchQuery, CancelBatchMutation, HealthQuery } from '../../src/client/operations.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase, type CardDatabase } from '../../src/pipeline/cards/cards.js';
import { PIPELINE_STAGES } from '../../src/pipeline/types.js';
import type { Service, ServicePipeline } from '../../src/server/app.js';
import type { ServerConfig } from '../../src/server/config.js';
import { collect, startService } from './helpers.js';
import { emptyDecklist } from '../fuzz/fake-pipeline.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let cards: CardDatabase;
beforeAll(async () => {
  cards = await loadCardDatabase(DEFAULT_CARDS_PATH);
});

const deck = emptyDecklist();

function slowPipeline(ms: number): ServicePipeline {
  return {
    cards,
    workers: 1,
    async process(_bytes, options = {}) {
      for (const stage of PIPELINE_STAGES) {
        options.onStage?.(stage);
        await sleep(ms / PIPELINE_STAGES.length);
      }
      return deck;
    },
  };
}

/** A "PNG" of `size` bytes (the fake pipeline never decodes it). */
const png = (name: string, size = 9) => {
  const bytes = Buffer.alloc(size, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return { name, bytes, type: 'image/png' };
};

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function start(config: Partial<ServerConfig>, ms = 300): Promise<{ service: Service; client: ServiceClient; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'decklist-limits-'));
  const backend = createSqliteBackend({ dataDir, concurrency: 1 });
  const { service, url } = await startService(slowPipeline(ms), { concurrency: 1, ...config }, backend);
  const client = new ServiceClient({ url });
  cleanup.push(async () => {
    client.dispose();
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { service, client, dataDir };
}

const base = (overrides: Partial<ServerConfig['store']>): Partial<ServerConfig> => ({
  store: { kind: 'sqlite', dataDir: '', maxStoredBytes: 2 * 1024 ** 3, redis: null, ...overrides },
});

describe('MAX_STORED_BYTES', () => {
  it('refuses new work with SERVER_BUSY while full, evicts finished batches to make room, and bounds each image', async () => {
    const { client, dataDir } = await start(base({ maxStoredBytes: 3_000 }));
    const a = await client.processBatch([png('a.png', 2_900)]);
    // A's upload waits on disk: the store is full.
    const refused = await client.processBatch([png('b.png', 2_900)]).catch((e) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect(refused.code).toBe('SERVER_BUSY');
    expect(refused.message).toMatch(/the batch store is full \(\d+ bytes stored, at most 3000\)/);
    expect(refused.errors[0].extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(readdirSync(path.join(dataDir, 'blobs'))).toEqual([a.id]);

    expect((await collect(client.batchEvents(a.id))).at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 1 });
    // Read: its upload is deleted; its log stays until retention or eviction.
    const { health } = await client.request(HealthQuery);
    expect(health.store).toMatchObject({ kind: 'sqlite', durable: true, maxStoredBytes: 3_000 });
    expect(health.store.storedBytes).toBeGreaterThan(0);
    expect(health.store.storedBytes).toBeLessThan(2_900);
    expect(readdirSync(path.join(dataDir, 'blobs', a.id))).toEqual([]);

    // The next upload needs A's room: A is evicted.
    const c = await client.processBatch([png('c.png', 2_900)]);
    expect((await client.request(BatchQuery, { id: a.id })).batch).toBeNull();
    expect(existsSync(path.join(dataDir, 'blobs', a.id))).toBe(false);
    expect((await collect(client.batchEvents(c.id))).at(-1)).toMatchObject({ succeeded: 1 });

    // Within one batch, an image that does not fit becomes its own SERVER_BUSY error.
    const d = await client.processBatch([png('d0.png', 2_900), png('d1.png', 2_900)]);
    const events = await collect(client.batchEvents(d.id));
    expect(events.find((e) => e.__typename === 'BatchError')).toMatchObject({ index: 1, code: 'SERVER_BUSY' });
    expect(events.at(-1)).toMatchObject({ succeeded: 1, failed: 1 });
    expect((await client.request(BatchQuery, { id: c.id })).batch).toBeNull();
  });
});

describe('retention and cancel on SQLite', () => {
  it('retention deletes the batch, its log and its files', async () => {
    const { service, client, dataDir } = await start({ retentionMs: 300 }, 20);
    const batch = await client.processBatch([png('a.png', 100), png('b.png', 100)]);
    await collect(client.batchEvents(batch.id));
    expect((await service.runner.events(batch.id)).length).toBeGreaterThan(0);
    await sleep(700);
    expect((await client.request(BatchQuery, { id: batch.id })).batch).toBeNull();
    expect(await service.runner.size()).toBe(0);
    expect(await service.runner.events(batch.id)).toEqual([]);
    expect(await service.runner.storedBytes()).toBe(0);
    expect(existsSync(path.join(dataDir, 'blobs', batch.id))).toBe(false);
  });

  it('cancel drops the queued images and their files, each with its CANCELLED error', async () => {
    const { client, dataDir } = await start({}, 400);
    const batch = await client.processBatch([png('a.png'), png('b.png'), png('c.png')]);
    expect(readdirSync(path.join(dataDir, 'blobs', batch.id)).sort()).toEqual(['0', '1', '2']);
    await sleep(100);
    await client.request(CancelBatchMutation, { id: batch.id });
    expect(readdirSync(path.join(dataDir, 'blobs', batch.id))).toEqual(['0']); // being read
    const events = await collect(client.batchEvents(batch.id));
    expect(events.filter((e) => e.__typename === 'BatchError').map((e) => (e.__typename === 'BatchError' ? [e.index, e.code] : []))).toEqual([
      [1, 'CANCELLED'],
      [2, 'CANCELLED'],
    ]);
    expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 1, cancelled: 2 });
    expect(readdirSync(path.join(dataDir, 'blobs', batch.id))).toEqual([]);
  });
});

describe('a store that fails while the service runs', () => {
  it('answers STORE_UNAVAILABLE (no batch is created), keeps serving, and works again once the disk is back', async () => {
    const { service, client, dataDir } = await start({}, 20);
    const blobs = path.join(dataDir, 'blobs');
    rmSync(blobs, { recursive: true, force: true });
    writeFileSync(blobs, 'not a directory'); // as an unwritable or vanished upload directory
    const error = await client.processBatch([png('a.png')]).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toMatch(/the upload could not be stored under .*blobs/);
    expect(await service.runner.size()).toBe(0);
    expect((await client.request(HealthQuery)).health.status).toBe('OK');

    rmSync(blobs, { force: true });
    mkdirSync(blobs);
    const batch = await client.processBatch([png('a.png')]);
    expect((await collect(client.batchEvents(batch.id))).at(-1)).toMatchObject({ succeeded: 1 });
  });
});
