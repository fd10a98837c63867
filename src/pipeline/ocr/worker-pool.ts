/**
 * A supervised pool of OCR workers of one model. Unlike tesseract.js's own scheduler it knows which worker
 * runs which job, so it can replace a worker that hangs, crashes or has served its quota, retry the job once
 * on a fresh worker, and stop the jobs of an image that was cancelled or ran out of time.
 */

/** What the pool needs of a worker: run one job, and be stopped. */
export interface PoolWorker<Req, Res> {
  run(request: Req): Promise<Res>;
  terminate(): Promise<void>;
}

export interface WorkerPoolOptions<Req, Res> {
  /** For messages: which model the pool serves. */
  name: string;
  size: number;
  /** Starts one worker (a second or so for tesseract). */
  start: () => Promise<PoolWorker<Req, Res>>;
  /** A job running longer than this on a worker is taken as a hung worker: replaced, job retried once. */
  jobTimeoutMs: number;
  /** A worker is replaced after this many jobs (WASM heaps only grow). */
  recycleAfterJobs: number;
}

/** Counters for health checks and tests. */
export interface WorkerPoolStats {
  /** Workers started and ready. */
  ready: number;
  /** Jobs waiting for a worker. */
  queued: number;
  /** Workers replaced after a fault (hang, crash, cancelled image). */
  replacedAfterFault: number;
  /** Workers replaced after serving their quota of jobs. */
  recycled: number;
  /** Jobs run again on a fresh worker after their first worker failed. */
  retried: number;
}

/** The job was stopped because its image was cancelled or timed out. */
export class JobAbortedError extends Error {
  override readonly name = 'JobAbortedError';
}

interface Job<Req, Res> {
  request: Req;
  resolve: (value: Res) => void;
  reject: (error: Error) => void;
  attempts: number;
  /** Lower runs first; equal ones in the order they came. */
  priority: number;
  signal?: AbortSignal;
  lastError?: Error;
  /** Set while the job runs on a worker: stops waiting for it. */
  stop?: (error: Error) => void;
}

interface Slot<Req, Res> {
  worker: PoolWorker<Req, Res> | null;
  busy: boolean;
  jobs: number;
  /** The job running on the worker, if any. */
  job?: Job<Req, Res>;
}

const START_RETRIES = 3;

export class WorkerPool<Req, Res> {
  private readonly slots: Slot<Req, Res>[] = [];
  private readonly queue: Job<Req, Res>[] = [];
  private closed = false;
  private readonly counters = { replacedAfterFault: 0, recycled: 0, retried: 0 };

  private constructor(private readonly options: WorkerPoolOptions<Req, Res>) {}

