/** The batch panel (status, progress, actions) and the list of file rows. */
import { request } from './api.js';
import { needsLook, SECTIONS } from './deck.js';
import { h } from './dom.js';
import { count, deckJson, type FileRow, rowsInOrder, STAGE_LABEL, STAGE_STEP, view } from './state.js';
import { batchPanel, copy, download, rowsList } from './ui.js';
import { CancelBatchMutation } from '../../src/client/operations.js';

export function renderBatch(): void {
  batchPanel.hidden = view.rows.size === 0 && !view.notice;
  const done = rowsInOrder().filter((r) => r.state === 'DONE').length;
  const failed = rowsInOrder().filter((r) => r.state === 'ERROR').length;
  const total = view.total || view.rows.size;
  const overall = h('progress', { class: 'overall', max: total || 1, value: view.completed, 'aria-label': 'Screenshots finished' });
  let status: string;
  if (view.uploadFraction !== null) status = `Uploading ${total} file${total === 1 ? '' : 's'}… ${Math.round(view.uploadFraction * 100)}%`;
  else if (view.summary) status = view.summary;
  else status = `${view.completed} of ${total} finished`;
  const decks = rowsInOrder().filter((r) => r.decklist);
  const parts: (HTMLElement | null)[] = [
    h(
      'div',
      { class: 'batch-head' },
      h(
        'div',
        { class: 'batch-status' },
        h('strong', { id: 'overall-text' }, status),
        failed ? h('span', { class: 'pill bad' }, `${failed} failed`) : null,
        done ? h('span', { class: 'pill good' }, `${done} read`) : null,
      ),
      h(
        'div',
        { class: 'batch-actions' },
        view.id && !view.summary && view.uploadFraction === null
          ? h(
              'button',
              { type: 'button', class: 'btn ghost', 'data-action': 'cancel', disabled: view.cancelling, onclick: () => void cancelBatch(view.id!) },
              view.cancelling ? 'Cancelling…' : 'Cancel',
            )
          : null,
        h(
          'button',
          {
            type: 'button',
            class: 'btn ghost',
            'data-action': 'copy-all',
            disabled: decks.length === 0,
            onclick: () => void copy(decks.map((r) => r.decklist!.text).join('\n\n'), 'All decklists'),
          },
          'Copy all text',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn ghost',
            'data-action': 'download-all',
            disabled: view.rows.size === 0 || view.uploadFraction !== null,
            onclick: downloadAll,
          },
          'Download all JSON',
        ),
      ),
    ),
    view.uploadFraction !== null ? h('progress', { class: 'overall', max: 1, value: view.uploadFraction, 'aria-label': 'Upload' }) : overall,
    view.notice ? h('p', { class: `notice ${view.notice.kind}`, role: view.notice.kind === 'error' ? 'alert' : 'status' }, view.notice.text) : null,
    view.id
      ? h('p', { class: 'batch-id' }, 'Batch ', h('a', { href: `?batch=${view.id}` }, view.id), ' · reload this address to see it again for an hour')
      : null,
  ];
  batchPanel.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  rowsList.replaceChildren(...rowsInOrder().map(renderRow));
}

/** Asks the service to stop the batch's queued images; their CANCELLED events then arrive on the stream. */
export async function cancelBatch(id: string): Promise<void> {
  view.cancelling = true;
  renderBatch();
  try {
    // The button stays "Cancelling…" until BatchComplete: images being read still finish first.
    await request(CancelBatchMutation, { id });
  } catch (error) {
    if (view.id !== id) return;
    view.cancelling = false;
    view.notice = { kind: 'error', text: `Could not cancel: ${(error as Error).message}` };
    renderBatch();
  }
}

function downloadAll(): void {
  const all = rowsInOrder().map((r) =>
    r.decklist ? deckJson(r) : { file: r.filename, ok: false, error: r.error ?? { code: 'PENDING', message: STAGE_LABEL[r.state] } },
  );
  download(view.id ? `decklists-${view.id.slice(0, 8)}.json` : 'decklists.json', all);
}

function renderRow(row: FileRow): HTMLElement {
  const flagged = row.decklist ? SECTIONS.reduce((n, s) => n + row.decklist![s].filter(needsLook).length, 0) : 0;
  const state = row.state === 'DONE' ? 'done' : row.state === 'ERROR' ? 'error' : row.state === 'CANCELLED' ? 'cancelled' : 'busy';
  const label = row.decklist?.metadata.deckName ?? null;
  return h(
    'li',
    { class: `row ${state}`, 'data-row': row.filename, 'data-state': row.state },
    h('span', { class: 'row-dot', 'aria-hidden': 'true' }),
    h(
      'div',
      { class: 'row-main' },
      h(
        'div',
        { class: 'row-line' },
        row.decklist
          ? h('a', { class: 'row-name', href: `#deck-${row.index}`, title: row.filename }, row.filename)
          : h('span', { class: 'row-name', title: row.filename }, row.filename),
        h('span', { class: 'row-stage' }, STAGE_LABEL[row.state]),
      ),
      h('progress', { class: 'row-bar', max: 5, value: STAGE_STEP[row.state], 'aria-label': `${row.filename}: ${STAGE_LABEL[row.state]}` }),
      row.error
        ? h('p', { class: 'row-error', role: row.state === 'CANCELLED' ? 'status' : 'alert' }, h('code', {}, row.error.code), ' ', row.error.message)
        : null,
      row.decklist
        ? h(
            'p',
            { class: 'row-info' },
            label ? `${label} · ` : '',
            `${count(SECTIONS.flatMap((s) => row.decklist![s]))} cards`,
            flagged ? h('span', { class: 'pill warn' }, `${flagged} to check`) : null,
          )
        : null,
    ),
  );
}
