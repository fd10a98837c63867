/**
 * The supervised OCR pool with real tesseract.js workers; faults are injected by wrapping a real worker.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pipelineConfigFromEnv } from '../../src/pipeline/config.js';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import { OcrPool, startTesseractWorker, type OcrModel, type OcrWorker } from '../../src/pipeline/ocr/ocr-pool.js';
import { createPipeline } from '../../src/pipeline/pipeline.js';
import { greyCrop } from '../../src/pipeline/image/raster.js';
import { loadFixtures } from '../../scripts/fixtures.js';

const cachePath = pipelineConfigFromEnv().tessdataCache;
const fixture = loadFixtures()[1]!;
const img = await decodeImage(readFileSync(fixture.imagePath), { maxPixels: 40_000_000 });
const tile = findLayout(img).sections[1]!.tiles[1]!; // 竞技场新人 x3
const nameCrop = { image: greyCrop(img, tile.lines[0]!, { pad: 12 }), model: 'chi_sim' as const, mode: 'line' as const };
const digitCrop = { image: greyCrop(img, tile.quantity!, { pad: 12 }), model: 'eng' as const, mode: 'line' as const, whitelist: '0123456789' };

let pool: OcrPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/** Real workers; the first `faulty` Chinese workers started misbehave on their first job. */
function faultyStarter(faulty: number, fault: 'throw' | 'hang' | 'die') {
  let started = 0;
  return async (model: OcrModel): Promise<OcrWorker> => {
    const real = await startTesseractWorker(model, cachePath);
    const bad = model === 'chi_sim' && started++ < faulty;
    if (!bad) return real;
    return {
      async run(job) {
        if (fault === 'throw') throw new Error('injected: worker threw');
        if (fault === 'die') {
          const running = real.run(job);
          running.catch(() => undefined);
          await real.terminate(); // the worker thread is gone mid-job
          return running;
        }
        return new Promise(() => undefined); // hangs forever
      },
      terminate: () => real.terminate(),
    };
  };
}

describe('OcrPool', () => {
  it('reads crops with both models', async () => {
    pool = await OcrPool.create({ workers: 1, cachePath });
    expect((await pool.recognize(nameCrop)).text.replace(/\s/g, '')).toBe('竞技场新人');
    expect((await pool.recognize(digitCrop)).text.trim()).toBe('3');
  });

  it("keeps a worker's parameters between jobs, and a job's whitelist and mode do not outlive it", async () => {
    const worker = await startTesseractWorker('chi_sim', cachePath);
    try {
      const read = async (job: Parameters<OcrWorker['run']>[0]) => (await worker.run(job)).text.replace(/\s/g, '');
      expect(await read(nameCrop)).toBe('竞技场新人');
      const restricted = await read({ ...nameCrop, whitelist: '竞技' });
      expect(restricted.length).toBeGreaterThan(0);
      expect([...restricted].every((ch) => '竞技'.includes(ch))).toBe(true);
      expect(await read(nameCrop)).toBe('竞技场新人');
      const digits = await startTesseractWorker('eng', cachePath);
      try {
        const block = await digits.run({ ...digitCrop, mode: 'block' });
        expect(block.lines?.map((l) => l.text.trim())).toEqual(['3']);
        // Without a whitelist the English model reads the hanzi as letters; with the digits only, none.
        expect((await digits.run({ ...nameCrop, mode: 'line' })).text).toMatch(/[A-Za-z]/);
        expect((await digits.run(digitCrop)).text.trim()).toBe('3');
      } finally {
        await digits.terminate();
      }
    } finally {
      await worker.terminate();
    }
  });

  it('recycles a worker after its quota of jobs and keeps reading right', async () => {
    pool = await OcrPool.create({ workers: 1, cachePath, recycleAfterJobs: 2 });
    const texts = [];
    for (let i = 0; i < 5; i++) texts.push((await pool.recognize(nameCrop)).text.replace(/\s/g, ''));
    expect(texts).toEqual(Array(5).fill('竞技场新人'));
    expect(pool.stats.chi_sim.recycled).toBe(2);
  });

  for (const fault of ['throw', 'die', 'hang'] as const) {
    it(`retries a job once on a fresh worker when its worker ${fault === 'hang' ? 'hangs' : fault === 'die' ? 'dies' : 'throws'}`, async () => {
      pool = await OcrPool.create({ workers: 1, cachePath, jobTimeoutMs: 3_000, startWorker: faultyStarter(1, fault) });
      expect((await pool.recognize(nameCrop)).text.replace(/\s/g, '')).toBe('竞技场新人');
      expect(pool.stats.chi_sim).toMatchObject({ retried: 1, replacedAfterFault: 1, ready: 1 });
    });
  }

  it('fails a job whose second worker fails too, and goes on serving', async () => {
    pool = await OcrPool.create({ workers: 1, cachePath, startWorker: faultyStarter(2, 'throw') });
    await expect(pool.recognize(nameCrop)).rejects.toThrow(/OCR failed twice.*injected/);
    expect((await pool.recognize(nameCrop)).text.replace(/\s/g, '')).toBe('竞技场新人');
  });
});

describe('pipeline time limit and cancellation', () => {
  it('fails an image that takes too long with TIMEOUT, replaces its workers, and stays healthy', async () => {
    // Its first Chinese worker hangs: the image's limit, not the job's, ends it, and always while reading
    // (a short limit on a normal read would hit at a different stage on a loaded machine).
    const pipeline = await createPipeline({ workers: 1, imageTimeoutMs: 2_000, ocrJobTimeoutMs: 60_000 }, faultyStarter(1, 'hang'));
    try {
      await expect(pipeline.process(readFileSync(fixture.imagePath))).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect(pipeline.ocrStats.chi_sim.replacedAfterFault + pipeline.ocrStats.eng.replacedAfterFault).toBeGreaterThan(0);
      // Replacement workers come up and the pool answers again.
      await expect.poll(() => pipeline.ocrStats.chi_sim.ready, { timeout: 20_000 }).toBe(1);
      await expect(pipeline.process(Buffer.from('not an image'))).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
      expect(pipeline.inFlight).toBe(0);
    } finally {
      await pipeline.close();
    }
  });

  it('cancels an image on its signal', async () => {
    const pipeline = await createPipeline({ workers: 1 });
    try {
      const controller = new AbortController();
      const pending = pipeline.process(readFileSync(fixture.imagePath), {
        signal: controller.signal,
        onStage: (stage) => stage === 'READING' && setTimeout(() => controller.abort(), 50),
      });
      await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await pipeline.close();
    }
  });

  it("reads an earlier image's crops first, whatever order they were queued in", async () => {
    pool = await OcrPool.create({ workers: 1, cachePath });
    const done: string[] = [];
    const later = pool.reader(new AbortController().signal, 2);
    const earlier = pool.reader(new AbortController().signal, 1);
    const read = (reader: typeof later, tag: string) => reader.recognize(nameCrop).then((r) => done.push(`${tag}:${r.text.replace(/\s/g, '')}`));
    // The first job of the later image takes the only worker; everything queued behind it is reordered.
    await Promise.all([read(later, 'later'), read(later, 'later'), read(later, 'later'), read(earlier, 'earlier'), read(earlier, 'earlier')]);
    expect(done).toEqual(['later:竞技场新人', 'earlier:竞技场新人', 'earlier:竞技场新人', 'later:竞技场新人', 'later:竞技场新人']);
  });
});
