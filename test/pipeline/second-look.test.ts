/**
 * The second look's order of readings, with a scripted OCR reader (the real matcher and database): a line
 * first read smaller is read at its own size alone first, and only when that reading is not exact do the
 * other sizes follow, two at a time. A line first read at its own size skips straight to the other sizes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import { allowedInSection } from '../../src/pipeline/cards/card-types.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { greyCrop } from '../../src/pipeline/image/raster.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import { createCardMatcher } from '../../src/pipeline/match/match.js';
import type { OcrReader, OcrRequest } from '../../src/pipeline/ocr/ocr-pool.js';
import { FIRST_READING_HEIGHT, type TileReading } from '../../src/pipeline/read/read.js';
import { secondLook } from '../../src/pipeline/second-look/second-look.js';
import type { Box } from '../../src/pipeline/types.js';
import { loadFixtures } from '../../scripts/fixtures.js';

const db = await loadCardDatabase(DEFAULT_CARDS_PATH);
const matcher = createCardMatcher(db);
const img = await decodeImage(readFileSync(loadFixtures()[1]!.imagePath), { maxPixels: 40_000_000 });
const tall = findLayout(img)
  .sections.flatMap((s) => s.tiles)
  .find((t) => t.lines.length === 1 && t.lines[0]!.height > FIRST_READING_HEIGHT)!;
// A main-deck card without a title, whose name alone matches it exactly.
const card = db.cards.find(
  (c) =>
    !c.nameCn.includes(', ') &&
    [...c.nameCn].length >= 3 &&
    allowedInSection(c.types, 'mainDeck') &&
    matcher.matchCard('mainDeck', { name: c.nameCn, subtitle: null, badge: null }).card === c,
)!;
// One hanzi off: not exact, still its best candidate.
const misread = `${card.nameCn.slice(0, -1)}口`;

const cropHeight = (box: Box, scale: number) =>
  Number(greyCrop(img, box, { pad: 12, scale, surroundings: true }).subarray(0, 32).toString('latin1').split('\n')[1]!.split(' ')[1]);
const pgmHeight = (request: OcrRequest) =>
  Number(
    Buffer.from(request.image as Uint8Array)
      .subarray(0, 32)
      .toString('latin1')
      .split('\n')[1]!
      .split(' ')[1],
  );

/** Answers each crop a tick after it is asked: the card's name at the heights in `exactAt`, else the misreading. */
function scripted(exactAt: (height: number) => boolean): OcrReader & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    recognize(request) {
      const height = pgmHeight(request);
      log.push(`ask ${height}`);
      return new Promise((resolve) =>
        setImmediate(() => {
          log.push(`answer ${height}`);
          resolve({ text: exactAt(height) ? card.nameCn : misread, confidence: 0.9 });
        }),
      );
    },
  };
}

const tile = (lines: Box[]): TileReading => ({ box: tall.box, lines, quantity: null, text: { name: misread, subtitle: null, badge: null } });

describe('secondLook', () => {
  it('reads a line first read smaller at its own size alone, and stops there when that reading is exact', async () => {
    const box = tall.lines[0]!;
    expect(matcher.matchCard('mainDeck', { name: misread, subtitle: null, badge: null }).candidates[0]!.score).toBeLessThan(1);
    const ocr = scripted(() => true);
    const looked = await secondLook(ocr, img, matcher)('主牌组', tile([box]));
    expect(ocr.log).toEqual([`ask ${cropHeight(box, 1)}`, `answer ${cropHeight(box, 1)}`]);
    expect(looked.text.name).toBe(card.nameCn);
  });

  it('goes on to the other sizes, two at a time, when the reading at its own size is not exact either', async () => {
    const box = tall.lines[0]!;
    const own = cropHeight(box, 1);
    const ocr = scripted((height) => height !== own);
    const looked = await secondLook(ocr, img, matcher)('主牌组', tile([box]));
    const [larger, largest] = [cropHeight(box, 1.25), cropHeight(box, 1.5)];
    expect(ocr.log.slice(0, 4)).toEqual([`ask ${own}`, `answer ${own}`, `ask ${larger}`, `ask ${largest}`]);
    expect(ocr.log).toHaveLength(6);
    expect(looked.text.name).toBe(card.nameCn);
  });

  it('skips the reading at its own size for a line short enough to have been first read at it', async () => {
    const box = { ...tall.lines[0]!, height: FIRST_READING_HEIGHT };
    const ocr = scripted(() => true);
    await secondLook(ocr, img, matcher)('主牌组', tile([box]));
    expect(ocr.log.filter((e) => e.startsWith('ask'))).toEqual([`ask ${cropHeight(box, 1.25)}`, `ask ${cropHeight(box, 1.5)}`]);
  });
});
