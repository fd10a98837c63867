/**
 * `startMetricsServer`: the metrics of a process with no GraphQL port (`ROLE=worker`), on real HTTP on
 * 127.0.0.1. The last test wires a batch runner and a supervised OCR pool the way such a process would
 * (no GraphQL at all): fake OCR workers, one of which fails, so a restart is counted.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/batch/adapters/memory/index.js';
import { BatchRunner } from '../../src/batch/runner.js';
import { createMetrics, startMetricsServer, type MetricsServer } from '../../src/metrics/index.js';
import { OcrPool, type OcrWorker } from '../../src/pipeline/ocr/ocr-pool.js';
import { PIPELINE_STAGES } from '../../src/pipeline/types.js';
import { emptyDecklist } from '../fuzz/fake-pipeline.js';
import { sample, scrape } from './scrape.js';

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(registry = createMetrics().registry): Promise<MetricsServer> {
  const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry });
  cleanups.push(() => server.close());
  return server;
}

describe('startMetricsServer', () => {
  it('answers GET /metrics in Prometheus text, and 404 for anything else', async () => {
    const server = await serve();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const metrics = await scrape(server.url);
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toBe(CONTENT_TYPE);
    expect(sample(metrics.text, 'decklist_queue_depth')).toBe(0);
    expect(sample(metrics.text, 'decklist_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect((await scrape(`${server.url}?x=1`)).status).toBe(200);
    const head = await fetch(server.url, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    for (const path of ['/', '/graphql', '/metrics/x', '/health']) {
      expect((await scrape(`http://127.0.0.1:${server.port}${path}`)).status, path).toBe(404);
    }
    expect((await scrape(server.url, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('gives every registry the process metrics (one set per process) and metrics of its own', async () => {
    const [one, two] = [createMetrics(), createMetrics()];
    one.observer.imageEnded?.(null);
    const [a, b] = [await serve(one.registry), await serve(two.registry)];
    const [textA, textB] = [(await scrape(a.url)).text, (await scrape(b.url)).text];
    for (const text of [textA, textB]) expect(sample(text, 'decklist_nodejs_heap_size_total_bytes')).toBeGreaterThan(0);
    expect(sample(textA, 'decklist_images_finished_total', { outcome: 'succeeded' })).toBe(1);
    expect(sample(textB, 'decklist_images_finished_total', { outcome: 'succeeded' })).toBe(0);
    const off = (await scrape((await serve(createMetrics({ defaultMetrics: false }).registry)).url)).text;
    expect(off).not.toMatch(/decklist_process_|decklist_nodejs_/);
    expect(sample(off, 'decklist_queue_depth')).toBe(0);
  });

  it('answers 500 with the reason when collecting fails', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.track({
      openStreams: () => {
        throw new Error('source broken');
      },
    });
    const server = await serve(metrics.registry);
    const answer = await scrape(server.url);
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(/source broken/);
  });

  it('rejects when its port is taken, and stops on close', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    await expect(startMetricsServer({ port, host: '127.0.0.1', registry: createMetrics().registry })).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: createMetrics().registry });
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('serves a runner’s metrics with no GraphQL server: images, stages, queue, OCR worker restarts, labels', async () => {
    const metrics = createMetrics({ labels: { role: 'worker' } });
    // The supervised pool with fake workers: the first Chinese worker throws on its first job.
    let started = 0;
    const startWorker = async (model: 'chi_sim' | 'eng'): Promise<OcrWorker> => {
      const faulty = model === 'chi_sim' && started++ === 0;
      return {
        run: async () => {
          if (faulty) throw new Error('injected: worker threw');
          return { text: 'ok', confidence: 1 };
        },
        terminate: async () => undefined,
      };
    };
    const ocr = await OcrPool.create({ workers: 1, cachePath: '/nonexistent', startWorker });
    cleanups.push(() => ocr.close());
    const runner = new BatchRunner({
      pipeline: {
        async process(_bytes, options = {}) {
          for (const stage of PIPELINE_STAGES) {
            options.onStage?.(stage);
            if (stage === 'READING') await ocr.recognize({ image: Buffer.alloc(1), model: 'chi_sim', mode: 'line' });
          }
          return emptyDecklist();
        },
      },
      backend: createMemoryBackend({ concurrency: 1 }),
      concurrency: 1,
      retentionMs: 60_000,
      maxBatches: 10,
      maxQueuedImages: 10,
      observer: metrics.observer,
    });
    cleanups.push(() => runner.dispose());
    // What a worker process wires: the runner's observer (above), the sources, the server.
    metrics.track({ queue: runner, openStreams: () => runner.openStreams, ocrWorkers: () => ocr.stats });
    const server = await serve(metrics.registry);

    const batch = await runner.createBatch(2);
    await runner.addImage(batch.id, 0, 'a.png', new Uint8Array([1]));
    await runner.addImage(batch.id, 1, 'b.png', new Uint8Array([2]));
    await runner.accept(batch.id);
    const queued = await scrape(server.url);
    expect(sample(queued.text, 'decklist_queue_depth', { role: 'worker' })).toBe(2);

    const events = (await runner.subscribe(batch.id))!;
    expect(sample((await scrape(server.url)).text, 'decklist_event_streams_open', { role: 'worker' })).toBe(1);
    await runner.start();
    for await (const _ of events);

    const { text } = await scrape(server.url);
    expect(sample(text, 'decklist_event_streams_open', { role: 'worker' })).toBe(0);
    expect(sample(text, 'decklist_queue_depth', { role: 'worker' })).toBe(0);
    expect(sample(text, 'decklist_images_finished_total', { role: 'worker', outcome: 'succeeded' })).toBe(2);
    expect(sample(text, 'decklist_image_duration_seconds_count', { role: 'worker', outcome: 'succeeded' })).toBe(2);
    for (const stage of PIPELINE_STAGES) {
      expect(sample(text, 'decklist_stage_duration_seconds_count', { role: 'worker', stage }), stage).toBe(2);
    }
    // The failed worker was replaced (its job retried on the fresh one).
    expect(ocr.stats.chi_sim.replacedAfterFault).toBe(1);
    expect(sample(text, 'decklist_ocr_worker_restarts_total', { role: 'worker', model: 'chi_sim', reason: 'fault' })).toBe(1);
    expect(sample(text, 'decklist_ocr_worker_restarts_total', { role: 'worker', model: 'eng', reason: 'fault' })).toBe(0);
    // The process metrics carry the registry's labels too.
    expect(sample(text, 'decklist_process_cpu_user_seconds_total', { role: 'worker' })).toBeGreaterThan(0);
  });
});
