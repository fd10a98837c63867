import { RoundRobin } from './round-robin.js';

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
  private readonly ring = new RoundRobin<object, J>();
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be >= 1, got ${concurrency}`);
  }

  /** Jobs waiting for a slot. */
  get queued(): number {
    return this.ring.size;
  }

  /** Jobs running now. */
  get active(): number {
    return this.running;
  }

  enqueue(owner: object, job: J): void {
    this.ring.push(owner, job);
    this.pump();
  }

  /** Removes the owner's queued jobs (running ones go on) and returns them. */
  drop(owner: object): J[] {
    const queue = this.ring.drop(owner);
    this.checkIdle();
    return queue;
  }

  /** Resolves once nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.running === 0 && this.ring.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const job = this.ring.shift();
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
    if (this.running === 0 && this.ring.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
