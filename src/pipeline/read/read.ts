import { classifySectionLabel } from '../../decklist/sections.js';
import type { DecodedImage } from '../decode/decode.js';
import type { Layout } from '../layout/layout.js';
import { headerLineRoles } from './header-lines.js';
import { restoreLatinCase } from './latin-case.js';
import { normalizeText } from '../text/normalize.js';
import type { OcrReader, OcrResult } from '../ocr/ocr-pool.js';
import type { OcrPurpose } from '../profile.js';
import { greyCrop, stackCrops } from '../image/raster.js';
import { editDistance } from '../text/similarity.js';
import type { Box, TileText } from '../types.js';

/** What OCR read from one tile. */
export interface TileReading {
  /** The tile in canonical coordinates. */
  box: Box;
  /** Its text lines and quantity digits in canonical coordinates (for a second look). */
  lines: Box[];
  quantity: Box | null;
  text: TileText;
  /**
   * Set by the second look when readings restricted to the characters of rival names disagree on which
   * name it is: the tile stays unmatched, with its text and candidates, whatever its text matches.
   */
  withheld?: boolean;
}

export interface SectionReading {
  /** The section label as read (传奇牌, 主牌组, ...), or null when none was found. */
  label: string | null;
  tiles: TileReading[];
  /** Tile-coloured areas the layout could not read as tiles, in or just below this section. */
  unread?: number;
}

/** Header text as read, before any interpretation. */
export interface HeaderReading {
  /** Each header text line, top to bottom, as its parts (split at divider bars). */
  lines: string[][];
  /** The digits read on the placement badge, or null. */
  placement: string | null;
}

export interface DecklistReading {
  header: HeaderReading;
  sections: SectionReading[];
  /** Rows of tiles cut off by the image edge, as the layout found them. */
  cutOffRows: number;
}

const DIGITS = '0123456789';

/**
 * The height (px, padding aside) a tile's lines and the section labels are first read at. Tesseract's line
 * model costs in proportion to a line's height up to ~48 px and about the same above it; at the canonical
 * width a name's box is ~44 px tall, a champion's title ~38 and a section label ~52. Brought down to this
 * height a name costs ~12 ms instead of ~19, and a few more tiles come out unclear: a tile that matches no
 * card exactly is read again at its own size first (the second look), and with it every fixture and
 * synthetic family reads the same cards. A label that names no section is read again at its own size too.
 */
export const FIRST_READING_HEIGHT = 31;

/** The scale a line is first read at: down to {@link FIRST_READING_HEIGHT}, never up. */
export function firstReadingScale(box: Box): number {
  return box.height > FIRST_READING_HEIGHT ? FIRST_READING_HEIGHT / box.height : 1;
}

export interface ReadOptions {
  /**
   * Called with each tile as soon as it and its section's label are read; its answer takes the tile's
   * place (the pipeline's second look, which then overlaps the rest of the reading).
   */
  review?: (label: string | null, tile: TileReading) => Promise<TileReading>;
}

/**
 * Reads every crop the layout found, all queued at once on the shared pool so both workers stay busy:
 * tile name and title lines, quantity badges, section labels, header lines and the placement number.
 */
export async function readDecklist(ocr: OcrReader, img: DecodedImage, layout: Layout, options: ReadOptions = {}): Promise<DecklistReading> {
  // A first reading is brought down to FIRST_READING_HEIGHT; a reading again is at the line's own size.
  const line = (box: Box, purpose: OcrPurpose, again = false) =>
    ocr.recognize({
      image: greyCrop(img, box, { pad: 12, scale: again ? 1 : firstReadingScale(box), surroundings: true }),
      model: 'chi_sim',
      mode: 'line',
      purpose,
      followUp: again,
    });
  const clean = (r: OcrResult) => normalizeText(r.text);
  // A label read smaller that names no section is read again at its own size before it counts as unknown.
  const readLabel = async (box: Box) => {
    const first = clean(await line(box, 'label'));
    if (classifySectionLabel(first) !== null || firstReadingScale(box) === 1) return first;
    const again = clean(await line(box, 'label', true));
    return classifySectionLabel(again) !== null ? again : first;
  };

  const headerLines = readHeaderLines(ocr, img, layout.header.lines);
  const badge = layout.header.placementBadge;
  const placement = badge ? readNumber(ocr, img, badge, 'placement') : Promise.resolve(null);

  // Every badge of the image in one call first; those it cannot settle are read on their own.
  const badges = readBadges(
    ocr,
    img,
    layout.sections.flatMap((section) => section.tiles.flatMap((tile) => (tile.quantity ? [tile.quantity] : []))),
  );

  const sections = Promise.all(
    layout.sections.map(async (section) => {
      const label = section.label ? readLabel(section.label) : Promise.resolve(null);
      const tiles = Promise.all(
        section.tiles.map(async (tile): Promise<TileReading> => {
          const [name, subtitle, quantity] = await Promise.all([
            tile.lines[0] ? line(tile.lines[0], 'name') : Promise.resolve({ text: '', confidence: 0 }),
            tile.lines[1] ? line(tile.lines[1], 'title') : Promise.resolve(null),
            tile.quantity ? badges.then((read) => read.get(tile.quantity!)!) : Promise.resolve(null),
          ]);
          const reading: TileReading = {
            box: tile.box,
            lines: tile.lines,
            quantity: tile.quantity,
            text: {
              name: clean(name),
              subtitle: subtitle ? clean(subtitle) || null : null,
              badge: quantity,
            },
          };
          return options.review ? options.review(await label, reading) : reading;
        }),
      );
      // Await together: a rejection must not leave the other promise rejecting unobserved.
      const [labelText, tileReadings] = await Promise.all([label, tiles]);
      return { label: labelText, tiles: tileReadings, unread: section.unread.length };
    }),
  );

  const [lines, placementText, sectionReadings] = await Promise.all([headerLines, placement, sections, badges]);
  return {
    header: { lines, placement: placementText },
    sections: sectionReadings,
    cutOffRows: layout.cutOffRows,
  };
}

