import { randomUUID } from 'node:crypto';
import { imageNotRead, isPipelineError, PIPELINE_ERROR_CODES, PipelineError, type PipelineErrorCode } from '../pipeline/errors.js';
import type { DecklistPipeline } from '../pipeline/pipeline.js';
import type { Decklist, PipelineStage } from '../pipeline/types.js';
import type { BatchErrorCode, BatchEvent, BatchResultEvent, BatchErrorEvent, NewBatchEvent } from './events.js';
import type { BatchBackend, ClusterMember, ImageJob, JobOutcome, StoreInfo } from './ports.js';
import { StoreUnavailableError } from './ports.js';
import { FairScheduler, type Job } from './scheduler.js';
import { completionDue, completedOf, type BatchState } from './state.js';

/** What the runner needs of the pipeline: only `process` (tests may hand in a slow fake). */
export type ImageProcessor = Pick<DecklistPipeline, 'process'>;

/**
 * Points where the `TEST_PAUSE_AT` test hook stops all image work for good (and prints
 * `TEST_PAUSE_AT <point> reached` once), so a crash test can kill the process at a known moment:
 * `before-first-image` (a job was handed out, nothing of it stored), `mid-image` (an image was read, its
 * result not stored), `after-first-result` (a result stored), `before-complete` (the last image's event
 * stored, `BatchComplete` not).
 */
export const PAUSE_POINTS = ['before-first-image', 'mid-image', 'after-first-result', 'before-complete'] as const;
export type PausePoint = (typeof PAUSE_POINTS)[number];

export interface BatchRunnerOptions {
  /**
   * The pipeline that reads this process's share of the queued images; null for a process that reads none
   * (ROLE=api: other processes of a shared backend read them).
   */
  pipeline: ImageProcessor | null;
  /** Where batches, queued images and uploads live (the ports; memory or SQLite). */
  backend: BatchBackend;
  /** Images processed at once across all batches (the job queue's concurrency; also for single images). */
  concurrency: number;
  /** How long a finished batch stays queryable and replayable, in ms. */
  retentionMs: number;
  /** Most batches kept at once (finished ones are evicted oldest first to make room). */
  maxBatches: number;
  /** Most images waiting for the pipeline across all batches; beyond it new batches are refused. */
  maxQueuedImages: number;
  /** Most bytes of images waiting across all batches (default: unbounded); beyond it, SERVER_BUSY. */
  maxQueuedBytes?: number;
  /** Most images held across all batches, running or retained (default: unbounded). */
  maxHeldImages?: number;
  /**
   * Most bytes the store holds: event logs plus uploads waiting (default: unbounded). Oldest finished
   * batches are evicted to make room, else SERVER_BUSY.
   */
  maxStoredBytes?: number;
  /**
   * A shared backend only: a batch still not accepted this long after it was created lost its uploading
   * process (which would have accepted or discarded it), and is deleted. Default: an hour.
   */
  abandonedUploadMs?: number;
  /** Test hook (`TEST_PAUSE_AT`); never set in production. */
  testPauseAt?: PausePoint | null;
  /** Told how images end and how long they take (metrics: `createMetrics().observer`); default: nobody. */
  observer?: RunnerObserver;
}

/** How long one pipeline stage of an image took. */
export interface StageTiming {
  stage: PipelineStage;
  seconds: number;
}

/**
 * One image's time in the pipeline, reported once its answer is final (a batch image's result or error about
 * to be recorded; a single image's answer); not for a batch image a shutdown sends back to the queue.
 */
export interface ImageTiming {
  /** Null for a result, else the image's error code. */
  code: BatchErrorCode | null;
  /** From the call to the pipeline until it answered. */
  seconds: number;
  /**
   * Each stage the pipeline announced (`onStage`), in order: the time from its announcement to the next
   * one, or to the answer for the last. Empty when the pipeline announced none.
   */
  stages: StageTiming[];
}

/**
 * What the runner reports as it works, for metrics (`src/metrics`): the runner knows nothing of who
 * listens. Every method is optional; one that throws is ignored (a report never stops an image).
 */
