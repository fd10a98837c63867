/**
 * The second look's rival check, with a scripted OCR reader: what tesseract reads when restricted to the
 * characters of a look-alike match and its rivals decides between them, or withholds the match.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import { createCardMatcher } from '../../src/pipeline/match/match.js';
import type { OcrReader, OcrRequest } from '../../src/pipeline/ocr/ocr-pool.js';
import type { DecklistReading } from '../../src/pipeline/read/read.js';
import { rereadUnclearTiles } from '../../src/pipeline/second-look/second-look.js';
import { flatRaster } from '../helpers/images.js';

const matcher = createCardMatcher(await loadCardDatabase(DEFAULT_CARDS_PATH));
const img = flatRaster(200, 100);

/** A main deck of one tile first read as `name`. */
const reading = (name: string): DecklistReading => ({
  header: { lines: [], placement: null },
  sections: [
    {
      label: '主牌组',
      tiles: [
        {
          box: { x: 0, y: 0, width: 200, height: 100 },
          lines: [{ x: 10, y: 10, width: 100, height: 40 }],
          quantity: null,
          text: { name, subtitle: null, badge: null },
        },
      ],
    },
  ],
  cutOffRows: 0,
});

/** Reads `free` without a whitelist; with one, the next of `restricted` (cycling). Records the whitelists asked for. */
function scriptedOcr(free: string, restricted: string[]): OcrReader & { whitelists: string[] } {
  let i = 0;
  const whitelists: string[] = [];
  return {
    whitelists,
    async recognize(request: OcrRequest) {
      if (!request.whitelist) return { text: free, confidence: 0.8 };
      whitelists.push(request.whitelist);
      return { text: restricted[i++ % restricted.length]!, confidence: 0.6 };
    },
  };
}

const tileAfter = async (ocr: OcrReader, first: string) => (await rereadUnclearTiles(ocr, img, reading(first), matcher)).sections[0]!.tiles[0]!;

describe('the rival check of a look-alike match', () => {
  it('takes the rival the restricted reading gives exactly', async () => {
    const ocr = scriptedOcr('星荬', ['星', '星獒', '星獒', '星']);
    const tile = await tileAfter(ocr, '星荬');
    expect(new Set(ocr.whitelists.map((w) => [...w].sort().join('')))).toEqual(new Set([[...'星落獒'].sort().join('')]));
    expect(tile.withheld).toBeUndefined();
    expect(matcher.matchCard('mainDeck', tile.text).card?.nameCn).toBe('星獒');
  });

  it('keeps the look-alike match when the restricted reading gives none of the names (a character the model lacks)', async () => {
    const tile = await tileAfter(scriptedOcr('血战', ['血']), '血战');
    expect(tile.withheld).toBeUndefined();
    expect(matcher.matchCard('mainDeck', tile.text).card?.nameCn).toBe('血戮');
  });

  it('keeps the match the restricted reading confirms', async () => {
    const tile = await tileAfter(scriptedOcr('血战', ['血戮', '血']), '血战');
    expect(tile.withheld).toBeUndefined();
    expect(matcher.matchCard('mainDeck', tile.text).card?.nameCn).toBe('血戮');
  });

  it('withholds the match when the restricted readings split between the names', async () => {
    const tile = await tileAfter(scriptedOcr('星荬', ['星落', '星獒']), '星荬');
    expect(tile.withheld).toBe(true);
  });

  it('does not look again at a tile read exactly, or at a look-alike match without rivals', async () => {
    for (const name of ['星落', '块兽']) {
      const ocr = scriptedOcr(name, ['x']);
      await tileAfter(ocr, name);
      expect(ocr.whitelists, name).toEqual([]);
    }
  });
});

describe('the lone-leader check of an unmatched tile', () => {
  it('takes the far-ahead candidate when three of four readings restricted to its characters and the ones read give it exactly', async () => {
    const first = matcher.matchCard('mainDeck', { name: '臭诈', subtitle: null, badge: null });
    expect(first.card).toBeNull(); // half of its hanzi, 臭 no look-alike of 敲: no match on its own
    const ocr = scriptedOcr('臭诈', ['敲诈', '敲诈', '臭诈', '敲诈']);
    const tile = await tileAfter(ocr, '臭诈');
    // The glyph read stays allowed, so a card the database lacks could keep its own reading.
    expect(new Set(ocr.whitelists.map((w) => [...w].sort().join('')))).toEqual(new Set([[...'敲诈臭'].sort().join('')]));
    expect(matcher.matchCard('mainDeck', tile.text).card?.nameEn).toBe('Stupefy');
  });

  it('leaves the tile unmatched when fewer than three restricted readings give the leader', async () => {
    const tile = await tileAfter(scriptedOcr('臭诈', ['敲诈', '臭诈', '臭诈', '敲诈']), '臭诈');
    expect(matcher.matchCard('mainDeck', tile.text).card).toBeNull();
    expect(tile.text.name).toBe('臭诈');
  });

  it('does not look again when no candidate stands far ahead', async () => {
    const ocr = scriptedOcr('风火雷电', ['x']);
    const tile = await tileAfter(ocr, '风火雷电');
    expect(ocr.whitelists).toEqual([]);
    expect(matcher.matchCard('mainDeck', tile.text).card).toBeNull();
  });
});
