/**
 * Prometheus metrics (prom-client) of one process, whatever its role: the images it finished and how
 * long they took, per pipeline stage too, the queue, OCR worker restarts and open event streams, plus
 * the Node.js process metrics prom-client collects by default. Every name starts with `decklist_`.
 *
 * The batch runner and the pipeline know nothing of this module: the runner reports to an observer
 * ({@link ServiceMetrics.observer}), and the gauges read the runner and the OCR pool's counters when
 * Prometheus scrapes ({@link ServiceMetrics.track}). Serve {@link ServiceMetrics.registry} with
 * `serveMetrics` (the GraphQL server does, at `GET /metrics`) or `startMetricsServer` (a process without
 * a GraphQL port).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BatchErrorCode } from '../batch/events.js';
import type { RunnerObserver } from '../batch/runner.js';

/** The prefix of every metric name. */
export const METRICS_PREFIX = 'decklist_';

/** How an image ended, the `outcome` label. */
export type ImageOutcome = 'succeeded' | 'failed' | 'cancelled';

/** The `outcome` of an image that ended with `code` (null: a result). */
export function outcomeOf(code: BatchErrorCode | null): ImageOutcome {
  return code === null ? 'succeeded' : code === 'CANCELLED' ? 'cancelled' : 'failed';
}

/** Bucket bounds, in seconds, of `decklist_image_duration_seconds` (a warm image takes about 1 s; the limit is 60 s). */
export const IMAGE_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60] as const;

/** Bucket bounds, in seconds, of `decklist_stage_duration_seconds`. */
export const STAGE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/**
 * prom-client's process metrics, collected once per process (and prefix) and shared by every registry:
 * they describe the process, not a service, and their monitors (an event-loop delay timer, a GC observer)
 * cannot be stopped, so one set per service would pile up in a process that starts many (the tests).
 */
const processMetrics = new Map<string, Registry>();

function processMetricsOf(prefix: string): Registry {
  let shared = processMetrics.get(prefix);
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix });
    processMetrics.set(prefix, shared);
  }
  return shared;
}

/** Counters of one OCR worker pool (a pipeline's `ocrStats[model]`). */
export interface OcrWorkerCounters {
  /** Workers replaced after a fault: a hang, a crash, or a cancelled image's busy worker. */
  replacedAfterFault: number;
  /** Workers replaced after serving their quota of jobs. */
  recycled: number;
}

/** What the gauges read at each scrape. Every member is optional; several tracked sources add up. */
export interface MetricsSources {
  /** Images waiting for the pipeline and in it (the batch runner). */
  queue?: { readonly queueDepth: number; readonly inFlight: number };
  /** Event streams open now (the batch runner's `openStreams`). */
  openStreams?: () => number;
  /** OCR worker counters per model, counted since the pool started (a pipeline's `ocrStats`). */
  ocrWorkers?: () => Readonly<Record<string, OcrWorkerCounters>>;
  /** What the caches answered, counted since the pipeline started (a pipeline's `cacheStats`). */
  caches?: () => Readonly<CacheCounters>;
}

/** Counters of a pipeline's caches. */
export interface CacheCounters {
  /** Screenshots answered from the screenshot cache. */
  screenshotHits: number;
  /** Crops answered from the crop cache. */
  cropHits: number;
  /** Crops read by an OCR worker. */
  cropsRead: number;
}

export interface MetricsOptions {
  /** Prefix of every name (default {@link METRICS_PREFIX}). */
  prefix?: string;
  /**
   * Also serve prom-client's Node.js process metrics: CPU, memory, event loop lag, GC… (default true; one
   * set per process, shared by every registry that asks for them).
   */
  defaultMetrics?: boolean;
  /** Labels put on every metric (e.g. `{ role: 'worker' }`). */
  labels?: Record<string, string>;
}

/** One process's metrics: the registry to serve, the runner's observer, and the sources to read. */
export interface ServiceMetrics {
  /** The metrics, for `serveMetrics` / `startMetricsServer` (or `await registry.metrics()`). */
  readonly registry: Registry;
  /** Hand to `new BatchRunner({ observer })`: counts finished images, times images and stages. */
  readonly observer: RunnerObserver;
  /** Adds sources the gauges read at each scrape; returns a function that removes them again. */
  track(sources: MetricsSources): () => void;
}

/**
 * A registry of its own (not prom-client's global one, so several services in one process do not clash)
 * with these metrics, `decklist_` standing for the prefix:
 *
 * - `decklist_queue_depth` (gauge): images waiting for the pipeline.
 * - `decklist_images_in_flight` (gauge): images in the pipeline now.
 * - `decklist_images_finished_total{outcome, code}` (counter): images whose result or error this process
 *   recorded; `outcome` is `succeeded`, `failed` or `cancelled`, `code` the error code (none on success).
 * - `decklist_image_duration_seconds{outcome}` (histogram): time in the pipeline per image.
 * - `decklist_stage_duration_seconds{stage}` (histogram): time per pipeline stage (`DECODING`, `LAYOUT`,
 *   `READING`, `MATCHING`), from its announcement to the next stage's, or to the end.
 * - `decklist_ocr_worker_restarts_total{model, reason}` (counter): OCR workers replaced, `reason` `fault`
 *   (hung, crashed or stopped with a cancelled image) or `recycled` (served their quota of jobs).
 * - `decklist_cache_hits_total{cache}` (counter): screenshots (`screenshot`) and crops (`crop`) answered from
 *   the pipeline's caches; `decklist_ocr_crops_read_total` (counter): crops an OCR worker read (the crop
 *   cache's hit rate is hits over hits plus reads).
 * - `decklist_event_streams_open` (gauge): `batchEvents` streams open in this process.
 * - with `defaultMetrics`, prom-client's process metrics (`decklist_process_cpu_seconds_total`,
 *   `decklist_nodejs_eventloop_lag_seconds`, `decklist_process_resident_memory_bytes`, …).
 */
