import type { DecodedImage } from '../decode/decode.js';
import type { CardMatcher, MatchResult } from '../match/match.js';
import { isHan, normalizeText } from '../text/normalize.js';
import type { OcrMode, OcrReader } from '../ocr/ocr-pool.js';
import { greyCrop } from '../image/raster.js';
import { type DecklistReading, firstReadingScale, type TileReading } from '../read/read.js';
import { classifySectionLabel } from '../../decklist/sections.js';
import { SECTION_KINDS, type Card, type SectionKind, type TileText } from '../types.js';

/** One reading of a tile's lines: at a scale of their size, as a line or a raw line. */
interface Look {
  scale: number;
  mode: OcrMode;
}

/**
 * Tesseract's reading of a glyph depends on the crop's size (`腕` read as `腋` at one size, right at
 * another), so a name that matched no card exactly is read again at other sizes; and its line finder now
 * and then sees no text in a short bold name (`魔腾` read as nothing at every size), so it is read once
 * more as a raw line, without layout analysis.
 */
const OTHER_SIZES: Look[] = [
  { scale: 1.25, mode: 'line' },
  { scale: 1.5, mode: 'line' },
  { scale: 0.75, mode: 'line' },
  { scale: 1, mode: 'raw-line' },
];

/** Looks at other sizes read at once, per unclear tile. */
const LOOKS_PER_ROUND = 2;
/** The reading at a line's own size, for a line whose first reading was smaller ({@link firstReadingScale}). */
const OWN_SIZE: Look[] = [{ scale: 1, mode: 'line' }];
/**
 * The second look, round by round: first the lines at their own size alone when the first reading was
 * smaller (at full size most such tiles read exactly, and a look beside it would be spent for nothing), then
 * {@link OTHER_SIZES}, {@link LOOKS_PER_ROUND} at a time. Nothing beats a perfect reading: once a round gives
 * one, the later rounds are not read.
 */
const OTHER_SIZE_ROUNDS: Look[][] = OTHER_SIZES.flatMap((_, i) => (i % LOOKS_PER_ROUND === 0 ? [OTHER_SIZES.slice(i, i + LOOKS_PER_ROUND)] : []));

/** A tile whose best candidate is below this is read again. */
const EXACT = 0.999;
/** The highest score a match can have (candidate scores are rounded to 0.001). */
const PERFECT = 1;

/**
 * The look that settles a match won by the look-alike discount alone (see {@link MatchResult.lookalikeRivals}):
 * the lines are read again with tesseract restricted to the characters of the match and its rivals, so the
 * model itself says which of those names the glyphs fit. A glyph it reads as none of them (a character its
 * set lacks, such as 咂) gives no exact name and leaves the match as it was.
 */
const RIVAL_LOOKS = OTHER_SIZES;

/** An unmatched tile's best candidate is a lone leader at this score or more, this far ahead of the next. */
const LEADER_SCORE = 0.5;
const LEADER_MARGIN = 0.25;
/** Restricted readings that must give the leader's name exactly before it is taken. */
const LEADER_CONFIRMATIONS = 3;

/** The best candidate of an unmatched tile when it stands far ahead of the rest, else null. */
function loneLeader(match: MatchResult): Card | null {
  const [top, next] = match.candidates;
  if (!top || top.score < LEADER_SCORE) return null;
  return (next?.score ?? 0) <= top.score - LEADER_MARGIN ? top.card : null;
}

/**
 * Second look at the tiles whose text matched no card exactly: their lines are read again, at their own
 * size first when they were first read smaller, then at other sizes and as raw lines, and the reading whose
 * best match scores highest is kept (the first reading wins ties). A
 * match that then rests on the look-alike discount alone gets one more look ({@link RIVAL_LOOKS}). Exact
 * matches, the vast majority, cost nothing more.
 */
export async function rereadUnclearTiles(ocr: OcrReader, img: DecodedImage, reading: DecklistReading, matcher: CardMatcher): Promise<DecklistReading> {
  const look = secondLook(ocr, img, matcher);
  const sections = await Promise.all(
    reading.sections.map(async (section) => ({ ...section, tiles: await Promise.all(section.tiles.map((tile) => look(section.label, tile))) })),
  );
  return { ...reading, sections };
}

/**
 * The second look ({@link rereadUnclearTiles}) one tile at a time, for a reader that hands each tile over
 * as soon as it and its section's label are read: its OCR calls then go ahead of the image's first
 * readings still queued (`followUp`), and no tile waits for the last tile of the image to be read first.
 * `label` is the section label as read.
 */
