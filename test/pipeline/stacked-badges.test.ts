/**
 * Quantity badges read stacked, one OCR call per image: the same digits as reading each badge on its own,
 * on every badge of the real screenshots and of a recompressed copy (real tesseract.js workers).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../scripts/fixtures.js';
import { pipelineConfigFromEnv } from '../../src/pipeline/config.js';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { greyCrop, stackCrops } from '../../src/pipeline/image/raster.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import { OcrPool } from '../../src/pipeline/ocr/ocr-pool.js';

const pgm = (width: number, height: number, fill: number) => Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`), Buffer.alloc(width * height, fill)]);

describe('stackCrops', () => {
  it('puts crops one under another, gap rows apart, on white', () => {
    const { image, spans } = stackCrops([pgm(3, 2, 0), pgm(5, 1, 100)], 4);
    expect(spans).toEqual([
      { top: 4, bottom: 6 },
      { top: 10, bottom: 11 },
    ]);
    const header = 'P5\n5 15\n255\n';
    expect(image.subarray(0, header.length).toString()).toBe(header);
    const pixels = image.subarray(header.length);
    const row = (y: number) => [...pixels.subarray(y * 5, y * 5 + 5)];
    expect(row(3)).toEqual([255, 255, 255, 255, 255]);
    expect(row(4)).toEqual([0, 0, 0, 255, 255]);
    expect(row(10)).toEqual([100, 100, 100, 100, 100]);
    expect(row(14)).toEqual([255, 255, 255, 255, 255]);
  });

  it('refuses what is not one of its PGM crops', () => {
    expect(() => stackCrops([Buffer.from('P6\n1 1\n255\n...')], 2)).toThrow(/not a PGM/);
    expect(() => stackCrops([pgm(4, 4, 0).subarray(0, 20)], 2)).toThrow(/truncated/);
  });
});

describe('badges read stacked', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await OcrPool.create({ workers: 1, cachePath: pipelineConfigFromEnv().tessdataCache });
  });
  afterAll(() => pool.close());

  it('give the digits each badge gives read on its own', async () => {
    let badges = 0;
    for (const fixture of loadFixtures()) {
      const bytes = readFileSync(fixture.imagePath);
      for (const input of [bytes, await sharp(bytes).resize({ width: 720 }).jpeg({ quality: 50 }).toBuffer()]) {
        const img = await decodeImage(input, { maxPixels: 40_000_000 });
        const crops = findLayout(img)
          .sections.flatMap((s) => s.tiles.flatMap((t) => (t.quantity ? [t.quantity] : [])))
          .map((box) => greyCrop(img, box, { pad: 12 }));
        const { image, spans } = stackCrops(crops, 20);
        const stacked = await pool.recognize({ image, model: 'eng', mode: 'block', whitelist: '0123456789' });
        for (const [i, crop] of crops.entries()) {
          const alone = await pool.recognize({ image: crop, model: 'eng', mode: 'line', whitelist: '0123456789' });
          const inside = (stacked.lines ?? []).filter((l) => (l.top + l.bottom) / 2 >= spans[i]!.top && (l.top + l.bottom) / 2 < spans[i]!.bottom);
          expect(inside).toHaveLength(1);
          expect(inside[0]!.text.replace(/\D/g, '')).toBe(alone.text.replace(/\D/g, ''));
          badges++;
        }
      }
    }
    expect(badges).toBeGreaterThan(100);
  }, 120_000);
});
