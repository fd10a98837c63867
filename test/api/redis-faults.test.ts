/**
 * Redis faults, as an operator meets them: the compiled service (`node dist/src/main.js`, what `npm start`
 * runs) as a real child process, over real redis-servers that this file starts itself (Debian's
 * /usr/bin/redis-server, on free loopback ports, each in a temp dir with an append-only file fsynced on every
 * write), freezes with SIGSTOP and kills with SIGKILL.
 * - Redis unreachable at start: after REDIS_WAIT_MS the process prints one line naming REDIS_URL and what to
 *   do, and exits 78.
 * - Redis frozen (SIGSTOP: connections open, no reply): a request fails with STORE_UNAVAILABLE after the
 *   store's 5 s command timeout, and answers again once Redis does.
 * - Redis lost while running (ROLE=all): requests fail fast with STORE_UNAVAILABLE (no hang), `health` says
 *   STORE_UNAVAILABLE, the process stays up; Redis back on the same port and dir (AOF restores it): the same
 *   process answers again, the finished batch replays every event it had, and a new batch reads right.
 * - Redis killed while images are read: their results cannot be stored and their BullMQ locks expire; once
 *   Redis is back the jobs are handed out again and the batch completes, every file ended exactly once with
 *   the right decklist, and a follower's graphql-sse stream that stayed open sees 1..N with no gap.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient, ServiceError, type BatchEvent } from '../../src/client/client.js';
import { BatchQuery, HealthQuery } from '../../src/client/operations.js';
import { PROJECT_ROOT } from '../../src/env.js';
import { collect, expectDecklist, expectWellFormed, fixtureFile, fixtures } from './helpers.js';
import { childEnv } from '../helpers/env.js';
import { newest } from '../helpers/files.js';
import { freePort } from '../helpers/net.js';

const ENTRY = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const REDIS_SERVER = '/usr/bin/redis-server';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const built = () => {
  try {
    return statSync(ENTRY).mtimeMs;
  } catch {
    return 0;
  }
};

// The tests run the compiled service: build it when dist/ is missing or older than the sources.
beforeAll(() => {
  const sources = Math.max(newest(path.join(PROJECT_ROOT, 'src')), newest(path.join(PROJECT_ROOT, 'web')));
  if (built() < sources) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  }
}, 300_000);

function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `decklist-${name}-`));
  dirs.push(dir);
  return dir;
}

interface Process {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive: () => boolean;
}

function track(child: ChildProcess): Process {
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited, alive: () => child.exitCode === null && child.signalCode === null };
}

/** A private redis-server on `port` with its data in `dir` (an AOF fsynced on every write, no RDB snapshots). */
async function startRedis(port: number, dir: string): Promise<Process> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--daemonize',
    'no',
  ];
  const redis = track(spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    for (let i = 0; i < 100; i++) {
      if (!redis.alive()) throw new Error(`redis-server exited:\n${redis.output()}`);
      const pong = await probe
        .connect()
        .then(() => probe.ping())
        .catch(() => null);
      if (pong === 'PONG') return redis;
      probe.disconnect();
      await sleep(50);
    }
  } finally {
    probe.disconnect();
  }
  throw new Error(`redis-server on ${port} does not answer:\n${redis.output()}`);
}

async function kill(p: Process): Promise<void> {
  p.child.kill('SIGKILL');
  expect((await p.exited).signal).toBe('SIGKILL');
}

/** The service's env: the test runner's, without settings that would choose another store or pause it. */
function serviceEnv(settings: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = childEnv({ HOST: '127.0.0.1', ...settings });
  delete env.API_KEY;
  return env;
}

/** REDIS_FAULTS_TIMES=1 prints how long each fault took to surface and to heal. */
function times(line: string): void {
  if (process.env.REDIS_FAULTS_TIMES) console.log(line);
}

/** Runs `call` and returns its ServiceError (failing when it resolves, or throws anything else), and how long it took. */
async function serviceError(call: () => Promise<unknown>): Promise<{ error: ServiceError; ms: number }> {
  const started = performance.now();
  let error: unknown = null;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  const ms = Math.round(performance.now() - started);
  if (!(error instanceof ServiceError)) throw new Error(`expected a GraphQL error, got ${error === null ? 'an answer' : String(error)} after ${ms} ms`);
  return { error, ms };
}

