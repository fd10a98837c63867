/**
 * The ports between the batch service ({@link BatchRunner}) and where batches live. Everything above
 * them — the GraphQL resolvers, the event stream, `health` — reaches batches only through the runner,
 * and the runner only through these three interfaces, handed to `createService` as one {@link BatchBackend}
 * (made by `createBackend` from the settings). Adapters: `adapters/memory` (one process, nothing
 * survives it) and `adapters/sqlite` (the durable default). Every method is asynchronous so that an
 * adapter over the network (Redis) fits the same shape; the embedded adapters answer at once.
 *
 * One contract test suite (`test/store/contract.test.ts`) runs against every adapter.
 */
import type { BatchEvent, NewBatchEvent } from './events.js';
import type { BatchState } from './state.js';

export type { BatchState } from './state.js';

// --- batch store -----------------------------------------------------------------------------------

/** Figures of a batch store, for admission, eviction and `health`. */
export interface StoreStats {
  /** Batches held, running and retained. */
  batches: number;
  /** Images of the batches held. */
  images: number;
  /** Bytes held for batches: their event logs and the uploaded images not yet read. */
  storedBytes: number;
}

/**
 * Batches and their event logs. A batch's state ({@link BatchState}: status, counters, finish time)
 * changes only by appending an event (through the pure `applyEvent`) or by {@link cancel}; both are
 * atomic, so the state always matches the log. Sequence numbers are 1, 2, 3… per batch, without gaps,
 * also across restarts of a durable store.
 */
export interface BatchStore {
  /** Creates a batch of `total` images, status QUEUED, with an empty log. */
  create(id: string, total: number, now: number): Promise<BatchState>;
  /** Marks a batch accepted: its uploads are all read and stored (see {@link BatchState.accepted}). */
  accept(id: string): Promise<void>;
  /** A batch's state; undefined when unknown or evicted. */
  get(id: string): Promise<BatchState | undefined>;
  /**
   * Appends an event and gives it the next sequence number; progress events get the batch's current
   * `completed` and `total`. Returns the stored event, or null when the batch is unknown (evicted) or
   * already finished (its log is final).
   */
  append(batchId: string, event: NewBatchEvent): Promise<BatchEvent | null>;
  /** Stored events with `sequence > after`, in order. */
  events(batchId: string, after?: number): Promise<BatchEvent[]>;
  /**
   * Events with `sequence > after`, then live ones as they are appended, with no gap and no duplicate;
   * ends after `BatchComplete`, when the batch is deleted, or on {@link endStreams}. Returning early
   * (a client leaving) stops following. Undefined when the batch is unknown.
   */
  follow(batchId: string, after?: number): Promise<AsyncIterableIterator<BatchEvent> | undefined>;
  /** Subscribers following the batch live in this process. */
  subscribers(batchId: string): Promise<number>;
  /**
   * Sets the cancel flag (status CANCELLED) of an unfinished batch; images already in the pipeline
   * finish and report. Returns the new state, or undefined when unknown.
   */
  cancel(batchId: string): Promise<BatchState | undefined>;
  /** Batches whose `BatchComplete` is not written yet (to resume them after a restart). */
  unfinished(): Promise<BatchState[]>;
  /** Finished batches, oldest finish first, finished at or before `before` (all finished ones by default). */
  finished(before?: number): Promise<BatchState[]>;
  /** Deletes a batch and its log (retention, eviction); its live followers end. */
  delete(batchId: string): Promise<void>;
  /** Counts, for admission and `health`. */
  stats(): Promise<StoreStats>;
  /** Ends every live follower (shutdown); the batches stay. */
  endStreams(): void;
  /** Releases the store (closes the database; other processes may open it afterwards). */
  close(): Promise<void>;
}

// --- job queue -------------------------------------------------------------------------------------

/** One image to read: plain data, never a closure, so a queue can keep it on disk or send it elsewhere. */
export interface ImageJob {
  batchId: string;
  /** Position of the file in the batch, from 0. */
  index: number;
  filename: string;
  /** Where the uploaded bytes are in the {@link BlobStore}. */
  blobKey: string;
  /** Size of the uploaded bytes. */
  bytes: number;
  /** Times the job was handed to a consumer before this one (0 the first time); set by the queue. */
  attempts?: number;
}

/**
 * What a handler reports: `done` (the job is finished and leaves the queue) or `retry` (the work was
 * interrupted by a shutdown; a durable queue hands it out again after the next start).
 */
export type JobOutcome = 'done' | 'retry';

