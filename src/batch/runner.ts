import { randomUUID } from 'node:crypto';
import { isPipelineError } from '../pipeline/errors.js';
import type { DecklistPipeline } from '../pipeline/pipeline.js';
import type { Decklist } from '../pipeline/types.js';
import { Batch } from './batch.js';
import type { BatchErrorCode } from './events.js';
import { FairScheduler, type Job } from './scheduler.js';

/** What the runner needs of the pipeline: only `process` (tests may hand in a slow fake). */
export type ImageProcessor = Pick<DecklistPipeline, 'process'>;

export interface BatchRunnerOptions {
  pipeline: ImageProcessor;
  /** Images processed at once across all batches (each one fans its crops out on the OCR pool). */
  concurrency: number;
  /** How long a finished batch stays queryable and replayable, in ms. */
  retentionMs: number;
  /** Most batches kept at once (finished ones are evicted oldest first to make room). */
  maxBatches: number;
  /** Most images waiting for the pipeline across all batches; beyond it new batches are refused. */
  maxQueuedImages: number;
}

/** A request the runner refuses as a whole: too busy, shutting down. */
export class BatchRejectedError extends Error {
  override readonly name = 'BatchRejectedError';
  constructor(
    readonly code: 'BUSY' | 'SHUTTING_DOWN',
    message: string,
  ) {
    super(message);
  }
}

interface ImageJob extends Job {
  batch: Batch;
  index: number;
  filename: string;
}

/** The error code and message a failed image gets. */
export function failureOf(error: unknown): { code: BatchErrorCode; message: string } {
  if (isPipelineError(error)) return { code: error.code, message: error.message };
  return { code: 'OCR_FAILED', message: `the image could not be read: ${(error as Error)?.message ?? String(error)}` };
}

/**
 * Queues the images of batches (and single images) on the one shared pipeline, records each batch's
 * events, cancels, and evicts finished batches after the retention time. The pipeline knows nothing of it.
 */
export class BatchRunner {
  private readonly batches = new Map<string, Batch>();
  private readonly scheduler: FairScheduler<ImageJob | (Job & { batch?: undefined })>;
  private readonly sweeper: NodeJS.Timeout;
  private closing = false;

  constructor(readonly options: BatchRunnerOptions) {
    this.scheduler = new FairScheduler(options.concurrency);
    // Sweep often enough that a batch outlives its retention by at most a quarter of it (or a minute).
    const every = Math.max(10, Math.min(60_000, Math.floor(options.retentionMs / 4)));
    this.sweeper = setInterval(() => this.evictExpired(), every);
    this.sweeper.unref();
  }

  /** Images waiting for a slot. */
  get queueDepth(): number {
    return this.scheduler.queued;
  }

  /** Images in the pipeline now. */
  get inFlight(): number {
    return this.scheduler.active;
  }

  /** Batches held (running and retained). */
  get size(): number {
    return this.batches.size;
  }

  get shuttingDown(): boolean {
    return this.closing;
  }

  get(id: string): Batch | undefined {
    return this.batches.get(id);
  }

  /**
   * Opens a batch of `total` images; the caller then hands each image in with {@link addImage} or
   * {@link rejectImage} as its upload is read. Throws {@link BatchRejectedError} when full or closing.
   */
  createBatch(total: number): Batch {
    if (this.closing) throw new BatchRejectedError('SHUTTING_DOWN', 'the server is shutting down');
    if (this.scheduler.queued + total > this.options.maxQueuedImages) {
      throw new BatchRejectedError(
        'BUSY',
        `too many images waiting (${this.scheduler.queued} queued, at most ${this.options.maxQueuedImages}); try again later`,
      );
    }
    this.evictExpired();
    if (this.batches.size >= this.options.maxBatches) this.evictOldestFinished();
    if (this.batches.size >= this.options.maxBatches) {
      throw new BatchRejectedError('BUSY', `too many batches running (at most ${this.options.maxBatches}); try again later`);
    }
    const batch = new Batch(randomUUID(), total);
    this.batches.set(batch.id, batch);
    return batch;
  }

  /** Queues one image of the batch on the pipeline. */
  addImage(batch: Batch, index: number, filename: string, bytes: Uint8Array): void {
    if (batch.status === 'CANCELLED') {
      batch.cancelImages(1);
      return;
    }
    batch.progress(index, filename, 'QUEUED');
    let data: Uint8Array | null = bytes;
    const job: ImageJob = {
      batch,
      index,
      filename,
      run: async () => {
        const input = data!;
        data = null; // the bytes are not needed once the pipeline has them
        try {
          const decklist = await this.options.pipeline.process(input, {
            onStage: (stage) => batch.progress(index, filename, stage),
          });
          batch.succeed(index, filename, decklist);
        } catch (error) {
          const { code, message } = failureOf(error);
          batch.fail(index, filename, code, message);
        }
      },
    };
    this.scheduler.enqueue(batch, job);
  }

  /** Records an image that never reaches the pipeline (bad upload). */
  rejectImage(batch: Batch, index: number, filename: string, code: BatchErrorCode, message: string): void {
    if (batch.status === 'CANCELLED') {
      batch.cancelImages(1);
      return;
    }
    batch.fail(index, filename, code, message);
  }

  /** Drops the batch's queued images; images already in the pipeline finish and report. */
  cancel(id: string): Batch | undefined {
    const batch = this.batches.get(id);
    if (!batch) return undefined;
    if (batch.finished) return batch;
    const dropped = this.scheduler.drop(batch);
    batch.cancelImages(dropped.length);
    return batch;
  }

  /** One image outside any batch, through the same fair queue. */
  processImage(bytes: Uint8Array): Promise<Decklist> {
    if (this.closing) return Promise.reject(new BatchRejectedError('SHUTTING_DOWN', 'the server is shutting down'));
    if (this.scheduler.queued + 1 > this.options.maxQueuedImages) {
      return Promise.reject(new BatchRejectedError('BUSY', 'too many images waiting; try again later'));
    }
    return new Promise((resolve, reject) => {
      this.scheduler.enqueue(
        {},
        {
          run: () => this.options.pipeline.process(bytes).then(resolve, reject),
        },
      );
    });
  }

  /**
   * Stops taking work, cancels every queued image, and waits (at most `graceMs`) for the images in the
   * pipeline to finish. Then ends every stream still open. Batches stay readable until disposed.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    for (const batch of this.batches.values()) if (!batch.finished) this.cancel(batch.id);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.scheduler.whenIdle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const batch of this.batches.values()) batch.endStreams();
  }

  /** Stops the eviction timer and forgets every batch (their streams end). */
  dispose(): void {
    clearInterval(this.sweeper);
    for (const batch of this.batches.values()) batch.endStreams();
    this.batches.clear();
  }

  /** Evicts finished batches older than the retention time. */
  evictExpired(now = Date.now()): number {
    let evicted = 0;
    for (const [id, batch] of this.batches) {
      if (batch.finishedAt && now - batch.finishedAt.getTime() >= this.options.retentionMs) {
        batch.endStreams();
        this.batches.delete(id);
        evicted++;
      }
    }
    return evicted;
  }

  private evictOldestFinished(): void {
    let oldest: Batch | undefined;
    for (const batch of this.batches.values()) {
      if (batch.finishedAt && (!oldest || batch.finishedAt < oldest.finishedAt!)) oldest = batch;
    }
    if (oldest) {
      oldest.endStreams();
      this.batches.delete(oldest.id);
    }
  }
}
