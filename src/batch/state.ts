import type { BatchEvent, BatchStatus, NewBatchEvent } from './events.js';

/** A batch's state, everything but its event log. Changed only through {@link applyEvent} and {@link cancelState}. */
export interface BatchState {
  id: string;
  total: number;
  status: BatchStatus;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** ms since the epoch. */
  createdAt: number;
  /** ms since the epoch; null until `BatchComplete`. */
  finishedAt: number | null;
  /** Sequence number of the last event (0: none yet). */
  lastSequence: number;
  /** Bytes of the stored event log (JSON). */
  logBytes: number;
  /**
   * True once every upload of the batch was read and `processBatch` answered with its id. A batch the
   * process stopped in the middle of reading never reached its client: a restart deletes it.
   */
  accepted: boolean;
}

/** A new batch of `total` images. */
export function initialState(id: string, total: number, now: number): BatchState {
  return {
    id,
    total,
    status: 'QUEUED',
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    createdAt: now,
    finishedAt: null,
    lastSequence: 0,
    logBytes: 0,
    accepted: false,
  };
}

/** Images finished: succeeded, failed or cancelled. */
export function completedOf(state: BatchState): number {
  return state.succeeded + state.failed + state.cancelled;
}

/**
 * The stored form of a new event: its batch id and the next sequence number; a progress event gets the
 * batch's current `completed` and `total`.
 */
export function stampEvent(state: BatchState, event: NewBatchEvent): BatchEvent {
  const stamped = { ...event, batchId: state.id, sequence: state.lastSequence + 1 } as BatchEvent;
  if (stamped.kind === 'progress') {
    stamped.completed = completedOf(state);
    stamped.total = state.total;
  }
  return stamped;
}

/**
 * The state after an event (pure: the input is not changed). A stage past QUEUED makes a QUEUED batch
 * RUNNING; a result counts as succeeded, an error with code CANCELLED as cancelled, any other error as
 * failed; `BatchComplete` sets the finish time and COMPLETED (a cancelled batch stays CANCELLED).
 * `bytes` is the size of the stored event.
 */
export function applyEvent(state: BatchState, event: BatchEvent, now: number, bytes = 0): BatchState {
  const next: BatchState = { ...state, lastSequence: event.sequence, logBytes: state.logBytes + bytes };
  switch (event.kind) {
    case 'progress':
      if (event.stage !== 'QUEUED' && next.status === 'QUEUED') next.status = 'RUNNING';
      break;
    case 'result':
      next.succeeded++;
      break;
    case 'error':
      if (event.code === 'CANCELLED') {
        next.cancelled++;
        if (next.status !== 'COMPLETED') next.status = 'CANCELLED';
      } else next.failed++;
      break;
    case 'complete':
      next.finishedAt = now;
      if (next.status !== 'CANCELLED') next.status = 'COMPLETED';
      break;
  }
  return next;
}

/** The state with its cancel flag set (status CANCELLED) unless it already finished. */
export function cancelState(state: BatchState): BatchState {
  return state.finishedAt === null ? { ...state, status: 'CANCELLED' } : state;
}

/** The `BatchComplete` event due now, or null (images still open, or already finished). */
export function completionDue(state: BatchState, now: number): NewBatchEvent | null {
  if (state.finishedAt !== null || completedOf(state) < state.total) return null;
  return {
    kind: 'complete',
    total: state.total,
    succeeded: state.succeeded,
    failed: state.failed,
    cancelled: state.cancelled,
    durationMs: Math.max(0, Math.round(now - state.createdAt)),
  };
}
