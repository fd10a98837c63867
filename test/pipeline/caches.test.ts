/**
 * The crop cache and the screenshot cache, with real tesseract.js workers and real screenshots: identical
 * crops and identical uploads are read once; different ones never share an entry; failures are not kept.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../scripts/fixtures.js';
import { BoundedCache } from '../../src/pipeline/bounded-cache.js';
import { pipelineConfigFromEnv } from '../../src/pipeline/config.js';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { greyCrop } from '../../src/pipeline/image/raster.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import { CropCache } from '../../src/pipeline/ocr/crop-cache.js';
import { OcrPool, type OcrRequest } from '../../src/pipeline/ocr/ocr-pool.js';
import { createPipeline, type DecklistPipeline } from '../../src/pipeline/pipeline.js';

const cachePath = pipelineConfigFromEnv().tessdataCache;
const fixtures = loadFixtures();
const bytes = readFileSync(fixtures[1]!.imagePath);
const img = await decodeImage(bytes, { maxPixels: 40_000_000 });
const tiles = findLayout(img).sections.flatMap((s) => s.tiles);
const nameRequest = (i: number): OcrRequest => ({ image: greyCrop(img, tiles[i]!.lines[0]!, { pad: 12 }), model: 'chi_sim', mode: 'line' });

describe('BoundedCache', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
    const off = new BoundedCache<string, number>(0);
    off.set('a', 1);
    expect(off.get('a')).toBeUndefined();
  });
});

describe('CropCache', () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await OcrPool.create({ workers: 1, cachePath, cropCacheEntries: 100 });
  });
  afterAll(() => pool.close());

  it('reads an identical crop once and gives the same reading again', async () => {
    const first = await pool.recognize(nameRequest(1));
    const hits = pool.cropCache.hits;
    const again = await pool.recognize(nameRequest(1)); // a new buffer with the same bytes
    expect(pool.cropCache.hits).toBe(hits + 1);
    expect(again).toMatchObject({ text: first.text, confidence: first.confidence, cached: true });
    expect(first.cached).toBeUndefined();
  });

  it('never gives one name the reading of another', async () => {
    const texts = new Map<string, string>();
    for (let i = 0; i < 8; i++) {
      const request = nameRequest(i);
      const text = (await pool.recognize(request)).text.replace(/\s/g, '');
      // Read without the cache: what this crop really says.
      const plain = (await OcrPool.prototype.recognize.call(withoutCache(pool), request)).text.replace(/\s/g, '');
      expect(text).toBe(plain);
      texts.set(CropCache.key(request), text);
    }
    // Eight tiles, eight names, eight keys.
    expect(new Set(texts.values()).size).toBe(8);
    expect(texts.size).toBe(8);
  });

  it('keys on every pixel and on how the crop is read', () => {
    const request = nameRequest(2);
    const changed = Buffer.from(request.image);
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 1;
    const key = CropCache.key(request);
    expect(CropCache.key({ ...request, image: changed })).not.toBe(key);
    expect(CropCache.key({ ...request, mode: 'raw-line' })).not.toBe(key);
    expect(CropCache.key({ ...request, model: 'eng' })).not.toBe(key);
    expect(CropCache.key({ ...request, whitelist: '0123456789' })).not.toBe(key);
    // A reading again takes tesseract's inverted pass: not the first reading's answer.
    expect(CropCache.key({ ...request, followUp: true })).not.toBe(key);
    expect(CropCache.key({ ...request, image: Buffer.from(request.image) })).toBe(key);
  });

  it('does not keep a reading that failed: the next caller reads the crop itself', async () => {
    const cache = new CropCache(10);
    const request = nameRequest(3);
    await expect(cache.recognize(request, () => Promise.reject(new Error('worker died')))).rejects.toThrow('worker died');
    const result = await cache.recognize(request, (r) => OcrPool.prototype.recognize.call(withoutCache(pool), r));
    expect(result.cached).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([0, 2]);
  });
});

/** The pool's recognize without its cache, for comparison. */
function withoutCache(pool: OcrPool): OcrPool {
  return Object.assign(Object.create(pool) as OcrPool, { cropCache: new CropCache(0) });
}

describe('the screenshot cache', () => {
  let pipeline: DecklistPipeline;
  beforeAll(async () => {
    pipeline = await createPipeline({ workers: 1, resultCacheEntries: 4 });
  });
  afterAll(() => pipeline.close());

  it('answers the same bytes with a copy of the first decklist, without reading again', async () => {
    const [first, second] = await Promise.all([pipeline.process(bytes), pipeline.process(Buffer.from(bytes))]);
    expect(pipeline.cacheStats.screenshotHits).toBe(1);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    // Each caller owns its copy.
    first.mainDeck.length = 0;
    const third = await pipeline.process(bytes);
    expect(third).toEqual(second);
    expect(pipeline.cacheStats.screenshotHits).toBe(2);
  }, 60_000);

  it('reads other bytes, and still cancels a caller waiting for the same bytes', async () => {
    const other = readFileSync(fixtures[2]!.imagePath);
    const controller = new AbortController();
    const reading = pipeline.process(other);
    const waiting = pipeline.process(other, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    const decklist = await reading;
    expect(decklist.mainDeck.length).toBeGreaterThan(10);
  }, 60_000);
});
