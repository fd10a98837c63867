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
  /** Most bytes of images waiting across all batches (default: unbounded); beyond it, SERVER_BUSY. */
  maxQueuedBytes?: number;
  /**
   * Most images held across all batches, running or retained (default: unbounded). Their results stay in
   * memory (~80 KB per decklist): oldest finished batches are evicted to make room, else SERVER_BUSY.
   */
  maxHeldImages?: number;
}

/** Codes of a {@link BatchRejectedError}. */
export const BATCH_REJECTED_CODES = ['SERVER_BUSY', 'SHUTTING_DOWN', 'BATCH_TOO_LARGE'] as const;

/**
 * A request the runner refuses as a whole: too busy (SERVER_BUSY, with a retry hint), shutting down, or a
 * batch larger than the service ever holds (BATCH_TOO_LARGE: final, a retry cannot succeed; split it).
 */
export class BatchRejectedError extends Error {
  override readonly name = 'BatchRejectedError';
  constructor(
    readonly code: (typeof BATCH_REJECTED_CODES)[number],
    message: string,
    /** For SERVER_BUSY: seconds after which a retry has a fair chance. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

interface ImageJob extends Job {
  batch: Batch;
  index: number;
  filename: string;
  bytes: number;
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
  /** Bytes of images waiting for a slot (dropped from the count when an image starts or is cancelled). */
  private queuedBytesCount = 0;
  /** Images in the pipeline, to cancel them when the shutdown grace time is over. */
  private readonly running = new Set<AbortController>();
  /** Moving average of the time one image takes, for the retry hint. */
  private averageImageMs = 1_000;

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

  /** Bytes of the images waiting for a slot. */
  get queuedBytes(): number {
    return this.queuedBytesCount;
  }

  /** Images in the pipeline now. */
  get inFlight(): number {
    return this.scheduler.active;
  }

  /** Batches held (running and retained). */
  get size(): number {
    return this.batches.size;
  }

  /** Images of the batches held (running and retained). */
  get heldImages(): number {
    let n = 0;
    for (const batch of this.batches.values()) n += batch.total;
    return n;
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
    // Larger than the queue or the memory bound even on an idle server: no retry can succeed.
    const fits = Math.min(this.options.maxQueuedImages, this.options.maxHeldImages ?? Number.POSITIVE_INFINITY);
    if (total > fits) {
      const setting = fits === this.options.maxQueuedImages ? 'MAX_QUEUED_IMAGES' : 'MAX_HELD_IMAGES';
      throw new BatchRejectedError('BATCH_TOO_LARGE', `a batch of ${total} images is larger than this service takes (at most ${fits}, ${setting}); send it in batches of at most ${fits}`);
    }
    this.admit(total);
    this.evictExpired();
    if (this.batches.size >= this.options.maxBatches) this.evictOldestFinished();
    if (this.batches.size >= this.options.maxBatches) {
      throw this.busy(`too many batches running (at most ${this.options.maxBatches})`);
    }
    const maxHeld = this.options.maxHeldImages ?? Number.POSITIVE_INFINITY;
    while (this.heldImages + total > maxHeld && this.evictOldestFinished());
    if (this.heldImages + total > maxHeld) {
      throw this.busy(`too many images in running batches (${this.heldImages} held, at most ${maxHeld})`);
    }
    const batch = new Batch(randomUUID(), total);
    this.batches.set(batch.id, batch);
    return batch;
  }

  /**
   * Refuses work that would take the queue past its bounds (images or bytes), or any work while
   * shutting down, with a {@link BatchRejectedError}.
   */
  private admit(images: number, bytes = 0): void {
    if (this.closing) throw new BatchRejectedError('SHUTTING_DOWN', 'the server is shutting down; try another instance or later');
    if (this.scheduler.queued + images > this.options.maxQueuedImages) {
      throw this.busy(`too many images waiting (${this.scheduler.queued} queued, at most ${this.options.maxQueuedImages})`);
    }
    const maxBytes = this.options.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
    if (this.queuedBytesCount + bytes > maxBytes || (bytes === 0 && this.queuedBytesCount >= maxBytes)) {
      throw this.busy(`too many bytes of images waiting (${this.queuedBytesCount} queued, at most ${maxBytes})`);
    }
  }

  /** SERVER_BUSY with a retry hint: roughly the time the work queued now takes. */
  private busy(reason: string): BatchRejectedError {
    const perSlot = (this.scheduler.queued + this.scheduler.active) / this.options.concurrency;
    const seconds = Math.min(300, Math.max(1, Math.ceil((perSlot * this.averageImageMs) / 1000)));
    return new BatchRejectedError('SERVER_BUSY', `the server is busy: ${reason}; retry in about ${seconds} s`, seconds);
  }

  /**
   * Queues one image of the batch on the pipeline. When its bytes would take the queue past
   * `maxQueuedBytes`, the image becomes its own SERVER_BUSY error instead (the rest of the batch goes on).
   */
  addImage(batch: Batch, index: number, filename: string, bytes: Uint8Array): void {
    if (batch.status === 'CANCELLED') {
      batch.cancelImage(index, filename, this.cancelledMessage(filename));
      return;
    }
    const maxBytes = this.options.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
    if (this.queuedBytesCount + bytes.byteLength > maxBytes) {
      batch.fail(index, filename, 'SERVER_BUSY', `${filename} was not queued: ${this.busy(`${this.queuedBytesCount} bytes of images waiting, at most ${maxBytes}`).message}`);
      return;
    }
    batch.progress(index, filename, 'QUEUED');
    let data: Uint8Array | null = bytes;
    this.queuedBytesCount += bytes.byteLength;
    const job: ImageJob = {
      batch,
      index,
      filename,
      bytes: bytes.byteLength,
      run: async () => {
        const input = data!;
        data = null; // the bytes are not needed once the pipeline has them
        this.queuedBytesCount -= job.bytes;
        const abort = new AbortController();
        this.running.add(abort);
        const started = performance.now();
        try {
          const decklist = await this.options.pipeline.process(input, {
            onStage: (stage) => batch.progress(index, filename, stage),
            signal: abort.signal,
          });
          this.averageImageMs = 0.8 * this.averageImageMs + 0.2 * (performance.now() - started);
          batch.succeed(index, filename, decklist);
        } catch (error) {
          const { code, message } = failureOf(error);
          batch.fail(index, filename, code, message);
        } finally {
          this.running.delete(abort);
        }
      },
    };
    this.scheduler.enqueue(batch, job);
  }

  private cancelledMessage(filename: string): string {
    return `${filename} was not read: ${this.closing ? 'the server is shutting down' : 'the batch was cancelled'}`;
  }

  /** Records an image that never reaches the pipeline (bad upload). */
  rejectImage(batch: Batch, index: number, filename: string, code: BatchErrorCode, message: string): void {
    if (batch.status === 'CANCELLED') {
      batch.cancelImage(index, filename, this.cancelledMessage(filename));
      return;
    }
    batch.fail(index, filename, code, message);
  }

  /**
   * Drops the batch's queued images, each with a CANCELLED error event; images already in the pipeline
   * finish and report.
   */
  cancel(id: string): Batch | undefined {
    const batch = this.batches.get(id);
    if (!batch) return undefined;
    if (batch.finished) return batch;
    // Marked first, so an image whose event completes the batch sees it as cancelled.
    batch.status = 'CANCELLED';
    const dropped = this.scheduler.drop(batch);
    for (const job of dropped) {
      if (!('bytes' in job)) continue;
      this.queuedBytesCount -= job.bytes;
      batch.cancelImage(job.index, job.filename, this.cancelledMessage(job.filename));
    }
    return batch;
  }

  /**
   * Forgets a batch whose request turned out to be broken (e.g. a file named in the multipart map never
   * came): its queued images are dropped and its id no longer resolves.
   */
  discard(batch: Batch): void {
    this.cancel(batch.id);
    batch.endStreams();
    this.batches.delete(batch.id);
  }

  /** One image outside any batch, through the same fair queue. */
  processImage(bytes: Uint8Array): Promise<Decklist> {
    try {
      this.admit(1, bytes.byteLength);
    } catch (error) {
      return Promise.reject(error);
    }
    this.queuedBytesCount += bytes.byteLength;
    return new Promise((resolve, reject) => {
      this.scheduler.enqueue(
        {},
        {
          run: async () => {
            this.queuedBytesCount -= bytes.byteLength;
            const abort = new AbortController();
            this.running.add(abort);
            try {
              resolve(await this.options.pipeline.process(bytes, { signal: abort.signal }));
            } catch (error) {
              reject(error);
            } finally {
              this.running.delete(abort);
            }
          },
        },
      );
    });
  }

  /**
   * Stops taking work, cancels every queued image, and waits (at most `graceMs`) for the images in the
   * pipeline to finish; images still running then are cancelled (their CANCELLED error is recorded).
   * Then ends every stream still open. Batches stay readable (and replayable) until disposed.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    for (const batch of this.batches.values()) if (!batch.finished) this.cancel(batch.id);
    const idleWithin = async (ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      const idle = await Promise.race([
        this.scheduler.whenIdle().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), ms);
        }),
      ]);
      clearTimeout(timer);
      return idle;
    };
    if (!(await idleWithin(graceMs))) {
      for (const abort of this.running) abort.abort(new Error('shutdown'));
      await idleWithin(2_000);
    }
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

  /** Evicts the batch that finished first; false when no batch has finished. */
  private evictOldestFinished(): boolean {
    let oldest: Batch | undefined;
    for (const batch of this.batches.values()) {
      if (batch.finishedAt && (!oldest || batch.finishedAt < oldest.finishedAt!)) oldest = batch;
    }
    if (!oldest) return false;
    oldest.endStreams();
    this.batches.delete(oldest.id);
    return true;
  }
}