/** Header text below this confidence is read again at other sizes. */
const HEADER_CONFIDENCE = 0.9;
const HEADER_SCALES = [1.25, 1.5, 0.75, 2];

/**
 * Reads the header's lines: each part once, then, with care ({@link settleHeaderText}), only the lines
 * that carry a field — the event line (found by its date), the deck name above it and the player's line.
 * The row of domain icons between the second line and the last gives no field (its icons only make
 * tesseract unsure): it is read only when the date is not on the first two lines. When no line shows a
 * date, or the careful reading moves the date to another line, every line is read, with care.
 */
async function readHeaderLines(ocr: OcrReader, img: DecodedImage, lines: Box[][]): Promise<string[][]> {
  const read = (box: Box, scale: number) =>
    ocr.recognize({
      image: greyCrop(img, box, { pad: 12, scale, surroundings: true }),
      model: 'chi_sim',
      mode: 'line',
      purpose: 'header',
      followUp: scale !== 1,
    });
  const unread: OcrResult = { text: '', confidence: 1 };
  const middle = (i: number) => i > 1 && i < lines.length - 1;
  const first: OcrResult[][] = await Promise.all(lines.map((parts, i) => Promise.all(parts.map((box) => (middle(i) ? unread : read(box, 1))))));
  let skipped = lines.some((_, i) => middle(i));
  const readSkipped = async () => {
    if (!skipped) return;
    skipped = false;
    await Promise.all(
      lines.map(async (parts, i) => {
        if (middle(i)) first[i] = await Promise.all(parts.map((box) => read(box, 1)));
      }),
    );
  };
  const texts = (i: number) => first[i]!.map((r) => normalizeText(r.text));
  const joined = (textsOf: (i: number) => string[]) => lines.map((_, i) => textsOf(i).join(' | '));
  if (headerLineRoles(joined(texts)).event < 0) await readSkipped();
  const settled: (string[] | null)[] = lines.map(() => null);
  const settle = (indices: number[]) =>
    Promise.all(
      indices
        .filter((i) => i >= 0 && settled[i] === null)
        .map(async (i) => {
          settled[i] = await Promise.all(lines[i]!.map((box, k) => settleHeaderText(ocr, img, box, first[i]![k]!, read).then((r) => normalizeText(r.text))));
        }),
    );
  const firstRoles = headerLineRoles(joined(texts));
  const all = lines.map((_, i) => i);
  await settle(firstRoles.event >= 0 ? [firstRoles.deckName, firstRoles.event, firstRoles.player] : all);
  const current = (i: number) => settled[i] ?? texts(i);
  if (headerLineRoles(joined(current)).event !== firstRoles.event) {
    // The date moved: read what was skipped, then every line with care.
    await readSkipped();
    await settle(all);
  }
  return lines.map((_, i) => current(i));
}

/**
 * Settles free header text (deck and player names have no dictionary to match against): when tesseract
 * was unsure of the first reading, the line is read again at other sizes and the consensus wins — the
 * reading closest (by edit distance) to all the others, the more confident one on a tie. Misreadings at
 * different sizes rarely agree with each other; right readings do. Latin letters then take the case the
 * English model reads.
 */
