import type { CardDatabase } from '../cards/cards.js';
import { allowedInSection } from '../cards/card-types.js';
import { hanOnly, normalizeName } from '../text/normalize.js';
import { createLookalikeIndex } from './lookalike.js';
import { similarity, type SubstitutionCost } from '../text/similarity.js';
import { SECTION_KINDS, type Candidate, type Card, type SectionKind, type TileText } from '../types.js';

/** The result of matching one tile against the database. */
export interface MatchResult {
  /** The matched card, or null when no candidate is close enough (never the nearest wrong card). */
  card: Card | null;
  /** Similarity of the best candidate, discounted when a runner-up is nearly as close; in [0,1]. */
  confidence: number;
  /** Best candidates, best first. */
  candidates: Candidate[];
  /**
   * Other cards the plain edit distance ranks as close to the text as the match: the match is ahead of them
   * only by the look-alike discount (read `星荬`: `星落` shares the look-alike 荬~落, `星獒` does not, and both
   * differ from the text by one hanzi). Empty for most tiles; the second look reads such a tile again
   * restricted to these names' characters ({@link import('../second-look/second-look.js').rereadUnclearTiles}).
   */
  lookalikeRivals: Card[];
}

export interface CardMatcher {
  matchCard(section: SectionKind, text: TileText): MatchResult;
}

/** Below this the best candidate is not trusted: the entry stays unmatched with its raw text. */
export const MATCH_THRESHOLD = 0.6;
const CANDIDATES_KEPT = 5;
const MARGIN = 0.3;

interface Indexed {
  card: Card;
  /** Hanzi of the name part (before the comma), or of the whole name. */
  name: string;
  /** Hanzi of the title part of a champion (`name, title`), or '' when there is none. */
  title: string;
  /** The whole name without separators, for names that are not hanzi-only. */
  full: string;
  /** Every character of the name, to tell whether a look-alike of a character read occurs in it. */
  chars: ReadonlySet<string>;
  /** Its place in the database (ties keep this order). */
  index: number;
}

/** Compares read text with a name: plain edit distance, or one where a look-alike hanzi costs half an edit. */
type Compare = (read: string, name: string) => number;
const plain: Compare = (read, name) => similarity(read, name);

function key(text: string): string {
  // Compare hanzi when there are some: OCR noise is mostly stray marks and Latin letters. Names written
  // without hanzi (rare) are compared on their letters and digits.
  const han = hanOnly(text);
  return han.length > 0
    ? han
    : normalizeName(text)
        .replace(/[^\p{L}\p{N}]/gu, '')
        .toLowerCase();
}

/**
 * Builds a matcher over the database. A tile's name line (and title line, for champions and legends)
 * is compared with every card allowed in its section by a code-point edit distance, so one misread
 * hanzi costs one edit whatever the name's length.
 */
