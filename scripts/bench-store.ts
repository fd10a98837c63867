/**
 * `npm run bench:store [-- --batches 10 --images 10]`: what the batch store costs per image, on each
 * adapter. The real BatchRunner over the real adapter (SQLite in a temporary DATA_DIR, removed after)
 * with a pipeline that answers at once with a real decklist (read once from a fixture by the real
 * pipeline), so the time measured is the runner and the store: storing each upload, its queue entry, six
 * events (QUEUED, four stages, the result), reading the upload back, deleting it, BatchComplete.
 * Prints per adapter: ms to accept a batch (uploads stored), ms of store work per image, and for SQLite
 * the disk used per batch (database and WAL; uploads are deleted once read).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemoryBackend } from '../src/batch/adapters/memory/index.js';
import { createSqliteBackend } from '../src/batch/adapters/sqlite/index.js';
import type { BatchBackend } from '../src/batch/ports.js';
import { BatchRunner } from '../src/batch/runner.js';
import { createPipeline } from '../src/pipeline/pipeline.js';
import { PIPELINE_STAGES, type Decklist } from '../src/pipeline/types.js';
import { loadFixtures } from './fixtures.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}
const BATCHES = option('--batches', 10);
const IMAGES = option('--images', 10);

const fixtures = loadFixtures();
const uploads = fixtures.map((f) => readFileSync(f.imagePath));
const pipeline = await createPipeline({ workers: 1 });
const decklist: Decklist = await pipeline.process(uploads[0]!);
await pipeline.close();
console.log(`decklist JSON ${JSON.stringify(decklist).length} bytes; uploads ${uploads.map((u) => u.length).join(', ')} bytes`);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const dirBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
    0,
  );

async function measure(name: string, backend: BatchBackend, dataDir: string | null) {
  const runner = new BatchRunner({
    pipeline: {
      async process(_bytes, options = {}) {
        for (const stage of PIPELINE_STAGES) options.onStage?.(stage);
        return decklist;
      },
    },
    backend,
    concurrency: 2,
    retentionMs: 3_600_000,
    maxBatches: 100_000,
    maxQueuedImages: 100_000,
  });
  await runner.start();
  const accept: number[] = [];
  const perImage: number[] = [];
  const before = dataDir ? dirBytes(dataDir) : 0;
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    const batch = await runner.createBatch(IMAGES);
    for (let i = 0; i < IMAGES; i++) await runner.addImage(batch.id, i, `${i}.jpg`, uploads[i % uploads.length]!);
    await runner.accept(batch.id);
    accept.push(performance.now() - t0);
    for await (const event of (await runner.subscribe(batch.id))!) if (event.kind === 'complete') break;
    perImage.push((performance.now() - t0) / IMAGES);
  }
  const disk = dataDir ? (dirBytes(dataDir) - before) / BATCHES : null;
  const stored = (await runner.storedBytes()) / BATCHES;
  await runner.shutdown(1_000);
  await runner.dispose();
  console.log(
    `${name.padEnd(7)} | accept a ${IMAGES}-image batch ${median(accept).toFixed(1).padStart(6)} ms | store work per image ${median(perImage).toFixed(2).padStart(6)} ms` +
      ` | event log per batch ${(stored / 1e6).toFixed(2)} MB` +
      (disk === null ? '' : ` | disk per batch ${(disk / 1e6).toFixed(2)} MB (database + WAL)`),
  );
}

console.log(`${BATCHES} batches of ${IMAGES} images per adapter (medians)`);
await measure('memory', createMemoryBackend({ concurrency: 2 }), null);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'decklist-bench-store-'));
try {
  await measure('sqlite', createSqliteBackend({ dataDir, concurrency: 2 }), dataDir);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
