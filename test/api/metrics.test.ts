/**
 * Prometheus metrics at `GET /metrics` of the GraphQL service: a batch's images counted by outcome and
 * code, per-image and per-stage histograms, the queue and open streams gauges, OCR worker restarts. Not
 * about OCR: the pipeline is a fake that announces the four stages (with the real card database); HTTP,
 * multipart and graphql-sse are real, on 127.0.0.1.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient, type BatchEvent } from '../../src/client/client.js';
import { CancelBatchMutation } from '../../src/client/operations.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase, type CardDatabase } from '../../src/pipeline/cards/cards.js';
import { PipelineError } from '../../src/pipeline/errors.js';
import type { OcrModel } from '../../src/pipeline/ocr/ocr-pool.js';
import { PIPELINE_STAGES, type PipelineStage } from '../../src/pipeline/types.js';
import type { WorkerPoolStats } from '../../src/pipeline/ocr/worker-pool.js';
import type { Service, ServicePipeline } from '../../src/server/app.js';
import type { ServerConfig } from '../../src/server/config.js';
import { emptyDecklist, PNG } from '../fuzz/fake-pipeline.js';
import { sample, scrape, typeOf } from '../metrics/scrape.js';
import { startService } from './helpers.js';

let cards: CardDatabase;
beforeAll(async () => {
  cards = await loadCardDatabase(DEFAULT_CARDS_PATH);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STAGE_MS = 5;
/** How long the first image is held in DECODING (so that stage's histogram has a known share). */
const HOLD_MS = 150;

/**
 * A fake pipeline: announces each stage and spends STAGE_MS in it; images stop in DECODING until
 * `release()`; a first byte 0 fails with NOT_A_DECKLIST.
 */
function gatedPipeline(): ServicePipeline & { release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    cards,
    workers: 1,
    release,
    async process(bytes: Uint8Array, options: { onStage?: (stage: PipelineStage) => void } = {}) {
      for (const stage of PIPELINE_STAGES) {
        options.onStage?.(stage);
        if (stage === 'DECODING') await gate;
        await sleep(STAGE_MS);
      }
      if (bytes[0] === 0) throw new PipelineError('NOT_A_DECKLIST', 'no tiles');
      return emptyDecklist();
    },
  };
}

const png = (name: string) => ({ name, bytes: Buffer.concat([PNG, Buffer.from([1])]), type: 'image/png' });
const bad = (name: string) => ({ name, bytes: Buffer.from([0, 1, 2]), type: 'image/png' });
const empty = (name: string) => ({ name, bytes: Buffer.alloc(0), type: 'image/png' });

let running: { service: Service; client: ServiceClient }[] = [];
async function start(pipeline: ServicePipeline, config: Partial<ServerConfig> = {}) {
  const { service, url } = await startService(pipeline, { concurrency: 1, ...config });
  const client = new ServiceClient({ url, apiKey: config.apiKey ?? null });
  running.push({ service, client });
  return { service, url, client, metricsUrl: new URL('/metrics', url).href };
}
afterEach(async () => {
  for (const { service, client } of running) {
    client.dispose();
    await service.close();
  }
  running = [];
});

/** Reads events until `until` matches; the iterator stays open for the rest. */
async function readUntil(events: AsyncGenerator<BatchEvent>, until: (e: BatchEvent) => boolean): Promise<void> {
  for (;;) {
    const next = await events.next();
    if (next.done || until(next.value)) return;
  }
}

/** Scrapes until `check` holds (the server may see a stream end a moment after its client). */
async function scrapeUntil(url: string, check: (text: string) => boolean, ms = 2_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { text } = await scrape(url);
    if (check(text) || Date.now() > deadline) return text;
    await sleep(20);
  }
}

