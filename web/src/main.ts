/**
 * The decklist-ocr page: drop screenshots, follow the batch over graphql-sse, fix entries, export.
 * Plain TypeScript and DOM; all service traffic goes through api.ts (GraphQL only).
 */
import './style.css';
import { followBatch, request, uploadBatch, ServiceError, type BatchEvent } from './api.js';
import { correctEntry, needsLook, noDeckCodeReason, SECTIONS, SECTION_TITLES, type Card, type Decklist, type Entry, type Section } from './deck.js';
import { $, h } from './dom.js';
import type { BatchErrorCode, BatchStage } from '../../src/client/gql/graphql.js';
import { BatchInfoQuery, CancelBatchMutation, CardsQuery } from '../../src/client/operations.js';

// ---- state ----

type RowState = 'uploading' | BatchStage | 'DONE' | 'ERROR' | 'CANCELLED';

interface FileRow {
  index: number;
  filename: string;
  state: RowState;
  error: { code: BatchErrorCode | 'UPLOAD'; message: string } | null;
  /** As the service read it, and as corrected on the page. */
  original: Decklist | null;
  decklist: Decklist | null;
}

interface BatchView {
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

const STAGE_STEP: Record<RowState, number> = {
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

const STAGE_LABEL: Record<RowState, string> = {
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

let view: BatchView = emptyView();

function emptyView(): BatchView {
  return { id: null, total: 0, completed: 0, rows: new Map(), uploadFraction: null, summary: null, notice: null, stop: null, cancelling: false };
}

// ---- elements ----

const fileInput = $('#files') as HTMLInputElement;
const dropZone = $('#drop');
const batchPanel = $('#batch');
const rowsList = $('#rows');
const decksBox = $('#decks');
const toastBox = $('#toast');
const preview = $('#preview');

// ---- helpers ----

function toast(text: string): void {
  toastBox.textContent = text;
  toastBox.classList.add('show');
  window.setTimeout(() => toastBox.classList.remove('show'), 2200);
}

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Older browsers or an insecure origin: the selection route.
    const area = h('textarea', { readonly: true, class: 'offscreen' }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  toast(`${what} copied`);
}

function download(filename: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'offscreen' });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const baseName = (filename: string) => filename.replace(/\.[^.]+$/, '') || 'decklist';
const count = (entries: readonly Entry[]) => entries.reduce((n, e) => n + e.quantity, 0);
const rowsInOrder = () => [...view.rows.values()].sort((a, b) => a.index - b.index);

function rowFor(index: number, filename: string): FileRow {
  let row = view.rows.get(index);
  if (!row) {
    row = { index, filename, state: 'QUEUED', error: null, original: null, decklist: null };
    view.rows.set(index, row);
  }
  return row;
}

/** The JSON of one decklist as downloaded: the service's fields, with the page's corrections applied. */
function deckJson(row: FileRow) {
  return { file: row.filename, ok: true, decklist: row.decklist };
}

// ---- rendering: the batch panel and the file rows ----

function renderBatch(): void {
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
async function cancelBatch(id: string): Promise<void> {
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

// ---- rendering: a decklist ----

const deckEls = new Map<number, HTMLElement>();
let editing: { index: number; section: Section; entry: number } | null = null;

function renderDeck(row: FileRow): void {
  const deck = row.decklist!;
  const m = deck.metadata;
  const code = deck.deckCode;
  const noCode = code ? null : noDeckCodeReason(deck);
  const flagged = SECTIONS.reduce((n, s) => n + deck[s].filter(needsLook).length, 0);
  const corrected = row.original !== deck;
  const el = h(
    'article',
    { class: 'deck', id: `deck-${row.index}`, 'data-file': row.filename, 'aria-labelledby': `deck-title-${row.index}` },
    h(
      'header',
      { class: 'deck-head' },
      h(
        'div',
        { class: 'deck-title' },
        m.placement !== null ? h('span', { class: `placement p${Math.min(m.placement, 4)}`, title: 'Placement' }, `#${m.placement}`) : null,
        h('h2', { id: `deck-title-${row.index}` }, m.deckName ?? 'Untitled deck'),
      ),
      h(
        'dl',
        { class: 'meta' },
        metaItem('Event', m.event),
        metaItem('Date', m.date),
        metaItem('Player', m.player),
        metaItem('Champion', deck.chosenChampion?.nameEn ?? null),
        metaItem('File', row.filename),
      ),
    ),
    h(
      'div',
      { class: 'deck-actions' },
      h('button', { type: 'button', class: 'btn', 'data-action': 'copy-text', onclick: () => void copy(deck.text, 'English text') }, 'Copy text'),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          'data-action': 'copy-code',
          disabled: !code,
          title: code ? 'Piltover Archive deck code' : (noCode ?? 'No deck code'),
          onclick: () => code && void copy(code, 'Deck code'),
        },
        'Copy deck code',
      ),
      h(
        'button',
        { type: 'button', class: 'btn ghost', 'data-action': 'download', onclick: () => download(`${baseName(row.filename)}.json`, deckJson(row)) },
        'Download JSON',
      ),
      corrected ? h('span', { class: 'pill info' }, 'Corrected on this page') : null,
    ),
    notices(deck, flagged),
    h('div', { class: 'sections' }, ...SECTIONS.filter((s) => deck[s].length > 0).map((s) => renderSection(row, s))),
    h(
      'details',
      { class: 'export' },
      h('summary', {}, 'English text and deck code'),
      h('pre', { class: 'deck-text', tabindex: 0 }, deck.text),
      h('p', { class: 'code-line' }, 'Deck code: ', code ? h('code', { class: 'deck-code' }, code) : h('em', { class: 'no-deck-code' }, noCode ?? 'none')),
    ),
  );
  const previous = deckEls.get(row.index);
  if (previous) previous.replaceWith(el);
  else {
    const after = [...deckEls.keys()].filter((i) => i > row.index).sort((a, b) => a - b)[0];
    if (after !== undefined) decksBox.insertBefore(el, deckEls.get(after)!);
    else decksBox.append(el);
  }
  deckEls.set(row.index, el);
}

function metaItem(label: string, value: string | null): HTMLElement | null {
  if (!value) return null;
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function notices(deck: Decklist, flagged: number): HTMLElement | null {
  const items: HTMLElement[] = [];
  for (const p of deck.validation.problems) {
    items.push(h('li', { class: 'problem' }, h('span', { class: 'tag' }, 'Rule'), p.message));
  }
  for (const w of deck.warnings) items.push(h('li', { class: 'warning' }, h('span', { class: 'tag' }, 'Note'), w.message));
  if (flagged)
    items.push(
      h(
        'li',
        { class: 'check' },
        h('span', { class: 'tag' }, 'Check'),
        `${flagged} ${flagged === 1 ? 'entry is' : 'entries are'} unmatched or uncertain: highlighted below, fix with “Fix”.`,
      ),
    );
  if (items.length === 0) return h('p', { class: 'all-good' }, '✓ Every card matched; the deck follows the rules.');
  return h('ul', { class: 'notices' }, ...items);
}

function renderSection(row: FileRow, section: Section): HTMLElement {
  const entries = row.decklist![section];
  return h(
    'section',
    { class: `sec sec-${section}`, 'data-section': section },
    h('h3', {}, SECTION_TITLES[section], h('span', { class: 'sec-count' }, String(count(entries)))),
    h('ul', { class: 'entries' }, ...entries.map((e, i) => renderEntry(row, section, e, i))),
  );
}

function renderEntry(row: FileRow, section: Section, e: Entry, i: number): HTMLElement {
  const flag = e.card === null ? 'unmatched' : needsLook(e) ? 'low' : '';
  const corrected = row.original !== null && row.original[section][i] !== e;
  const isEditing = editing?.index === row.index && editing.section === section && editing.entry === i;
  const li = h(
    'li',
    { class: `entry ${flag}${corrected ? ' corrected' : ''}`, 'data-name-cn': e.nameCn, title: corrected ? 'Corrected on this page' : null },
    h('span', { class: 'qty' }, String(e.quantity)),
    h(
      'span',
      { class: 'names' },
      h('span', { class: 'name-en' }, e.card ? e.card.nameEn : 'Unmatched'),
      h('span', { class: 'name-cn', lang: 'zh-CN' }, e.nameCn),
      section === 'mainDeck' && i === 0 && row.decklist!.chosenChampion
        ? h('span', { class: 'champ', title: 'The chosen champion: the first card of the main deck' }, 'Chosen champion')
        : null,
    ),
    h('span', { class: 'num' }, e.card ? e.card.cardNumber : flag === 'unmatched' ? '—' : ''),
    h(
      'button',
      {
        type: 'button',
        class: `fix ${flag ? 'strong' : ''}`,
        'aria-expanded': isEditing ? 'true' : 'false',
        'aria-label': `${flag ? 'Fix' : 'Change'} ${e.card?.nameEn ?? e.nameCn}`,
        onclick: () => {
          editing = isEditing ? null : { index: row.index, section, entry: i };
          renderDeck(row);
          focusEditor(row.index, section, i, isEditing);
        },
      },
      flag ? 'Fix' : 'Change',
    ),
  );
  if (e.card?.imageUrl) {
    const url = e.card.imageUrl;
    li.addEventListener('mouseenter', () => showPreview(li, url));
    li.addEventListener('mouseleave', hidePreview);
    li.addEventListener('focusin', () => showPreview(li, url));
    li.addEventListener('focusout', hidePreview);
  }
  if (!isEditing) return li;
  return h('li', { class: 'entry-wrap' }, h('ul', { class: 'plain' }, li), renderEditor(row, section, e, i));
}

function focusEditor(index: number, section: Section, entry: number, wasOpen: boolean): void {
  const deckEl = deckEls.get(index);
  if (!deckEl) return;
  if (wasOpen) {
    deckEl.querySelectorAll<HTMLButtonElement>(`[data-section="${section}"] .entry .fix`)[entry]?.focus();
  } else {
    deckEl.querySelector<HTMLInputElement>('.editor input')?.focus();
  }
}

function renderEditor(row: FileRow, section: Section, e: Entry, i: number): HTMLElement {
  const pick = (card: Card) => {
    row.decklist = correctEntry(row.decklist!, section, i, card);
    editing = null;
    renderDeck(row);
    renderBatch();
    deckEls.get(row.index)?.querySelectorAll<HTMLButtonElement>(`[data-section="${section}"] .entry .fix`)[i]?.focus();
    toast(`Now ${e.quantity} × ${card.nameEn}`);
  };
  const close = () => {
    editing = null;
    renderDeck(row);
    focusEditor(row.index, section, i, true);
  };
  const cardButton = (card: Card, note?: string) =>
    h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'pick', 'data-code': card.code, onclick: () => pick(card) },
        h('span', { class: 'pick-name' }, card.nameEn),
        h('span', { class: 'pick-meta' }, [card.nameCn, card.cardNumber, card.type, note].filter(Boolean).join(' · ')),
      ),
    );
  const candidates = (e.candidates ?? []).filter((c) => c.card.code !== e.card?.code).slice(0, 5);
  const results = h('ul', { class: 'picks', 'aria-live': 'polite' });
  const input = h('input', {
    type: 'search',
    placeholder: 'Search cards (English or Chinese)',
    'aria-label': 'Search the card database',
    autocomplete: 'off',
  });
  let timer = 0;
  let seq = 0;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      results.replaceChildren();
      return;
    }
    timer = window.setTimeout(async () => {
      const mine = ++seq;
      try {
        const data = await request(CardsQuery, { search: query, first: 8 });
        if (mine !== seq) return;
        results.replaceChildren(...(data.cards.length ? data.cards.map((c) => cardButton(c)) : [h('li', { class: 'muted' }, 'No card found')]));
      } catch (error) {
        results.replaceChildren(h('li', { class: 'muted' }, `Search failed: ${(error as Error).message}`));
      }
    }, 180);
  });
  const editor = h(
    'div',
    { class: 'editor', role: 'group', 'aria-label': `Correct ${e.nameCn}` },
    h(
      'p',
      { class: 'muted' },
      'Read as ',
      h('span', { lang: 'zh-CN' }, e.nameCn),
      e.card ? ` → ${e.card.nameEn}` : ' (no card close enough)',
      ` · confidence ${Math.round(e.confidence * 100)}%`,
    ),
    candidates.length
      ? [
          h('p', { class: 'editor-label' }, 'Candidates'),
          h('ul', { class: 'picks' }, ...candidates.map((c) => cardButton(c.card, `${Math.round(c.score * 100)}%`))),
        ]
      : null,
    h('label', { class: 'editor-label' }, 'Search the card database', input),
    results,
    h('button', { type: 'button', class: 'btn ghost small', onclick: close }, 'Cancel'),
  );
  editor.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') close();
  });
  return editor;
}

