/**
 * The reader's hand-over of each tile (the pipeline's second look) with a scripted OCR reader that answers
 * one crop at a time, as one busy worker would: a tile is handed over as soon as it and its section label
 * are read, not after the whole image.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import type { OcrReader, OcrRequest, OcrResult } from '../../src/pipeline/ocr/ocr-pool.js';
import { FIRST_READING_HEIGHT, readDecklist, type TileReading } from '../../src/pipeline/read/read.js';
import { loadFixtures } from '../../scripts/fixtures.js';

const img = await decodeImage(readFileSync(loadFixtures()[1]!.imagePath), { maxPixels: 40_000_000 });
const layout = findLayout(img);
const tiles = layout.sections.reduce((n, s) => n + s.tiles.length, 0);

/** Answers crops in the order asked, one per tick; a label reads 标签, anything else 名. */
function oneAtATime(): OcrReader & { answered: OcrRequest[] } {
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
              resolve({ text: request.purpose === 'label' ? '标签' : request.model === 'eng' ? '2' : '名', confidence: 0.95 });
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
    const ocr = oneAtATime();
    const handedOver: { label: string | null; namesReadBefore: number }[] = [];
    const reading = await readDecklist(ocr, img, layout, {
      review: async (label, tile): Promise<TileReading> => {
        handedOver.push({ label, namesReadBefore: ocr.answered.filter((r) => r.purpose === 'name').length });
        return { ...tile, text: { ...tile.text, name: `${tile.text.name}!` } };
      },
    });
    expect(handedOver).toHaveLength(tiles);
    expect(handedOver.every((h) => h.label === '标签')).toBe(true);
    expect(reading.sections.flatMap((s) => s.tiles.map((t) => t.text.name))).toEqual(Array(tiles).fill('名!'));
    // The first tiles are handed over while most names are still to be read.
    const names = ocr.answered.filter((r) => r.purpose === 'name').length;
    expect(handedOver[0]!.namesReadBefore).toBeLessThan(names / 2);
  });

  it('reads tile lines and section labels first at no more than FIRST_READING_HEIGHT, never enlarged', async () => {
    const ocr = oneAtATime();
    await readDecklist(ocr, img, layout);
    const lines = ocr.answered.filter((r) => r.purpose === 'name' || r.purpose === 'title' || r.purpose === 'label');
    const pad = 12;
    const heights = lines.map(
      (r) =>
        Number(
          Buffer.from(r.image as Uint8Array)
            .subarray(0, 32)
            .toString('latin1')
            .split('\n')[1]!
            .split(' ')[1],
        ) -
        2 * pad,
    );
    // The layout's boxes are taller: the limit is what makes them smaller.
    const boxes = layout.sections.flatMap((s) => [...(s.label ? [s.label] : []), ...s.tiles.flatMap((t) => t.lines)]);
    expect(Math.max(...boxes.map((b) => b.height))).toBeGreaterThan(FIRST_READING_HEIGHT + 1);
    expect(heights).toHaveLength(boxes.length);
    expect(Math.max(...heights)).toBeLessThanOrEqual(FIRST_READING_HEIGHT + 1);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(Math.min(FIRST_READING_HEIGHT, ...boxes.map((b) => b.height)) - 1);
  });
});
