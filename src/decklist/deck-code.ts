import { getCodeFromDeck, SET_MAP, VARIANT_MAP, type Deck } from '@piltoverarchive/riftbound-deck-codes';
import type { SectionKind } from '../pipeline/types.js';

/** What a deck code needs of an entry; the web page passes its own (GraphQL-shaped) entries. */
export interface CodeEntry {
  quantity: number;
  nameCn?: string;
  card: { code: string; type: string; nameEn?: string } | null;
}

/** What a deck code is made from: the five sections and the chosen champion. */
export type CodeDecklist = Record<SectionKind, readonly CodeEntry[]> & { chosenChampion: { code: string } | null };

/** The sets the deck-code library can encode (its own table, so a newer library widens it by itself). */
const DECK_CODE_SETS: readonly string[] = Object.keys(SET_MAP);

/** A card code the library encodes: a known set, a plain number, a known variant (`OGN-007`, `SFD-012a`). */
const ENCODABLE = /^([A-Z]+)-(\d+)([a-z*]?)$/;

function encodable(code: string): boolean {
  const m = ENCODABLE.exec(code);
  return m !== null && m[1]! in SET_MAP && m[3]! in VARIANT_MAP;
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

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The deck code, or why there is none: one pass, so the library encodes the deck once. */
function encode(decklist: CodeDecklist): { code: string; problem: null } | { code: null; problem: string } {
  const refuse = (problem: string) => ({ code: null, problem }) as const;
  const entries = [...decklist.legend, ...decklist.mainDeck, ...decklist.battlefields, ...decklist.runes, ...decklist.sideDeck];
  const unmatched = entries.filter((e) => e.card === null);
  if (unmatched.length > 0) {
    const names = unmatched.map((e) => e.nameCn).filter(Boolean);
    return refuse(`no deck code: ${plural(unmatched.length, 'entry matches', 'entries match')} no card${names.length ? ` (${names.join(', ')})` : ''}`);
  }
  const main = [...decklist.legend, ...decklist.mainDeck, ...decklist.battlefields, ...decklist.runes];
  if (main.length === 0) return refuse('no deck code: the decklist has no legend, main deck, battlefield or rune');
  const outside = [
    ...new Set(
      entries
        .map((e) => e.card!)
        .filter((c) => !encodable(c.code))
        .map((c) => `${c.code}${c.nameEn ? ` ${c.nameEn}` : ''}`),
    ),
  ];
  if (outside.length > 0) {
    return refuse(`no deck code: the Piltover Archive deck-code format encodes sets ${DECK_CODE_SETS.join(', ')} only; this deck has ${outside.join(', ')}`);
  }
  try {
    return { code: getCodeFromDeck(toDeck(main), toDeck(decklist.sideDeck), decklist.chosenChampion?.code), problem: null };
  } catch (error) {
    return refuse(`no deck code: the deck-code library refused the deck (${(error as Error).message})`);
  }
}

/**
 * Why the decklist has no deck code, in words a person can act on; null when it has one. A code is never
 * built by dropping a card or guessing a set number: an unmatched entry, a card of a set the Piltover Archive
 * format does not encode yet (the library knows {@link DECK_CODE_SETS}), or an empty deck each leave it out.
 */
export function deckCodeProblem(decklist: CodeDecklist): string | null {
  return encode(decklist).problem;
}

/**
 * The Piltover Archive deck code of a decklist: legend, main deck, battlefields and runes as the deck,
 * the side deck as the sideboard (the layout of the library's own example), and the decklist's chosen
 * champion (none when it has none). Null whenever {@link deckCodeProblem} names a reason.
 */
export function deckCodeFor(decklist: CodeDecklist): string | null {
  return encode(decklist).code;
}
