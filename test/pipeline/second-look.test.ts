/**
 * The second look's order of readings, with a scripted OCR reader (the real matcher and database): a line
 * first read smaller is read at its own size alone first (a line reading, with the inverted pass of a
 * reading again), and only when that reading is not perfect do the other sizes follow, two at a time. A
 * line first read at its own size skips straight to the other sizes.
 */
import { describe, expect, it } from 'vitest';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import { allowedInSection } from '../../src/pipeline/cards/card-types.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { createCardMatcher } from '../../src/pipeline/match/match.js';
import type { OcrReader } from '../../src/pipeline/ocr/ocr-pool.js';
import { FIRST_READING_HEIGHT, type TileReading } from '../../src/pipeline/read/read.js';
import { secondLook } from '../../src/pipeline/second-look/second-look.js';
import type { Box } from '../../src/pipeline/types.js';
import { parsePgm } from '../../src/pipeline/image/raster.js';
import { flatRaster } from '../helpers/images.js';

const db = await loadCardDatabase(DEFAULT_CARDS_PATH);
const matcher = createCardMatcher(db);
const img = flatRaster(400, 200);
const PAD = 12;
/** A name line as tall as the layout finds them at the canonical width (~44 px). */
const tall: Box = { x: 20, y: 20, width: 200, height: 44 };

// A main-deck card without a title, whose name alone matches it exactly.
const card = db.cards.find(
  (c) =>
    !c.nameCn.includes(', ') &&
    [...c.nameCn].length >= 3 &&
    !c.nameCn.endsWith('口') &&
    allowedInSection(c.types, 'mainDeck') &&
    matcher.matchCard('mainDeck', { name: c.nameCn, subtitle: null, badge: null }).card === c,
);
if (!card) throw new Error('no main-deck card without a title in the database');
// One hanzi off: not exact, still its best candidate.
const misread = `${[...card.nameCn].slice(0, -1).join('')}口`;

/** What a look at `scale` of a box `height` tall asks for, as logged. */
const look = (mode: string, height: number, scale: number) => `${mode} ${Math.round(height * scale) + 2 * PAD} again`;

/** Answers each crop a tick after it is asked: the card's name where `exact` says, else the misreading. */
function scripted(exact: (mode: string, height: number) => boolean): OcrReader & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    recognize(request) {
      const { height } = parsePgm(Buffer.from(request.image as Uint8Array));
      const asked = `${request.mode} ${height} ${request.followUp ? 'again' : 'first'}`;
      log.push(`ask ${asked}`);
      return new Promise((resolve) =>
        setImmediate(() => {
          log.push(`answer ${asked}`);
          resolve({ text: exact(request.mode, height) ? card!.nameCn : misread, confidence: 0.9 });
        }),
      );
    },
  };
}

const tile = (lines: Box[]): TileReading => ({
  box: { x: 0, y: 0, width: 400, height: 200 },
  lines,
  quantity: null,
  text: { name: misread, subtitle: null, badge: null },
});

describe('secondLook', () => {
  it('the misreading is not exact, and its best candidate is the card', () => {
    const match = matcher.matchCard('mainDeck', { name: misread, subtitle: null, badge: null });
    expect(misread).not.toBe(card.nameCn);
    expect(match.candidates[0]!.card).toBe(card);
    expect(match.candidates[0]!.score).toBeLessThan(0.999);
  });

  it('reads a line first read smaller at its own size alone, and stops there when that reading is exact', async () => {
    const ocr = scripted(() => true);
    const looked = await secondLook(ocr, img, matcher)('主牌组', tile([tall]));
    expect(ocr.log).toEqual([`ask ${look('line', tall.height, 1)}`, `answer ${look('line', tall.height, 1)}`]);
    expect(looked.text.name).toBe(card.nameCn);
  });

  it('goes on to the other sizes, two at a time, when the reading at its own size is not exact either', async () => {
    const own = look('line', tall.height, 1);
    const ocr = scripted((mode, height) => `${mode} ${height} again` !== own);
    const looked = await secondLook(ocr, img, matcher)('主牌组', tile([tall]));
    expect(ocr.log.slice(0, 4)).toEqual([`ask ${own}`, `answer ${own}`, `ask ${look('line', tall.height, 1.25)}`, `ask ${look('line', tall.height, 1.5)}`]);
    // An exact reading ends it (no rival or leader looks follow an exact match).
    expect(ocr.log).toHaveLength(6);
    expect(looked.text.name).toBe(card.nameCn);
  });

  it('skips the reading at its own size for a line short enough to have been first read at it', async () => {
    const short = { ...tall, height: FIRST_READING_HEIGHT };
    const ocr = scripted(() => true);
    await secondLook(ocr, img, matcher)('主牌组', tile([short]));
    expect(ocr.log.filter((e) => e.startsWith('ask'))).toEqual([`ask ${look('line', short.height, 1.25)}`, `ask ${look('line', short.height, 1.5)}`]);
  });
});
