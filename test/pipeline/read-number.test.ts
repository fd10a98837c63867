/**
 * How a number's readings at several sizes are settled ({@link readNumber}). The OCR here is a stand-in that
 * answers by crop size: the test is about the vote, not about tesseract (the real readings of real badges are
 * in `stacked-badges.test.ts` and the pipeline tests).
 */
import { describe, expect, it } from 'vitest';
import type { OcrReader, OcrRequest } from '../../src/pipeline/ocr/ocr-pool.js';
import { readNumber } from '../../src/pipeline/read/read.js';
import { flatRaster } from '../helpers/images.js';

const img = flatRaster(100, 100);
const box = { x: 10, y: 10, width: 40, height: 30 };

/** Answers each crop by its scale (told from the PGM's width: box width × scale + 2 × 12 of margin). */
function readerAnswering(byScale: Record<number, [string, number]>): OcrReader & { scales: number[] } {
  const scales: number[] = [];
  return {
    scales,
    async recognize(request: OcrRequest) {
      const width = Number(/^P5\s+(\d+)/.exec(request.image.subarray(0, 20).toString('latin1'))![1]);
      const scale = Number(((width - 24) / box.width).toFixed(2));
      scales.push(scale);
      const [text, confidence] = byScale[scale] ?? ['', 0];
      return { text: `${text}\n`, confidence };
    },
  };
}

describe('readNumber', () => {
  it('takes a sure reading at its own size', async () => {
    const ocr = readerAnswering({ 1: ['3', 0.95] });
    expect(await readNumber(ocr, img, box, 'badge')).toBe('3');
    expect(ocr.scales).toEqual([1]);
  });

  it('lets a plausible badge reading win over a surer impossible one (above 12)', async () => {
    const ocr = readerAnswering({ 1: ['74', 0.95], 1.5: ['7', 0.6], 2: ['74', 0.7], 0.75: ['1', 0.5] });
    expect(await readNumber(ocr, img, box, 'badge')).toBe('7');
    expect(ocr.scales.sort()).toEqual([0.75, 1, 1.5, 2]);
  });

  it('keeps an impossible badge reading when no reading is plausible (it is then reported, not guessed)', async () => {
    const ocr = readerAnswering({ 1: ['74', 0.95], 1.5: ['74', 0.6], 2: ['0', 0.7] });
    expect(await readNumber(ocr, img, box, 'badge')).toBe('74');
  });

  it('does not apply the badge limit to other numbers (a placement of 74 is a placement)', async () => {
    const ocr = readerAnswering({ 1: ['74', 0.95] });
    expect(await readNumber(ocr, img, box, 'placement')).toBe('74');
  });
});
