/** One decklist as the page shows it: header, sections, entries, and the editor that corrects an entry. */
import { request } from './api.js';
import { correctEntry, needsLook, noDeckCodeReason, SECTIONS, SECTION_TITLES, type Card, type Decklist, type Entry, type Section } from './deck.js';
import { h } from './dom.js';
import { renderBatch } from './batch-panel.js';
import { baseName, count, deckJson, type FileRow } from './state.js';
import { copy, decksBox, download, hidePreview, showPreview, toast } from './ui.js';
import { CardsQuery } from '../../src/client/operations.js';

const deckEls = new Map<number, HTMLElement>();
let editing: { index: number; section: Section; entry: number } | null = null;

export function renderDeck(row: FileRow): void {
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

/** Forgets every decklist shown (a new batch). */
export function clearDecks(): void {
  editing = null;
  deckEls.clear();
  decksBox.replaceChildren();
}
