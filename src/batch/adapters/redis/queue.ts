/**
 * The job queue on BullMQ: one queue of images shared by every process of a deployment. A job's id is
 * `<batch>.<index>`, so an image is queued once however often it is added. Fair turns between batches come
 * from BullMQ priorities: an image's priority is its position in its batch (1, 2, 3…), and jobs of the same
 * priority keep their queue order, so every batch's first image goes before any batch's second one — a
 * batch of 1 sent after a batch of 50 waits for one image of it, not fifty. A job whose worker dies is
 * handed out again by BullMQ's stalled-job check (after `lockMs`); one whose handler reports `retry` (a
 * shutdown) is handed out again after a second.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ImageJob, JobOutcome, JobQueue, QueueDepth } from '../../ports.js';
import { unavailable } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { ScriptedRedis } from './scripts.js';
import { RunningHandlers } from '../handlers.js';

/** The BullMQ queue's name (its keys are `<prefix>:images:…`). */
const QUEUE_NAME = 'images';
/** BullMQ's largest priority. */
const MAX_PRIORITY = 2_097_152;
/** How often the shared counts behind {@link JobQueue.depth} are read again. */
const DEPTH_REFRESH_MS = 250;
const WAITING_STATES = new Set(['waiting', 'wait', 'prioritized', 'delayed']);

export interface BullJobQueueOptions {
  /** Handlers at once in this process. */
  concurrency: number;
  /** BullMQ's lock time: a job whose worker stops renewing it (the process died) is handed out again after it. */
  lockMs: number;
  /** Makes a connection for BullMQ's worker (blocking commands: one of its own). */
  connect(name: string): Redis;
}

const jobId = (batchId: string, index: number) => `${batchId}.${index}`;

export class BullJobQueue implements JobQueue {
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private counts = { jobs: 0, bytes: 0 };
  /** Bumped by every local change, so a refresh that started before one does not undo it. */
  private generation = 0;
  private readonly handlers = new RunningHandlers();
  private readonly refresher: NodeJS.Timeout;

  constructor(
    private readonly redis: ScriptedRedis,
    queueConnection: Redis,
    private readonly keys: RedisKeys,
    private readonly options: BullJobQueueOptions,
  ) {
    this.queue = new Queue(QUEUE_NAME, { connection: queueConnection, prefix: keys.prefix });
    this.queue.on('error', () => undefined);
    this.refresher = setInterval(() => void this.refresh().catch(() => undefined), DEPTH_REFRESH_MS);
    this.refresher.unref();
  }

  /** Reads the shared counts (waiting jobs of every process, their bytes). */
  async refresh(): Promise<void> {
    const generation = this.generation;
    const [counts, bytes] = await Promise.all([this.queue.getJobCounts('wait', 'prioritized', 'delayed'), this.redis.hget(this.keys.stats, 'queuedBytes')]);
    if (generation !== this.generation) return;
    const jobs = Object.values(counts).reduce((sum, n) => sum + n, 0);
    this.counts = { jobs, bytes: Math.max(0, Number(bytes ?? 0)) };
  }

  private adjust(jobs: number, bytes: number): void {
    this.generation++;
    this.counts = { jobs: Math.max(0, this.counts.jobs + jobs), bytes: Math.max(0, this.counts.bytes + bytes) };
  }

  async enqueue(job: ImageJob): Promise<void> {
    const id = jobId(job.batchId, job.index);
    const k = this.keys;
    await unavailable(() => this.redis.dlQueueJob(k.queuedJobs, k.stats, k.jobsOf(job.batchId), id, job.bytes, job.index));
    const data: ImageJob = { batchId: job.batchId, index: job.index, filename: job.filename, blobKey: job.blobKey, bytes: job.bytes };
    await unavailable(() =>
      this.queue.add('image', data, {
        jobId: id,
        priority: Math.min(MAX_PRIORITY, job.index + 1),
        // Failures are recorded as error events by the handler; BullMQ retries only interrupted work.
        attempts: 1_000,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: true,
      }),
    );
    this.adjust(1, job.bytes);
  }

