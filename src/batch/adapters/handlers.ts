/**
 * The job handlers running in this process, for a job queue's `depth().active` and `pause(ms)`: shared by
 * the embedded queue and the BullMQ one, which both stop handing out jobs and then wait for these to end.
 */
export class RunningHandlers {
  private count = 0;
  private idleWaiters: Array<() => void> = [];

  /** Handlers running now. */
  get active(): number {
    return this.count;
  }

  started(): void {
    this.count++;
  }

  ended(): void {
    this.count--;
    if (this.count === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** True once no handler runs (at once when none does), false when `ms` pass first. */
  async idleWithin(ms: number): Promise<boolean> {
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = await Promise.race([
      new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      }),
    ]);
    clearTimeout(timer);
    return idle;
  }
}