// ---- card image preview ----

function showPreview(anchor: HTMLElement, url: string): void {
  if (window.matchMedia('(max-width: 640px)').matches) return;
  const img = preview.querySelector('img') ?? h('img', { alt: '' });
  if (img.getAttribute('src') !== url) img.setAttribute('src', url);
  preview.replaceChildren(img);
  const box = anchor.getBoundingClientRect();
  const width = 240;
  const left = box.right + 12 + width < window.innerWidth ? box.right + 12 : Math.max(8, box.left - width - 12);
  const top = Math.min(Math.max(8, box.top - 60), window.innerHeight - 345);
  preview.style.left = `${left}px`;
  preview.style.top = `${top}px`;
  preview.hidden = false;
}

function hidePreview(): void {
  preview.hidden = true;
}

// ---- events of the batch ----

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
  view = emptyView();
  editing = null;
  deckEls.clear();
  decksBox.replaceChildren();
}

async function start(files: File[]): Promise<void> {
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

async function resume(id: string): Promise<void> {
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

// ---- input ----

fileInput.addEventListener('change', () => {
  void start([...(fileInput.files ?? [])]);
  fileInput.value = '';
});
for (const type of ['dragenter', 'dragover'] as const) {
  dropZone.addEventListener(type, (ev) => {
    ev.preventDefault();
    dropZone.classList.add('over');
  });
}
for (const type of ['dragleave', 'drop'] as const) {
  dropZone.addEventListener(type, () => dropZone.classList.remove('over'));
}
dropZone.addEventListener('drop', (ev) => {
  ev.preventDefault();
  void start([...(ev.dataTransfer?.files ?? [])]);
});
// Drops outside the zone must not navigate away from the page.
window.addEventListener('dragover', (ev) => ev.preventDefault());
window.addEventListener('drop', (ev) => ev.preventDefault());

const initial = new URLSearchParams(location.search).get('batch');
if (initial) void resume(initial);
else renderBatch();
