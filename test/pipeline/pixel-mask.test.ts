/**
 * The pixel mask answers exactly what the palette's tests answer, pixel for pixel, on a real screenshot
 * and on a recompressed copy (where colours change from pixel to pixel).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { columnProfile, rowProfile } from '../../src/pipeline/image/raster.js';
import { estimatePalette } from '../../src/pipeline/layout/palette.js';
import { classifyPixels, FAINT, maskColumnProfile, maskRowProfile, TEXT, TILE } from '../../src/pipeline/layout/pixel-mask.js';
import { loadFixtures } from '../../scripts/fixtures.js';

const bytes = readFileSync(loadFixtures()[0]!.imagePath);

describe('classifyPixels', () => {
  for (const [name, input] of [
    ['the screenshot', async () => bytes],
    ['a 720 px JPEG 50 copy', async () => sharp(bytes).resize({ width: 720 }).jpeg({ quality: 50 }).toBuffer()],
  ] as const) {
    it(`gives the palette's answers for every pixel of ${name}`, async () => {
      const img = await decodeImage(await input(), { maxPixels: 40_000_000 });
      const pal = estimatePalette(img)!;
      const mask = classifyPixels(img, pal);
      let tiles = 0;
      let texts = 0;
      for (let p = 0, i = 0; p < mask.bits.length; p++, i += 3) {
        const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
        const expected = (pal.isTile(r, g, b) ? TILE : 0) | (pal.isText(r, g, b) ? TEXT : 0) | (pal.isFaintText(r, g, b) ? FAINT : 0);
        if (mask.bits[p] !== expected) throw new Error(`pixel ${p}: ${mask.bits[p]} instead of ${expected}`);
        if (expected & TILE) tiles++;
        if (expected & TEXT) texts++;
      }
      // A decklist: a good share of tile colour, some text.
      expect(tiles).toBeGreaterThan(0.2 * mask.bits.length);
      expect(texts).toBeGreaterThan(0.005 * mask.bits.length);

      const [x0, x1, y0, y1] = [100, 700, 1200, 1900];
      expect(maskRowProfile(mask, TILE, x0, x1, y0, y1)).toEqual(rowProfile(img, pal.isTile, x0, x1, y0, y1));
      expect(maskRowProfile(mask, TEXT, x0, x1, y0, y1)).toEqual(rowProfile(img, pal.isText, x0, x1, y0, y1));
      expect(maskColumnProfile(mask, TILE, x0, x1, y0, y1)).toEqual(columnProfile(img, pal.isTile, x0, x1, y0, y1));
      expect(maskColumnProfile(mask, TEXT, x0, x1, y0, y1)).toEqual(columnProfile(img, pal.isText, x0, x1, y0, y1));
      expect(maskRowProfile(mask, FAINT, x0, x1, y0, y1)).toEqual(rowProfile(img, pal.isFaintText, x0, x1, y0, y1));
    });
  }
});
