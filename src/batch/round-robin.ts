/**
 * Jobs queued per owner, taken in turns: each {@link RoundRobin.shift} takes the first job of the owner at
 * the front of the ring and moves that owner to the back, so a batch of 50 does not make a later batch of 1
 * wait for all 50. Within an owner, jobs come out in the order they went in.
 */
export class RoundRobin<K, J> {
  /** Owners with queued jobs; Map order is the ring. */
  private readonly queues = new Map<K, J[]>();
  private count = 0;

  /** Jobs queued, all owners. */
  get size(): number {
    return this.count;
  }

  push(owner: K, job: J): void {
    const queue = this.queues.get(owner);
    if (queue) queue.push(job);
    else this.queues.set(owner, [job]);
    this.count++;
  }

  /** The next job in turn, or undefined when none is queued. */
  shift(): J | undefined {
    for (const [owner, queue] of this.queues) {
      const job = queue.shift()!;
      this.queues.delete(owner);
      // Back to the end of the ring: the next owner goes first next time.
      if (queue.length > 0) this.queues.set(owner, queue);
      this.count--;
      return job;
    }
    return undefined;
  }

  /** Removes the owner's queued jobs and returns them, in order. */
  drop(owner: K): J[] {
    const queue = this.queues.get(owner) ?? [];
    this.queues.delete(owner);
    this.count -= queue.length;
    return queue;
  }

  /** The owner's queued jobs, in order (a copy). */
  queuedFor(owner: K): J[] {
    return [...(this.queues.get(owner) ?? [])];
  }
}
