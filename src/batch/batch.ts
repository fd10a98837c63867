import { FixedBuffer, Repeater } from '@repeaterjs/repeater';
import type { Decklist } from '../pipeline/types.js';
import type {
  BatchCompleteEvent,
  BatchErrorCode,
  BatchErrorEvent,
  BatchEvent,
  BatchResultEvent,
  BatchStage,
  BatchStatus,
  NewBatchEvent,
} from './events.js';

/** Progress events per image (QUEUED + four stages), its result or error, and slack. */
const EVENTS_PER_IMAGE = 8;

interface Listener {
  deliver(event: BatchEvent): void;
  end(): void;
}

/**
 * One batch: its counts and status, and the log of its events. Events are numbered 1, 2, 3… in the order
 * they happen; subscribers replay the log and then follow it live, with no gap and no duplicate.
 * The {@link BatchRunner} drives it; the batch itself runs nothing.
 */
export class Batch {
  status: BatchStatus = 'QUEUED';
  succeeded = 0;
  failed = 0;
  cancelled = 0;
  finishedAt: Date | null = null;
  readonly createdAt: Date;

  private readonly log: BatchEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly startedAt: number;

  constructor(
    readonly id: string,
    readonly total: number,
    now: number = Date.now(),
  ) {
    this.createdAt = new Date(now);
    this.startedAt = performance.now();
  }

  /** Images finished: succeeded, failed or cancelled. */
  get completed(): number {
    return this.succeeded + this.failed + this.cancelled;
  }

  /** True once `BatchComplete` was emitted: the log is final. */
  get finished(): boolean {
    return this.finishedAt !== null;
  }

  /** Events with `sequence > after`, in order. */
  events(after = 0): readonly BatchEvent[] {
    return after <= 0 ? [...this.log] : this.log.filter((e) => e.sequence > after);
  }

  results(): BatchResultEvent[] {
    return this.log.filter((e): e is BatchResultEvent => e.kind === 'result');
  }

  errors(): BatchErrorEvent[] {
    return this.log.filter((e): e is BatchErrorEvent => e.kind === 'error');
  }

  get complete(): BatchCompleteEvent | null {
    const last = this.log.at(-1);
    return last?.kind === 'complete' ? last : null;
  }

  /** Subscribers following the batch live. */
  get subscribers(): number {
    return this.listeners.size;
  }

  progress(index: number, filename: string, stage: BatchStage): void {
    if (stage !== 'QUEUED' && this.status === 'QUEUED') this.status = 'RUNNING';
    this.emit({ kind: 'progress', index, filename, stage, completed: this.completed, total: this.total });
  }

  succeed(index: number, filename: string, decklist: Decklist): void {
    this.succeeded++;
    this.emit({ kind: 'result', index, filename, decklist });
    this.completeIfDone();
  }

  /** An image that could not be read; code CANCELLED (stopped while being read) counts as cancelled. */
  fail(index: number, filename: string, code: BatchErrorCode, message: string): void {
    if (code === 'CANCELLED') this.cancelled++;
    else this.failed++;
    this.emit({ kind: 'error', index, filename, code, message });
    this.completeIfDone();
  }

  /**
   * An image dropped before it was read (the batch was cancelled, or the server is shutting down). It
   * gets its own CANCELLED error event, so every file of a batch ends with exactly one result or error.
   */
  cancelImage(index: number, filename: string, message: string): void {
    if (this.status !== 'COMPLETED') this.status = 'CANCELLED';
    this.fail(index, filename, 'CANCELLED', message);
  }

  /** Emits `BatchComplete` once every image is finished. */
  completeIfDone(): void {
    if (this.finished || this.completed < this.total) return;
    if (this.status !== 'CANCELLED') this.status = 'COMPLETED';
    this.finishedAt = new Date();
    this.emit({
      kind: 'complete',
      total: this.total,
      succeeded: this.succeeded,
      failed: this.failed,
      cancelled: this.cancelled,
      durationMs: Math.round(performance.now() - this.startedAt),
    });
  }

  /**
   * The events with `sequence > after`, then live ones, ending after `BatchComplete`. The stored events
   * are pushed and the live listener registered in the same tick, so nothing falls between them.
   * Returning early (a client disconnecting) removes the listener.
   */
  subscribe(after = 0): Repeater<BatchEvent> {
    const capacity = this.total * EVENTS_PER_IMAGE + 8;
    return new Repeater<BatchEvent>(async (push, stop) => {
      for (const event of this.log) if (event.sequence > after) void push(event);
      if (this.finished) {
        stop();
        return;
      }
      const listener: Listener = {
        deliver: (event) => {
          if (event.sequence <= after) return;
          void push(event);
          if (event.kind === 'complete') stop();
        },
        end: () => stop(),
      };
      this.listeners.add(listener);
      await stop;
      this.listeners.delete(listener);
    }, new FixedBuffer(capacity));
  }

  /** Ends every live subscription (eviction, shutdown). */
  endStreams(): void {
    for (const listener of [...this.listeners]) listener.end();
  }

  private emit(event: NewBatchEvent): void {
    const stored = { ...event, batchId: this.id, sequence: this.log.length + 1 } as BatchEvent;
    this.log.push(stored);
    for (const listener of [...this.listeners]) listener.deliver(stored);
    if (stored.kind === 'complete') this.listeners.clear();
  }
}
