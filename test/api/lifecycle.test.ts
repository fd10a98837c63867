/**
 * Cancel, fairness, retention, back-pressure and shutdown. These are about the batch runner and the
 * server, not OCR: the runner gets a slow fake pipeline (with the real card database); everything else
 * (HTTP, multipart, graphql-sse) is real. The last test runs the real `npm start` entry with real OCR.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient, ServiceError, type BatchEvent } from '../../src/client/client.js';
import { BatchQuery, CancelBatchMutation, HealthQuery } from '../../src/client/operations.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { PROJECT_ROOT } from '../../src/env.js';
import { loadCardDatabase, type CardDatabase } from '../../src/pipeline/cards/cards.js';
import { PipelineError } from '../../src/pipeline/errors.js';
import { PIPELINE_STAGES } from '../../src/pipeline/types.js';
import type { Service, ServicePipeline } from '../../src/server/app.js';
import type { ServerConfig } from '../../src/server/config.js';
import { collect, fixtureFile, fixtures, rawMultipart, startService } from './helpers.js';
import { emptyDecklist } from '../fuzz/fake-pipeline.js';
import { childEnv } from '../helpers/env.js';

let cards: CardDatabase;
beforeAll(async () => {
  cards = await loadCardDatabase(DEFAULT_CARDS_PATH);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const emptyDeck = emptyDecklist();

/** A pipeline that takes `ms` per image, fails images whose first byte is 0, and counts calls. */
function slowPipeline(ms: number): ServicePipeline & { calls: number } {
  const fake = {
    cards: undefined as unknown as CardDatabase,
    workers: 1,
    calls: 0,
    async process(bytes: Uint8Array, options: { onStage?: (s: (typeof PIPELINE_STAGES)[number]) => void } = {}) {
      fake.calls++;
      for (const stage of PIPELINE_STAGES) {
        options.onStage?.(stage);
        await sleep(ms / PIPELINE_STAGES.length);
      }
      if (bytes[0] === 0) throw new PipelineError('NOT_A_DECKLIST', 'no tiles');
      return emptyDeck;
    },
  };
  fake.cards = cards;
  return fake;
}

const png = (name: string) => ({ name, bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]), type: 'image/png' });

let running: { service: Service; clients: ServiceClient[] }[] = [];
async function start(pipeline: ServicePipeline, config: Partial<ServerConfig> = {}) {
  const { service, url } = await startService(pipeline, { concurrency: 1, ...config });
  const clients = [new ServiceClient({ url }), new ServiceClient({ url, singleConnection: true })];
  running.push({ service, clients });
  return { service, url, client: clients[0]!, singleClient: clients[1]! };
}
afterEach(async () => {
  for (const { service, clients } of running) {
    clients.forEach((c) => c.dispose());
    await service.close();
  }
  running = [];
});

/** Reads events until `until` matches, then keeps the iterator for the rest. */
async function readUntil(events: AsyncGenerator<BatchEvent>, until: (e: BatchEvent) => boolean): Promise<BatchEvent[]> {
  const seen: BatchEvent[] = [];
  for (;;) {
    const next = await events.next();
    if (next.done) return seen;
    seen.push(next.value);
    if (until(next.value)) return seen;
  }
}

