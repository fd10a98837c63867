/**
 * Scale-out on Redis with real processes: `npm start` twice with ROLE=api and twice with ROLE=worker, one
 * Redis (REDIS_URL) under a key prefix of this run. A batch uploaded on one API is followed on the other;
 * a worker and the followed API are killed with SIGKILL mid-batch; the client resumes on the surviving API
 * with `after`. Every file must end exactly once with the right decklist (fixture labels), and the events
 * the client saw must be the batch's whole log, 1, 2, 3… with no gap and no duplicate. A batch uploaded
 * on one API is cancelled on the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient, type BatchEvent } from '../../src/client/client.js';
import { BatchQuery, CancelBatchMutation, HealthQuery } from '../../src/client/operations.js';
import { PROJECT_ROOT } from '../../src/env.js';
import { deletePrefix, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';
import { collect, expectDecklist, fixtureFile, fixtures } from './helpers.js';
import { childEnv } from '../helpers/env.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const prefix = testPrefix('cluster');

interface Instance {
  name: string;
  child: ChildProcess;
  /** GraphQL URL of an API; metrics URL of a worker. */
  url: string;
  output: () => string;
  exited: Promise<unknown>;
}

const instances: Instance[] = [];

/** `npm start` in its own process group (npm → sh → node), so SIGKILL reaches the service itself. */
async function startInstance(name: string, role: 'api' | 'worker'): Promise<Instance> {
  const env: NodeJS.ProcessEnv = childEnv({
    ROLE: role,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    // A dead worker's image is handed out again after ~2 lock times.
    JOB_LOCK_MS: '2000',
    OCR_WORKERS: '1',
    BATCH_CONCURRENCY: '1',
    SHUTDOWN_GRACE_SECONDS: '5',
    // Batches here repeat a few screenshots to last a while: the caches would answer the copies at once.
    RESULT_CACHE_ENTRIES: '0',
    OCR_CROP_CACHE_ENTRIES: '0',
  });
  const child = spawn('npm', ['start', '--silent'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const ready = role === 'api' ? /listening on (\S+)/ : /metrics at (\S+)/;
  for (let i = 0; i < 1200 && !ready.test(out) && child.exitCode === null; i++) await sleep(50);
  const url = ready.exec(out)?.[1];
  if (!url) throw new Error(`${name} did not start:\n${out}`);
  const instance = { name, child, url, output: () => out, exited };
  instances.push(instance);
  return instance;
}

function killHard(instance: Instance): Promise<unknown> {
  process.kill(-instance.child.pid!, 'SIGKILL');
  return instance.exited;
}

/**
 * Follows the batch from after the last event in `into` until the stream ends or breaks (the clients have
 * `resumeAttempts: 0`: the test resumes on another API itself).
 */
async function follow(client: ServiceClient, batchId: string, into: BatchEvent[]): Promise<void> {
  try {
    for await (const e of client.batchEvents(batchId, into.at(-1)?.sequence ?? 0)) into.push(e);
  } catch {
    // the API went away: the caller resumes elsewhere
  }
}

const endings = (events: BatchEvent[]) =>
  events.flatMap((e) => (e.__typename === 'BatchResult' || e.__typename === 'BatchError' ? [e.index] : [])).sort((a, b) => a - b);

let api1: Instance;
let api2: Instance;
let worker1: Instance;

beforeAll(async () => {
  // The APIs start no OCR: start them while the workers load theirs.
  // (The second worker is only there to take over: the test never talks to it.)
  [api1, api2, worker1] = await Promise.all([
    startInstance('api1', 'api'),
    startInstance('api2', 'api'),
    startInstance('worker1', 'worker'),
    startInstance('worker2', 'worker'),
  ]);
}, 240_000);

afterAll(async () => {
  for (const instance of instances) {
    if (instance.child.exitCode === null && instance.child.signalCode === null) {
      try {
        process.kill(-instance.child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  await Promise.all(instances.map((i) => i.exited));
  await deletePrefix(prefix);
});

describe('Redis + BullMQ: two APIs and two workers (real processes, real OCR)', () => {
  it('health on any API sees every process and the shared queue', async () => {
    const client = new ServiceClient({ url: api2.url, resumeAttempts: 0 });
    try {
      const { health } = await client.request(HealthQuery);
      expect(health).toMatchObject({
        status: 'OK',
        workers: 0,
        queueDepth: 0,
        store: { kind: 'redis', durable: true },
        cluster: { readers: 2, ocrWorkers: 2 },
      });
      const roles = health.cluster.instances.map((i) => i.role).sort();
      expect(roles).toEqual(['api', 'api', 'worker', 'worker']);
    } finally {
      client.dispose();
    }
  });

  it('upload on one API, follow on the other; a worker and the followed API die mid-batch; the client resumes on the first', async () => {
    const chosen = [...fixtures, ...fixtures];
    const uploader = new ServiceClient({ url: api1.url, resumeAttempts: 0 });
    const follower = new ServiceClient({ url: api2.url, resumeAttempts: 0 });
    const batch = await uploader.processBatch(chosen.map(fixtureFile));
    expect(batch.total).toBe(chosen.length);
    const seen: BatchEvent[] = [];
    const first = follow(follower, batch.id, seen);
    // Kill a worker while it holds an image it has been reading for a while (two scrapes of its metrics
    // 300 ms apart: one image in flight, none finished in between), once the first result is in.
    for (let i = 0; i < 2400 && !seen.some((e) => e.__typename === 'BatchResult'); i++) await sleep(25);
    expect(seen.some((e) => e.__typename === 'BatchResult')).toBe(true);
    const scrape = async () => {
      const text = await (await fetch(worker1.url)).text();
      return {
        inFlight: /^decklist_images_in_flight\{[^}]*\} (\d+)$/m.exec(text)?.[1],
        finished: /^decklist_images_finished_total\{[^}]*\} (\d+)$/m.exec(text)?.[1],
      };
    };
    for (let i = 0; i < 100; i++) {
      const a = await scrape();
      await sleep(300);
      const b = await scrape();
      if (a.inFlight === '1' && b.inFlight === '1' && a.finished === b.finished) break;
    }
    await Promise.all([killHard(worker1), killHard(api2)]);
    await first;
    follower.dispose();
    const before = seen.length;
    expect(seen.some((e) => e.__typename === 'BatchComplete')).toBe(false);

    await follow(uploader, batch.id, seen);
    expect(seen.length).toBeGreaterThan(before);
    // The client's events are the whole log, in order, without a gap or a duplicate.
    expect(seen.map((e) => e.sequence)).toEqual(seen.map((_, i) => i + 1));
    expect(seen).toEqual(await collect(uploader.batchEvents(batch.id)));
    expect(seen.filter((e) => e.__typename === 'BatchComplete')).toHaveLength(1);
    expect(seen.at(-1)).toMatchObject({ __typename: 'BatchComplete', total: chosen.length, succeeded: chosen.length, failed: 0, cancelled: 0 });
    // Every file ended exactly once, with the right decklist; the image the dead worker held was read again.
    expect(endings(seen)).toEqual(chosen.map((_, i) => i));
    const decodings = seen.filter((e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING').length;
    expect(decodings).toBeGreaterThan(chosen.length);
    for (const e of seen) if (e.__typename === 'BatchResult') expectDecklist(e.decklist, chosen[e.index]!);
    const { batch: final } = await uploader.request(BatchQuery, { id: batch.id });
    expect(final).toMatchObject({ status: 'COMPLETED', succeeded: chosen.length, completed: chosen.length });
    uploader.dispose();
  }, 300_000);

  it('cancel on one API reaches a batch uploaded on another and the workers', async () => {
    const api3 = await startInstance('api3', 'api');
    const uploader = new ServiceClient({ url: api1.url, resumeAttempts: 0 });
    const canceller = new ServiceClient({ url: api3.url, resumeAttempts: 0 });
    try {
      const chosen = [...fixtures, ...fixtures];
      const batch = await uploader.processBatch(chosen.map(fixtureFile));
      const seen: BatchEvent[] = [];
      const stream = follow(uploader, batch.id, seen);
      for (let i = 0; i < 2400 && !seen.some((e) => e.__typename === 'BatchProgress' && e.stage === 'READING'); i++) await sleep(25);
      const { cancelBatch } = await canceller.request(CancelBatchMutation, { id: batch.id });
      expect(cancelBatch.status).toBe('CANCELLED');
      await stream;
      const complete = seen.at(-1);
      expect(complete?.__typename).toBe('BatchComplete');
      if (complete?.__typename !== 'BatchComplete') return;
      expect(complete.cancelled).toBeGreaterThan(0);
      expect(complete.succeeded + complete.failed + complete.cancelled).toBe(chosen.length);
      expect(endings(seen)).toEqual(chosen.map((_, i) => i));
      expect(seen.map((e) => e.sequence)).toEqual(seen.map((_, i) => i + 1));
      // Cancelled images were not read: no result comes after its image's CANCELLED error, and none is read twice.
      const cancelled = seen.filter((e) => e.__typename === 'BatchError' && e.code === 'CANCELLED');
      expect(cancelled.length).toBe(complete.cancelled);
      for (const e of seen) if (e.__typename === 'BatchResult') expectDecklist(e.decklist, chosen[e.index]!);
      const { batch: final } = await canceller.request(BatchQuery, { id: batch.id });
      expect(final).toMatchObject({ status: 'CANCELLED', completed: chosen.length });
    } finally {
      uploader.dispose();
      canceller.dispose();
    }
  }, 300_000);
});
