/**
 * One contract for the batch ports, run against every adapter (memory, SQLite on a real file in a
 * temporary DATA_DIR). A durable adapter also keeps everything across a close and reopen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/batch/adapters/memory/index.js';
import { createRedisBackend } from '../../src/batch/adapters/redis/index.js';
import { createSqliteBackend } from '../../src/batch/adapters/sqlite/index.js';
import type { BatchEvent, NewBatchEvent } from '../../src/batch/events.js';
import type { BatchBackend, ImageJob, JobOutcome } from '../../src/batch/ports.js';
import { applyEvent, initialState, stampEvent } from '../../src/batch/state.js';
import { deletePrefix, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (an adapter over the network takes a few ms more than an embedded one). */
async function eventually(check: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const progress = (index: number, stage: 'QUEUED' | 'DECODING' = 'QUEUED'): NewBatchEvent => ({
  kind: 'progress',
  index,
  filename: `${index}.png`,
  stage,
  completed: 0,
  total: 0,
});
const error = (index: number, code: 'NOT_A_DECKLIST' | 'CANCELLED' = 'NOT_A_DECKLIST'): NewBatchEvent => ({
  kind: 'error',
  index,
  filename: `${index}.png`,
  code,
  message: 'no',
});
const complete: NewBatchEvent = { kind: 'complete', total: 2, succeeded: 0, failed: 1, cancelled: 1, durationMs: 5 };
const job = (batchId: string, index: number, bytes = 10): ImageJob => ({ batchId, index, filename: `${index}.png`, blobKey: `${batchId}/${index}`, bytes });

describe('applyEvent (pure batch state)', () => {
  it('counts results, failures and cancellations, and finishes on BatchComplete', () => {
    const s0 = initialState('b', 3, 1000);
    const e1 = stampEvent(s0, progress(0, 'DECODING'));
    expect(e1).toMatchObject({ batchId: 'b', sequence: 1, completed: 0, total: 3 });
    const s1 = applyEvent(s0, e1, 1001, 50);
    expect(s0.status).toBe('QUEUED'); // the input is not changed
    expect(s1).toMatchObject({ status: 'RUNNING', lastSequence: 1, logBytes: 50 });
    const s2 = applyEvent(s1, stampEvent(s1, error(0)), 1002);
    const s3 = applyEvent(s2, stampEvent(s2, error(1, 'CANCELLED')), 1003);
    expect(s3).toMatchObject({ failed: 1, cancelled: 1, status: 'CANCELLED', lastSequence: 3 });
    const s4 = applyEvent(s3, stampEvent(s3, { kind: 'result', index: 2, filename: '2.png', decklist: {} as never }), 1004);
    const s5 = applyEvent(s4, stampEvent(s4, complete), 1005);
    expect(s5).toMatchObject({ succeeded: 1, status: 'CANCELLED', finishedAt: 1005, lastSequence: 5 });
  });
});

interface Adapter {
  name: string;
  durable: boolean;
  open(concurrency?: number): Promise<BatchBackend>;
}

const dirs: string[] = [];
const prefixes: string[] = [];
const opened: BatchBackend[] = [];
afterEach(async () => {
  for (const b of opened.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  for (const p of prefixes.splice(0)) await deletePrefix(p);
});

function sqliteAdapter(): Adapter {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'decklist-store-'));
  dirs.push(dir);
  return { name: 'sqlite', durable: true, open: async (concurrency = 1) => createSqliteBackend({ dataDir: dir, concurrency }) };
}
/** Redis at REDIS_URL, under a key prefix of its own (deleted after each test). */
function redisAdapter(): Adapter {
  const prefix = testPrefix('contract');
  prefixes.push(prefix);
  return {
    name: 'redis',
    durable: true,
    open: (concurrency = 1) => createRedisBackend({ url: TEST_REDIS_URL, prefix, concurrency, lockMs: 5_000, blobTtlMs: 60_000, waitMs: 5_000 }),
  };
}
const adapters: (() => Adapter)[] = [
  () => ({ name: 'memory', durable: false, open: async (concurrency = 1) => createMemoryBackend({ concurrency }) }),
  sqliteAdapter,
  redisAdapter,
];

