/**
 * Nothing accepted is lost: the real service (`src/main.ts`, SQLite store, real OCR) as a child process on
 * one DATA_DIR, killed with SIGKILL at several points of a batch (`TEST_PAUSE_AT` stops all image work at
 * a known point and says so on stdout), then stopped with SIGTERM, and started again each time. A real
 * graphql-sse client follows the batch across every restart, resuming with `after`; at the end its
 * events must be the batch's whole log, 1, 2, 3… with no gap and no duplicate, each file ended exactly
 * once, and the decklists right against the fixture labels.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceClient, type BatchEvent } from '../../src/client/client.js';
import { BatchQuery, HealthQuery } from '../../src/client/operations.js';
import { PROJECT_ROOT } from '../../src/env.js';
import type { PausePoint } from '../../src/batch/runner.js';
import { collect, expectDecklist, fixtureFile, fixtures } from './helpers.js';
import { childEnv } from '../helpers/env.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'decklist-durability-'));
const children: ChildProcess[] = [];
/** The service the first test leaves running for the second (one start less on a shared machine). */
let last: Running | null = null;
/** The first test's batch and its whole log, replayed again after the second test's restart. */
let finishedBatch: { id: string; events: BatchEvent[] } | null = null;
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  client: ServiceClient;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start`'s entry on the shared DATA_DIR, one image at a time (so the pause points are exact). */
async function startService(pauseAt: PausePoint | null = null): Promise<Running> {
  const env: NodeJS.ProcessEnv = childEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STORE: 'sqlite',
    OCR_WORKERS: '1',
    BATCH_CONCURRENCY: '1',
    SHUTDOWN_GRACE_SECONDS: '60',
  });
  delete env.TEST_PAUSE_AT;
  if (pauseAt) env.TEST_PAUSE_AT = pauseAt;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  for (let i = 0; i < 600 && !/listening on (\S+)/.test(out) && child.exitCode === null; i++) await sleep(50);
  const url = /listening on (\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`the service did not start:\n${out}`);
  // DURABILITY_TIMES=1 prints when each start and pause happened (to see where the time goes).
  if (process.env.DURABILITY_TIMES) console.log(`${Math.round(performance.now())} started ${pauseAt}: ${out.trim()}`);
  return { child, url, client: new ServiceClient({ url, resumeAttempts: 0 }), output: () => out, exited };
}

async function waitFor(running: Running, text: string): Promise<void> {
  for (let i = 0; i < 1200 && !running.output().includes(text); i++) await sleep(50);
  expect(running.output(), `waiting for "${text}"`).toContain(text);
  if (process.env.DURABILITY_TIMES) console.log(`${Math.round(performance.now())} ${text}`);
}

/**
 * Follows the batch from `after` into `into` until the stream ends or breaks (the process died; the client
 * has `resumeAttempts: 0`: the test resumes on the restarted service itself).
 */
function follow(client: ServiceClient, batchId: string, into: BatchEvent[]): Promise<void> {
  const after = into.at(-1)?.sequence ?? 0;
  return (async () => {
    try {
      for await (const e of client.batchEvents(batchId, after)) into.push(e);
    } catch {
      // the server went away: resume after the last event received
    }
  })();
}

async function kill(running: Running, streams: Promise<void>[]): Promise<void> {
  // Let events already sent reach the client, then kill without warning.
  await sleep(200);
  running.child.kill('SIGKILL');
  expect((await running.exited).signal).toBe('SIGKILL');
  await Promise.all(streams);
  running.client.dispose();
}

const endings = (events: BatchEvent[]) => events.flatMap((e) => (e.__typename === 'BatchResult' || e.__typename === 'BatchError' ? [e.index] : [])).sort();

describe('durable batches across SIGKILL and SIGTERM (SQLite, real processes, real OCR)', () => {
  it('resumes a batch killed before its first image, mid-image, after its first result and before BatchComplete', async () => {
    const files = fixtures.slice(0, 2).map(fixtureFile);
    const seen: BatchEvent[] = [];
    const reads: number[] = [];

    // 1. Killed after the upload was accepted, before any image was read.
    let run = await startService('before-first-image');
    const batch = await run.client.processBatch(files);
    expect(batch.total).toBe(2);
    const first = follow(run.client, batch.id, seen);
    await waitFor(run, 'TEST_PAUSE_AT before-first-image reached');
    await kill(run, [first]);
    expect(seen.map((e) => e.__typename === 'BatchProgress' && e.stage)).toEqual(['QUEUED', 'QUEUED']);
    reads.push(seen.length);

    // 2. Killed mid-image: the first image was read, its result not stored.
    run = await startService('mid-image');
    const second = follow(run.client, batch.id, seen);
    await waitFor(run, 'TEST_PAUSE_AT mid-image reached');
    await kill(run, [second]);
    expect(seen.some((e) => e.__typename === 'BatchProgress' && e.stage === 'MATCHING')).toBe(true);
    expect(endings(seen)).toEqual([]);
    reads.push(seen.length);

    // 3. Killed right after the first result was stored.
    run = await startService('after-first-result');
    const third = follow(run.client, batch.id, seen);
    await waitFor(run, 'TEST_PAUSE_AT after-first-result reached');
    await kill(run, [third]);
    expect(endings(seen)).toEqual([0]);
    reads.push(seen.length);

    // 4. Killed after the last image's result, before BatchComplete.
    run = await startService('before-complete');
    const fourth = follow(run.client, batch.id, seen);
    await waitFor(run, 'TEST_PAUSE_AT before-complete reached');
    await kill(run, [fourth]);
    expect(endings(seen)).toEqual([0, 1]);
    expect(seen.some((e) => e.__typename === 'BatchComplete')).toBe(false);
    reads.push(seen.length);

    // 5. A plain start finishes it: BatchComplete, and the stream ends. (This process goes on to the next test.)
    run = await startService();
    last = run;
    await follow(run.client, batch.id, seen);
    {
      // The client received something new at every step, and resumed without a gap or duplicate.
      expect(reads.every((n, i) => n > (reads[i - 1] ?? 0))).toBe(true);
      expect(seen.map((e) => e.sequence)).toEqual(seen.map((_, i) => i + 1));
      expect(seen).toEqual(await collect(run.client.batchEvents(batch.id)));
      const complete = seen.at(-1);
      expect(complete).toMatchObject({ __typename: 'BatchComplete', total: 2, succeeded: 2, failed: 0, cancelled: 0 });
      expect(seen.filter((e) => e.__typename === 'BatchComplete')).toHaveLength(1);
      // Every file ended exactly once; the image read when the process died was read again, the one finished was not.
      expect(endings(seen)).toEqual([0, 1]);
      const decodings = (index: number) => seen.filter((e) => e.__typename === 'BatchProgress' && e.index === index && e.stage === 'DECODING').length;
      expect([decodings(0), decodings(1)]).toEqual([2, 1]);
      for (const e of seen) {
        if (e.__typename === 'BatchResult') expectDecklist(e.decklist, fixtures[e.index]!);
      }
      const { batch: final } = await run.client.request(BatchQuery, { id: batch.id });
      expect(final).toMatchObject({ status: 'COMPLETED', succeeded: 2, completed: 2 });
      const { health } = await run.client.request(HealthQuery);
      expect(health).toMatchObject({ queueDepth: 0, store: { kind: 'sqlite', durable: true } });
      finishedBatch = { id: batch.id, events: seen };
    }
  });

  it('SIGTERM leaves unfinished images for the next start; finished batches stay replayable', async () => {
    const files = fixtures.slice(2, 4).map(fixtureFile);
    let run = last ?? (await startService());
    const batch = await run.client.processBatch(files);
    const seen: BatchEvent[] = [];
    const stream = follow(run.client, batch.id, seen);
    for (let i = 0; i < 400 && !seen.some((e) => e.__typename === 'BatchProgress' && e.stage === 'READING'); i++) await sleep(25);
    run.child.kill('SIGTERM');
    const stopped = await run.exited;
    await stream;
    run.client.dispose();
    expect(stopped.code).toBe(0);
    expect(run.output()).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
    // The image being read finished within the grace time; the other waits for the next start.
    expect(endings(seen)).toEqual([0]);
    expect(seen.some((e) => e.__typename === 'BatchError' || e.__typename === 'BatchComplete')).toBe(false);

    run = await startService();
    try {
      await follow(run.client, batch.id, seen);
      expect(seen.map((e) => e.sequence)).toEqual(seen.map((_, i) => i + 1));
      expect(seen.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 2 });
      expect(endings(seen)).toEqual([0, 1]);
      for (const e of seen) if (e.__typename === 'BatchResult') expectDecklist(e.decklist, fixtures[2 + e.index]!);
      // The first test's batch, finished before this restart, is still there and replays the same.
      const { health } = await run.client.request(HealthQuery);
      expect(health.batches).toBe(2);
      if (finishedBatch) expect(await collect(run.client.batchEvents(finishedBatch.id))).toEqual(finishedBatch.events);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      run.client.dispose();
    }
  });
});