export function createMetrics({ prefix = METRICS_PREFIX, defaultMetrics = true, labels }: MetricsOptions = {}): ServiceMetrics {
  const registry = new Registry();
  if (labels) registry.setDefaultLabels(labels);
  if (defaultMetrics) {
    const shared = processMetricsOf(prefix);
    for (const { name } of shared.getMetricsAsArray()) registry.registerMetric(shared.getSingleMetric(name)!);
  }
  const tracked = new Set<MetricsSources>();
  const sum = (read: (s: MetricsSources) => number | undefined) => [...tracked].reduce((total, s) => total + (read(s) ?? 0), 0);

  new Gauge({
    name: `${prefix}queue_depth`,
    help: 'Images waiting for the pipeline.',
    registers: [registry],
    collect() {
      this.set(sum((s) => s.queue?.queueDepth));
    },
  });
  new Gauge({
    name: `${prefix}images_in_flight`,
    help: 'Images in the pipeline now.',
    registers: [registry],
    collect() {
      this.set(sum((s) => s.queue?.inFlight));
    },
  });
  new Gauge({
    name: `${prefix}event_streams_open`,
    help: 'batchEvents event streams open in this process.',
    registers: [registry],
    collect() {
      this.set(sum((s) => s.openStreams?.()));
    },
  });
  new Counter({
    name: `${prefix}cache_hits_total`,
    help: 'Screenshots (cache "screenshot") and OCR crops (cache "crop") answered from the pipeline\'s caches.',
    labelNames: ['cache'] as const,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(
        { cache: 'screenshot' },
        sum((s) => s.caches?.().screenshotHits),
      );
      this.inc(
        { cache: 'crop' },
        sum((s) => s.caches?.().cropHits),
      );
    },
  });
  new Counter({
    name: `${prefix}ocr_crops_read_total`,
    help: 'Crops an OCR worker read (not answered from the crop cache).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sum((s) => s.caches?.().cropsRead));
    },
  });
  new Counter({
    name: `${prefix}ocr_worker_restarts_total`,
    help: 'OCR workers replaced: reason "fault" (hung, crashed, or stopped with a cancelled image) or "recycled" (served their quota of jobs).',
    labelNames: ['model', 'reason'] as const,
    registers: [registry],
    collect() {
      // The pools count; each scrape copies their totals (a counter restarts with its process anyway).
      const totals = new Map<string, OcrWorkerCounters>();
      for (const source of tracked) {
        for (const [model, counters] of Object.entries(source.ocrWorkers?.() ?? {})) {
          const total = totals.get(model) ?? { replacedAfterFault: 0, recycled: 0 };
          totals.set(model, { replacedAfterFault: total.replacedAfterFault + counters.replacedAfterFault, recycled: total.recycled + counters.recycled });
        }
      }
      this.reset();
      for (const [model, { replacedAfterFault, recycled }] of totals) {
        this.inc({ model, reason: 'fault' }, replacedAfterFault);
        this.inc({ model, reason: 'recycled' }, recycled);
      }
    },
  });
  const finished = new Counter({
    name: `${prefix}images_finished_total`,
    help: 'Images whose result or error this process recorded, by outcome (succeeded, failed, cancelled) and error code.',
    labelNames: ['outcome', 'code'] as const,
    registers: [registry],
  });
  const imageDuration = new Histogram({
    name: `${prefix}image_duration_seconds`,
    help: 'Time one image spent in the pipeline, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [...IMAGE_DURATION_BUCKETS],
    registers: [registry],
  });
  const stageDuration = new Histogram({
    name: `${prefix}stage_duration_seconds`,
    help: 'Time one image spent in a pipeline stage (DECODING, LAYOUT, READING, MATCHING).',
    labelNames: ['stage'] as const,
    buckets: [...STAGE_DURATION_BUCKETS],
    registers: [registry],
  });
  // Present from the start at 0, so a dashboard's rate() has a series before the first image.
  finished.inc({ outcome: 'succeeded' }, 0);

  return {
    registry,
    observer: {
      imageEnded(code) {
        finished.inc(code === null ? { outcome: 'succeeded' } : { outcome: outcomeOf(code), code });
      },
      imageTimed({ code, seconds, stages }) {
        imageDuration.observe({ outcome: outcomeOf(code) }, seconds);
        for (const { stage, seconds: s } of stages) stageDuration.observe({ stage }, s);
      },
    },
    track(sources) {
      tracked.add(sources);
      return () => void tracked.delete(sources);
    },
  };
}