for (const makeAdapter of adapters) {
  const adapterName = makeAdapter().name;
  describe(`ports contract: ${adapterName}`, () => {
    let adapter: Adapter;
    const open = async (concurrency?: number) => {
      const backend = await adapter.open(concurrency);
      opened.push(backend);
      return backend;
    };
    const reopen = async (backend: BatchBackend, concurrency?: number) => {
      await backend.close();
      opened.splice(opened.indexOf(backend), 1);
      return open(concurrency);
    };

    it('batch store: numbers events 1, 2, 3…, keeps the state in step, refuses events after BatchComplete', async () => {
      adapter = makeAdapter();
      const { store, info } = await open();
      expect(info.kind).toBe(adapterName);
      expect(await store.get('b1')).toBeUndefined();
      expect(await store.append('b1', progress(0))).toBeNull();
      await store.create('b1', 2, 1_000);
      expect(await store.get('b1')).toMatchObject({ id: 'b1', total: 2, status: 'QUEUED', lastSequence: 0, accepted: false, finishedAt: null });
      await store.accept('b1');
      expect((await store.get('b1'))?.accepted).toBe(true);
      const e1 = await store.append('b1', progress(0, 'DECODING'));
      const e2 = await store.append('b1', error(0));
      const e3 = await store.append('b1', progress(1, 'DECODING'));
      expect([e1?.sequence, e2?.sequence, e3?.sequence]).toEqual([1, 2, 3]);
      expect(e3).toMatchObject({ kind: 'progress', completed: 1, total: 2, batchId: 'b1' });
      await store.append('b1', error(1, 'CANCELLED'));
      const done = await store.append('b1', complete);
      expect(done?.sequence).toBe(5);
      expect(await store.append('b1', progress(1))).toBeNull();
      const state = await store.get('b1');
      expect(state).toMatchObject({ failed: 1, cancelled: 1, status: 'CANCELLED', lastSequence: 5 });
      expect(state?.finishedAt).toBeGreaterThan(0);
      expect((await store.events('b1')).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.events('b1', 3)).map((e) => e.sequence)).toEqual([4, 5]);
      expect(await store.events('b1', 3)).toEqual((await store.events('b1')).slice(3));
    });

    it('batch store: follow replays after `after`, then delivers live events with no gap or duplicate, and ends after BatchComplete', async () => {
      adapter = makeAdapter();
      const { store } = await open();
      await store.create('b', 2, Date.now());
      await store.append('b', progress(0));
      await store.append('b', progress(1));
      const all = (await store.follow('b'))!;
      const resumed = (await store.follow('b', 1))!;
      expect(await store.subscribers('b')).toBe(0); // a follower registers when first read
      const seenAll: BatchEvent[] = [];
      const seenResumed: BatchEvent[] = [];
      const reading = Promise.all([
        (async () => {
          for await (const e of all) seenAll.push(e);
        })(),
        (async () => {
          for await (const e of resumed) seenResumed.push(e);
        })(),
      ]);
      await eventually(async () => (await store.subscribers('b')) === 2);
      await store.append('b', error(0));
      await store.append('b', error(1));
      await store.append('b', { ...complete, cancelled: 0, failed: 2 });
      await reading;
      expect(seenAll.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(seenResumed.map((e) => e.sequence)).toEqual([2, 3, 4, 5]);
      expect(seenAll.at(-1)?.kind).toBe('complete');
      expect(await store.subscribers('b')).toBe(0);
      // A finished batch replays and ends.
      const replay: BatchEvent[] = [];
      for await (const e of (await store.follow('b', 3))!) replay.push(e);
      expect(replay.map((e) => e.sequence)).toEqual([4, 5]);
      expect(await store.follow('nope')).toBeUndefined();
    });

    it('batch store: a follower that leaves is removed; delete ends followers; endStreams ends all', async () => {
      adapter = makeAdapter();
      const { store } = await open();
      await store.create('a', 1, Date.now());
      await store.create('b', 1, Date.now());
      const a = (await store.follow('a'))!;
      const pendingA = a.next();
      await eventually(async () => (await store.subscribers('a')) === 1);
      await a.return?.(undefined);
      await pendingA;
      await eventually(async () => (await store.subscribers('a')) === 0);
      const b = (await store.follow('b'))!;
      const ended = b.next();
      await eventually(async () => (await store.subscribers('b')) === 1);
      await store.delete('b');
      expect((await ended).done).toBe(true);
      expect(await store.get('b')).toBeUndefined();
      expect(await store.events('b')).toEqual([]);
      const a2 = (await store.follow('a'))!;
      const ended2 = a2.next();
      await eventually(async () => (await store.subscribers('a')) === 1);
      store.endStreams();
      expect((await ended2).done).toBe(true);
    });

    it('batch store: cancel flag, unfinished and finished lists (oldest finish first), stats, delete', async () => {
      adapter = makeAdapter();
      const { store } = await open();
      for (const id of ['x', 'y', 'z']) await store.create(id, 2, Date.now());
      expect(await store.cancel('nope')).toBeUndefined();
      expect((await store.cancel('x'))?.status).toBe('CANCELLED');
      for (const id of ['z', 'y']) {
        await store.append(id, error(0));
        await store.append(id, error(1));
        await store.append(id, { ...complete, failed: 2, cancelled: 0 });
        await sleep(5);
      }
      expect((await store.cancel('y'))?.status).toBe('COMPLETED'); // finished: the flag changes nothing
      expect((await store.unfinished()).map((s) => s.id)).toEqual(['x']);
      expect((await store.finished()).map((s) => s.id)).toEqual(['z', 'y']);
      const zFinished = (await store.get('z'))!.finishedAt!;
      expect((await store.finished(zFinished)).map((s) => s.id)).toEqual(['z']);
      const stats = await store.stats();
      expect(stats).toMatchObject({ batches: 3, images: 6 });
      expect(stats.storedBytes).toBeGreaterThan(0);
      await store.delete('z');
      const after = await store.stats();
      expect(after).toMatchObject({ batches: 2, images: 4 });
      expect(after.storedBytes).toBeLessThan(stats.storedBytes);
    });

    it('job queue: fair turns between batches, order within one, at most `concurrency` at once', async () => {
      adapter = makeAdapter();
      const { queue } = await open(1);
      for (let i = 0; i < 3; i++) await queue.enqueue(job('big', i));
      await queue.enqueue(job('small', 0));
      expect(queue.depth()).toEqual({ jobs: 4, bytes: 40, active: 0 });
      expect((await queue.waiting('big')).map((j) => j.index)).toEqual([0, 1, 2]);
      const order: string[] = [];
      let active = 0;
      let most = 0;
      const done = new Promise<void>((resolve) => {
        queue.consume(async (j) => {
          active++;
          most = Math.max(most, active);
          await sleep(5);
          order.push(`${j.batchId}${j.index}`);
          active--;
          if (order.length === 4) resolve();
          return 'done';
        });
      });
      await done;
      expect(order).toEqual(['big0', 'small0', 'big1', 'big2']);
      expect(most).toBe(1);
      await eventually(() => queue.depth().active === 0);
      expect(queue.depth()).toEqual({ jobs: 0, bytes: 0, active: 0 });
    });

    it("job queue: drop removes a batch's waiting jobs; pause stops handing out and waits for running handlers", async () => {
      adapter = makeAdapter();
      const { queue } = await open(1);
      let release!: () => void;
      const handled: number[] = [];
      queue.consume(async (j) => {
        handled.push(j.index);
        if (j.index === 0) await new Promise<void>((r) => (release = r));
        return 'done';
      });
      for (let i = 0; i < 4; i++) await queue.enqueue(job('b', i));
      await eventually(() => queue.depth().active === 1);
      expect(queue.depth()).toMatchObject({ jobs: 3, active: 1 });
      const dropped = await queue.drop('b');
      expect(dropped.map((j) => j.index)).toEqual([1, 2, 3]);
      expect(queue.depth()).toMatchObject({ jobs: 0, bytes: 0, active: 1 });
      await queue.enqueue(job('c', 0));
      expect(await queue.pause(10)).toBe(false); // a pause that runs out of time says so
      const paused = queue.pause(1_000);
      release();
      expect(await paused).toBe(true);
      await sleep(100);
      expect(handled).toEqual([0]); // the job queued after pause waits
      expect(queue.depth()).toMatchObject({ jobs: 1, active: 0 });
    });

    it('blob store: put, get, delete, deleteBatch, bytes used', async () => {
      adapter = makeAdapter();
      const { blobs } = await open();
      await blobs.put('b1/0', Buffer.from('hello'));
      await blobs.put('b1/1', Buffer.from('world!'));
      await blobs.put('b2/0', Buffer.from('x'));
      expect(Buffer.from((await blobs.get('b1/0'))!).toString()).toBe('hello');
      expect(await blobs.usedBytes()).toBe(12);
      await blobs.put('b1/0', Buffer.from('hi')); // replaced, counted once
      expect(await blobs.usedBytes()).toBe(9);
      await blobs.delete('b1/1');
      await blobs.delete('b1/1');
      expect(await blobs.get('b1/1')).toBeUndefined();
      await blobs.deleteBatch('b1');
      expect(await blobs.get('b1/0')).toBeUndefined();
      expect(await blobs.usedBytes()).toBe(1);
    });

    if (makeAdapter().durable) {
      it('durable: batches, logs, sequences, unfinished jobs (with their attempts) and blobs survive a reopen', async () => {
        adapter = makeAdapter();
        let backend = await open(1);
        await backend.store.create('b', 3, 1_000);
        await backend.store.accept('b');
        await backend.store.append('b', progress(0));
        await backend.blobs.put('b/0', Buffer.from('bytes0'));
        await backend.blobs.put('b/1', Buffer.from('bytes1'));
        await backend.queue.enqueue(job('b', 0, 6));
        await backend.queue.enqueue(job('b', 1, 6));
        await backend.queue.enqueue(job('b', 2, 6));
        // Job 0 is interrupted (retry), job 1 finishes; the queue is paused before job 2.
        const seen: string[] = [];
        backend.queue.consume(async (j): Promise<JobOutcome> => {
          seen.push(`${j.index}:${j.attempts}`);
          if (j.index === 1) void backend.queue.pause(1_000);
          return j.index === 0 ? 'retry' : 'done';
        });
        await eventually(() => seen.length === 2);
        await sleep(50);
        expect(seen).toEqual(['0:0', '1:0']);

        backend = await reopen(backend, 1);
        expect(await backend.store.get('b')).toMatchObject({ total: 3, accepted: true, lastSequence: 1, createdAt: 1_000 });
        expect((await backend.store.unfinished()).map((s) => s.id)).toEqual(['b']);
        expect(backend.queue.depth()).toMatchObject({ jobs: 2, bytes: 12 });
        expect((await backend.queue.waiting('b')).map((j) => [j.index, j.attempts])).toEqual([
          [0, 1],
          [2, 0],
        ]);
        expect(Buffer.from((await backend.blobs.get('b/1'))!).toString()).toBe('bytes1');
        expect(await backend.blobs.usedBytes()).toBe(12);
        expect((await backend.store.append('b', progress(1)))?.sequence).toBe(2);
      });
    }
  });
}