describe('cancelBatch', () => {
  it('drops queued images; the running one finishes; the stream ends with the counts', async () => {
    const pipeline = slowPipeline(400);
    const { client } = await start(pipeline);
    const batch = await client.processBatch(Array.from({ length: 6 }, (_, i) => png(`${i}.png`)));
    const stream = client.batchEvents(batch.id);
    const before = await readUntil(stream, (e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING');
    const { cancelBatch } = await client.request(CancelBatchMutation, { id: batch.id });
    expect(cancelBatch.status).toBe('CANCELLED');
    const after = [...before];
    for await (const e of stream) after.push(e);

    const complete = after.at(-1)!;
    if (complete.__typename !== 'BatchComplete') throw new Error('expected BatchComplete');
    expect(complete).toMatchObject({ total: 6, succeeded: 1, failed: 0, cancelled: 5 });
    expect(pipeline.calls).toBe(1);
    // Nothing but QUEUED for the images that never ran, then each its own CANCELLED error.
    const ran = after.filter((e) => e.__typename === 'BatchProgress' && e.stage !== 'QUEUED');
    expect(new Set(ran.map((e) => ('index' in e ? e.index : -1)))).toEqual(new Set([0]));
    const cancelled = after.filter((e) => e.__typename === 'BatchError');
    expect(cancelled.map((e) => [e.index, e.filename, e.code])).toEqual([1, 2, 3, 4, 5].map((i) => [i, `${i}.png`, 'CANCELLED']));
    expect(cancelled[0]!.__typename === 'BatchError' && cancelled[0]!.message).toBe('1.png was not read: the batch was cancelled');
    // Every file ends with exactly one result or error.
    const ends = after.filter((e) => e.__typename === 'BatchResult' || e.__typename === 'BatchError').map((e) => ('index' in e ? e.index : -1));
    expect(ends.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const { batch: final } = await client.request(BatchQuery, { id: batch.id });
    expect(final).toMatchObject({ status: 'CANCELLED', cancelled: 5, succeeded: 1, completed: 6 });
  });

  it('answers an unknown id with BATCH_NOT_FOUND', async () => {
    const { client } = await start(slowPipeline(10));
    const error = await client.request(CancelBatchMutation, { id: 'missing' }).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.code).toBe('BATCH_NOT_FOUND');
  });
});

describe('the shared queue', () => {
  it('lets a later small batch finish before an earlier big one (fair turns)', async () => {
    const { client } = await start(slowPipeline(120));
    const big = await client.processBatch(Array.from({ length: 6 }, (_, i) => png(`big-${i}.png`)));
    const small = await client.processBatch([png('small.png')]);
    const [bigEvents, smallEvents] = await Promise.all([collect(client.batchEvents(big.id)), collect(client.batchEvents(small.id))]);
    const done = (events: BatchEvent[]) => events.find((e) => e.__typename === 'BatchComplete')!;
    expect(done(smallEvents)).toMatchObject({ succeeded: 1 });
    expect(done(bigEvents)).toMatchObject({ succeeded: 6 });
    const { batch } = await client.request(BatchQuery, { id: big.id });
    expect(batch?.status).toBe('COMPLETED');
    // The small batch did not wait for all six: it ran second or third.
    expect(done(smallEvents).durationMs).toBeLessThan(done(bigEvents).durationMs / 2);
  });

  it('turns a failing image into its error event and goes on', async () => {
    const { client } = await start(slowPipeline(20));
    const bad = { name: 'bad.png', bytes: Buffer.from([0, 1, 2]), type: 'image/png' };
    const batch = await client.processBatch([bad, png('good.png'), { name: 'empty.png', bytes: Buffer.alloc(0), type: 'image/png' }]);
    const events = await collect(client.batchEvents(batch.id));
    const errors = events.flatMap((e) => (e.__typename === 'BatchError' ? [[e.index, e.code]] : []));
    expect(errors).toEqual(
      expect.arrayContaining([
        [0, 'NOT_A_DECKLIST'],
        [2, 'EMPTY_FILE'],
      ]),
    );
    expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 1, failed: 2 });
  });

  it('refuses a batch when too many images are waiting (SERVER_BUSY with a retry hint), and serves again later', async () => {
    const { client } = await start(slowPipeline(300), { maxQueuedImages: 3 });
    const first = await client.processBatch(Array.from({ length: 3 }, (_, i) => png(`${i}.png`)));
    const error = await client.processBatch(Array.from({ length: 3 }, (_, i) => png(`more-${i}.png`))).catch((e) => e);
    expect(error.code).toBe('SERVER_BUSY');
    expect(error.errors[0].extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await collect(client.batchEvents(first.id))).at(-1)).toMatchObject({ succeeded: 3 });
    const ok = await client.processBatch(Array.from({ length: 3 }, (_, i) => png(`again-${i}.png`)));
    expect((await collect(client.batchEvents(ok.id))).at(-1)).toMatchObject({ succeeded: 3 });
  });

  it('refuses a batch larger than the service ever queues with the final BATCH_TOO_LARGE (no retry hint), even when idle', async () => {
    const { client, service } = await start(slowPipeline(20), { maxQueuedImages: 2 });
    const error = await client.processBatch(Array.from({ length: 5 }, (_, i) => png(`${i}.png`))).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.code).toBe('BATCH_TOO_LARGE');
    expect(error.message).toMatch(/batch of 5 images .*\(at most 2, MAX_QUEUED_IMAGES\)/);
    expect(error.errors[0].extensions.retryAfterSeconds).toBeUndefined();
    expect(await service.runner.size()).toBe(0);
    const ok = await client.processBatch([png('a.png'), png('b.png')]);
    expect((await collect(client.batchEvents(ok.id))).at(-1)).toMatchObject({ succeeded: 2 });
  });

  it('removes the listener when a subscriber disconnects mid-stream', async () => {
    const { service, client } = await start(slowPipeline(600));
    const batch = await client.processBatch([png('a.png'), png('b.png')]);
    const stream = client.batchEvents(batch.id);
    await readUntil(stream, (e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING');
    expect(await service.runner.subscribers(batch.id)).toBe(1);
    await stream.return(undefined);
    for (let i = 0; i < 50 && (await service.runner.subscribers(batch.id)) > 0; i++) await sleep(20);
    expect(await service.runner.subscribers(batch.id)).toBe(0);
  });
});

