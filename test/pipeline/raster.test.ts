import { describe, expect, it } from 'vitest';
import { greyCrop } from '../../src/pipeline/image/raster.js';
import type { Box } from '../../src/pipeline/types.js';
import { flatRaster } from '../helpers/images.js';

const GROUND = 60;
const TEXT = 210;

/** A dark ground with a line box whose columns are light "strokes" in the given share of the box. */
function lineOnGround(textShare: number): { img: ReturnType<typeof flatRaster>; box: Box } {
  const img = flatRaster(300, 120);
  img.data.fill(GROUND);
  const box: Box = { x: 100, y: 48, width: 100, height: 24 };
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      if ((x - box.x) % 10 < textShare * 10) img.data.fill(TEXT, (y * img.width + x) * 3, (y * img.width + x) * 3 + 3);
    }
  }
  return { img, box };
}

/** The crop's pixel at column x of its middle row (no pad). */
function pixelAt(pgm: Buffer, x: number): number {
  const [, w, h] = /^P5\n(\d+) (\d+)\n255\n/.exec(pgm.subarray(0, 32).toString('latin1'))!.map(Number);
  const header = pgm.length - w! * h!;
  return pgm[header + Math.floor(h! / 2) * w! + x]!;
}

describe('greyCrop', () => {
  it('writes light text on a dark ground as dark on white', () => {
    const { img, box } = lineOnGround(0.3);
    const crop = greyCrop(img, box);
    expect(pixelAt(crop, 0)).toBe(0); // a stroke
    expect(pixelAt(crop, 5)).toBe(255); // the ground between strokes
  });

  it('takes the ground from around a line that is mostly text, where the crop alone comes out inverted', () => {
    const { img, box } = lineOnGround(0.7);
    // Alone, the crop's median is the strokes' tone: they become the background.
    expect(pixelAt(greyCrop(img, box), 0)).toBe(255);
    const crop = greyCrop(img, box, { surroundings: true });
    expect(pixelAt(crop, 0)).toBe(0);
    expect(pixelAt(crop, 8)).toBe(255);
  });

  it('leaves a crop as it was when its surroundings agree', () => {
    const { img, box } = lineOnGround(0.3);
    expect(greyCrop(img, box, { pad: 12, surroundings: true }).equals(greyCrop(img, box, { pad: 12 }))).toBe(true);
  });
});