export interface RunnerObserver {
  /**
   * An image ended, once per image whose end this process recorded: `null` for a result, else its error
   * code (`CANCELLED` for a cancelled one; upload errors too). Batch images and single images
   * (`processImage`) alike.
   */
  imageEnded?(code: BatchErrorCode | null): void;
  /** An image went through the pipeline (see {@link ImageTiming}); not for images that never reached it. */
  imageTimed?(timing: ImageTiming): void;
}

/** Times one image in the pipeline: the stages as they are announced, and the whole. */
class StageClock {
  private readonly started = performance.now();
  private current: { stage: PipelineStage; at: number } | null = null;
  private readonly stages: StageTiming[] = [];

  /** The pipeline announced `stage`: the one before it ends now. */
  enter(stage: PipelineStage): void {
    const now = performance.now();
    this.end(now);
    this.current = { stage, at: now };
  }

  /** The pipeline answered `code` (null: a result): the last stage ends now. */
  finish(code: BatchErrorCode | null): ImageTiming {
    const now = performance.now();
    this.end(now);
    return { code, seconds: (now - this.started) / 1000, stages: this.stages };
  }

  private end(now: number): void {
    if (this.current) this.stages.push({ stage: this.current.stage, seconds: (now - this.current.at) / 1000 });
    this.current = null;
  }
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

/** The error code and message a failed image gets. */
export function failureOf(error: unknown): { code: BatchErrorCode; message: string } {
  if (isPipelineError(error)) return { code: error.code, message: error.message };
  return { code: 'OCR_FAILED', message: imageNotRead(error).message };
}

/** How often a process of a shared backend looks for batches that a dead process left unfinished. */
const TIDY_SHARED_MS = 5_000;

/** A job handed out this often without finishing (each time the process stopped) fails instead. */
export const MAX_ATTEMPTS = 3;

/** A batch as the API shows it: its state and the images finished. */
export type BatchView = BatchState & { completed: number };

const view = (state: BatchState): BatchView => ({ ...state, completed: completedOf(state) });
const blobKey = (batchId: string, index: number) => `${batchId}/${index}`;

/**
 * The batch service over the ports: admits batches, stores each upload and queues it, reads queued
 * images on the one shared pipeline (fair turns between batches come from the job queue), records every
 * event, cancels, evicts finished batches after the retention time, and on start resumes what a
 * previous process left unfinished. The pipeline knows nothing of it; it knows nothing of the adapter.
 */
export class BatchRunner {
  private readonly backend: BatchBackend;
  /** Single images (`processImage`): not stored, read through their own fair queue. */
  private readonly singles: FairScheduler;
  private readonly sweeper: NodeJS.Timeout;
  private readonly tidier: NodeJS.Timeout;
  private closing = false;
  private singleBytes = 0;
  /** Images in the pipeline, to cancel them when the shutdown grace time is over. */
  private readonly running = new Set<AbortController>();
  /** Moving average of the time one image takes, for the retry hint. */
  private averageImageMs = 1_000;
  private started: Promise<void> | null = null;
  private paused = false;
  /** Event streams (`subscribe`) open now. */
  private streams = 0;

  constructor(readonly options: BatchRunnerOptions) {
    this.backend = options.backend;
    this.singles = new FairScheduler(options.concurrency);
    // Sweep often enough that a batch outlives its retention by at most a quarter of it (or a minute).
    const every = Math.max(10, Math.min(60_000, Math.floor(options.retentionMs / 4)));
    this.sweeper = setInterval(() => void this.evictExpired().catch(() => undefined), every);
    this.sweeper.unref();
    this.tidier = setInterval(() => {
      if (this.backend.info.shared && this.started) void this.tidyShared().catch(() => undefined);
    }, TIDY_SHARED_MS);
    this.tidier.unref();
  }

  /** The store's kind, durability and location. */
  get store(): StoreInfo {
    return this.backend.info;
  }