describe('limits instead of collapse', () => {
  it('turns a file that would take the queued bytes past MAX_QUEUED_BYTES into its SERVER_BUSY error', async () => {
    const pipeline = slowPipeline(150);
    const { client, service } = await start(pipeline, { maxQueuedBytes: 20 });
    // 9 bytes each: one runs at once, two wait (18 bytes), the fourth would make 27.
    const batch = await client.processBatch(Array.from({ length: 4 }, (_, i) => png(`${i}.png`)));
    expect(service.runner.queuedBytes).toBeLessThanOrEqual(20);
    const events = await collect(client.batchEvents(batch.id));
    const busy = events.find((e) => e.__typename === 'BatchError');
    expect(busy).toMatchObject({ index: 3, filename: '3.png', code: 'SERVER_BUSY' });
    if (busy?.__typename === 'BatchError') expect(busy.message).toMatch(/retry in about \d+ s/);
    expect(events.at(-1)).toMatchObject({ succeeded: 3, failed: 1 });
    expect(service.runner.queuedBytes).toBe(0);
  });

  it('bounds the images held (MAX_HELD_IMAGES): evicts finished batches first, then answers SERVER_BUSY', async () => {
    const { client } = await start(slowPipeline(300), { maxHeldImages: 3 });
    const first = await client.processBatch([png('a.png'), png('b.png')]);
    await collect(client.batchEvents(first.id));
    const second = await client.processBatch([png('c.png'), png('d.png')]);
    expect((await client.request(BatchQuery, { id: first.id })).batch).toBeNull(); // evicted to make room
    const refused = await client.processBatch([png('e.png'), png('f.png')]).catch((e) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect(refused.code).toBe('SERVER_BUSY');
    expect(refused.message).toMatch(/2 held, at most 3/);
    expect((await collect(client.batchEvents(second.id))).at(-1)).toMatchObject({ succeeded: 2 });
  });

  it('answers uploads past MAX_CONCURRENT_UPLOADS with 503 SERVER_BUSY and Retry-After', async () => {
    const { url, client } = await start(slowPipeline(10), { maxConcurrentUploads: 1 });
    // A slow client: its upload stays open (the last file is still arriving).
    const slow = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b', 'x-graphql-yoga-csrf': '1', 'transfer-encoding': 'chunked' },
    });
    const slowAnswer = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      slow.on('error', reject);
    });
    slow.write(
      `--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"mutation ($f: [Upload!]!) { processBatch(files: $f) { id } }","variables":{"f":[null]}}\r\n` +
        `--b\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f.0"]}\r\n` +
        `--b\r\nContent-Disposition: form-data; name="0"; filename="slow.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    await sleep(150);
    const refused = await rawMultipart(url, [png('x.png')]);
    expect(refused.status).toBe(503);
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: 'SERVER_BUSY', retryAfterSeconds: 2 } });
    slow.end(Buffer.concat([png('slow.png').bytes, Buffer.from('\r\n--b--\r\n')]));
    expect(await slowAnswer).toBe(200);
    await sleep(50);
    const batch = await client.processBatch([png('after.png')]);
    expect((await collect(client.batchEvents(batch.id))).at(-1)).toMatchObject({ succeeded: 1 });
  });
});

describe('faults', () => {
  it('a subscriber that disconnects mid-batch misses nothing: processing goes on, `after` resumes exactly (both modes)', async () => {
    const pipeline = slowPipeline(240);
    const { client, singleClient, service } = await start(pipeline);
    for (const c of [client, singleClient]) {
      const batch = await c.processBatch([png('a.png'), png('b.png'), png('c.png')]);
      const first = c.batchEvents(batch.id);
      const seen = await readUntil(first, (e) => e.__typename === 'BatchResult');
      await first.return(undefined);
      const last = seen.at(-1)!.sequence;
      // Work goes on while nobody listens.
      await sleep(300);
      expect((await service.runner.events(batch.id)).length).toBeGreaterThan(last);
      const rest = await collect(c.batchEvents(batch.id, last));
      expect(rest[0]?.sequence).toBe(last + 1);
      const all = [...seen, ...rest];
      expect(all.map((e) => e.sequence)).toEqual(all.map((_, i) => i + 1));
      expect(all).toEqual(await collect(c.batchEvents(batch.id)));
      expect(all.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 3 });
    }
    expect(pipeline.calls).toBe(6);
  });
});

describe('retention', () => {
  it('evicts a finished batch after the retention time', async () => {
    const { client, service } = await start(slowPipeline(10), { retentionMs: 300 });
    const batch = await client.processBatch([png('a.png')]);
    await collect(client.batchEvents(batch.id));
    expect((await client.request(BatchQuery, { id: batch.id })).batch?.status).toBe('COMPLETED');
    await sleep(600);
    expect((await client.request(BatchQuery, { id: batch.id })).batch).toBeNull();
    expect(await service.runner.size()).toBe(0);
    const error = await collect(client.batchEvents(batch.id)).catch((e) => e);
    expect(error.message).toMatch(/no batch/);
  });
});

describe('shutdown', () => {
  it('ends open streams (both modes), finishes the running image, cancels the rest, closes', async () => {
    const { service, url, client, singleClient } = await start(slowPipeline(800), { shutdownGraceMs: 5_000 });
    const batch = await client.processBatch([png('a.png'), png('b.png'), png('c.png')]);
    const streams = [client.batchEvents(batch.id), singleClient.batchEvents(batch.id)];
    await Promise.all(streams.map((s) => readUntil(s, (e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING')));
    const started = performance.now();
    const rest = Promise.all(streams.map((s) => collect(s)));
    await service.close();
    expect(performance.now() - started).toBeLessThan(3_000);
    const [a, b] = await rest;
    for (const events of [a!, b!]) {
      expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 1, failed: 0, cancelled: 2 });
      const cancelled = events.filter((e) => e.__typename === 'BatchError');
      expect(cancelled.map((e) => e.__typename === 'BatchError' && [e.filename, e.code, e.message])).toEqual(
        ['b.png', 'c.png'].map((f) => [f, 'CANCELLED', `${f} was not read: the server is shutting down`]),
      );
    }
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('keeps serving reads and streams during the grace time: a client that reconnects loses nothing', async () => {
    const { service, url, client } = await start(slowPipeline(1_200), { shutdownGraceMs: 5_000 });
    const batch = await client.processBatch([png('a.png'), png('b.png')]);
    const stream = client.batchEvents(batch.id);
    const seen = await readUntil(stream, (e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING');
    await stream.return(undefined);
    const closing = service.close();
    // New work is refused, reads go on.
    const refused = await rawMultipart(url, [png('late.png')]);
    expect(refused.status).toBe(503);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('SHUTTING_DOWN');
    expect((await client.request(HealthQuery)).health.status).toBe('SHUTTING_DOWN');
    const reconnected = new ServiceClient({ url, singleConnection: true });
    const rest = await collect(reconnected.batchEvents(batch.id, seen.at(-1)!.sequence));
    reconnected.dispose();
    const all = [...seen, ...rest];
    expect(all.map((e) => e.sequence)).toEqual(all.map((_, i) => i + 1));
    expect(all.some((e) => e.__typename === 'BatchResult' && e.index === 0)).toBe(true);
    expect(all.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 1, cancelled: 1 });
    await closing;
  });

  it('cancels an image still running when the grace time is over (CANCELLED), then ends the streams', async () => {
    // An image that would run for a minute, but stops when its signal is aborted (as the real pipeline does).
    const stuck: ServicePipeline = {
      cards,
      workers: 1,
      process: (_bytes, options = {}) =>
        new Promise((_resolve, reject) => {
          options.onStage?.('DECODING');
          const timer = setTimeout(() => reject(new Error('should have been cancelled')), 60_000);
          options.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new PipelineError('CANCELLED', 'the image was cancelled'));
          });
        }),
    };
    const { service, client } = await start(stuck, { shutdownGraceMs: 300 });
    const batch = await client.processBatch([png('slow.png')]);
    const stream = client.batchEvents(batch.id);
    const seen = await readUntil(stream, (e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING');
    const rest = collect(stream);
    const started = performance.now();
    await service.close();
    expect(performance.now() - started).toBeLessThan(3_000);
    const events = [...seen, ...(await rest)];
    expect(events.find((e) => e.__typename === 'BatchError')).toMatchObject({ code: 'CANCELLED', filename: 'slow.png' });
    expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', failed: 0, cancelled: 1 });
  });

  it('npm start (STORE=memory) exits 0 on SIGTERM; a client that reconnects during the grace time gets every event (real OCR)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: childEnv({ PORT: '0', HOST: '127.0.0.1', OCR_WORKERS: '2', STORE: 'memory' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 300 && !/listening on (\S+)/.test(out); i++) await sleep(100);
      const url = /listening on (\S+)/.exec(out)?.[1];
      expect(url, out).toBeTruthy();
      const client = new ServiceClient({ url: url! });
      expect((await client.request(HealthQuery)).health.status).toBe('OK');
      const batch = await client.processBatch(fixtures.slice(0, 3).map(fixtureFile));
      const stream = client.batchEvents(batch.id);
      const seen = await readUntil(stream, (e) => e.__typename === 'BatchProgress' && e.stage === 'READING');
      // The client drops its stream, the server gets SIGTERM, the client reconnects and resumes.
      await stream.return(undefined);
      child.kill('SIGTERM');
      const again = new ServiceClient({ url: url! });
      const rest = await collect(again.batchEvents(batch.id, seen.at(-1)!.sequence));
      again.dispose();
      expect(await exited).toBe(0);
      expect(out).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
      const events = [...seen, ...rest];
      expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
      const complete = events.at(-1);
      expect(complete?.__typename).toBe('BatchComplete');
      if (complete?.__typename !== 'BatchComplete') return;
      expect(complete.succeeded + complete.failed + complete.cancelled).toBe(3);
      expect(complete.succeeded).toBeGreaterThanOrEqual(1);
      client.dispose();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('CORS', () => {
  it('echoes only configured origins, on /graphql, /graphql/stream and on errors written before yoga', async () => {
    const { url } = await start(slowPipeline(10), { corsOrigins: ['http://app.example'] });
    const allowOrigin = async (path: string, origin: string, init: RequestInit = {}) => {
      const response = await fetch(url.replace(/\/graphql$/, path), { ...init, headers: { origin, ...(init.headers as object) } });
      await response.arrayBuffer();
      return response.headers.get('access-control-allow-origin');
    };
    const preflight = { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } };
    expect(await allowOrigin('/graphql/stream', 'http://app.example', preflight)).toBe('http://app.example');
    expect(await allowOrigin('/graphql/stream', 'http://evil.example', preflight)).toBeNull();
    const query = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ health { status } }"}' };
    expect(await allowOrigin('/graphql', 'http://app.example', query)).toBe('http://app.example');
    expect(await allowOrigin('/graphql', 'http://evil.example', query)).toBeNull();
    // A multipart request without the CSRF header is refused before yoga runs: the allowed origin can read why.
    const form = new FormData();
    form.set('operations', '{}');
    expect(await allowOrigin('/graphql', 'http://app.example', { method: 'POST', body: form })).toBe('http://app.example');
  });
});