  consume(handler: (job: ImageJob) => Promise<JobOutcome>): void {
    if (this.worker) throw new Error('the queue already has a handler');
    this.workerConnection = this.options.connect('decklist-ocr:worker');
    const worker = new Worker(QUEUE_NAME, (job: Job) => this.handle(job, handler), {
      connection: this.workerConnection,
      prefix: this.keys.prefix,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.lockMs,
      // The handler counts hand-outs itself (MAX_ATTEMPTS); BullMQ must never give up on a stalled image.
      maxStalledCount: 1_000,
    });
    worker.on('error', () => undefined); // connection trouble: BullMQ reconnects and goes on
    this.worker = worker;
  }

  private async handle(job: Job, handler: (job: ImageJob) => Promise<JobOutcome>): Promise<void> {
    const data = job.data as ImageJob;
    const id = job.id!;
    const k = this.keys;
    if (await this.redis.dlTakeJob(k.queuedJobs, k.stats, id).catch(() => 0)) this.adjust(-1, -data.bytes);
    else this.adjust(-1, 0);
    this.handlers.started();
    let outcome: JobOutcome = 'done';
    try {
      outcome = await handler({ ...data, attempts: Math.max(0, job.attemptsStarted - 1) });
    } catch {
      outcome = 'done'; // a handler that throws has nothing left to do with the job
    } finally {
      this.handlers.ended();
    }
    if (outcome === 'retry') {
      await this.redis.dlQueueJob(k.queuedJobs, k.stats, k.jobsOf(data.batchId), id, data.bytes, data.index).catch(() => undefined);
      this.adjust(1, data.bytes);
      throw new Error('interrupted (shutdown or store unavailable); handed out again');
    }
    await this.redis.srem(k.jobsOf(data.batchId), String(data.index)).catch(() => undefined);
  }

  /** The batch's jobs that are still in the queue and not being handled, in queue order. */
  private async queuedJobs(batchId: string): Promise<Job[]> {
    const indexes = (await unavailable(() => this.redis.smembers(this.keys.jobsOf(batchId)))).map(Number).sort((a, b) => a - b);
    const jobs: Job[] = [];
    for (const index of indexes) {
      const job = (await unavailable(() => this.queue.getJob(jobId(batchId, index)))) as Job | undefined;
      if (!job) {
        await this.redis.srem(this.keys.jobsOf(batchId), String(index)).catch(() => undefined);
        continue;
      }
      if (WAITING_STATES.has(await unavailable(() => job.getState()))) jobs.push(job);
    }
    return jobs;
  }

  private toImageJob(job: Job): ImageJob {
    return { ...(job.data as ImageJob), attempts: job.attemptsStarted };
  }

  async waiting(batchId: string): Promise<ImageJob[]> {
    return (await this.queuedJobs(batchId)).map((job) => this.toImageJob(job));
  }

  async drop(batchId: string): Promise<ImageJob[]> {
    const dropped: ImageJob[] = [];
    const k = this.keys;
    for (const job of await this.queuedJobs(batchId)) {
      try {
        await job.remove();
      } catch {
        continue; // handed out meanwhile: its handler goes on (and sees the batch cancelled)
      }
      const data = this.toImageJob(job);
      dropped.push(data);
      const counted = await this.redis.dlTakeJob(k.queuedJobs, k.stats, job.id!).catch(() => 0);
      this.adjust(-1, counted ? -data.bytes : 0);
      await this.redis.srem(k.jobsOf(batchId), String(data.index)).catch(() => undefined);
    }
    return dropped;
  }

  depth(): QueueDepth {
    return { ...this.counts, active: this.handlers.active };
  }

  async pause(ms: number): Promise<boolean> {
    await this.worker?.pause(true);
    return this.handlers.idleWithin(ms);
  }

  async close(): Promise<void> {
    clearInterval(this.refresher);
    // A handler still running (past the shutdown grace) must not hold the close: BullMQ hands its job out again.
    await this.worker?.close(this.handlers.active > 0).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.workerConnection?.disconnect();
  }
}
