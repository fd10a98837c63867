/** The batch's life on the page: upload, follow its events over graphql-sse (resuming with `after`), resume a batch by id. */
import { followBatch, request, ServiceError, uploadBatch, type BatchEvent } from './api.js';
import { renderBatch } from './batch-panel.js';
import { clearDecks, renderDeck } from './deck-view.js';
import { resetView, rowFor, view } from './state.js';
import { BatchInfoQuery } from '../../src/client/operations.js';

let applied = 0;

function onEvent(event: BatchEvent): void {
  // For people and tests alike: how many events were applied, and the last sequence (equal when none was lost or repeated).
  applied += 1;
  document.body.dataset.events = String(applied);
  document.body.dataset.lastSequence = String(event.sequence);
  switch (event.__typename) {
    case 'BatchProgress': {
      const row = rowFor(event.index, event.filename);
      if (row.state !== 'DONE' && row.state !== 'ERROR') row.state = event.stage;
      view.completed = event.completed;
      view.total = event.total;
      break;
    }
    case 'BatchResult': {
      const row = rowFor(event.index, event.filename);
      row.state = 'DONE';
      row.original = event.decklist;
      row.decklist = event.decklist;
      view.completed = Math.max(
        view.completed,
        [...view.rows.values()].filter((r) => r.state === 'DONE' || r.state === 'ERROR' || r.state === 'CANCELLED').length,
      );
      renderDeck(row);
      break;
    }
    case 'BatchError': {
      const row = rowFor(event.index, event.filename);
      row.state = event.code === 'CANCELLED' ? 'CANCELLED' : 'ERROR';
      row.error = { code: event.code, message: event.message };
      view.completed = Math.max(
        view.completed,
        [...view.rows.values()].filter((r) => r.state === 'DONE' || r.state === 'ERROR' || r.state === 'CANCELLED').length,
      );
      break;
    }
    case 'BatchComplete': {
      view.completed = event.total;
      view.total = event.total;
      const seconds = (event.durationMs / 1000).toFixed(1);
      view.summary = `Finished: ${event.succeeded} read, ${event.failed} failed${event.cancelled ? `, ${event.cancelled} cancelled` : ''} in ${seconds} s`;
      view.notice = null;
      document.body.dataset.batch = 'complete';
      break;
    }
  }
  if (event.__typename !== 'BatchComplete' && view.notice?.kind === 'info') view.notice = null;
  renderBatch();
}

function follow(id: string): void {
  view.stop?.();
  document.body.dataset.batch = 'running';
  view.stop = followBatch(id, {
    onEvent,
    onReconnecting(attempt) {
      view.notice = { kind: 'info', text: `Connection lost; reconnecting (attempt ${attempt})…` };
      renderBatch();
    },
    onFatal(error) {
      view.notice = { kind: 'error', text: error.message };
      document.body.dataset.batch = 'failed';
      renderBatch();
    },
  });
}

function reset(): void {
  view.stop?.();
  applied = 0;
  resetView();
  clearDecks();
}

export async function start(files: File[]): Promise<void> {
  if (files.length === 0) return;
  reset();
  files.forEach((file, index) => view.rows.set(index, { index, filename: file.name, state: 'uploading', error: null, original: null, decklist: null }));
  view.total = files.length;
  view.uploadFraction = 0;
  document.body.dataset.batch = 'uploading';
  renderBatch();
  try {
    const batch = await uploadBatch(files, (fraction) => {
      view.uploadFraction = fraction;
      renderBatch();
    });
    view.uploadFraction = null;
    view.id = batch.id;
    view.total = batch.total;
    for (const row of view.rows.values()) row.state = 'QUEUED';
    history.replaceState(null, '', `?batch=${batch.id}`);
    renderBatch();
    follow(batch.id);
  } catch (error) {
    view.uploadFraction = null;
    const message = error instanceof ServiceError ? error.message : String(error);
    for (const row of view.rows.values()) {
      row.state = 'ERROR';
      row.error = { code: 'UPLOAD', message };
    }
    view.notice = { kind: 'error', text: `The upload was refused: ${message}` };
    document.body.dataset.batch = 'failed';
    renderBatch();
  }
}

export async function resume(id: string): Promise<void> {
  reset();
  view.id = id;
  view.notice = { kind: 'info', text: 'Loading the batch…' };
  renderBatch();
  try {
    const data = await request(BatchInfoQuery, { id });
    if (!data.batch) {
      view.notice = { kind: 'error', text: `Batch ${id} is not known to the service (finished batches are kept for an hour).` };
      view.id = null;
      renderBatch();
      return;
    }
    view.total = data.batch.total;
    renderBatch();
    follow(id);
  } catch (error) {
    view.notice = { kind: 'error', text: (error as Error).message };
    renderBatch();
  }
}
