/**
 * The two yardsticks the benchmarks compare against, measured in the same run: a plain whole-page
 * `worker.recognize()` (tesseract.js, the same Chinese model, one worker) and the pipeline's own warm time
 * per screenshot (as the CLI reads them, one at a time), read side by side ({@link sideBySideMs}). Shared by
 * `npm run bench` and `npm run bench:api`.
 */
import { createWorker, OEM, type Worker } from 'tesseract.js';
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

/** A plain tesseract.js worker of the same Chinese model, one per process, warmed up on `warmUp`. */
async function plainWorker(warmUp: Buffer): Promise<Worker> {
  const config = pipelineConfigFromEnv();
  const worker = await createWorker('chi_sim', OEM.LSTM_ONLY, {
    langPath: langPath('chi_sim'),
    cachePath: `${config.tessdataCache}/chi_sim-4.0.0`,
    gzip: true,
  });
  await worker.recognize(warmUp);
  return worker;
}

/** Milliseconds `fn` takes. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export interface SideBySide {
  /** Loading the card database and starting the workers. */
  startupMs: number;
  /** The pipeline's warm milliseconds per image, one image at a time (as the CLI reads them). */
  perImage: number[];
  /** Plain whole-page recognize of the same images, each read right beside the pipeline's reading of it. */
  whole: number[];
  /** Every image twice, queued at once. */
  batchMs: number;
  /** Peak RSS (bytes) of the pipeline alone, before the plain worker starts. */
  pipelinePeakRss: number;
}

/**
 * The pipeline and plain recognize measured side by side: each image is read by one, then the other (which
 * goes first alternates by round), so a machine whose speed drifts during the run (this 2-core one drifts
 * by a third) slows both alike and their ratio holds. The pipeline's warm-up, its batch of every image
 * queued at once and its peak RSS come first, before the plain worker exists.
 */
export async function sideBySideMs(images: Buffer[], rounds: number, profile?: PipelineProfile): Promise<SideBySide> {
  const t = performance.now();
  // The caches would answer every round after the first from memory: measure the reading itself.
  const pipeline = await createPipeline({ cropCacheEntries: 0, resultCacheEntries: 0 });
  const startupMs = performance.now() - t;
  try {
    await pipeline.process(images[0]!); // warm-up: first-use costs of the WASM and models
    const batchMs = await timed(() => Promise.all(images.flatMap((image) => [pipeline.process(image), pipeline.process(image)])));
    const pipelinePeakRss = process.resourceUsage().maxRSS * 1024;
    const worker = await plainWorker(images[0]!);
    try {
      const perImage: number[] = [];
      const whole: number[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const image of images) {
          const readPipeline = async () => perImage.push(await timed(() => pipeline.process(image, profile ? { profile } : {})));
          const readPlain = async () => whole.push(await timed(() => worker.recognize(image)));
          if (round % 2 === 0) {
            await readPipeline();
            await readPlain();
          } else {
            await readPlain();
            await readPipeline();
          }
        }
      }
      return { startupMs, perImage, whole, batchMs, pipelinePeakRss };
    } finally {
      await worker.terminate();
    }
  } finally {
    await pipeline.close();
  }
}