/** `call`'s value, once it stops failing with STORE_UNAVAILABLE (at most `withinMs`). */
async function once<T>(call: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ServiceError && error.code === 'STORE_UNAVAILABLE') || performance.now() > deadline) throw error;
    }
    await sleep(250);
  }
}

/** The events of a batch until BatchComplete, over graphql-sse, at most `withinMs`. */
async function complete(client: ServiceClient, batchId: string, withinMs: number): Promise<BatchEvent[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`batch ${batchId} did not complete within ${withinMs} ms`)), withinMs);
  });
  try {
    return await Promise.race([collect(client.batchEvents(batchId)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `node dist/src/main.js` with ROLE=all on the Redis at `redisPort`; resolves once it listens. */
async function startService(redisPort: number): Promise<{ service: Process; url: string }> {
  const service = track(
    spawn(process.execPath, [ENTRY], {
      cwd: PROJECT_ROOT,
      env: serviceEnv({
        ROLE: 'all',
        REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
        REDIS_PREFIX: 'faults',
        // A job whose lock could not be renewed (Redis away) is handed out again 3 s later, not 30.
        JOB_LOCK_MS: '3000',
        PORT: '0',
        OCR_WORKERS: '1',
        SHUTDOWN_GRACE_SECONDS: '5',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  for (let i = 0; i < 1200 && !/listening on (\S+)/.test(service.output()) && service.alive(); i++) await sleep(50);
  const url = /listening on (\S+)/.exec(service.output())?.[1];
  if (!url) throw new Error(`the service did not start:\n${service.output()}`);
  return { service, url };
}

/** Stops the service with SIGTERM (SIGKILL when it takes more than 20 s). */
async function stop(service: Process): Promise<void> {
  service.child.kill('SIGTERM');
  const stopped = await Promise.race([service.exited, sleep(20_000).then(() => null)]);
  if (!stopped) service.child.kill('SIGKILL');
}

/** What the service said (and how it ended), added to a failure: the first thing to read when a test fails. */
function withOutput(error: unknown, service: Process): Error {
  const how = service.alive() ? 'running' : `exited ${service.child.exitCode ?? service.child.signalCode}`;
  return new Error(`${(error as Error).message}\n--- service output (${how}):\n${service.output()}`, { cause: error });
}

const endings = (events: BatchEvent[]) => events.flatMap((e) => (e.__typename === 'BatchResult' || e.__typename === 'BatchError' ? [e.index] : [])).sort();

describe('Redis faults (compiled service and redis-server as real processes, real OCR)', () => {
  it('Redis unreachable at start: one line naming REDIS_URL and what to do, exit code 78, within a few seconds', async () => {
    const port = await freePort();
    const started = performance.now();
    const service = track(
      spawn(process.execPath, [ENTRY], {
        cwd: PROJECT_ROOT,
        env: serviceEnv({ REDIS_URL: `redis://127.0.0.1:${port}/0`, REDIS_WAIT_MS: '1000', PORT: '0' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stderr = '';
    service.child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => service.child.kill('SIGKILL'), 20_000);
    const exit = await service.exited;
    clearTimeout(timer);
    const ms = performance.now() - started;
    expect(exit, service.output()).toEqual({ code: 78, signal: null });
    // Start-up loads its modules (~3 s on a busy 2-core machine) before the 1 s wait: far from the default 10 s.
    expect(ms).toBeLessThan(10_000);
    times(`unreachable at start: exit 78 after ${Math.round(ms)} ms`);
    // One line on stderr, naming the setting and the address, and saying what to do.
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toContain('REDIS_URL');
    expect(lines[0]).toContain(`127.0.0.1:${port}`);
    expect(lines[0]).toMatch(/did not answer within 1 s \(connect ECONNREFUSED/);
    expect(lines[0]).toMatch(/start it, or fix REDIS_URL/);
  });

  it('Redis lost while running: STORE_UNAVAILABLE fast, process stays up; Redis back: same process answers, nothing acknowledged lost', async () => {
    const redisPort = await freePort();
    const redisDir = tempDir('redis-faults');
    let redis = await startRedis(redisPort, redisDir);
    const { service, url } = await startService(redisPort);
    const client = new ServiceClient({ url });
    try {
      // 1. A batch of 2 screenshots, read to its end while Redis is up.
      const batch = await client.processBatch(fixtures.slice(0, 2).map(fixtureFile));
      const before = await complete(client, batch.id, 90_000);
      expectWellFormed(before, batch.id);
      expect(before.at(-1)).toMatchObject({ __typename: 'BatchComplete', total: 2, succeeded: 2, failed: 0 });
      for (const e of before) if (e.__typename === 'BatchResult') expectDecklist(e.decklist, fixtures[e.index]!);

      // 2. Redis stops answering (SIGSTOP: its connections stay open, no reply comes). A request fails with
      //    STORE_UNAVAILABLE after the store connection's command timeout (5 s) instead of hanging.
      redis.child.kill('SIGSTOP');
      try {
        const frozen = await serviceError(() => client.request(BatchQuery, { id: batch.id }));
        expect(frozen.error.code, frozen.error.message).toBe('STORE_UNAVAILABLE');
        expect(frozen.ms).toBeLessThan(7_000);
        const started = performance.now();
        expect((await client.request(HealthQuery)).health.status).toBe('STORE_UNAVAILABLE');
        times(`Redis frozen: batch query STORE_UNAVAILABLE after ${frozen.ms} ms, health after ${Math.round(performance.now() - started)} ms`);
        expect(performance.now() - started).toBeLessThan(7_000);
      } finally {
        redis.child.kill('SIGCONT');
      }
      const thawed = performance.now();
      expect((await once(() => client.request(BatchQuery, { id: batch.id }), 5_000)).batch).toMatchObject({ status: 'COMPLETED', succeeded: 2 });
      times(`Redis thawed: batch answered after ${Math.round(performance.now() - thawed)} ms`);

      // 3. Redis dies (SIGKILL: no goodbye to its clients). Every request fails fast with STORE_UNAVAILABLE.
      await kill(redis);
      const query = await serviceError(() => client.request(BatchQuery, { id: batch.id }));
      expect(query.error.code, query.error.message).toBe('STORE_UNAVAILABLE');
      expect(query.ms).toBeLessThan(6_000);
      const upload = await serviceError(() => client.processBatch([fixtureFile(fixtures[2]!)]));
      expect(upload.error.code, upload.error.message).toBe('STORE_UNAVAILABLE');
      expect(upload.ms).toBeLessThan(6_000);
      const replay = await serviceError(() => collect(client.batchEvents(batch.id)));
      expect(replay.error.code, replay.error.message).toBe('STORE_UNAVAILABLE');
      expect(replay.ms).toBeLessThan(6_000);
      times(`Redis dead: batch query ${query.ms} ms, processBatch ${upload.ms} ms, batchEvents ${replay.ms} ms to STORE_UNAVAILABLE`);
      // The refused upload's file came after the answer; it is read through, so this request, on the same
      // keep-alive connection, is answered (it used to fail with ECONNRESET: src/server/multipart.ts).
      const started = performance.now();
      const { health } = await client.request(HealthQuery);
      expect(health.status).toBe('STORE_UNAVAILABLE');
      expect(performance.now() - started).toBeLessThan(6_000);
      // A while without Redis (the heartbeat, the queue's worker and refresher all fail meanwhile): still up.
      await sleep(3_000);
      expect(service.alive(), service.output()).toBe(true);
      expect((await client.request(HealthQuery)).health.status).toBe('STORE_UNAVAILABLE');

      // 4. Redis back on the same port and dir: its append-only file restores every acknowledged write.
      redis = await startRedis(redisPort, redisDir);
      const back = performance.now();
      const { batch: old } = await once(() => client.request(BatchQuery, { id: batch.id }), 15_000);
      times(`Redis back: the old batch answered after ${Math.round(performance.now() - back)} ms`);
      expect(performance.now() - back).toBeLessThan(15_000);
      expect(old).toMatchObject({ id: batch.id, status: 'COMPLETED', total: 2, completed: 2, succeeded: 2, failed: 0 });
      expect(old!.results.map((r) => r.index).sort()).toEqual([0, 1]);
      expect(await collect(client.batchEvents(batch.id))).toEqual(before);
      expect((await client.request(HealthQuery)).health.status).toBe('OK');

      // 5. The same process reads a new batch: the upload is stored, the queue's worker takes the job.
      const next = await once(() => client.processBatch([fixtureFile(fixtures[2]!)]), 15_000);
      const events = await complete(client, next.id, 90_000);
      times(`new batch of 1 read ${Math.round(performance.now() - back)} ms after Redis came back`);
      expectWellFormed(events, next.id);
      expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', total: 1, succeeded: 1, failed: 0 });
      const results = events.filter((e) => e.__typename === 'BatchResult');
      expect(results).toHaveLength(1);
      expectDecklist(results[0]!.decklist, fixtures[2]!);
      expect(service.alive(), service.output()).toBe(true);
    } catch (error) {
      throw withOutput(error, service);
    } finally {
      client.dispose();
      await stop(service);
    }
  });

  it('Redis killed while an image is read: once it is back the batch completes, every file ended once, the follower sees 1..N', async () => {
    const redisPort = await freePort();
    const redisDir = tempDir('redis-faults');
    let redis = await startRedis(redisPort, redisDir);
    const { service, url } = await startService(redisPort);
    const client = new ServiceClient({ url });
    try {
      const batch = await client.processBatch(fixtures.slice(0, 2).map(fixtureFile));
      const seen: BatchEvent[] = [];
      let broke: unknown = null;
      const following = (async () => {
        try {
          for await (const e of client.batchEvents(batch.id)) seen.push(e);
        } catch (error) {
          broke = error;
        }
      })();
      const reading = () => seen.some((e) => e.__typename === 'BatchProgress' && e.stage === 'READING');
      for (let i = 0; i < 2400 && !reading(); i++) await sleep(25);
      expect(reading(), 'an image reached READING').toBe(true);

      // Redis dies with the image in flight. Redis stays away until the image has been read and its result
      // could not be stored (the runner says so on stderr and hands the job back), and longer than
      // JOB_LOCK_MS, so the job's BullMQ lock has expired meanwhile.
      await kill(redis);
      const down = seen.length;
      const killed = performance.now();
      const unstored = /batch \S+ image (\d+): Redis is unavailable/;
      for (let i = 0; i < 2400 && !unstored.test(service.output()); i++) await sleep(25);
      expect(service.output()).toMatch(unstored);
      await sleep(Math.max(0, 4_000 - (performance.now() - killed)));
      expect(service.alive(), service.output()).toBe(true);
      redis = await startRedis(redisPort, redisDir);
      const back = performance.now();

      // The follower's stream either lived through the outage or broke; then it resumes with `after`.
      await Promise.race([following, sleep(120_000)]);
      if (broke !== null || seen.at(-1)?.__typename !== 'BatchComplete') {
        times(`follower's stream broke during the outage (${String(broke)}): resuming after ${seen.at(-1)?.sequence ?? 0}`);
        for await (const e of client.batchEvents(batch.id, seen.at(-1)?.sequence ?? 0)) seen.push(e);
      }
      times(`Redis killed mid-batch after ${down} events: batch complete ${Math.round(performance.now() - back)} ms after Redis came back`);
      expectWellFormed(seen, batch.id);
      expect(seen).toEqual(await collect(client.batchEvents(batch.id)));
      expect(seen.at(-1)).toMatchObject({ __typename: 'BatchComplete', total: 2, succeeded: 2, failed: 0, cancelled: 0 });
      expect(endings(seen)).toEqual([0, 1]);
      for (const e of seen) if (e.__typename === 'BatchResult') expectDecklist(e.decklist, fixtures[e.index]!);
      const { batch: final } = await client.request(BatchQuery, { id: batch.id });
      expect(final).toMatchObject({ status: 'COMPLETED', completed: 2, succeeded: 2 });
      const { health } = await client.request(HealthQuery);
      expect(health).toMatchObject({ status: 'OK', queueDepth: 0, inFlight: 0 });
    } catch (error) {
      throw withOutput(error, service);
    } finally {
      client.dispose();
      await stop(service);
    }
  });
});
