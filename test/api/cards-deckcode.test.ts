/** Fuzzy card search and deck codes on the real card database. */
import { getDeckFromCode } from '@piltoverarchive/riftbound-deck-codes';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchCards } from '../../src/card-search.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { deckCodeFor, deckCodeProblem } from '../../src/decklist/deck-code.js';
import { loadCardDatabase, type CardDatabase } from '../../src/pipeline/cards/cards.js';
import type { DeckEntry, Decklist } from '../../src/pipeline/types.js';
import { fixtures } from './helpers.js';

let db: CardDatabase;
beforeAll(async () => {
  db = await loadCardDatabase(DEFAULT_CARDS_PATH);
});

const names = (search: string, first = 5) => searchCards(db, search, first).map((c) => c.nameEn);

describe('searchCards', () => {
  it('finds cards by Chinese name, title, or both, and by English name with typos', () => {
    expect(names('易')).toEqual(expect.arrayContaining(['Yi, Honed', 'Yi, Meditative']));
    expect(names('锋芒毕现')[0]).toBe('Yi, Honed');
    expect(names('易，锋芒毕现')[0]).toBe('Yi, Honed');
    expect(names('金克斯')[0]).toMatch(/^Jinx/); // one wrong hanzi
    expect(names('wuju bladesman')[0]).toBe('Wuju Bladesman - Starter');
    expect(names('jnix')[0]).toMatch(/^Jinx/);
  });

  it('finds by card code or printed number, and nothing for nonsense', () => {
    expect(names('OGN-007')).toEqual(['Fury Rune']);
    expect(names('ogn·007/298')).toEqual(['Fury Rune']);
    expect(names('zzzzqqqq')).toEqual([]);
    expect(names('UNL-001')).toEqual(['Arena Kingpin']);
  });

  it('finds cards of the later sets by Chinese and English name', () => {
    expect(names('竞技场理事')[0]).toBe('Arena Kingpin');
    expect(names('lacerate')[0]).toBe('Lacerate');
  });

  it('lists the database in order without a query, bounded by `first`', () => {
    expect(searchCards(db, null, 3)).toEqual(db.cards.slice(0, 3));
    expect(searchCards(db, '', 0)).toEqual([]);
  });
});

/** A decklist as the pipeline would produce it from a fixture's label (every card matched). */
function decklistFromLabel(index: number): Decklist {
  const label = fixtures[index]!.label;
  const entries = (section: keyof typeof label.sections): DeckEntry[] =>
    label.sections[section].map((l) => {
      const card = db.byNameCn(l.nameCn)!;
      return { nameCn: card.nameCn, nameEn: card.nameEn, quantity: l.quantity, confidence: 1, card, candidates: [], ocrText: [], tiles: [] };
    });
  const mainDeck = entries('mainDeck');
  return {
    metadata: { deckName: null, placement: null, event: null, date: null, player: null },
    legend: entries('legend'),
    mainDeck,
    battlefields: entries('battlefields'),
    runes: entries('runes'),
    sideDeck: entries('sideDeck'),
    chosenChampion: mainDeck[0]!.card,
    validation: { valid: true, problems: [] },
    warnings: [],
    image: { width: 1080, height: 4400, format: 'jpeg' },
  };
}

describe('deckCodeFor', () => {
  it('encodes legend, main deck, battlefields and runes as the deck and the side deck as sideboard', () => {
    const deck = decklistFromLabel(0);
    const decoded = getDeckFromCode(deckCodeFor(deck)!);
    const total = (d: { count: number }[]) => d.reduce((n, c) => n + c.count, 0);
    expect(total(decoded.mainDeck)).toBe(1 + 40 + 3 + 12);
    expect(total(decoded.sideboard)).toBe(deck.sideDeck.reduce((n, e) => n + e.quantity, 0));
    expect(decoded.mainDeck.map((c) => c.cardCode)).toContain(deck.legend[0]!.card!.code);
    expect(decoded.chosenChampion).toBe(deck.mainDeck[0]!.card!.code);
  });

  it('encodes no chosen champion when the decklist has none, even with a champion unit first', () => {
    // E.g. a screenshot that starts inside the main deck: its first tile need not be the deck's first.
    const deck = { ...decklistFromLabel(0), chosenChampion: null };
    expect(deck.mainDeck[0]!.card!.type).toBe('Champion Unit');
    const decoded = getDeckFromCode(deckCodeFor(deck)!);
    expect(decoded.chosenChampion).toBeUndefined();
    expect(decoded.mainDeck.find((c) => c.cardCode === deck.mainDeck[0]!.card!.code)?.count).toBe(deck.mainDeck[0]!.quantity);
  });

  it('is null when any card is unmatched, or the deck is empty', () => {
    const deck = decklistFromLabel(1);
    deck.mainDeck[3] = { ...deck.mainDeck[3]!, card: null, nameEn: null };
    expect(deckCodeFor(deck)).toBeNull();
    const empty = decklistFromLabel(1);
    for (const s of ['legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck'] as const) empty[s] = [];
    expect(deckCodeFor(empty)).toBeNull();
  });

  it('is null for a card of a set the deck-code format does not encode, and says which', () => {
    const deck = decklistFromLabel(0);
    const later = db.cards.find((c) => c.code.startsWith('VEN-') && c.type === 'Spell')!;
    deck.mainDeck[5] = { ...deck.mainDeck[5]!, card: later, nameCn: later.nameCn, nameEn: later.nameEn };
    expect(deckCodeFor(deck)).toBeNull();
    expect(deckCodeProblem(deck)).toContain(`${later.code} ${later.nameEn}`);
    expect(deckCodeProblem(decklistFromLabel(0))).toBeNull();
  });
});