/** Counts of a job queue. */
export interface QueueDepth {
  /** Jobs waiting for a consumer. */
  jobs: number;
  /** Their bytes. */
  bytes: number;
  /** Jobs being handled now (in this process). */
  active: number;
}

/**
 * Images waiting to be read. Jobs are handed out with fair turns between batches (a batch of 50 does
 * not make a later batch of 1 wait for all 50), in queue order within a batch, at most `concurrency` at
 * once. A job stays in the queue until its handler reports `done`: a durable queue hands out again, after
 * a restart, every job whose handler never finished (its `attempts` counts the earlier hand-outs).
 */
export interface JobQueue {
  /** Queues a job; a durable queue has stored it when this resolves. */
  enqueue(job: ImageJob): Promise<void>;
  /**
   * Registers the one handler and starts handing out jobs. Jobs stored by an earlier process are queued
   * (and counted in {@link depth}) from the moment the queue is made, so they can be dropped before.
   */
  consume(handler: (job: ImageJob) => Promise<JobOutcome>): void;
  /** A batch's jobs waiting for a consumer (not those being handled). */
  waiting(batchId: string): Promise<ImageJob[]>;
  /** Removes a batch's waiting jobs (handled ones go on) and returns them. */
  drop(batchId: string): Promise<ImageJob[]>;
  /**
   * Jobs waiting and running. Synchronous, because admission asks on every request: an adapter over the
   * network answers from counts it keeps current (refreshed from the queue's own events), not with a round trip.
   */
  depth(): QueueDepth;
  /** Stops handing out jobs; resolves when the running handlers have returned or `ms` have passed (false). */
  pause(ms: number): Promise<boolean>;
  /** Releases the queue. */
  close(): Promise<void>;
}

// --- blob store ------------------------------------------------------------------------------------

/** The uploaded bytes of images, from upload until they are read (or their batch is deleted). */
export interface BlobStore {
  /**
   * Stores bytes under a key (`batchId/index`). A durable store has them safe from a crash of the process
   * when this resolves, and from a power cut once {@link sync} of the batch resolved.
   */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Makes every blob put for the batch so far durable as a whole (called before the batch is accepted). */
  sync(batchId: string): Promise<void>;
  /** The bytes, or undefined when gone. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes one blob (no error when it is gone). */
  delete(key: string): Promise<void>;
  /** Removes every blob of a batch (keys start with `${batchId}/`). */
  deleteBatch(batchId: string): Promise<void>;
  /** Bytes stored. */
  usedBytes(): Promise<number>;
}

// --- the three together ----------------------------------------------------------------------------

/** What `health` says about the store. */
export interface StoreInfo {
  /** `memory`, `sqlite` or `redis`. */
  kind: string;
  /** True when accepted batches survive a crash or restart. */
  durable: boolean;
  /**
   * True when other processes use the same batches and queue (Redis): a start-up must not take another
   * live process's batches for abandoned ones.
   */
  shared: boolean;
  /** Where the data lives (DATA_DIR, the Redis URL without password), null for memory. */
  location: string | null;
}

// --- cluster ---------------------------------------------------------------------------------------

/** One process of a deployment, as it announced itself. */
export interface ClusterMember {
  /** A random id per process start. */
  id: string;
  /** `all`, `api` or `worker` (ROLE). */
  role: string;
  /** Chinese OCR workers this process runs (0 for an API). */
  ocrWorkers: number;
  /** Images it reads at once (0 for an API). */
  concurrency: number;
  host: string;
  pid: number;
}

/** The live processes of a shared deployment (only shared adapters have one). */
export interface ClusterRegistry {
  /** Says this process is alive and what it runs, now and every few seconds until {@link leave}. */
  announce(member: { id: string; role: string; ocrWorkers: number; concurrency: number }): Promise<void>;
  /** The processes heard from lately, this one included once it announced. */
  members(): Promise<ClusterMember[]>;
  /** Stops the heartbeat and removes this process from the list. */
  leave(): Promise<void>;
}

/** One adapter's batch store, job queue and blob store; made by `createBackend` from the settings. */
export interface BatchBackend {
  readonly info: StoreInfo;
  readonly store: BatchStore;
  readonly queue: JobQueue;
  readonly blobs: BlobStore;
  /** The live processes sharing the backend (shared adapters only). */
  readonly cluster?: ClusterRegistry;
  /** Closes all three (the queue must be paused first). */
  close(): Promise<void>;
}

/**
 * A request the store cannot serve (disk full, database or DATA_DIR gone, I/O error): GraphQL error
 * STORE_UNAVAILABLE. The service keeps running; the request may be retried.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