export function createCardMatcher(db: CardDatabase): CardMatcher {
  const indexed: Indexed[] = db.cards.map((card, index) => {
    const [name = '', ...rest] = card.nameCn.split(', ');
    const entry = { name: key(name), title: key(rest.join('')), full: key(card.nameCn) };
    return { card, ...entry, chars: new Set(entry.name + entry.title + entry.full), index };
  });
  const lookalikes = createLookalikeIndex(indexed.flatMap((e) => [...e.chars]));
  // Per section, the cards it may list; per character, the cards holding it.
  const bySection = new Map<SectionKind, ReadonlySet<Indexed>>(
    SECTION_KINDS.map((kind) => [kind, new Set(indexed.filter((e) => allowedInSection(e.card.types, kind)))]),
  );
  // Which cards one question has compared already (the question's number, by card).
  const seen = new Uint32Array(indexed.length);
  let questions = 0;
  const holding = new Map<string, Indexed[]>();
  for (const entry of indexed) {
    for (const ch of entry.chars) {
      const list = holding.get(ch);
      if (list) list.push(entry);
      else holding.set(ch, [entry]);
    }
  }

  function score(entry: Indexed, name: string, subtitle: string, section: SectionKind, similarity: Compare): number {
    if (entry.title) {
      // A champion: name and title must both agree; a missing title line costs the title's share.
      const n = similarity(name, entry.name);
      const t = subtitle ? similarity(subtitle, entry.title) : 0;
      const wn = [...entry.name].length;
      const wt = [...entry.title].length;
      return (n * wn + t * wt) / (wn + wt);
    }
    // A legend's second line (入门 and the like) names the printing, not the card: compare the first line.
    const s = similarity(name, entry.name);
    if (subtitle && section !== 'legend') {
      // A card without a title read with a second line: either a long name wrapped onto two lines, or an
      // extra line that counts against it.
      const wn = [...entry.name].length;
      return Math.max(similarity(name + subtitle, entry.name), (s * wn) / (wn + [...subtitle].length));
    }
    return s;
  }

  return {
    matchCard(kind, text) {
      const name = key(text.name);
      const subtitle = text.subtitle ? key(text.subtitle) : '';
      type Scored = Candidate & { entry: Indexed; compare: Compare };
      // Cards sharing no character with the text, nor a look-alike of one, score 0 whatever they are (every
      // edit costs 1, so the distance is the longer length): only the others are compared. Ranked, the
      // zeros come last in database order, as a stable sort of them all would put them.
      const allowed = bySection.get(kind)!;
      const ranked: Scored[] = [];
      const question = ++questions;
      if (name.length > 0) {
        // The look-alike cost can only change the score of a name holding a look-alike of a character
        // read; every other name is compared plainly (the same score, at a fraction of the time).
        const partners = new Map([...new Set(name + subtitle)].map((ch) => [ch, lookalikes.partners(ch)]));
        const wanted = new Set([...partners.values()].flatMap((p) => [...p]));
        const cost: SubstitutionCost = (a, b) => (a === b ? 0 : partners.get(a)?.has(b) ? 0.5 : 1);
        const glyph: Compare = (read, nameText) => similarity(read, nameText, cost);
        for (const ch of [...partners.keys(), ...wanted]) {
          for (const entry of holding.get(ch) ?? []) {
            if (seen[entry.index] === question || !allowed.has(entry)) continue;
            seen[entry.index] = question;
            const compare = wanted.size > 0 && holdsAny(entry.chars, wanted) ? glyph : plain;
            const value = score(entry, name, subtitle, kind, compare);
            if (value > 0) ranked.push({ card: entry.card, entry, compare, score: value });
          }
        }
        ranked.sort((a, b) => b.score - a.score || a.entry.index - b.entry.index);
      }
      // Every allowed card, ranked; the zeros are listed only where they are looked at.
      const everyCard = (): Scored[] => {
        const positive = new Set(ranked.map((c) => c.entry));
        const zeros = [...allowed].filter((e) => !positive.has(e)).map((entry): Scored => ({ card: entry.card, entry, compare: plain, score: 0 }));
        return [...ranked, ...zeros];
      };
      // The candidates kept and the runner-up.
      const scored = ranked.length > CANDIDATES_KEPT || name.length === 0 ? ranked : everyCard().slice(0, CANDIDATES_KEPT + 1);
      const candidates = scored.slice(0, CANDIDATES_KEPT).map((c) => ({ card: c.card, score: round(c.score) }));
      const best = scored[0];
      if (!best) return { card: null, confidence: 0, candidates, lookalikeRivals: [] };
      const runnerUp = scored[1]?.score ?? 0;
      // A runner-up nearly as close means the text hardly decides between them: the confidence drops by
      // as much as the margin falls short of MARGIN.
      const confidence = Math.max(0, best.score - Math.max(0, MARGIN - (best.score - runnerUp)));
      // A short name with one hanzi misread scores 0.5; it is taken only when no other allowed card shares
      // any of its characters (a clear margin), so an unknown card still stays unmatched.
      const acceptable = best.score >= MATCH_THRESHOLD || (best.score >= 0.5 && best.score - runnerUp >= 0.5);
      if (!acceptable || confidence < MATCH_THRESHOLD - MARGIN / 2) {
        return { card: null, confidence: round(confidence), candidates, lookalikeRivals: [] };
      }
      let lookalikeRivals: Card[] = [];
      if (best.compare !== plain) {
        const plainBest = score(best.entry, name, subtitle, kind, plain);
        if (plainBest < best.score) {
          lookalikeRivals = everyCard()
            .filter((c) => c !== best && score(c.entry, name, subtitle, kind, plain) >= plainBest - 1e-9)
            .map((c) => c.card);
        }
      }
      return { card: best.card, confidence: round(confidence), candidates, lookalikeRivals };
    },
  };
}

function holdsAny(chars: ReadonlySet<string>, wanted: ReadonlySet<string>): boolean {
  for (const ch of chars) if (wanted.has(ch)) return true;
  return false;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The matcher with every answer kept, for one image: the second look and the assembly ask the same
 * questions of the same tiles, and a question costs ~1 ms (the text against every card of the section).
 * Answers are shared objects: callers do not change them.
 */
export function rememberingMatcher(matcher: CardMatcher): CardMatcher {
  const answers = new Map<string, MatchResult>();
  return {
    matchCard(section, text) {
      const question = `${section}\u0000${text.name}\u0000${text.subtitle ?? '\u0000'}`;
      let answer = answers.get(question);
      if (!answer) {
        answer = matcher.matchCard(section, text);
        answers.set(question, answer);
      }
      return answer;
    },
  };
}
