import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { OcrPurpose } from '../profile.js';
import { CropCache } from './crop-cache.js';
import { prepareLstmModel } from './traineddata.js';
import { WorkerPool, type PoolWorker, type WorkerPoolStats } from './worker-pool.js';

const require = createRequire(import.meta.url);

/**
 * Page-segmentation modes the reader uses: every crop is one line of text (tesseract's PSM 7), or, for a
 * second look, a raw line (PSM 13: no layout analysis, which now and then finds no text in a short bold
 * name that is plainly there), or a block of lines (PSM 6: several small crops stacked into one image,
 * read in one call, each line returned with its place and confidence).
 */
export type OcrMode = 'line' | 'raw-line' | 'block';

/** The two models: Chinese for names and header text, English for digits (quantities, placement). */
export type OcrModel = 'chi_sim' | 'eng';

export interface OcrRequest {
  /** An encoded image (PGM, PNG, ...) holding dark text on a light background. */
  image: Buffer;
  model: OcrModel;
  mode: OcrMode;
  /** Restrict output to these characters (e.g. digits for a quantity badge). */
  whitelist?: string;
  /** What the crop is, for the profile (`npm run bench`). */
  purpose?: OcrPurpose;
  /**
   * A second reading that something waits on (a line read again at other sizes): it goes ahead of its
   * image's first readings still queued, so a chain of readings does not wait for the whole image.
   */
  followUp?: boolean;
}

export interface OcrResult {
  text: string;
  /** Tesseract's mean confidence for the crop, in [0,1]. */
  confidence: number;
  /** Milliseconds the crop took on its worker (not counting the wait for one). */
  workerMs?: number;
  /** The same crop was read before: this is that reading ({@link CropCache}). */
  cached?: boolean;
  /** In `block` mode: each text line tesseract found, top to bottom. */
  lines?: OcrLine[];
}

/** One line of a `block` reading. */
export interface OcrLine {
  text: string;
  /** In [0,1]. */
  confidence: number;
  /** Its rows in the image, [top, bottom). */
  top: number;
  bottom: number;
}

export interface OcrPoolOptions {
  /** Tesseract workers of the Chinese model (each one WASM instance, ~1 core when busy). */
  workers: number;
  /**
   * Workers of the English model, which reads only digits and the case of Latin header letters: a few
   * calls per image (the badges are read in one), so fewer workers than the Chinese pool. @default workers
   */
  digitWorkers?: number;
  /** Where unpacked language data is cached between runs; outside the repo. */
  cachePath: string;
  /** A crop running longer than this on a worker means a hung worker (default 10 s; a crop takes ~20 ms). */
  jobTimeoutMs?: number;
  /** Replace a worker after this many crops (default 5000: WASM heaps only grow). */
  recycleAfterJobs?: number;
  /** Starts a worker; tests wrap the real one to inject faults. */
  startWorker?: (model: OcrModel) => Promise<OcrWorker>;
  /** Crops whose readings are kept for identical crops ({@link CropCache}); 0 reads every crop. @default 0 */
  cropCacheEntries?: number;
}

/**
 * Folder of a model shipped by `@tesseract.js-data/<lang>`, loaded from node_modules: nothing is
 * downloaded at run time. Chinese uses the full `4.0.0` data (its LSTM reads these names far better than
 * the small `4.0.0_best_int` model at the same speed per crop); digits use the small English model.
 */
export function langPath(model: OcrModel): string {
  const pkg = path.dirname(require.resolve(`@tesseract.js-data/${model}/package.json`));
  return path.join(pkg, MODEL_VERSION[model]);
}

const MODEL_VERSION: Record<OcrModel, string> = { chi_sim: '4.0.0', eng: '4.0.0_best_int' };

const PSM_BY_MODE: Record<OcrMode, PSM> = { line: PSM.SINGLE_LINE, 'raw-line': PSM.RAW_LINE, block: PSM.SINGLE_BLOCK };

type TesseractJob = Omit<OcrRequest, 'model'>;

/** A line of dark strokes on white (PGM): enough for the LSTM to run on. */
const WARM_UP_CROP: Buffer = (() => {
  const [width, height] = [160, 48];
  const pixels = Buffer.alloc(width * height, 255);
  for (let y = 14; y < 34; y++) for (let x = 12; x < 148; x += 9) pixels.fill(0, y * width + x, y * width + x + 3);
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), pixels]);
})();
export type OcrWorker = PoolWorker<TesseractJob, OcrResult>;

/**
 * Tesseract reads a line it is unsure of (mean confidence under `invert_threshold`, 0.7 by default) a second
 * time, inverted, in case it is light text on dark. Name and header crops are dark text on light already
 * (`greyCrop` takes the polarity from the line's surroundings), so for the Chinese model's first readings
 * that pass is skipped: 4–8 % of its worker time, the same text on every fixture crop. A line read again
 * because it was unclear (`followUp`) keeps it: a champion's name at 720 px, JPEG 50 (彗, 焚心绘华) came out
 * right only with it. The digit model always keeps it (a faint rune badge in a soft photo read right only
 * inverted).
 */
function invertedPass(model: OcrModel, followUp: boolean | undefined): Record<string, string> {
  return model === 'chi_sim' ? { invert_threshold: followUp ? '0.7' : '0' } : {};
}