describe('GET /metrics', () => {
  it('counts a batch’s images by outcome and code, times images and stages, and shows the queue and open streams', async () => {
    const pipeline = gatedPipeline();
    const { client, metricsUrl } = await start(pipeline);

    const before = await scrape(metricsUrl);
    expect(before.status).toBe(200);
    expect(before.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(typeOf(before.text, 'decklist_queue_depth')).toBe('gauge');
    expect(typeOf(before.text, 'decklist_images_finished_total')).toBe('counter');
    expect(typeOf(before.text, 'decklist_image_duration_seconds')).toBe('histogram');
    expect(typeOf(before.text, 'decklist_stage_duration_seconds')).toBe('histogram');
    expect(typeOf(before.text, 'decklist_event_streams_open')).toBe('gauge');
    expect(sample(before.text, 'decklist_queue_depth')).toBe(0);
    expect(sample(before.text, 'decklist_images_in_flight')).toBe(0);
    expect(sample(before.text, 'decklist_images_finished_total', { outcome: 'succeeded' })).toBe(0);
    expect(sample(before.text, 'decklist_event_streams_open')).toBe(0);
    // prom-client's process metrics, with the same prefix.
    expect(sample(before.text, 'decklist_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(before.text, 'decklist_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    // Two good images, one the pipeline fails, one empty upload (never reaches the pipeline).
    const batch = await client.processBatch([png('a.png'), bad('b.png'), png('c.png'), empty('d.png')]);
    const stream = client.batchEvents(batch.id);
    await readUntil(stream, (e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING');
    const during = await scrape(metricsUrl);
    expect(sample(during.text, 'decklist_images_in_flight')).toBe(1);
    expect(sample(during.text, 'decklist_queue_depth')).toBe(2);
    expect(sample(during.text, 'decklist_event_streams_open')).toBe(1);
    expect(sample(during.text, 'decklist_images_finished_total', { outcome: 'failed', code: 'EMPTY_FILE' })).toBe(1);
    expect(sample(during.text, 'decklist_images_finished_total', { outcome: 'succeeded' })).toBe(0);

    await sleep(HOLD_MS);
    pipeline.release();
    const rest: BatchEvent[] = [];
    for await (const e of stream) rest.push(e);
    expect(rest.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 2, failed: 2 });

    const text = await scrapeUntil(metricsUrl, (t) => sample(t, 'decklist_event_streams_open') === 0);
    expect(sample(text, 'decklist_event_streams_open')).toBe(0);
    expect(sample(text, 'decklist_queue_depth')).toBe(0);
    expect(sample(text, 'decklist_images_in_flight')).toBe(0);
    expect(sample(text, 'decklist_images_finished_total', { outcome: 'succeeded' })).toBe(2);
    expect(sample(text, 'decklist_images_finished_total', { outcome: 'failed', code: 'NOT_A_DECKLIST' })).toBe(1);
    expect(sample(text, 'decklist_images_finished_total', { outcome: 'failed', code: 'EMPTY_FILE' })).toBe(1);
    // Per image: only the three that went through the pipeline.
    expect(sample(text, 'decklist_image_duration_seconds_count', { outcome: 'succeeded' })).toBe(2);
    expect(sample(text, 'decklist_image_duration_seconds_count', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'decklist_image_duration_seconds_bucket', { outcome: 'succeeded', le: '+Inf' })).toBe(2);
    expect(sample(text, 'decklist_image_duration_seconds_sum', { outcome: 'succeeded' })).toBeGreaterThanOrEqual(HOLD_MS / 1000);
    // Per stage: each of the four stages once per image read.
    for (const stage of PIPELINE_STAGES) {
      expect(sample(text, 'decklist_stage_duration_seconds_count', { stage }), stage).toBe(3);
      expect(sample(text, 'decklist_stage_duration_seconds_bucket', { stage, le: '+Inf' }), stage).toBe(3);
      expect(sample(text, 'decklist_stage_duration_seconds_sum', { stage }), stage).toBeGreaterThan(0);
    }
    // The first image waited in DECODING while the test held it.
    expect(sample(text, 'decklist_stage_duration_seconds_sum', { stage: 'DECODING' })).toBeGreaterThanOrEqual(HOLD_MS / 1000);
    expect(sample(text, 'decklist_stage_duration_seconds_sum', { stage: 'LAYOUT' })).toBeLessThan(HOLD_MS / 1000);
  });

  it('counts cancelled images as cancelled, and a single image (processImage) like a batch’s', async () => {
    const pipeline = gatedPipeline();
    const { client, metricsUrl } = await start(pipeline);
    const batch = await client.processBatch([png('a.png'), png('b.png'), png('c.png')]);
    const stream = client.batchEvents(batch.id);
    await readUntil(stream, (e) => e.__typename === 'BatchProgress' && e.stage === 'DECODING');
    await client.request(CancelBatchMutation, { id: batch.id });
    pipeline.release();
    for await (const _ of stream);
    await client.processImage(png('single.png'));

    const { text } = await scrape(metricsUrl);
    // The running image finished; the two queued ones were cancelled.
    expect(sample(text, 'decklist_images_finished_total', { outcome: 'cancelled', code: 'CANCELLED' })).toBe(2);
    expect(sample(text, 'decklist_images_finished_total', { outcome: 'succeeded' })).toBe(2);
    expect(sample(text, 'decklist_image_duration_seconds_count', { outcome: 'succeeded' })).toBe(2);
    for (const stage of PIPELINE_STAGES) expect(sample(text, 'decklist_stage_duration_seconds_count', { stage }), stage).toBe(2);
  });

  it('shows the OCR worker restarts the pipeline counts', async () => {
    const stats = (replacedAfterFault: number, recycled: number): WorkerPoolStats => ({ ready: 1, queued: 0, replacedAfterFault, recycled, retried: 0 });
    const ocrStats: Record<OcrModel, WorkerPoolStats> = { chi_sim: stats(2, 1), eng: stats(0, 0) };
    const { metricsUrl } = await start({ ...gatedPipeline(), ocrStats });
    let { text } = await scrape(metricsUrl);
    expect(typeOf(text, 'decklist_ocr_worker_restarts_total')).toBe('counter');
    expect(sample(text, 'decklist_ocr_worker_restarts_total', { model: 'chi_sim', reason: 'fault' })).toBe(2);
    expect(sample(text, 'decklist_ocr_worker_restarts_total', { model: 'chi_sim', reason: 'recycled' })).toBe(1);
    expect(sample(text, 'decklist_ocr_worker_restarts_total', { model: 'eng', reason: 'fault' })).toBe(0);
    ocrStats.eng = stats(3, 0);
    ({ text } = await scrape(metricsUrl));
    expect(sample(text, 'decklist_ocr_worker_restarts_total', { model: 'eng', reason: 'fault' })).toBe(3);
    expect(sample(text, 'decklist_ocr_worker_restarts_total', { model: 'chi_sim', reason: 'fault' })).toBe(2);
  });

  it('shows what the pipeline caches answered and the crops read', async () => {
    const cacheStats = { screenshotHits: 0, cropHits: 0, cropsRead: 0 };
    const { metricsUrl } = await start({ ...gatedPipeline(), cacheStats });
    let { text } = await scrape(metricsUrl);
    expect(typeOf(text, 'decklist_cache_hits_total')).toBe('counter');
    expect(sample(text, 'decklist_cache_hits_total', { cache: 'screenshot' })).toBe(0);
    Object.assign(cacheStats, { screenshotHits: 2, cropHits: 32, cropsRead: 172 });
    ({ text } = await scrape(metricsUrl));
    expect(sample(text, 'decklist_cache_hits_total', { cache: 'screenshot' })).toBe(2);
    expect(sample(text, 'decklist_cache_hits_total', { cache: 'crop' })).toBe(32);
    expect(sample(text, 'decklist_ocr_crops_read_total', {})).toBe(172);
  });

  it('answers without the API key (like /health) while /graphql needs it; HEAD has no body', async () => {
    const { url, metricsUrl } = await start(gatedPipeline(), { apiKey: 'secret-key' });
    const denied = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(denied.status).toBe(401);
    const open = await scrape(metricsUrl);
    expect(open.status).toBe(200);
    expect(sample(open.text, 'decklist_queue_depth')).toBe(0);
    const head = await fetch(metricsUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await head.text()).toBe('');
  });
});
