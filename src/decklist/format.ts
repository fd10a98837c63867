import type { DecklistMetadata, SectionKind } from '../pipeline/types.js';

/** What the text needs of an entry; the web page passes its own (GraphQL-shaped) entries. */
export interface TextEntry {
  quantity: number;
  nameCn: string;
  card: { nameEn: string } | null;
}

/** What the text needs of a decklist. */
export type DecklistTextSource = { metadata: DecklistMetadata } & Record<SectionKind, readonly TextEntry[]>;

/** English section headings, in display order. */
export const SECTION_TITLES: Record<SectionKind, string> = {
  legend: 'Legend',
  mainDeck: 'Main Deck',
  battlefields: 'Battlefields',
  runes: 'Runes',
  sideDeck: 'Side Deck',
};

function entryLine(e: TextEntry): string {
  if (e.card) return `${e.quantity} ${e.card.nameEn}`;
  return `${e.quantity} [unmatched: ${e.nameCn}]`;
}

/**
 * The decklist as a person pastes it: header fields, then each section with its card count and
 * `3 Yi, Honed` lines. Unmatched entries are shown with their Chinese text, never a guessed card.
 */
export function formatDecklistText(deck: DecklistTextSource): string {
  const m = deck.metadata;
  const out: string[] = [];
  if (m.deckName) out.push(`Deck: ${m.deckName}`);
  const placing = m.placement !== null ? `#${m.placement}` : null;
  const event = [placing, m.event, m.date].filter(Boolean).join(' · ');
  if (event) out.push(`Event: ${event}`);
  if (m.player) out.push(`Player: ${m.player}`);
  for (const kind of Object.keys(SECTION_TITLES) as SectionKind[]) {
    const entries = deck[kind];
    if (entries.length === 0) continue;
    const count = entries.reduce((n, e) => n + e.quantity, 0);
    out.push('', `${SECTION_TITLES[kind]} (${count})`, ...entries.map(entryLine));
  }
  return out.join('\n').trim() + '\n';
}
