/** The page's state: the batch shown and its file rows, and the small reads of it every view needs. */
import type { BatchErrorCode, BatchStage } from '../../src/client/gql/graphql.js';
import type { Decklist, Entry } from './deck.js';

export type RowState = 'uploading' | BatchStage | 'DONE' | 'ERROR' | 'CANCELLED';

export interface FileRow {
  index: number;
  filename: string;
  state: RowState;
  error: { code: BatchErrorCode | 'UPLOAD'; message: string } | null;
  /** As the service read it, and as corrected on the page. */
  original: Decklist | null;
  decklist: Decklist | null;
}

export interface BatchView {
  id: string | null;
  total: number;
  completed: number;
  rows: Map<number, FileRow>;
  uploadFraction: number | null;
  summary: string | null;
  notice: { kind: 'info' | 'error'; text: string } | null;
  stop: (() => void) | null;
  /** A cancel was asked for; the batch has not completed yet. */
  cancelling: boolean;
}

export const STAGE_STEP: Record<RowState, number> = {
  uploading: 0,
  QUEUED: 0.4,
  DECODING: 1,
  LAYOUT: 2,
  READING: 3,
  MATCHING: 4,
  DONE: 5,
  ERROR: 5,
  CANCELLED: 5,
};

export const STAGE_LABEL: Record<RowState, string> = {
  uploading: 'Uploading',
  QUEUED: 'Queued',
  DECODING: 'Decoding',
  LAYOUT: 'Finding cards',
  READING: 'Reading',
  MATCHING: 'Matching',
  DONE: 'Done',
  ERROR: 'Failed',
  CANCELLED: 'Cancelled',
};

/** The page's one batch view: reset in place (`resetView`), so every module holds the same object. */
export const view: BatchView = emptyView();

function emptyView(): BatchView {
  return { id: null, total: 0, completed: 0, rows: new Map(), uploadFraction: null, summary: null, notice: null, stop: null, cancelling: false };
}

/** Forgets the batch shown (a new upload, or another batch resumed). */
export function resetView(): void {
  Object.assign(view, emptyView());
}

export const baseName = (filename: string) => filename.replace(/\.[^.]+$/, '') || 'decklist';
export const count = (entries: readonly Entry[]) => entries.reduce((n, e) => n + e.quantity, 0);
export const rowsInOrder = () => [...view.rows.values()].sort((a, b) => a.index - b.index);

export function rowFor(index: number, filename: string): FileRow {
  let row = view.rows.get(index);
  if (!row) {
    row = { index, filename, state: 'QUEUED', error: null, original: null, decklist: null };
    view.rows.set(index, row);
  }
  return row;
}

/** The JSON of one decklist as downloaded: the service's fields, with the page's corrections applied. */
export function deckJson(row: FileRow) {
  return { file: row.filename, ok: true, decklist: row.decklist };
}
