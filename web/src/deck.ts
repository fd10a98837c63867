/**
 * The deck's English text and Piltover Archive deck code, computed in the browser from the same data the
 * service sends, so a correction updates both. The text follows the service's `Decklist.text` format
 * (src/pipeline/format.ts); the deck code uses the same library and layout as src/deck-code.ts.
 */
import { getCodeFromDeck, type Deck } from '@piltoverarchive/riftbound-deck-codes';
import type { WebCardFieldsFragment, WebDecklistFieldsFragment, WebEntryFieldsFragment } from './gql/graphql.js';

export type Card = WebCardFieldsFragment;
export type Entry = WebEntryFieldsFragment;
export type Decklist = WebDecklistFieldsFragment;

export const SECTIONS = ['legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck'] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_TITLES: Record<Section, string> = {
  legend: 'Legend',
  mainDeck: 'Main Deck',
  battlefields: 'Battlefields',
  runes: 'Runes',
  sideDeck: 'Side Deck',
};

/** Below this match confidence an entry is highlighted for a second look. */
export const LOW_CONFIDENCE = 0.85;

export const needsLook = (e: Entry): boolean => e.card === null || e.confidence < LOW_CONFIDENCE;

function entryLine(e: Entry): string {
  if (e.card) return `${e.quantity} ${e.card.nameEn}`;
  return `${e.quantity} [unmatched: ${e.nameCn}]`;
}

/** The decklist as a person pastes it (the service's format). */
export function deckText(deck: Decklist): string {
  const m = deck.metadata;
  const out: string[] = [];
  if (m.deckName) out.push(`Deck: ${m.deckName}`);
  const placing = m.placement !== null ? `#${m.placement}` : null;
  const event = [placing, m.event, m.date].filter(Boolean).join(' · ');
  if (event) out.push(`Event: ${event}`);
  if (m.player) out.push(`Player: ${m.player}`);
  for (const kind of SECTIONS) {
    const entries = deck[kind];
    if (entries.length === 0) continue;
    const count = entries.reduce((n, e) => n + e.quantity, 0);
    out.push('', `${SECTION_TITLES[kind]} (${count})`, ...entries.map(entryLine));
  }
  return out.join('\n').trim() + '\n';
}

function toDeck(entries: readonly Entry[]): Deck {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.card!.code, (counts.get(e.card!.code) ?? 0) + e.quantity);
  return [...counts].map(([cardCode, count]) => ({ cardCode, count }));
}

/** Legend, main deck, battlefields and runes as the deck, side deck as sideboard; null while a card is unmatched. */
export function deckCode(deck: Decklist): string | null {
  const main = [...deck.legend, ...deck.mainDeck, ...deck.battlefields, ...deck.runes];
  if ([...main, ...deck.sideDeck].some((e) => e.card === null) || main.length === 0) return null;
  try {
    return getCodeFromDeck(toDeck(main), toDeck(deck.sideDeck));
  } catch {
    return null;
  }
}

/** Puts `card` in place of an entry's match; text and deck code follow from the data. */
export function correctEntry(deck: Decklist, section: Section, index: number, card: Card): Decklist {
  const entries = deck[section].map((e, i) => (i === index ? { ...e, card, nameCn: card.nameCn, nameEn: card.nameEn, confidence: 1 } : e));
  const next: Decklist = { ...deck, [section]: entries };
  const unmatched = SECTIONS.some((s) => next[s].some((e) => e.card === null));
  // The only validation problem a correction can settle on its own: unmatched cards.
  const problems = unmatched ? next.validation.problems : next.validation.problems.filter((p) => p.code !== 'UNMATCHED_CARDS');
  next.validation = { valid: problems.length === 0, problems };
  next.text = deckText(next);
  next.deckCode = deckCode(next);
  return next;
}