  /**
   * Resumes what an earlier process left (durable stores) and starts reading queued images: batches
   * whose upload never finished are deleted (their client never got an id); an image with no result,
   * error or queued job gets its error; a batch with every image finished gets its `BatchComplete`.
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      if (this.backend.info.shared) await this.tidyShared();
      else await this.resume();
      if (this.options.pipeline) this.backend.queue.consume((job) => this.handle(job));
    })();
    return this.started;
  }

  /** An embedded store: everything unfinished was this process's predecessor's (see {@link start}). */
  private async resume(): Promise<void> {
    const { store, queue, blobs } = this.backend;
    for (const state of await store.unfinished()) {
      if (!state.accepted) {
        await queue.drop(state.id);
        await blobs.deleteBatch(state.id);
        await store.delete(state.id);
        continue;
      }
      const waiting = new Set((await queue.waiting(state.id)).map((j) => j.index));
      const ended = new Set((await store.events(state.id)).flatMap((e) => (e.kind === 'result' || e.kind === 'error' ? [e.index] : [])));
      for (let index = 0; index < state.total; index++) {
        if (waiting.has(index) || ended.has(index)) continue;
        const message = `image ${index} was not read: ${state.status === 'CANCELLED' ? 'the batch was cancelled' : 'its upload was lost'}`;
        await this.record(state.id, {
          kind: 'error',
          index,
          filename: `file-${index}`,
          code: state.status === 'CANCELLED' ? 'CANCELLED' : 'UPLOAD_FAILED',
          message,
        });
      }
      if (state.status === 'CANCELLED') await this.cancel(state.id);
      await this.completeIfDone(state.id);
    }
  }

  /**
   * A shared store (at start and on every sweep): other processes are working on its batches, so only
   * what no live process can finish is finished here — a batch whose last image ended but whose
   * `BatchComplete` was not written (its process died between the two) gets it; a batch never accepted
   * within `abandonedUploadMs` lost its upload and is deleted. An accepted batch's images are BullMQ
   * jobs until they end, so none is lost with a process.
   */
  private async tidyShared(now = Date.now()): Promise<void> {
    const { store, queue, blobs } = this.backend;
    const abandonedMs = this.options.abandonedUploadMs ?? 3_600_000;
    for (const state of await store.unfinished()) {
      if (!state.accepted) {
        if (now - state.createdAt < abandonedMs) continue;
        await queue.drop(state.id);
        await blobs.deleteBatch(state.id);
        await store.delete(state.id);
        continue;
      }
      await this.completeIfDone(state.id);
    }
  }

  /** Images waiting for the pipeline (batches and single images). */
  get queueDepth(): number {
    return this.backend.queue.depth().jobs + this.singles.queued;
  }

  /** Bytes of the images waiting for the pipeline. */
  get queuedBytes(): number {
    return this.backend.queue.depth().bytes + this.singleBytes;
  }

  /** Images in the pipeline now. */
  get inFlight(): number {
    return this.backend.queue.depth().active + this.singles.active;
  }

  get shuttingDown(): boolean {
    return this.closing;
  }

  /** The live processes of a shared backend (undefined for an embedded one: this process is all there is). */
  async cluster(): Promise<ClusterMember[] | undefined> {
    return this.backend.cluster?.members();
  }

  /** Batches held (running and retained). */
  async size(): Promise<number> {
    return (await this.backend.store.stats()).batches;
  }

  /** Bytes held by the store: event logs and uploads waiting. */
  async storedBytes(): Promise<number> {
    return (await this.backend.store.stats()).storedBytes + (await this.backend.blobs.usedBytes());
  }

  async get(id: string): Promise<BatchView | undefined> {
    const state = await this.backend.store.get(id);
    return state ? view(state) : undefined;
  }

  events(id: string, after = 0): Promise<BatchEvent[]> {
    return this.backend.store.events(id, after);
  }

  async results(id: string): Promise<BatchResultEvent[]> {
    return (await this.events(id)).filter((e): e is BatchResultEvent => e.kind === 'result');
  }

  async errors(id: string): Promise<BatchErrorEvent[]> {
    return (await this.events(id)).filter((e): e is BatchErrorEvent => e.kind === 'error');
  }

  /** The stored events after `after`, then live ones; undefined for an unknown batch. */
  async subscribe(id: string, after = 0): Promise<AsyncIterableIterator<BatchEvent> | undefined> {
    const events = await this.backend.store.follow(id, after);
    return events && this.counted(events);
  }

  /** Event streams ({@link subscribe}, every batch) open in this process now. */
  get openStreams(): number {
    return this.streams;
  }