  /** Starts every worker; rejects (and stops those that started) if any cannot start. */
  static async create<Req, Res>(options: WorkerPoolOptions<Req, Res>): Promise<WorkerPool<Req, Res>> {
    const pool = new WorkerPool(options);
    const started = await Promise.allSettled(Array.from({ length: options.size }, () => options.start()));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(started.flatMap((r) => (r.status === 'fulfilled' ? [r.value.terminate()] : [])));
      throw new Error(`could not start the ${options.name} OCR workers: ${String(failed.reason)}`, { cause: failed.reason });
    }
    for (const r of started) pool.slots.push({ worker: (r as PromiseFulfilledResult<PoolWorker<Req, Res>>).value, busy: false, jobs: 0 });
    return pool;
  }

  get stats(): WorkerPoolStats {
    return { ready: this.slots.filter((s) => s.worker).length, queued: this.queue.length, ...this.counters };
  }

  /**
   * Runs one job on the next free worker. `signal` tags the job with its image: {@link abort} with the
   * same signal stops it (a signal already aborted rejects at once). Jobs of a lower `priority` go first
   * (the pipeline passes each image's turn, so the first image of a batch is not slowed by the ones after
   * it); jobs of one priority run in the order they came.
   */
  run(request: Req, signal?: AbortSignal, priority = 0): Promise<Res> {
    if (this.closed) return Promise.reject(new Error(`the ${this.options.name} OCR pool is closed`));
    if (signal?.aborted) return Promise.reject(new JobAbortedError('the image was cancelled'));
    return new Promise<Res>((resolve, reject) => {
      const job: Job<Req, Res> = { request, resolve, reject, attempts: 0, priority, signal };
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1]!.priority > priority) at--;
      this.queue.splice(at, 0, job);
      this.pump();
    });
  }

  /**
   * Stops every job tagged with `signal`: queued ones leave the queue, running ones are given up and their
   * workers replaced (only that frees the core). All reject with {@link JobAbortedError}. One call per
   * image, rather than one abort listener per job.
   */
  abort(signal: AbortSignal): void {
    const error = () => new JobAbortedError('the image was cancelled');
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i]!;
      if (job.signal !== signal) continue;
      this.queue.splice(i, 1);
      job.reject(error());
    }
    for (const slot of this.slots) if (slot.job?.signal === signal) slot.job.stop?.(error());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error(`the ${this.options.name} OCR pool is closed`));
    await Promise.allSettled(this.slots.map((s) => s.worker?.terminate()));
    for (const s of this.slots) s.worker = null;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.worker && !slot.busy) void this.execute(slot, this.queue.shift()!);
    }
  }

  private async execute(slot: Slot<Req, Res>, job: Job<Req, Res>): Promise<void> {
    const worker = slot.worker!;
    slot.busy = true;
    slot.job = job;
    job.attempts++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        worker.run(job.request),
        new Promise<never>((_, reject) => {
          job.stop = reject;
          timer = setTimeout(() => reject(new Error(`an ${this.options.name} OCR job took over ${this.options.jobTimeoutMs} ms`)), this.options.jobTimeoutMs);
        }),
      ]);
      slot.busy = false;
      slot.jobs++;
      job.resolve(result);
      if (slot.jobs >= this.options.recycleAfterJobs) {
        this.counters.recycled++;
        this.replace(slot);
      }
    } catch (error) {
      // The worker may still be busy with the job (hung, or its image was cancelled): only replacing it
      // frees the core.
      this.counters.replacedAfterFault++;
      this.replace(slot);
      const err = error instanceof Error ? error : new Error(String(error));
      if (err instanceof JobAbortedError) {
        job.reject(err);
      } else if (job.attempts < 2 && !this.closed) {
        this.counters.retried++;
        job.lastError = err;
        this.queue.unshift(job);
      } else {
        job.reject(new Error(`OCR failed twice (${job.lastError?.message ?? err.message}; then ${err.message})`, { cause: err }));
      }
    } finally {
      clearTimeout(timer);
      job.stop = undefined;
      if (slot.job === job) slot.job = undefined;
      this.pump();
    }
  }

  /** Stops a slot's worker and starts a fresh one in its place. */
  private replace(slot: Slot<Req, Res>, attempt = 1): void {
    const old = slot.worker;
    slot.worker = null;
    slot.busy = false;
    slot.jobs = 0;
    slot.job = undefined;
    void old?.terminate().catch(() => undefined);
    if (this.closed) return;
    this.options.start().then(
      (worker) => {
        if (this.closed) {
          void worker.terminate();
          return;
        }
        slot.worker = worker;
        this.pump();
      },
      (error: unknown) => {
        if (attempt < START_RETRIES) {
          setTimeout(() => this.replace(slot, attempt + 1), 500 * attempt).unref();
          return;
        }
        // No worker can be started: fail the waiting jobs rather than leave them hanging.
        if (this.slots.every((s) => !s.worker)) {
          for (const job of this.queue.splice(0)) {
            job.reject(new Error(`no ${this.options.name} OCR worker could be started: ${String(error)}`));
          }
        }
      },
    );
  }
}
