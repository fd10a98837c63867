/** One unit of work: an image for the shared pipeline. */
export interface Job {
  run(): Promise<void>;
}

/**
 * Runs jobs on a bounded number of slots, fair between owners (batches, single-image requests): owners
 * take turns, so a batch of 50 does not make a later batch of 1 wait for all 50. Within an owner, jobs
 * run in the order they were queued.
 */
export class FairScheduler<J extends Job = Job> {
  /** Owners with queued jobs; Map order is the round-robin ring. */
  private readonly queues = new Map<object, J[]>();
  private running = 0;
  private queuedCount = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be >= 1, got ${concurrency}`);
  }

  /** Jobs waiting for a slot. */
  get queued(): number {
    return this.queuedCount;
  }

  /** Jobs running now. */
  get active(): number {
    return this.running;
  }

  enqueue(owner: object, job: J): void {
    const queue = this.queues.get(owner);
    if (queue) queue.push(job);
    else this.queues.set(owner, [job]);
    this.queuedCount++;
    this.pump();
  }

  /** Removes the owner's queued jobs (running ones go on) and returns them. */
  drop(owner: object): J[] {
    const queue = this.queues.get(owner) ?? [];
    this.queues.delete(owner);
    this.queuedCount -= queue.length;
    this.checkIdle();
    return queue;
  }

  /** Resolves once nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.running === 0 && this.queuedCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private next(): J | undefined {
    for (const [owner, queue] of this.queues) {
      const job = queue.shift()!;
      this.queues.delete(owner);
      // Back to the end of the ring: the next owner goes first next time.
      if (queue.length > 0) this.queues.set(owner, queue);
      this.queuedCount--;
      return job;
    }
    return undefined;
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const job = this.next();
      if (!job) break;
      this.running++;
      void Promise.resolve()
        .then(() => job.run())
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
          this.checkIdle();
        });
    }
  }

  private checkIdle(): void {
    if (this.running === 0 && this.queuedCount === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