  /** Counts a stream in {@link openStreams} until it ends, fails or its reader returns early. */
  private counted(events: AsyncIterableIterator<BatchEvent>): AsyncIterableIterator<BatchEvent> {
    this.streams++;
    let open = true;
    const close = () => {
      if (open) this.streams--;
      open = false;
    };
    const stream: AsyncIterableIterator<BatchEvent> = {
      next: (...args) =>
        events.next(...args).then(
          (result) => {
            if (result.done) close();
            return result;
          },
          (error: unknown) => {
            close();
            throw error;
          },
        ),
      return: (value) => {
        close();
        return events.return ? events.return(value) : Promise.resolve({ done: true, value });
      },
      throw: (error) => {
        close();
        return events.throw ? events.throw(error) : Promise.reject(error);
      },
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  /** Subscribers following a batch live (in this process). */
  subscribers(id: string): Promise<number> {
    return this.backend.store.subscribers(id);
  }

  /**
   * Opens a batch of `total` images; the caller then hands each image in with {@link addImage} or
   * {@link rejectImage} as its upload is read, and calls {@link accept} at the end. Throws
   * {@link BatchRejectedError} when full or closing.
   */
  async createBatch(total: number): Promise<BatchView> {
    // Larger than the queue or the memory bound even on an idle server: no retry can succeed.
    const fits = Math.min(this.options.maxQueuedImages, this.options.maxHeldImages ?? Number.POSITIVE_INFINITY);
    if (total > fits) {
      const setting = fits === this.options.maxQueuedImages ? 'MAX_QUEUED_IMAGES' : 'MAX_HELD_IMAGES';
      throw new BatchRejectedError(
        'BATCH_TOO_LARGE',
        `a batch of ${total} images is larger than this service takes (at most ${fits}, ${setting}); send it in batches of at most ${fits}`,
      );
    }
    this.admit(total);
    await this.evictExpired();
    const { store } = this.backend;
    let stats = await store.stats();
    if (stats.batches >= this.options.maxBatches && (await this.evictOldestFinished())) stats = await store.stats();
    if (stats.batches >= this.options.maxBatches) {
      throw this.busy(`too many batches running (at most ${this.options.maxBatches})`);
    }
    const maxHeld = this.options.maxHeldImages ?? Number.POSITIVE_INFINITY;
    while (stats.images + total > maxHeld && (await this.evictOldestFinished())) stats = await store.stats();
    if (stats.images + total > maxHeld) {
      throw this.busy(`too many images in running batches (${stats.images} held, at most ${maxHeld})`);
    }
    const maxStored = this.options.maxStoredBytes ?? Number.POSITIVE_INFINITY;
    while ((await this.storedBytes()) >= maxStored && (await this.evictOldestFinished()));
    const stored = await this.storedBytes();
    if (stored >= maxStored) throw this.busy(`the batch store is full (${stored} bytes stored, at most ${maxStored})`);
    return view(await store.create(randomUUID(), total, Date.now()));
  }

  /** Every upload of the batch is read and stored: a restart now resumes it instead of deleting it. */
  async accept(batchId: string): Promise<void> {
    await this.backend.blobs.sync(batchId);
    await this.backend.store.accept(batchId);
  }

  /**
   * Refuses work that would take the queue past its bounds (images or bytes), or any work while
   * shutting down, with a {@link BatchRejectedError}.
   */
  private admit(images: number, bytes = 0): void {
    if (this.closing) throw new BatchRejectedError('SHUTTING_DOWN', 'the server is shutting down; try another instance or later');
    const queued = this.queueDepth;
    if (queued + images > this.options.maxQueuedImages) {
      throw this.busy(`too many images waiting (${queued} queued, at most ${this.options.maxQueuedImages})`);
    }
    const maxBytes = this.options.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
    const queuedBytes = this.queuedBytes;
    if (queuedBytes + bytes > maxBytes || (bytes === 0 && queuedBytes >= maxBytes)) {
      throw this.busy(`too many bytes of images waiting (${queuedBytes} queued, at most ${maxBytes})`);
    }
  }

  /** SERVER_BUSY with a retry hint: roughly the time the work queued now takes. */
  private busy(reason: string): BatchRejectedError {
    const perSlot = (this.queueDepth + this.inFlight) / this.options.concurrency;
    const seconds = Math.min(300, Math.max(1, Math.ceil((perSlot * this.averageImageMs) / 1000)));
    return new BatchRejectedError('SERVER_BUSY', `the server is busy: ${reason}; retry in about ${seconds} s`, seconds);
  }

  private async record(batchId: string, event: NewBatchEvent): Promise<BatchEvent | null> {
    const stored = await this.backend.store.append(batchId, event);
    if (stored?.kind === 'result') this.tell('imageEnded', null);
    else if (stored?.kind === 'error') this.tell('imageEnded', stored.code);
    return stored;
  }

  /** Reports to the observer; what it throws is ignored. */
  private tell<K extends keyof RunnerObserver>(what: K, ...args: Parameters<NonNullable<RunnerObserver[K]>>): void {
    const report = this.options.observer?.[what] as ((...a: typeof args) => void) | undefined;
    try {
      report?.apply(this.options.observer, args);
    } catch {
      // A report never stops an image.
    }
  }

  /**
   * Stores one image of the batch and queues it. When its bytes would take the queue past
   * `maxQueuedBytes`, or the store past `maxStoredBytes`, the image becomes its own SERVER_BUSY error
   * instead (the rest of the batch goes on). A store that fails throws {@link StoreUnavailableError}.
   */
  async addImage(batchId: string, index: number, filename: string, bytes: Uint8Array): Promise<void> {
    const state = await this.backend.store.get(batchId);
    if (!state) return;
    if (state.status === 'CANCELLED') {
      await this.cancelImage(batchId, index, filename);
      return;
    }
    const maxBytes = this.options.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
    const queuedBytes = this.queuedBytes;
    if (queuedBytes + bytes.byteLength > maxBytes) {
      const reason = this.busy(`${queuedBytes} bytes of images waiting, at most ${maxBytes}`).message;
      await this.rejectImage(batchId, index, filename, 'SERVER_BUSY', `${filename} was not queued: ${reason}`);
      return;
    }
    const maxStored = this.options.maxStoredBytes ?? Number.POSITIVE_INFINITY;
    while ((await this.storedBytes()) + bytes.byteLength > maxStored && (await this.evictOldestFinished()));
    const stored = await this.storedBytes();
    if (stored + bytes.byteLength > maxStored) {
      const reason = this.busy(`the batch store is full (${stored} bytes stored, at most ${maxStored})`).message;
      await this.rejectImage(batchId, index, filename, 'SERVER_BUSY', `${filename} was not stored: ${reason}`);
      return;
    }
    const key = blobKey(batchId, index);
    await this.backend.blobs.put(key, bytes);
    await this.record(batchId, { kind: 'progress', index, filename, stage: 'QUEUED', completed: 0, total: 0 });
    await this.backend.queue.enqueue({ batchId, index, filename, blobKey: key, bytes: bytes.byteLength });
  }

  /** Records an image that never reaches the pipeline (bad upload). */
  async rejectImage(batchId: string, index: number, filename: string, code: BatchErrorCode, message: string): Promise<void> {
    const state = await this.backend.store.get(batchId);
    if (state?.status === 'CANCELLED') {
      await this.cancelImage(batchId, index, filename);
      return;
    }
    await this.record(batchId, { kind: 'error', index, filename, code, message });
    await this.completeIfDone(batchId);
  }

  private cancelledMessage(filename: string): string {
    return `${filename} was not read: ${this.closing ? 'the server is shutting down' : 'the batch was cancelled'}`;
  }

  /** An image dropped before it was read: its own CANCELLED error, so every file ends exactly once. */
  private async cancelImage(batchId: string, index: number, filename: string): Promise<void> {
    await this.record(batchId, { kind: 'error', index, filename, code: 'CANCELLED', message: this.cancelledMessage(filename) });
    await this.completeIfDone(batchId);
  }

  /** Emits `BatchComplete` once every image is finished. */
  private async completeIfDone(batchId: string): Promise<void> {
    const state = await this.backend.store.get(batchId);
    if (!state) return;
    const complete = completionDue(state, Date.now());
    if (!complete) return;
    await this.pauseAt('before-complete');
    await this.record(batchId, complete);
  }

  /**
   * Drops the batch's queued images, each with a CANCELLED error event; images already in the pipeline
   * finish and report. Undefined for an unknown batch.
   */
  async cancel(id: string): Promise<BatchView | undefined> {
    const { store, queue, blobs } = this.backend;
    const state = await store.get(id);
    if (!state) return undefined;
    if (state.finishedAt !== null) return view(state);
    // Marked first, so an image whose event completes the batch sees it as cancelled.
    await store.cancel(id);
    for (const job of await queue.drop(id)) {
      await blobs.delete(job.blobKey);
      await this.cancelImage(id, job.index, job.filename);
    }
    await this.completeIfDone(id);
    return view((await store.get(id))!);
  }

  /**
   * Forgets a batch whose request turned out to be broken (e.g. a file named in the multipart map never
   * came): its queued images are dropped and its id no longer resolves.
   */
  async discard(batchId: string): Promise<void> {
    await this.backend.store.cancel(batchId);
    await this.backend.queue.drop(batchId);
    await this.deleteBatch(batchId);
  }

  private async deleteBatch(batchId: string): Promise<void> {
    await this.backend.store.delete(batchId);
    await this.backend.blobs.deleteBatch(batchId);
  }

  private async pauseAt(point: PausePoint): Promise<void> {
    if (this.options.testPauseAt !== point) return;
    if (!this.paused) console.log(`TEST_PAUSE_AT ${point} reached`);
    this.paused = true;
    await new Promise<never>(() => undefined);
  }

  /** Reads one queued image and records its events; the job queue's handler. */
  private async handle(job: ImageJob): Promise<JobOutcome> {
    const { store, blobs } = this.backend;
    const { batchId, index, filename } = job;
    try {
      await this.pauseAt('before-first-image');
      const state = await store.get(batchId);
      if (!state || state.finishedAt !== null) {
        await blobs.delete(job.blobKey);
        return 'done';
      }
      if ((job.attempts ?? 0) > 0) {
        // Handed out before, by a process that stopped: finished already (first result wins)?
        const ended = (await store.events(batchId)).some((e) => (e.kind === 'result' || e.kind === 'error') && e.index === index);
        if (ended) {
          await blobs.delete(job.blobKey);
          await this.completeIfDone(batchId);
          return 'done';
        }
      }
      if (state.status === 'CANCELLED') {
        await blobs.delete(job.blobKey);
        await this.cancelImage(batchId, index, filename);
        return 'done';
      }
      if ((job.attempts ?? 0) >= MAX_ATTEMPTS) {
        await blobs.delete(job.blobKey);
        await this.record(batchId, {
          kind: 'error',
          index,
          filename,
          code: 'OCR_FAILED',
          message: `${filename} was not read: the service stopped ${job.attempts} times while reading it`,
        });
        await this.completeIfDone(batchId);
        return 'done';
      }
      const bytes = await blobs.get(job.blobKey);
      if (!bytes) {
        await this.record(batchId, { kind: 'error', index, filename, code: 'UPLOAD_FAILED', message: `${filename} was not read: its stored upload is gone` });
        await this.completeIfDone(batchId);
        return 'done';
      }
      const abort = new AbortController();
      this.running.add(abort);
      const started = performance.now();
      const clock = new StageClock();
      // Stage events are stored in order, one after another, while the pipeline goes on.
      let stages: Promise<unknown> = Promise.resolve();
      const onStage = (stage: PipelineStage) => {
        clock.enter(stage);
        stages = stages.then(() => this.record(batchId, { kind: 'progress', index, filename, stage, completed: 0, total: 0 })).catch(() => undefined);
      };
      let outcome: { ok: true; decklist: Decklist } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, decklist: await this.options.pipeline!.process(bytes, { onStage, signal: abort.signal }) };
        this.averageImageMs = 0.8 * this.averageImageMs + 0.2 * (performance.now() - started);
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        this.running.delete(abort);
      }
      const timing = clock.finish(outcome.ok ? null : failureOf(outcome.error).code);
      await stages;
      // Stopped by a shutdown: a durable store keeps the job for the next start, unrecorded.
      if (!outcome.ok && this.closing && this.backend.info.durable && abort.signal.aborted) return 'retry';
      await this.pauseAt('mid-image');
      this.tell('imageTimed', timing);
      if (outcome.ok) await this.record(batchId, { kind: 'result', index, filename, decklist: outcome.decklist });
      else await this.record(batchId, { kind: 'error', index, filename, ...failureOf(outcome.error) });
      if (outcome.ok) await this.pauseAt('after-first-result');
      await blobs.delete(job.blobKey);
      await this.completeIfDone(batchId);
      return 'done';
    } catch (error) {
      // The store failed under us: keep the job (a durable store hands it out again at the next start).
      if (error instanceof StoreUnavailableError) {
        console.error(`batch ${batchId} image ${index}: ${error.message}`);
        return 'retry';
      }
      throw error;
    }
  }