export function secondLook(ocr: OcrReader, img: DecodedImage, matcher: CardMatcher): (label: string | null, tile: TileReading) => Promise<TileReading> {
  const scoreIn = (kind: SectionKind, text: TileText) => matcher.matchCard(kind, text).candidates[0]?.score ?? 0;
  return async (label, tile) => {
    // Only candidate restriction depends on the section here. A run without a readable label may be any
    // section (assembly picks one from its names): score it against them all.
    const kind = classifySectionLabel(label);
    const bestScore = (text: TileText) => (kind ? scoreIn(kind, text) : Math.max(...SECTION_KINDS.map((k) => scoreIn(k, text))));
    const bestMatch = (text: TileText): MatchResult => {
      if (kind) return matcher.matchCard(kind, text);
      const all = SECTION_KINDS.map((k) => matcher.matchCard(k, text));
      return all.reduce((a, b) => ((b.candidates[0]?.score ?? 0) > (a.candidates[0]?.score ?? 0) ? b : a));
    };
    const first = bestScore(tile.text);
    if (first >= EXACT || tile.lines.length === 0) return tile;
    let best = tile;
    let score = first;
    // The earliest of the best readings is kept.
    const readSmaller = tile.lines.some((box) => firstReadingScale(box) < 1);
    for (const round of readSmaller ? [OWN_SIZE, ...OTHER_SIZE_ROUNDS] : OTHER_SIZE_ROUNDS) {
      if (score >= PERFECT) break;
      const alternatives = await Promise.all(round.map((look) => lookAt(tile, look)));
      for (const text of alternatives) {
        const s = bestScore(text);
        if (s > score) {
          score = s;
          best = { ...tile, text };
        }
      }
    }
    const match = bestMatch(best.text);
    if (match.card && match.lookalikeRivals.length > 0) return settleRivals(best, match, bestMatch);
    const leader = loneLeader(match);
    if (!match.card && leader) return confirmLeader(best, leader, bestMatch);
    return best;
  };

  /** The tile's lines read at one look's size and mode (restricted to `whitelist`'s characters if given). */
  async function lookAt(tile: TileReading, { scale, mode }: Look, whitelist?: string): Promise<TileText> {
    const [name, subtitle] = await Promise.all(
      tile.lines.map((box) =>
        ocr.recognize({
          image: greyCrop(img, box, { pad: 12, scale, surroundings: true }),
          model: 'chi_sim',
          mode,
          whitelist,
          purpose: 'second-look',
          followUp: true,
        }),
      ),
    );
    return { name: normalizeText(name?.text ?? ''), subtitle: subtitle ? normalizeText(subtitle.text) || null : null, badge: tile.text.badge };
  }

  /**
   * An unmatched tile whose best candidate is far ahead of every other (half its hanzi read right, the other
   * half no look-alike, no other card close) is read again restricted to the leader's characters and the ones read.
   * The real glyphs stay allowed, so a card the database lacks keeps its own reading; the leader is taken
   * only when at least three of the four readings give its name exactly.
   */
  async function confirmLeader(tile: TileReading, leader: Card, bestMatch: (text: TileText) => MatchResult): Promise<TileReading> {
    const whitelist = [...new Set([...(leader.nameCn + tile.text.name + (tile.text.subtitle ?? ''))].filter(isHan))].join('');
    const readings = await Promise.all(RIVAL_LOOKS.map((look) => lookAt(tile, look, whitelist)));
    const confirming = readings.filter((text) => {
      const top = bestMatch(text).candidates[0];
      return top !== undefined && top.score >= EXACT && top.card === leader;
    });
    return confirming.length >= LEADER_CONFIRMATIONS ? { ...tile, text: confirming[0]! } : tile;
  }

  /**
   * Reads the tile again restricted to the characters of its match and the match's look-alike rivals. The
   * name those readings give exactly, most often, decides: the match stays when that is the match or when no
   * reading gives any of the names; another of the names replaces it; a tie between names withholds the
   * match (the tile stays unmatched with its text, never a guessed card).
   */
  async function settleRivals(tile: TileReading, match: MatchResult, bestMatch: (text: TileText) => MatchResult): Promise<TileReading> {
    const names = [match.card!, ...match.lookalikeRivals];
    const whitelist = [...new Set([...names.map((c) => c.nameCn).join('')].filter(isHan))].join('');
    const readings = await Promise.all(RIVAL_LOOKS.map((look) => lookAt(tile, look, whitelist)));
    const votes = new Map<Card, { count: number; text: TileText }>();
    for (const text of readings) {
      const top = bestMatch(text).candidates[0];
      if (!top || top.score < EXACT || !names.includes(top.card)) continue;
      const vote = votes.get(top.card) ?? { count: 0, text };
      vote.count++;
      votes.set(top.card, vote);
    }
    const ranked = [...votes].sort((a, b) => b[1].count - a[1].count);
    const [winner, runnerUp] = ranked;
    if (!winner) return tile;
    if (runnerUp && runnerUp[1].count === winner[1].count) return { ...tile, withheld: true };
    return winner[0] === match.card ? tile : { ...tile, text: winner[1].text };
  }
}
