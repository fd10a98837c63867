/**
 * The two yardsticks the benchmarks compare against, measured in the same run: a plain whole-page
 * `worker.recognize()` (tesseract.js, the same Chinese model, one worker) and the pipeline's own warm time
 * per screenshot (as the CLI reads them, one at a time). Shared by `npm run bench` and `npm run bench:api`.
 */
import { createWorker, OEM } from 'tesseract.js';
import { pipelineConfigFromEnv } from '../src/pipeline/config.js';
import { langPath } from '../src/pipeline/ocr/ocr-pool.js';
import { createPipeline } from '../src/pipeline/pipeline.js';
import type { PipelineProfile } from '../src/pipeline/profile.js';

/** The middle value; of an even number, the mean of the two middle ones. */
export const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Milliseconds of each plain whole-page recognize (after one warm-up read): every image, `rounds` times over,
 * as many reads as the pipeline's own yardstick takes, so the two medians are equally steady.
 */
export async function plainRecognizeMs(images: Buffer[], rounds = 1): Promise<number[]> {
  const config = pipelineConfigFromEnv();
  const worker = await createWorker('chi_sim', OEM.LSTM_ONLY, {
    langPath: langPath('chi_sim'),
    cachePath: `${config.tessdataCache}/chi_sim-4.0.0`,
    gzip: true,
  });
  try {
    await worker.recognize(images[0]!);
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const image of images) {
        const t = performance.now();
        await worker.recognize(image);
        times.push(performance.now() - t);
      }
    }
    return times;
  } finally {
    await worker.terminate();
  }
}

/** The pipeline's warm milliseconds per image over `rounds` passes, one image at a time, and its start-up. */
export async function pipelineMs(
  images: Buffer[],
  rounds: number,
  profile?: PipelineProfile,
): Promise<{ startupMs: number; perImage: number[]; batchMs: number }> {
  let t = performance.now();
  // The caches would answer every round after the first from memory: measure the reading itself.
  const pipeline = await createPipeline({ cropCacheEntries: 0, resultCacheEntries: 0 });
  const startupMs = performance.now() - t;
  try {
    await pipeline.process(images[0]!); // warm-up: first-use costs of the WASM and models
    const perImage: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const image of images) {
        t = performance.now();
        await pipeline.process(image, profile ? { profile } : {});
        perImage.push(performance.now() - t);
      }
    }
    t = performance.now();
    await Promise.all(images.flatMap((image) => [pipeline.process(image), pipeline.process(image)]));
    return { startupMs, perImage, batchMs: performance.now() - t };
  } finally {
    await pipeline.close();
  }
}
