/**
 * Validation with cards of every set of the default database. The cards are picked by rule from the data
 * (types, card numbers, domains), so a set added to the file is covered without a change here.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { basePrintingComparator, parseCardNumber } from '../../src/pipeline/cards/card-number.js';
import { allowedInSection } from '../../src/pipeline/cards/card-types.js';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import { CHAMPION_UNIT_TYPE, chosenChampionOf } from '../../src/decklist/champion.js';
import { createCardMatcher } from '../../src/pipeline/match/match.js';
import type { Card, DeckEntry, Decklist } from '../../src/pipeline/types.js';
import { validateDecklist } from '../../src/pipeline/assemble/validate.js';

const db = await loadCardDatabase(DEFAULT_CARDS_PATH);
const matcher = createCardMatcher(db);
const RULES = { sideDeckMax: 8, mainDeckStartShown: true };

/** The set a card was first printed in (its base printing's). */
const setOf = (card: Card) => parseCardNumber(card.cardNumber)!.set;
/** Every set that has a card first printed in it, in release order (the base-printing rule's order). */
const order = basePrintingComparator(db.sets);
const releaseOrder = db.sets
  .filter((set) => db.cards.some((c) => setOf(c) === set))
  .sort((a, b) => order({ cardNumber: `${a}·001`, temporary: false }, { cardNumber: `${b}·001`, temporary: false }));
const [firstSet] = releaseOrder;
const isLater = (card: Card) => setOf(card) !== firstSet;
const ofType = (type: string) => db.cards.filter((c) => c.types.includes(type));
/** A champion's name part (`易` of `易, 人剑合一`), in Chinese and English. */
const namePart = (name: string) => name.split(', ')[0]!;

const entry = (card: Card, quantity: number): DeckEntry => ({
  nameCn: card.nameCn,
  nameEn: card.nameEn,
  quantity,
  confidence: 1,
  card,
  candidates: [{ card, score: 1 }],
  ocrText: [],
  tiles: [],
});

/** A deck that keeps every rule: the legend, the chosen champion first, 39 more main-deck cards, 12 runes, 3 battlefields. */
function deckWith(legend: Card, champion: Card): Omit<Decklist, 'validation'> {
  const inDomains = (c: Card) => c.domains.every((d) => legend.domains.includes(d));
  const units = db.cards.filter((c) => c.types.includes('Unit') && c.types.length === 1 && inDomains(c)).slice(0, 13);
  const runes = ofType('Basic Rune')
    .filter((c) => c.domains.some((d) => legend.domains.includes(d)))
    .slice(0, 2);
  const battlefields = ofType('Battlefield').slice(0, 3);
  expect(units).toHaveLength(13);
  expect(runes).toHaveLength(2);
  const mainDeck = [entry(champion, 1), ...units.map((c) => entry(c, 3))];
  return {
    metadata: { deckName: null, placement: null, event: null, date: null, player: null },
    legend: [entry(legend, 1)],
    mainDeck,
    battlefields: battlefields.map((c) => entry(c, 1)),
    runes: runes.map((c) => entry(c, 6)),
    sideDeck: [],
    chosenChampion: chosenChampionOf(mainDeck),
    warnings: [],
    image: { width: 1080, height: 4400, format: 'jpeg' },
  };
}

/** A legend whose domains hold all of the champion's, preferring one first printed in `set`. */
function legendFor(champion: Card, set: string): Card {
  const fits = ofType('Legend').filter((l) => champion.domains.every((d) => l.domains.includes(d)));
  const legend = fits.find((l) => setOf(l) === set) ?? fits[0];
  expect(legend, `a legend for the domains of ${champion.nameEn}`).toBeDefined();
  return legend!;
}