/** Starts one real tesseract.js worker of a model, loading its data from node_modules. */
export async function startTesseractWorker(model: OcrModel, cacheRoot: string): Promise<OcrWorker> {
  // The LSTM-only copy of the model (see traineddata.ts): the same readings in a third of the memory.
  // tesseract.js names its file by language only: each model version gets a folder of its own.
  const modelDir = await prepareLstmModel(model, langPath(model), path.join(cacheRoot, `${model}-${MODEL_VERSION[model]}-lstm`));
  const worker: Worker = await createWorker(model, OEM.LSTM_ONLY, { langPath: modelDir, cachePath: modelDir, cacheMethod: 'readOnly', gzip: false });
  // A worker's first read costs ~100 ms more than the next ones (the model's first use): pay it here, at
  // start-up or when a worker is replaced, not on the first image.
  await worker.recognize(WARM_UP_CROP, { tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '144' } as never);
  // The parameters the worker holds now. Parameters passed with a recognize() call would apply to that
  // call only, but tesseract.js then saves and restores every parameter around it, 3–7 ms a call (a third
  // of a short line's time): instead the worker keeps its settings, and a job changes only what differs.
  let held: Record<string, string> = {};
  return {
    async run(job) {
      const params: Record<string, string> = {
        tessedit_pageseg_mode: PSM_BY_MODE[job.mode],
        tessedit_char_whitelist: job.whitelist ?? '',
        // Crops carry no resolution; without one tesseract guesses and warns on every job.
        user_defined_dpi: '144',
        ...invertedPass(model, job.followUp),
      };
      const started = performance.now();
      const changed = Object.fromEntries(Object.entries(params).filter(([key, value]) => held[key] !== value));
      if (Object.keys(changed).length > 0) {
        // Until it is known to have taken, the worker's settings are unknown: the next job sets them all.
        held = {};
        await worker.setParameters(changed as never);
        held = params;
      }
      const block = job.mode === 'block';
      const { data } = await worker.recognize(job.image, {}, block ? { text: true, blocks: true } : undefined);
      const workerMs = performance.now() - started;
      const unit = (confidence: number | undefined) => Math.max(0, Math.min(1, (confidence ?? 0) / 100));
      const result: OcrResult = { text: data.text ?? '', confidence: unit(data.confidence), workerMs };
      if (block) {
        result.lines = (data.blocks ?? []).flatMap((b) =>
          b.paragraphs.flatMap((p) => p.lines.map((l) => ({ text: l.text, confidence: unit(l.confidence), top: l.bbox.y0, bottom: l.bbox.y1 }))),
        );
      }
      return result;
    },
    terminate: async () => {
      // A job handed to recognize() reaches the worker thread a tick later; terminating before that makes
      // tesseract.js throw where no caller can catch it. Let pending hand-offs go out first.
      await new Promise((resolve) => setImmediate(resolve));
      await worker.terminate();
    },
  };
}

/** Reads crops; bound to one image's cancellation signal by {@link OcrPool.reader}. */
export interface OcrReader {
  recognize(request: OcrRequest): Promise<OcrResult>;
}

/**
 * Two supervised pools of tesseract.js workers, created once and shared by every image: starting a worker
 * costs about a second, a crop 10–20 ms. The Chinese model reads names and header text; the English one
 * reads digits, which the Chinese model often drops when a digit stands alone. Page-segmentation mode and
 * whitelist travel with each job, so any idle worker of a model can take any crop. A worker that hangs or
 * crashes is replaced and its job retried once on a fresh one; workers are recycled after a number of jobs.
 */
export class OcrPool {
  private constructor(
    private readonly pools: Record<OcrModel, WorkerPool<TesseractJob, OcrResult>>,
    readonly size: number,
    /** Identical crops read once. */
    readonly cropCache: CropCache,
  ) {}

  static async create(options: OcrPoolOptions): Promise<OcrPool> {
    const start = options.startWorker ?? ((model: OcrModel) => startTesseractWorker(model, options.cachePath));
    const make = (model: OcrModel) =>
      WorkerPool.create<TesseractJob, OcrResult>({
        name: model,
        size: model === 'eng' ? (options.digitWorkers ?? options.workers) : options.workers,
        start: () => start(model),
        jobTimeoutMs: options.jobTimeoutMs ?? 10_000,
        recycleAfterJobs: options.recycleAfterJobs ?? 5_000,
      });
    const [chi, eng] = await Promise.allSettled([make('chi_sim'), make('eng')]);
    if (chi.status === 'rejected' || eng.status === 'rejected') {
      await Promise.allSettled([chi, eng].flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
      const reason = chi.status === 'rejected' ? chi.reason : (eng as PromiseRejectedResult).reason;
      throw reason instanceof Error ? reason : new Error(String(reason));
    }
    return new OcrPool({ chi_sim: chi.value, eng: eng.value }, options.workers, new CropCache(options.cropCacheEntries ?? 0));
  }

  /** Counters per model. */
  get stats(): Record<OcrModel, WorkerPoolStats> {
    return { chi_sim: this.pools.chi_sim.stats, eng: this.pools.eng.stats };
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.pools.chi_sim.stats.queued + this.pools.eng.stats.queued;
  }

  /** Reads one crop; crops of a lower `priority` are read first. */
  recognize(request: OcrRequest, signal?: AbortSignal, priority = 0): Promise<OcrResult> {
    return this.cropCache.recognize(request, ({ model, purpose: _purpose, ...job }) =>
      this.pools[model].run(job, signal, job.followUp ? priority - 0.5 : priority),
    );
  }

  /**
   * A reader whose jobs stop (queued ones dropped, running ones' workers replaced) when `signal` aborts,
   * and wait behind the jobs of readers of a lower `priority` (an earlier image).
   */
  reader(signal: AbortSignal, priority = 0): OcrReader {
    signal.addEventListener(
      'abort',
      () => {
        this.pools.chi_sim.abort(signal);
        this.pools.eng.abort(signal);
      },
      { once: true },
    );
    return { recognize: (request) => this.recognize(request, signal, priority) };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pools.chi_sim.close(), this.pools.eng.close()]);
  }
}
