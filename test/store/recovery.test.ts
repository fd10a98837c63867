/**
 * What a start does with what an earlier process left in the SQLite store, with the real runner over a
 * real database: each "process" is a runner on the same DATA_DIR, dropped without a shutdown (its
 * database closed under it, as a crash leaves it). The pipeline is a fake (these tests are about the store).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteBackend } from '../../src/batch/adapters/sqlite/index.js';
import type { BatchEvent } from '../../src/batch/events.js';
import { BatchRunner, MAX_ATTEMPTS, type ImageProcessor } from '../../src/batch/runner.js';
import type { Decklist } from '../../src/pipeline/types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const deck = { metadata: { deckName: 'fake' } } as unknown as Decklist;
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);

const dirs: string[] = [];
const runners: BatchRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.dispose().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function process_(dataDir: string, pipeline: ImageProcessor): BatchRunner {
  const runner = new BatchRunner({
    pipeline,
    backend: createSqliteBackend({ dataDir, concurrency: 1 }),
    concurrency: 1,
    retentionMs: 3_600_000,
    maxBatches: 100,
    maxQueuedImages: 100,
  });
  runners.push(runner);
  return runner;
}

/** Drops a runner as a crash would: nothing finished, nothing recorded, the database let go. */
async function crash(runner: BatchRunner): Promise<void> {
  runners.splice(runners.indexOf(runner), 1);
  await runner.dispose();
}

/** A pipeline whose reads never end (the process "dies" while reading), counting its calls. */
function hangingPipeline(): ImageProcessor & { calls: number } {
  const pipeline = {
    calls: 0,
    process: () => {
      pipeline.calls++;
      return new Promise<Decklist>(() => undefined);
    },
  };
  return pipeline;
}

async function untilComplete(runner: BatchRunner, id: string): Promise<BatchEvent[]> {
  const events: BatchEvent[] = [];
  for await (const e of (await runner.subscribe(id))!) events.push(e);
  return events;
}

describe('restart recovery (SQLite)', () => {
  it(`an image handed out ${MAX_ATTEMPTS} times without finishing ends with OCR_FAILED, not a fourth read`, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'decklist-recovery-'));
    dirs.push(dataDir);
    const hanging = hangingPipeline();
    let runner = process_(dataDir, hanging);
    await runner.start();
    const batch = await runner.createBatch(1);
    await runner.addImage(batch.id, 0, 'poison.png', png);
    await runner.accept(batch.id);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      for (let i = 0; i < 100 && hanging.calls < attempt; i++) await sleep(10);
      expect(hanging.calls).toBe(attempt);
      await crash(runner);
      runner = process_(dataDir, hanging);
      await runner.start();
    }
    const events = await untilComplete(runner, batch.id);
    expect(hanging.calls).toBe(MAX_ATTEMPTS);
    expect(events.find((e) => e.kind === 'error')).toMatchObject({
      index: 0,
      code: 'OCR_FAILED',
      message: `poison.png was not read: the service stopped ${MAX_ATTEMPTS} times while reading it`,
    });
    expect(events.at(-1)).toMatchObject({ kind: 'complete', failed: 1, succeeded: 0 });
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
  });

  it('an image whose result was stored before the crash is not read again (the first result stands)', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'decklist-recovery-'));
    dirs.push(dataDir);
    let calls = 0;
    // Stores its result, then "dies" before the job leaves the queue: the result is appended by hand
    // while the real read hangs.
    const hanging = hangingPipeline();
    const first = process_(dataDir, hanging);
    await first.start();
    const batch = await first.createBatch(2);
    await first.addImage(batch.id, 0, 'a.png', png);
    await first.addImage(batch.id, 1, 'b.png', png);
    await first.accept(batch.id);
    for (let i = 0; i < 100 && hanging.calls === 0; i++) await sleep(10);
    const backend = (first as unknown as { backend: { store: { append(id: string, e: unknown): Promise<unknown> } } }).backend;
    await backend.store.append(batch.id, { kind: 'result', index: 0, filename: 'a.png', decklist: deck });
    await crash(first);

    const second = process_(dataDir, {
      async process() {
        calls++;
        return deck;
      },
    });
    await second.start();
    const events = await untilComplete(second, batch.id);
    expect(calls).toBe(1); // only b.png
    expect(events.filter((e) => e.kind === 'result').map((e) => (e.kind === 'result' ? e.index : -1))).toEqual([0, 1]);
    expect(events.at(-1)).toMatchObject({ kind: 'complete', succeeded: 2 });
  });

  it('a batch whose upload was cut by the crash (never accepted) is deleted at the next start, with its files', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'decklist-recovery-'));
    dirs.push(dataDir);
    const first = process_(dataDir, hangingPipeline());
    await first.start();
    const batch = await first.createBatch(3);
    await first.addImage(batch.id, 0, 'a.png', png);
    await crash(first);
    const second = process_(dataDir, hangingPipeline());
    await second.start();
    expect(await second.get(batch.id)).toBeUndefined();
    expect(second.queueDepth).toBe(0);
    expect(await second.storedBytes()).toBe(0);
  });
});