  /**
   * One image outside any batch, through its own fair queue (not stored: the answer is the request's). A
   * process that reads no images (ROLE=api) sends it through the shared queue as a batch of one instead,
   * deleted once answered.
   */
  processImage(bytes: Uint8Array): Promise<Decklist> {
    if (!this.options.pipeline) return this.processImageElsewhere(bytes);
    const pipeline = this.options.pipeline;
    try {
      this.admit(1, bytes.byteLength);
    } catch (error) {
      return Promise.reject(error);
    }
    this.singleBytes += bytes.byteLength;
    return new Promise((resolve, reject) => {
      const job: Job = {
        run: async () => {
          this.singleBytes -= bytes.byteLength;
          const abort = new AbortController();
          this.running.add(abort);
          const clock = new StageClock();
          const ended = (code: BatchErrorCode | null) => {
            this.tell('imageTimed', clock.finish(code));
            this.tell('imageEnded', code);
          };
          try {
            const decklist = await pipeline.process(bytes, { signal: abort.signal, onStage: (stage) => clock.enter(stage) });
            ended(null);
            resolve(decklist);
          } catch (error) {
            ended(failureOf(error).code);
            reject(error);
          } finally {
            this.running.delete(abort);
          }
        },
      };
      this.singles.enqueue({}, job);
    });
  }

