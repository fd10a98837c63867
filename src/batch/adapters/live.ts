import { FixedBuffer, Repeater } from '@repeaterjs/repeater';
import type { BatchEvent } from '../events.js';

/** Events per image: QUEUED, four stages (again for each restart mid-image, at most three tries), its result or error. */
const EVENTS_PER_IMAGE = 16;

interface Listener {
  deliver(event: BatchEvent): void;
  end(): void;
}

/**
 * The live followers of batches in this process, for the embedded adapters: `follow` reads the stored
 * events and registers its listener in the same synchronous step, and `publish` is called right after an
 * event is stored, so a follower gets every event once, with no gap.
 */
export class LiveFollowers {
  private readonly listeners = new Map<string, Set<Listener>>();

  /**
   * The events of `stored()` with `sequence > after`, then live ones until `BatchComplete`. `stored` must
   * read synchronously (the listener is added in the same tick).
   */
  follow(batchId: string, total: number, after: number, finished: boolean, stored: () => BatchEvent[]): AsyncIterableIterator<BatchEvent> {
    const capacity = total * EVENTS_PER_IMAGE + 16;
    return new Repeater<BatchEvent>(async (push, stop) => {
      let last = after;
      for (const event of stored()) {
        if (event.sequence <= last) continue;
        last = event.sequence;
        void push(event);
      }
      if (finished) {
        stop();
        return;
      }
      const listener: Listener = {
        deliver: (event) => {
          if (event.sequence <= last) return;
          last = event.sequence;
          void push(event);
          if (event.kind === 'complete') stop();
        },
        end: () => stop(),
      };
      let set = this.listeners.get(batchId);
      if (!set) {
        set = new Set();
        this.listeners.set(batchId, set);
      }
      set.add(listener);
      await stop;
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(batchId) === set) this.listeners.delete(batchId);
    }, new FixedBuffer(capacity));
  }

  /** Hands a stored event to the batch's followers. */
  publish(event: BatchEvent): void {
    const set = this.listeners.get(event.batchId);
    if (!set) return;
    for (const listener of [...set]) listener.deliver(event);
  }

  count(batchId: string): number {
    return this.listeners.get(batchId)?.size ?? 0;
  }

  /** Ends the followers of one batch (deleted), or of all (shutdown). */
  end(batchId?: string): void {
    const sets = batchId === undefined ? [...this.listeners.values()] : [this.listeners.get(batchId) ?? new Set<Listener>()];
    for (const set of sets) for (const listener of [...set]) listener.end();
  }
}