describe('the chosen champion across sets', () => {
  // Champions with titles first printed in more than one set, grouped by their Chinese name part.
  const bySetSpan = new Map<string, Card[]>();
  for (const c of ofType(CHAMPION_UNIT_TYPE)) bySetSpan.set(namePart(c.nameCn), [...(bySetSpan.get(namePart(c.nameCn)) ?? []), c]);
  const acrossSets = [...bySetSpan.values()].filter((titles) => new Set(titles.map(setOf)).size > 1);
  // Prefer a champion whose printed English name changes between sets (`Yi, Honed` and `Master Yi, Tempered`).
  const renamed = acrossSets.filter((titles) => new Set(titles.map((c) => namePart(c.nameEn))).size > 1);
  const titles = (renamed[0] ?? acrossSets[0])!;
  const later = titles.filter(isLater).sort((a, b) => releaseOrder.indexOf(setOf(b)) - releaseOrder.indexOf(setOf(a)))[0]!;
  const earlier = titles.find((c) => setOf(c) !== setOf(later))!;

  it('the database has champions with titles in several sets', () => {
    expect(acrossSets.length).toBeGreaterThan(0);
    expect(later).toBeDefined();
    expect(earlier).toBeDefined();
  });

  it('a later-set title read from its tile (name line and title line) is its own card, not the earlier title', () => {
    const [name, title] = later.nameCn.split(', ');
    const m = matcher.matchCard('mainDeck', { name: name!, subtitle: title!, badge: null });
    expect(m.card?.nameCn).toBe(later.nameCn);
    expect(m.card?.type).toBe(CHAMPION_UNIT_TYPE);
  });

  it('as the main deck first card, a later-set champion is the chosen champion and the deck validates with a legend of its domains', () => {
    const deck = deckWith(legendFor(later, setOf(later)), later);
    expect(deck.chosenChampion?.nameCn).toBe(later.nameCn);
    expect(validateDecklist(deck, RULES)).toEqual({ valid: true, problems: [] });
  });

  it('every title of the champion, whatever its set and English name, is taken alike', () => {
    for (const champion of titles) {
      const deck = deckWith(legendFor(later, setOf(later)), champion);
      expect(deck.chosenChampion?.nameCn, champion.nameEn).toBe(champion.nameCn);
      expect(namePart(champion.nameCn)).toBe(namePart(later.nameCn));
      expect(validateDecklist(deck, RULES), champion.nameEn).toEqual({ valid: true, problems: [] });
    }
  });
});

describe('legends of later sets', () => {
  const legends = ofType('Legend');
  const firstLegend = legends.find((l) => !isLater(l))!;
  const laterLegends = legends.filter(isLater);
  const champion = ofType(CHAMPION_UNIT_TYPE).find((c) => legends.some((l) => c.domains.every((d) => l.domains.includes(d))))!;

  it('every set after the first has legends first printed in it', () => {
    const sets = new Set(laterLegends.map(setOf));
    expect(sets.size).toBeGreaterThan(0);
    expect(firstLegend).toBeDefined();
  });

  it('belong in the legend section only, as the first set’s do', () => {
    for (const legend of [firstLegend, ...laterLegends]) {
      expect(allowedInSection(legend.types, 'legend'), legend.nameEn).toBe(true);
      for (const section of ['mainDeck', 'sideDeck', 'battlefields', 'runes'] as const)
        expect(allowedInSection(legend.types, section), `${legend.nameEn} in ${section}`).toBe(false);
    }
  });

  it('are read from their tile in the legend section', () => {
    for (const legend of laterLegends) {
      expect(matcher.matchCard('legend', { name: legend.nameCn, subtitle: null, badge: null }).card?.nameCn, legend.nameEn).toBe(legend.nameCn);
    }
  });

  it('get the same validation as a first-set legend: valid alone, the same problems when doubled, counted twice or missing', () => {
    const verdicts = (legend: Card) => {
      const deck = deckWith(legend, champion);
      return [
        validateDecklist(deck, RULES),
        validateDecklist({ ...deck, legend: [entry(legend, 2)] }, RULES),
        validateDecklist({ ...deck, legend: [entry(legend, 1), entry(firstLegend, 1)] }, RULES),
        validateDecklist({ ...deck, legend: [] }, RULES),
      ];
    };
    const reference = verdicts(firstLegend);
    expect(reference[0]).toEqual({ valid: true, problems: [] });
    expect(reference.slice(1).every((v) => !v.valid && v.problems.some((p) => p.code === 'LEGEND_COUNT'))).toBe(true);
    for (const legend of laterLegends) expect(verdicts(legend), legend.nameEn).toEqual(reference);
  });
});