  private async processImageElsewhere(bytes: Uint8Array): Promise<Decklist> {
    const batch = await this.createBatch(1);
    try {
      const events = await this.subscribe(batch.id);
      await this.addImage(batch.id, 0, 'image', bytes);
      await this.accept(batch.id);
      for await (const event of events ?? []) {
        if (event.kind === 'result') return event.decklist;
        if (event.kind !== 'error') continue;
        if (event.code === 'SERVER_BUSY') throw new BatchRejectedError('SERVER_BUSY', event.message, 5);
        const code = (PIPELINE_ERROR_CODES as readonly string[]).includes(event.code) ? (event.code as PipelineErrorCode) : 'OCR_FAILED';
        throw new PipelineError(code, event.message);
      }
      throw new PipelineError('OCR_FAILED', 'the image was not read: its batch ended without an answer');
    } finally {
      await this.deleteBatch(batch.id).catch(() => undefined);
    }
  }

  /**
   * Stops taking work and waits (at most `graceMs`) for the images in the pipeline to finish; images
   * still running then are cancelled. With a durable store, queued and cancelled-at-shutdown images stay
   * queued for the next start (nothing is recorded for them); with the memory store every queued image
   * gets its CANCELLED error. Then ends every stream still open.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    const { store, queue } = this.backend;
    if (!this.backend.info.durable) {
      for (const state of await store.unfinished()) await this.cancel(state.id);
    }
    const idleWithin = async (ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      const idle = await Promise.race([
        Promise.all([queue.pause(ms), this.singles.whenIdle()]).then(([q]) => q),
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
    store.endStreams();
  }

  /** Stops the eviction timer and closes the backend (its streams end). */
  async dispose(): Promise<void> {
    clearInterval(this.sweeper);
    clearInterval(this.tidier);
    this.backend.store.endStreams();
    await this.backend.close();
  }

  /** Evicts finished batches older than the retention time. */
  async evictExpired(now = Date.now()): Promise<number> {
    const expired = await this.backend.store.finished(now - this.options.retentionMs);
    for (const state of expired) await this.deleteBatch(state.id);
    return expired.length;
  }

  /** Evicts the batch that finished first; false when no batch has finished. */
  private async evictOldestFinished(): Promise<boolean> {
    const [oldest] = await this.backend.store.finished();
    if (!oldest) return false;
    await this.deleteBatch(oldest.id);
    return true;
  }
}
