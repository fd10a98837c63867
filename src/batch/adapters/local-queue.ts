import type { ImageJob, JobOutcome, JobQueue, QueueDepth } from '../ports.js';
import { RoundRobin } from '../round-robin.js';
import { RunningHandlers } from './handlers.js';

/** Where a {@link LocalJobQueue} keeps its jobs besides memory (nothing, for the memory adapter). */
export interface JobJournal {
  /** Stores a queued job (before `enqueue` resolves). */
  add(job: ImageJob): void;
  /** A job is handed to the handler: counts the attempt. */
  started(job: ImageJob): void;
  /** A job is finished or dropped: forgets it. */
  remove(job: ImageJob): void;
  /** Jobs stored by an earlier process, in queue order (with their attempts). */
  load(): ImageJob[];
}

const noJournal: JobJournal = { add() {}, started() {}, remove() {}, load: () => [] };

/**
 * A job queue inside this process: fair turns between batches (round robin; a batch goes to the end of
 * the ring after each job), queue order within a batch, at most `concurrency` handlers at once. With a
 * journal the jobs outlive the process: a job leaves the journal only when its handler reports `done`.
 */
export class LocalJobQueue implements JobQueue {
  private readonly ring = new RoundRobin<string, ImageJob>();
  private waitingBytes = 0;
  private readonly handlers = new RunningHandlers();
  private handler: ((job: ImageJob) => Promise<JobOutcome>) | null = null;
  private paused = false;

  constructor(
    private readonly concurrency: number,
    private readonly journal: JobJournal = noJournal,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be >= 1, got ${concurrency}`);
    for (const job of journal.load()) this.push(job);
  }

  async enqueue(job: ImageJob): Promise<void> {
    const queued: ImageJob = { ...job, attempts: job.attempts ?? 0 };
    this.journal.add(queued);
    this.push(queued);
    this.pump();
  }

  consume(handler: (job: ImageJob) => Promise<JobOutcome>): void {
    if (this.handler) throw new Error('the queue already has a handler');
    this.handler = handler;
    this.pump();
  }

  async waiting(batchId: string): Promise<ImageJob[]> {
    return this.ring.queuedFor(batchId);
  }

  async drop(batchId: string): Promise<ImageJob[]> {
    const jobs = this.ring.drop(batchId);
    for (const job of jobs) {
      this.waitingBytes -= job.bytes;
      this.journal.remove(job);
    }
    return jobs;
  }

  depth(): QueueDepth {
    return { jobs: this.ring.size, bytes: this.waitingBytes, active: this.handlers.active };
  }

  async pause(ms: number): Promise<boolean> {
    this.paused = true;
    return this.handlers.idleWithin(ms);
  }

  async close(): Promise<void> {
    this.paused = true;
  }

  private push(job: ImageJob): void {
    this.ring.push(job.batchId, job);
    this.waitingBytes += job.bytes;
  }

  private next(): ImageJob | undefined {
    const job = this.ring.shift();
    if (job) this.waitingBytes -= job.bytes;
    return job;
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.paused && this.handlers.active < this.concurrency) {
      const job = this.next();
      if (!job) break;
      this.handlers.started();
      this.journal.started(job);
      void Promise.resolve()
        .then(() => handler(job))
        .then(
          (outcome) => {
            if (outcome === 'done') this.journal.remove(job);
          },
          () => this.journal.remove(job), // a handler that throws has nothing left to do with the job
        )
        .catch(() => undefined)
        .finally(() => {
          this.handlers.ended();
          this.pump();
        });
    }
  }
}
