/**
 * The even-light stage on the labelled screenshots and on copies lit unevenly: an evenly lit page is left
 * alone (screenshots, and copies darker, brighter, washed out or smaller), an unevenly lit one comes out
 * with the same background colour wherever it is on the page.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, type DecodedImage } from '../../src/pipeline/decode/decode.js';
import { evenLight, measureLight } from '../../src/pipeline/decode/even-light.js';
import { loadFixtures } from '../../scripts/fixtures.js';
import { photoLike, type PhotoOptions } from '../helpers/images.js';

const fixtures = loadFixtures();
const decode = (bytes: Buffer) => decodeImage(bytes, { maxPixels: 50_000_000 });

/** Mean colour of a 30×30 patch of the page's margin (background only: tiles start at x ≈ 94). */
function patch(img: DecodedImage, x: number, y: number): number[] {
  const sum = [0, 0, 0];
  for (let dy = 0; dy < 30; dy++) {
    for (let dx = 0; dx < 30; dx++) {
      const i = ((y + dy) * img.width + x + dx) * 3;
      for (let c = 0; c < 3; c++) sum[c]! += img.data[i + c]!;
    }
  }
  return sum.map((v) => v / 900);
}

/** The largest difference in any channel between margin patches down both sides of the page's list, at `rows` (fractions of its height). */
function backgroundSpread(img: DecodedImage, rows = [0.3, 0.5, 0.7, 0.9]): number {
  const patches = rows.flatMap((f) => [patch(img, 20, Math.round(f * img.height)), patch(img, img.width - 50, Math.round(f * img.height))]);
  let worst = 0;
  for (const a of patches) for (const b of patches) worst = Math.max(worst, ...a.map((v, c) => Math.abs(v - b[c]!)));
  return worst;
}

/**
 * A copy lit by light that changes along the page as no quadratic does: `gains` at evenly spaced rows from
 * top to bottom, joined linearly (a lamp's fall-off over a page several screens tall).
 */
async function litAlongPage(bytes: Buffer, gains: number[]): Promise<Buffer> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = Buffer.alloc(data.length);
  for (let y = 0; y < info.height; y++) {
    const t = (y / (info.height - 1)) * (gains.length - 1);
    const k = Math.min(gains.length - 2, Math.floor(t));
    const gain = gains[k]! + (t - k) * (gains[k + 1]! - gains[k]!);
    for (let i = y * info.width * 3; i < (y + 1) * info.width * 3; i++) out[i] = Math.min(255, Math.round(data[i]! * gain));
  }
  return sharp(out, { raw: { width: info.width, height: info.height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

describe('even light', () => {
  it('leaves evenly lit pages alone: the screenshots and copies darker, brighter, washed out, smaller', async () => {
    const even: PhotoOptions[] = [{ brightness: 0.75 }, { brightness: 1.25 }, { saturation: 0.6 }, { width: 800, blur: 1, quality: 50 }];
    for (const [i, f] of fixtures.entries()) {
      const bytes = readFileSync(f.imagePath);
      const straight = await decode(bytes);
      expect(measureLight(straight)!.spread, f.name).toBeLessThan(1.02);
      expect(evenLight(straight), f.name).toBeNull();
      expect(evenLight(await decode(await photoLike(bytes, even[i % even.length]!))), `${f.name} ${JSON.stringify(even[i % even.length])}`).toBeNull();
    }
  });

  it('measures light falling off across the page and evens it out', async () => {
    const lamps: [PhotoOptions, number][] = [
      [{ vignette: 0.7 }, 1 / 0.7],
      [{ vignette: 0.6, lamp: 'spot' }, 1 / 0.6],
      // Darkened by a tone curve that also crushes the tiles' red: the two colours nearly proportional.
      [{ vignette: 0.7, brightness: 0.8 }, 1 / 0.7],
    ];
    for (const [i, f] of fixtures.entries()) {
      const [options, ratio] = lamps[i % lamps.length]!;
      const uneven = await decode(await photoLike(readFileSync(f.imagePath), { ...options, quality: 70 }));
      const field = measureLight(uneven)!;
      // The ramp's full ratio lies between the image's corners; the fitted surface finds it to within 10 %.
      expect(field.spread / ratio, f.name).toBeGreaterThan(0.9);
      expect(field.spread / ratio, f.name).toBeLessThan(1.1);
      const evened = evenLight(uneven)!;
      expect(evened).not.toBeNull();
      expect([evened.width, evened.height, evened.scale]).toEqual([uneven.width, uneven.height, uneven.scale]);
      expect(backgroundSpread(uneven), f.name).toBeGreaterThan(10);
      expect(backgroundSpread(evened), f.name).toBeLessThan(5);
    }
  });

  it('evens out light that rises and falls along a tall page, which no quadratic surface follows', async () => {
    // Every twentieth of the page from a quarter down (the list; the header above has other colours), in
    // the left margin: the light there as the copy's brightness over the screenshot's own.
    const rows = Array.from({ length: 15 }, (_, k) => 0.25 + 0.05 * k);
    const lightSpread = (img: DecodedImage, straight: DecodedImage) => {
      const ratios = rows.map((r) => {
        const y = Math.round(r * img.height);
        const sum = (p: number[]) => p[0]! + p[1]! + p[2]!;
        return sum(patch(img, 20, y)) / sum(patch(straight, 20, y));
      });
      return Math.max(...ratios) / Math.min(...ratios);
    };
    for (const f of fixtures) {
      const bytes = readFileSync(f.imagePath);
      const straight = await decode(bytes);
      const uneven = await decode(await litAlongPage(bytes, [1, 0.75, 1, 0.75, 1, 0.75]));
      expect(lightSpread(uneven, straight), f.name).toBeGreaterThan(1.25);
      const evened = evenLight(uneven)!;
      expect(evened, f.name).not.toBeNull();
      expect(lightSpread(evened, straight), f.name).toBeLessThan(1.16);
    }
  });
});
