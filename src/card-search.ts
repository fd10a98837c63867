import type { CardDatabase } from './pipeline/cards/cards.js';
import { normalizeName } from './pipeline/text/normalize.js';
import { similarity } from './pipeline/text/similarity.js';
import type { Card } from './pipeline/types.js';

/** Below this score a card is not a match for the query. */
const MIN_SCORE = 0.45;

/** Lower-case Latin text without punctuation, for English names. */
function latinKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’'`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Chinese names compared without the champion separator or spaces. */
function hanKey(text: string): string {
  return normalizeName(text).replace(/[\s,，、·・]/g, '');
}

/** How well `query` (already keyed) names `candidate`: 1 exact, ~0.9 contained, else edit similarity. */
function scoreText(query: string, candidate: string, words: string[] = []): number {
  if (!query || !candidate) return 0;
  if (candidate === query) return 1;
  if (candidate.startsWith(query)) return 0.95;
  if (words.some((w) => w.startsWith(query))) return 0.9;
  if (candidate.includes(query)) return 0.85;
  const whole = similarity(query, candidate);
  // A query for one word of a longer name ("jinx" → "Jinx, Demolitionist"), typos allowed.
  const best = Math.max(0, ...words.map((w) => similarity(query, w)));
  return Math.max(whole, best * 0.9);
}

/** The score of one card for a query: the best of its Chinese name, English name and card code. */
function cardScore(card: Card, query: string): number {
  const q = query.trim();
  if (!q) return 0;
  const code = q.toUpperCase().replace(/\s+/g, '');
  if (code === card.code.toUpperCase() || code === card.cardNumber.toUpperCase()) return 1;
  const latin = latinKey(q);
  const han = hanKey(q);
  const en = latinKey(card.nameEn);
  return Math.max(scoreText(han, hanKey(card.nameCn), normalizeName(card.nameCn).split(', ').map(hanKey)), scoreText(latin, en, en.split(' ')));
}

/**
 * Fuzzy search of the card database by Chinese or English name (or card code), best first; ties keep
 * database order. Without a query, the first `first` cards in database order.
 */
export function searchCards(db: CardDatabase, search: string | null | undefined, first = 20): Card[] {
  const limit = Math.max(0, Math.min(first, db.cards.length));
  const query = search?.trim() ?? '';
  if (!query) return db.cards.slice(0, limit);
  const scored = db.cards.map((card, order) => ({ card, order, score: cardScore(card, query) })).sort((a, b) => b.score - a.score || a.order - b.order);
  // Far weaker matches than the best one are noise ("jinx" must not list "Find Your Center").
  const floor = Math.max(MIN_SCORE, (scored[0]?.score ?? 0) - 0.35);
  return scored
    .filter((s) => s.score >= floor)
    .slice(0, limit)
    .map((s) => s.card);
}
