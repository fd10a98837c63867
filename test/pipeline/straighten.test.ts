/**
 * The tilt estimate and straightening, without OCR: synthetic tile pages and the labelled screenshots,
 * rotated by known angles.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import { estimateTilt, estimateVerticalSlope, straighten } from '../../src/pipeline/decode/straighten.js';
import { loadFixtures } from '../../scripts/fixtures.js';
import { blankTiles, keystoned, rotated, sheared } from '../helpers/images.js';

const MAX_PIXELS = 50_000_000;
const decode = (bytes: Buffer) => decodeImage(bytes, { maxPixels: MAX_PIXELS });
const fixtures = loadFixtures();

describe('estimateTilt', () => {
  it('finds the rotation of a synthetic tile page within 0.3° from −10° to 10°', async () => {
    const page = await blankTiles();
    for (const deg of [-9.5, -7, -4.2, -2.5, -1.3, -0.6, 0.4, 1, 2.7, 3.9, 6.1, 9.8]) {
      const tilt = estimateTilt(await decode(await rotated(page, deg, { fill: deg > 0 ? '#ffffff' : '#000000' })));
      expect(tilt, `${deg}°`).not.toBeNull();
      expect(Math.abs(tilt!.angle - deg), `${deg}° estimated ${tilt!.angle}°`).toBeLessThanOrEqual(0.3);
    }
  });

  it('finds the rotation of every labelled screenshot within 0.15°, and 0 when it is straight', async () => {
    for (const [i, f] of fixtures.entries()) {
      const bytes = readFileSync(f.imagePath);
      expect(estimateTilt(await decode(bytes))?.angle, f.name).toBe(0);
      for (const deg of [(i % 2 ? -1 : 1) * (1.5 + i), (i % 2 ? 1 : -1) * (7 - i)]) {
        const tilt = estimateTilt(await decode(await rotated(bytes, deg, { fill: i % 2 ? '#ffffff' : '#000000' })));
        expect(Math.abs(tilt!.angle - deg), `${f.name} at ${deg}°: ${tilt!.angle}°`).toBeLessThanOrEqual(0.15);
      }
    }
  });

  it('gives no angle for an image without a list view', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1600"><rect width="1080" height="1600" fill="#87a96b"/></svg>`;
    expect(estimateTilt(await decode(await sharp(Buffer.from(svg)).png().toBuffer()))).toBeNull();
  });
});

describe('estimateVerticalSlope', () => {
  it('finds the shear of a synthetic tile page and of a labelled screenshot within 0.002 (x per y)', async () => {
    const page = await blankTiles();
    const shot = readFileSync(fixtures[1]!.imagePath);
    expect(estimateVerticalSlope(await decode(shot))).toBeCloseTo(0, 3);
    for (const s of [-0.06, -0.025, 0.015, 0.04]) {
      for (const bytes of [page, shot]) {
        const slope = estimateVerticalSlope(await decode(await sheared(bytes, s)));
        expect(Math.abs(slope! - s), `shear ${s}: ${slope}`).toBeLessThanOrEqual(0.002);
      }
    }
    // A rotation by θ leans the vertical edges by −tan θ (searched around it).
    for (const deg of [4, -8]) {
      const tan = Math.tan((deg * Math.PI) / 180);
      const slope = estimateVerticalSlope(await decode(await rotated(shot, deg)), undefined, -tan);
      expect(Math.abs(slope! + tan), `${deg}°`).toBeLessThanOrEqual(0.003);
    }
  });
});

describe('straighten', () => {
  it('leaves a straight screenshot alone (no resampling)', async () => {
    for (const f of fixtures) {
      const bytes = readFileSync(f.imagePath);
      expect(await straighten(bytes, await decode(bytes), MAX_PIXELS), f.name).toBeNull();
    }
  });

  it('reads a tilted image as it is when rotating it back would pass twice the pixel bound', async () => {
    const tilted = await rotated(readFileSync(fixtures[0]!.imagePath), 5);
    const img = await decode(tilted);
    const { width, height } = img.original;
    expect(await straighten(tilted, img, MAX_PIXELS)).not.toBeNull();
    // Rotated back, the canvas is larger than the tilted image itself: bound it below that.
    expect(await straighten(tilted, img, Math.floor((width * height) / 2))).toBeNull();
  });

  it('undoes a shear, with a rotation or without, and leaves the tiles upright', async () => {
    const bytes = readFileSync(fixtures[2]!.imagePath);
    for (const [deg, s] of [
      [0, 0.04],
      [-2, -0.02],
    ] as const) {
      const tilted = await sheared(deg ? await rotated(bytes, deg) : bytes, s);
      const result = await straighten(tilted, await decode(tilted), MAX_PIXELS);
      expect(result, `${deg}° shear ${s}`).not.toBeNull();
      expect(Math.abs(result!.shear - s)).toBeLessThanOrEqual(0.003);
      expect(Math.abs(estimateVerticalSlope(result!.image)!)).toBeLessThanOrEqual(0.0015);
      expect(Math.abs(estimateTilt(result!.image)!.angle)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(result!.image.scale * result!.image.width - 1080)).toBeLessThanOrEqual(12);
    }
  });

  it('undoes a keystone (a page narrower at one end), with a rotation or without: tiles upright and as wide as the straight ones', async () => {
    const f = fixtures[1]!;
    const bytes = readFileSync(f.imagePath);
    const straightLayout = findLayout(await decode(bytes));
    const boxes = (l: ReturnType<typeof findLayout>) => l.sections.flatMap((s) => s.tiles.map((t) => t.box));
    for (const [k, deg] of [
      [0.05, 0],
      [-0.08, 0],
      [0.06, -3],
    ] as const) {
      const tapered = await keystoned(deg ? await rotated(bytes, deg) : bytes, k);
      const img = await decode(tapered);
      const result = await straighten(tapered, img, MAX_PIXELS);
      expect(result, `keystone ${k} at ${deg}°`).not.toBeNull();
      // keystoned() scales row y by 1 − k·(1 − y/(h − 1)): relative to the middle row, k/(h·(1 − k/2)) per row.
      const expected = k / ((img.height - 1) * (1 - k / 2));
      expect(Math.abs(result!.keystone - expected), `keystone ${k}: ${result!.keystone} for ${expected}`).toBeLessThanOrEqual(0.2 * Math.abs(expected));
      const layout = findLayout(result!.image);
      const tiles = boxes(layout);
      expect(tiles.length).toBe(boxes(straightLayout).length);
      // The top tile as wide as the bottom one, as on the straight screenshot; left tapered they differ by
      // about k times their width (22–35 px here).
      const [top, bottom] = [tiles[0]!, tiles.at(-1)!];
      const [straightTop, straightBottom] = [boxes(straightLayout)[0]!, boxes(straightLayout).at(-1)!];
      expect(Math.abs(top.width / bottom.width - straightTop.width / straightBottom.width), `keystone ${k}`).toBeLessThanOrEqual(0.01);
    }
  });

  it('rotates a tilted screenshot upright, keeps the page at the canonical width, finds every tile', async () => {
    const f = fixtures[0]!;
    const bytes = readFileSync(f.imagePath);
    const straightLayout = findLayout(await decode(bytes));
    const count = (l: ReturnType<typeof findLayout>) => l.sections.reduce((n, s) => n + s.tiles.length, 0);
    for (const deg of [-4, 8]) {
      const tilted = await rotated(bytes, deg, { fill: deg > 0 ? '#ffffff' : '#000000' });
      const result = await straighten(tilted, await decode(tilted), MAX_PIXELS);
      expect(result, `${deg}°`).not.toBeNull();
      expect(result!.angle).toBeCloseTo(deg, 0);
      // A pure rotation: no shear or keystone is undone (a spurious one would resample the page once more).
      expect(result!.shear).toBe(0);
      expect(result!.keystone).toBe(0);
      const img = result!.image;
      expect(img.width).toBe(1080);
      // The page's columns were kept: its own width, not the grown canvas (within a few px).
      expect(Math.abs(img.scale * img.width - 1080)).toBeLessThanOrEqual(12);
      expect(Math.abs(estimateTilt(img)!.angle)).toBeLessThanOrEqual(0.1);
      const layout = findLayout(img);
      expect(count(layout)).toBe(count(straightLayout));
      // Tile boxes line up with the straight screenshot's (in the straightened image's page frame).
      const a = layout.sections[0]!.tiles[0]!.box;
      const b = straightLayout.sections[0]!.tiles[0]!.box;
      expect(Math.abs(a.x - b.x)).toBeLessThanOrEqual(6);
      expect(Math.abs(a.width - b.width)).toBeLessThanOrEqual(6);
    }
  });
});
