/**
 * The reader with a scripted OCR reader that answers one crop at a time, as one busy worker would: a tile
 * is handed over (to the pipeline's second look) as soon as it and its section label are read, not after
 * the whole image; lines are first read brought down to FIRST_READING_HEIGHT, and a label that names no
 * section is read again at its own size.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import type { OcrReader, OcrRequest, OcrResult } from '../../src/pipeline/ocr/ocr-pool.js';
import { FIRST_READING_HEIGHT, firstReadingScale, readDecklist, type TileReading } from '../../src/pipeline/read/read.js';
import { parsePgm } from '../../src/pipeline/image/raster.js';
import { loadFixtures } from '../../scripts/fixtures.js';

const img = await decodeImage(readFileSync(loadFixtures()[1]!.imagePath), { maxPixels: 40_000_000 });
const layout = findLayout(img);
const tiles = layout.sections.reduce((n, s) => n + s.tiles.length, 0);

/**
 * Answers crops in the order asked, one per tick: what `script` gives, else a label reads 标签 (no section),
 * a digit crop 2 and anything else 名.
 */
function oneAtATime(script: (request: OcrRequest) => string | undefined = () => undefined): OcrReader & { answered: OcrRequest[] } {
  const answered: OcrRequest[] = [];
  let last = Promise.resolve();
  return {
    answered,
    recognize(request) {
      const answer = last.then(
        () =>
          new Promise<OcrResult>((resolve) =>
            setImmediate(() => {
              answered.push(request);
              resolve({ text: script(request) ?? (request.purpose === 'label' ? '标签' : request.model === 'eng' ? '2' : '名'), confidence: 0.95 });
            }),
          ),
      );
      last = answer.then(() => undefined);
      return answer;
    },
  };
}

describe('readDecklist', () => {
  it('hands each tile over as soon as it and its label are read, and keeps what the hand-over returns', async () => {
    // Labels that name a section: none is read again.
    const ocr = oneAtATime((request) => (request.purpose === 'label' ? '主牌组' : undefined));
    const handedOver: { label: string | null; namesReadBefore: number }[] = [];
    const reading = await readDecklist(ocr, img, layout, {
      review: async (label, tile): Promise<TileReading> => {
        handedOver.push({ label, namesReadBefore: ocr.answered.filter((r) => r.purpose === 'name').length });
        return { ...tile, text: { ...tile.text, name: `${tile.text.name}!` } };
      },
    });
    expect(handedOver).toHaveLength(tiles);
    expect(handedOver.every((h) => h.label === '主牌组')).toBe(true);
    expect(reading.sections.flatMap((s) => s.tiles.map((t) => t.text.name))).toEqual(Array(tiles).fill('名!'));
    // The first tiles are handed over while most names are still to be read.
    const names = ocr.answered.filter((r) => r.purpose === 'name').length;
    expect(handedOver[0]!.namesReadBefore).toBeLessThan(names / 2);
  });

  it('reads tile lines and section labels first brought down to FIRST_READING_HEIGHT, a shorter line at its own size', async () => {
    const ocr = oneAtATime();
    await readDecklist(ocr, img, layout);
    const pad = 12;
    const heights = ocr.answered
      .filter((r) => (r.purpose === 'name' || r.purpose === 'title' || r.purpose === 'label') && !r.followUp)
      .map((r) => parsePgm(Buffer.from(r.image as Uint8Array)).height - 2 * pad)
      .sort((a, b) => a - b);
    const boxes = layout.sections.flatMap((s) => [...(s.label ? [s.label] : []), ...s.tiles.flatMap((t) => t.lines)]);
    // The layout's boxes are taller: the limit is what makes them smaller.
    expect(Math.max(...boxes.map((b) => b.height))).toBeGreaterThan(FIRST_READING_HEIGHT + 1);
    const expected = boxes.map((b) => Math.min(b.height, FIRST_READING_HEIGHT)).sort((a, b) => a - b);
    expect(heights).toHaveLength(expected.length);
    heights.forEach((h, i) => expect(Math.abs(h - expected[i]!)).toBeLessThanOrEqual(1));
  });

  it('reads a label again at its own size when its smaller reading names no section, and keeps what names one', async () => {
    const ocr = oneAtATime((request) => (request.purpose === 'label' && request.followUp ? '主牌组' : undefined));
    const reading = await readDecklist(ocr, img, layout);
    const labelled = layout.sections.filter((s) => s.label);
    expect(labelled.length).toBeGreaterThan(0);
    const again = ocr.answered.filter((r) => r.purpose === 'label' && r.followUp);
    expect(again).toHaveLength(labelled.length);
    for (const r of again) expect(parsePgm(Buffer.from(r.image as Uint8Array)).height).toBeGreaterThan(FIRST_READING_HEIGHT + 24 + 1);
    expect(reading.sections.filter((s) => s.label !== null).map((s) => s.label)).toEqual(labelled.map(() => '主牌组'));
  });

  it('gives the scale a line is first read at: down to FIRST_READING_HEIGHT, never up', () => {
    const box = (height: number) => ({ x: 0, y: 0, width: 100, height });
    expect(firstReadingScale(box(FIRST_READING_HEIGHT * 2))).toBeCloseTo(0.5);
    expect(firstReadingScale(box(FIRST_READING_HEIGHT))).toBe(1);
    expect(firstReadingScale(box(20))).toBe(1);
    expect(firstReadingScale(box(0))).toBe(1);
  });
});