async function settleHeaderText(
  ocr: OcrReader,
  img: DecodedImage,
  box: Box,
  first: OcrResult,
  read: (box: Box, scale: number) => Promise<OcrResult>,
): Promise<OcrResult> {
  const chosen = first.confidence >= HEADER_CONFIDENCE ? first : consensus([first, ...(await Promise.all(HEADER_SCALES.map((scale) => read(box, scale))))]);
  if (!/[A-Za-z]/.test(chosen.text)) return chosen;
  const english = await ocr.recognize({
    image: greyCrop(img, box, { pad: 12, surroundings: true }),
    model: 'eng',
    mode: 'line',
    purpose: 'header',
    followUp: true,
  });
  return { ...chosen, text: restoreLatinCase(chosen.text, english.text) };
}

function consensus(readings: OcrResult[]): OcrResult {
  const texts = readings.map((r) => normalizeText(r.text));
  const spread = texts.map((t) => texts.reduce((sum, u) => sum + editDistance(t, u), 0));
  let best = 0;
  for (let i = 1; i < readings.length; i++) {
    if (spread[i]! < spread[best]! || (spread[i] === spread[best] && readings[i]!.confidence > readings[best]!.confidence)) {
      best = i;
    }
  }
  return readings[best]!;
}

/** A number read below this confidence is read again at other sizes. */
const NUMBER_CONFIDENCE = 0.9;
const NUMBER_SCALES = [1.5, 2, 0.75];
/**
 * The most a quantity badge can show in a legal deck: a deck's 12 runes, all of one kind (a card is
 * limited to 3 copies). A reading above it (a digit and a stray stroke beside it read as `74`) loses to
 * any plausible reading of the same badge at another size; when every reading is implausible, it stands.
 */
const MAX_BADGE = 12;
/** White rows between badges stacked for one call: tesseract keeps them apart as lines. */
const STACK_GAP = 20;

interface NumberReading {
  digits: string;
  confidence: number;
}

/**
 * Reads the quantity badges, each box to its digits. A badge is a short line of digits, and the cost of an
 * OCR call is mostly the call, not the glyphs: all of an image's badges are stacked into one image and read
 * in one call (PSM 6), each line taken by where it sits. A badge that line-finding did not give exactly one
 * line for is read on its own; then each badge goes on as {@link readNumber} (read again when unsure).
 */
async function readBadges(ocr: OcrReader, img: DecodedImage, boxes: Box[]): Promise<Map<Box, string>> {
  let firsts: (NumberReading | undefined)[] = [];
  if (boxes.length > 1) {
    const { image, spans } = stackCrops(
      boxes.map((box) => greyCrop(img, box, { pad: 12 })),
      STACK_GAP,
    );
    const stacked = await ocr.recognize({ image, model: 'eng', mode: 'block', whitelist: DIGITS, purpose: 'badge' });
    const lines = stacked.lines ?? [];
    firsts = spans.map((span) => {
      const inside = lines.filter((l) => {
        const middle = (l.top + l.bottom) / 2;
        return middle >= span.top && middle < span.bottom;
      });
      if (inside.length !== 1) return undefined;
      return { digits: inside[0]!.text.replace(/\D/g, ''), confidence: inside[0]!.confidence };
    });
  }
  const digits = await Promise.all(boxes.map((box, i) => readNumber(ocr, img, box, 'badge', firsts[i])));
  return new Map(boxes.map((box, i) => [box, digits[i]!]));
}

/**
 * Reads a number (a quantity badge, the placement): digits only, with the English model. Heavy
 * recompression makes tesseract take a 3 for an 8 now and then, always with less confidence; then the crop
 * is read at other sizes and the digits with the most confidence summed over all readings win. Returns
 * the digits, or the raw text ('' when nothing was read) so that an unreadable badge is reported; a badge
 * reading above {@link MAX_BADGE} counts only when no reading is plausible. `first`
 * is the crop's reading at its own size when it was read already (stacked with others).
 */
export async function readNumber(ocr: OcrReader, img: DecodedImage, box: Box, purpose: OcrPurpose, first?: NumberReading): Promise<string> {
  const read = (scale: number): Promise<NumberReading> =>
    ocr
      .recognize({ image: greyCrop(img, box, { pad: 12, scale }), model: 'eng', mode: 'line', whitelist: DIGITS, purpose, followUp: scale !== 1 })
      .then((r) => ({ digits: r.text.replace(/\D/g, ''), confidence: r.confidence }));
  const plausible = (r: NumberReading) => purpose !== 'badge' || (Number(r.digits) >= 1 && Number(r.digits) <= MAX_BADGE);
  const atOwnSize = first ?? (await read(1));
  if (atOwnSize.digits && plausible(atOwnSize) && atOwnSize.confidence >= NUMBER_CONFIDENCE) return atOwnSize.digits;
  const readings = [atOwnSize, ...(await Promise.all(NUMBER_SCALES.map(read)))].filter((r) => r.digits);
  const votes = new Map<string, number>();
  for (const r of readings.some(plausible) ? readings.filter(plausible) : readings) votes.set(r.digits, (votes.get(r.digits) ?? 0) + r.confidence);
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}
