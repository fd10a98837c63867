import { chosenChampionProblem } from '../../decklist/champion.js';
import type { Decklist, DeckEntry, SectionKind, Validation, ValidationProblem } from '../types.js';

export interface ValidationRules {
  /** Most cards a side deck may hold. */
  sideDeckMax: number;
  /** Whether the main deck's first tile (the chosen champion) is in view; if not, that rule is not checked. */
  mainDeckStartShown: boolean;
}

const MAIN_DECK_SIZE = 40;
const RUNE_COUNT = 12;
const BATTLEFIELD_COUNT = 3;
const MAX_COPIES = 3;

const total = (entries: DeckEntry[]) => entries.reduce((n, e) => n + e.quantity, 0);

/**
 * Checks the decklist against the deck-building rules and reports every problem; nothing is changed to
 * make the counts work. 1 legend; 40 main-deck cards including the chosen champion (the first tile, which
 * must be a champion unit);
 * 12 runes; 3 battlefields with distinct names; a side deck of 0..sideDeckMax; at most 3 copies of a
 * name across main and side deck.
 */
export function validateDecklist(deck: Omit<Decklist, 'validation'>, rules: ValidationRules): Validation {
  const problems: ValidationProblem[] = [];
  const add = (code: ValidationProblem['code'], section: SectionKind | null, message: string) => problems.push({ code, section, message });

  const legends = total(deck.legend);
  if (legends !== 1) add('LEGEND_COUNT', 'legend', `a deck has exactly 1 legend; found ${legends}`);
  const main = total(deck.mainDeck);
  if (main !== MAIN_DECK_SIZE) add('MAIN_DECK_COUNT', 'mainDeck', `the main deck has ${MAIN_DECK_SIZE} cards including the chosen champion; found ${main}`);
  const champion = rules.mainDeckStartShown ? chosenChampionProblem(deck.mainDeck) : null;
  if (champion) problems.push(champion);
  const runes = total(deck.runes);
  if (runes !== RUNE_COUNT) add('RUNE_COUNT', 'runes', `a deck has ${RUNE_COUNT} runes; found ${runes}`);
  const battlefields = total(deck.battlefields);
  if (battlefields !== BATTLEFIELD_COUNT) {
    add('BATTLEFIELD_COUNT', 'battlefields', `a deck has ${BATTLEFIELD_COUNT} battlefields; found ${battlefields}`);
  }
  const repeated = deck.battlefields.filter((e) => e.quantity > 1).map((e) => e.nameCn);
  if (repeated.length > 0) {
    add('BATTLEFIELD_DUPLICATE', 'battlefields', `battlefields must have distinct names; repeated: ${repeated.join(', ')}`);
  }
  const side = total(deck.sideDeck);
  if (side > rules.sideDeckMax) add('SIDE_DECK_COUNT', 'sideDeck', `a side deck holds at most ${rules.sideDeckMax} cards; found ${side}`);

  const copies = new Map<string, number>();
  for (const e of [...deck.mainDeck, ...deck.sideDeck]) {
    if (e.card) copies.set(e.card.nameCn, (copies.get(e.card.nameCn) ?? 0) + e.quantity);
  }
  for (const [name, n] of copies) {
    if (n > MAX_COPIES) add('TOO_MANY_COPIES', null, `at most ${MAX_COPIES} copies of a card across main and side deck; ${name} has ${n}`);
  }

  for (const kind of ['legend', 'mainDeck', 'battlefields', 'runes'] as const) {
    if (deck[kind].length === 0) add('MISSING_SECTION', kind, `no ${kind} section was found`);
  }
  const unmatched = (['legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck'] as const).flatMap((k) =>
    deck[k].filter((e) => !e.card).map((e) => `${e.nameCn} (${k})`),
  );
  if (unmatched.length > 0) {
    add('UNMATCHED_CARDS', null, `${unmatched.length} entr${unmatched.length === 1 ? 'y' : 'ies'} matched no card of the database: ${unmatched.join(', ')}`);
  }
  return { valid: problems.length === 0, problems };
}
