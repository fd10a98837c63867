/**
 * The deck's English text and Piltover Archive deck code, computed in the browser from the same data the
 * service sends, so a correction updates both — with the service's own code (src/decklist/format.ts and
 * src/decklist/deck-code.ts), so the page and the API cannot disagree.
 */
import { deckCodeFor, deckCodeProblem } from '../../src/decklist/deck-code.js';
import { chosenChampionOf, chosenChampionProblem } from '../../src/decklist/champion.js';
import { formatDecklistText, SECTION_TITLES } from '../../src/decklist/format.js';
import type { CardFieldsFragment, DecklistFieldsFragment, DeckEntryFieldsFragment } from '../../src/client/gql/graphql.js';

export type Card = CardFieldsFragment;
export type Entry = DeckEntryFieldsFragment;
export type Decklist = DecklistFieldsFragment;

export const SECTIONS = ['legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck'] as const;
export type Section = (typeof SECTIONS)[number];
export { SECTION_TITLES };

/** Below this match confidence an entry is highlighted for a second look. */
const LOW_CONFIDENCE = 0.85;

export const needsLook = (e: Entry): boolean => e.card === null || e.confidence < LOW_CONFIDENCE;

/** The decklist as a person pastes it: the service's own formatter. */
const deckText = (deck: Decklist): string => formatDecklistText(deck);

/** The Piltover Archive deck code: the service's own encoder; null while a card is unmatched or not encodable. */
export const deckCode = (deck: Decklist): string | null => deckCodeFor(deck);

/** Why there is no deck code (the service's own words, as in its NO_DECK_CODE warning), or null. */
export const noDeckCodeReason = (deck: Decklist): string | null => deckCodeProblem(deck);

/** Puts `card` in place of an entry's match; text and deck code follow from the data. */
export function correctEntry(deck: Decklist, section: Section, index: number, card: Card): Decklist {
  const entries = deck[section].map((e, i) => (i === index ? { ...e, card, nameCn: card.nameCn, nameEn: card.nameEn, confidence: 1 } : e));
  const next: Decklist = { ...deck, [section]: entries };
  const unmatched = SECTIONS.some((s) => next[s].some((e) => e.card === null));
  // The problems a correction can settle or raise on its own: unmatched cards and the chosen champion
  // (the service's own rule). Counts do not change: a correction swaps a card, never a quantity.
  let problems = next.validation.problems.filter((p) => unmatched || p.code !== 'UNMATCHED_CARDS');
  // The chosen champion is the main deck's first card. The service leaves the rule out when the image does
  // not show where the main deck starts; the page applies it only where the service did (a champion, or
  // the rule's problem), so a correction never makes up a champion.
  const ruleApplies = deck.chosenChampion !== null || deck.validation.problems.some((p) => p.code === 'CHOSEN_CHAMPION');
  if (section === 'mainDeck' && index === 0 && ruleApplies) {
    problems = problems.filter((p) => p.code !== 'CHOSEN_CHAMPION');
    const champion = chosenChampionProblem(next.mainDeck);
    if (champion) problems.push(champion);
    next.chosenChampion = chosenChampionOf(next.mainDeck);
  }
  next.validation = { valid: problems.length === 0, problems };
  next.text = deckText(next);
  next.deckCode = deckCode(next);
  // The service's NO_DECK_CODE warning follows the correction (settled, or with its new reason).
  const reason = noDeckCodeReason(next);
  next.warnings = [...next.warnings.filter((w) => w.code !== 'NO_DECK_CODE'), ...(reason ? [{ code: 'NO_DECK_CODE' as const, message: reason }] : [])];
  return next;
}
