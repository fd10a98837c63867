import type { ValidationProblem } from '../pipeline/types.js';

/** The card type a chosen champion must have (English type column of the database). */
export const CHAMPION_UNIT_TYPE = 'Champion Unit';

/** What the rule needs of a card and an entry; the web page passes its own (GraphQL-shaped) entries. */
export interface ChampionCard {
  type: string;
  nameEn: string;
}
export interface ChampionEntry<C extends { type: string }> {
  card: C | null;
}

/**
 * The deck's chosen champion: the mini-program lists it as the main deck's first tile, so it is the card of
 * the first main-deck entry, when that card is a champion unit. Null when the first entry is unmatched or
 * is some other type (validation reports the latter): never a champion guessed from further down the list.
 */
export function chosenChampionOf<C extends { type: string }>(mainDeck: readonly ChampionEntry<C>[]): C | null {
  const first = mainDeck[0]?.card ?? null;
  return first !== null && first.type === CHAMPION_UNIT_TYPE ? first : null;
}

/**
 * The rule's problem, if any: a matched first main-deck card that is not a champion unit. (An unmatched
 * first card is reported as unmatched, not here.)
 */
export function chosenChampionProblem(mainDeck: readonly ChampionEntry<ChampionCard>[]): ValidationProblem | null {
  const first = mainDeck[0]?.card;
  if (!first || first.type === CHAMPION_UNIT_TYPE) return null;
  return {
    code: 'CHOSEN_CHAMPION',
    section: 'mainDeck',
    message: `the main deck's first card is the chosen champion and must be a champion unit; ${first.nameEn} is a ${first.type}`,
  };
}
