import { getCodeFromDeck, type Deck } from '@piltoverarchive/riftbound-deck-codes';
import type { SectionKind } from './pipeline/types.js';

/** What a deck code needs of an entry; the web page passes its own (GraphQL-shaped) entries. */
export interface CodeEntry {
  quantity: number;
  card: { code: string; type: string } | null;
}

/** Adds up entries by card code (two tiles of one card, or one card shown in two sections). */
function toDeck(entries: readonly CodeEntry[]): Deck {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const code = e.card!.code;
    counts.set(code, (counts.get(code) ?? 0) + e.quantity);
  }
  return [...counts].map(([cardCode, count]) => ({ cardCode, count }));
}

/**
 * The Piltover Archive deck code of a decklist: legend, main deck, battlefields and runes as the deck,
 * the side deck as the sideboard (the layout of the library's own example), and the decklist's chosen
 * champion (none when it has none). Null when any entry is unmatched (a code must not silently drop or
 * guess a card), or when the library cannot encode the deck (a set it does not know, more copies than the
 * format holds).
 */
export function deckCodeFor(
  decklist: Record<SectionKind, readonly CodeEntry[]> & { chosenChampion: { code: string } | null },
): string | null {
  const main = [...decklist.legend, ...decklist.mainDeck, ...decklist.battlefields, ...decklist.runes];
  const side = decklist.sideDeck;
  if ([...main, ...side].some((e) => e.card === null)) return null;
  if (main.length === 0) return null;
  try {
    return getCodeFromDeck(toDeck(main), toDeck(side), decklist.chosenChampion?.code);
  } catch {
    return null;
  }
}
