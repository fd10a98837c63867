import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createScheduler, createWorker, OEM, PSM, type Scheduler, type Worker } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** Page-segmentation modes the reader uses: one line of text, or a single word/number. */
export type OcrMode = 'line' | 'word';

/** The two models: Chinese for names and header text, English for digits (quantities, placement). */
export type OcrModel = 'chi_sim' | 'eng';

export interface OcrRequest {
  /** An encoded image (PGM, PNG, ...) holding dark text on a light background. */
  image: Buffer;
  model: OcrModel;
  mode: OcrMode;
  /** Restrict output to these characters (e.g. digits for a quantity badge). */
  whitelist?: string;
}

export interface OcrResult {
  text: string;
  /** Tesseract's mean confidence for the crop, in [0,1]. */
  confidence: number;
}

export interface OcrPoolOptions {
  /** Number of tesseract workers (each one WASM instance, ~1 core when busy). */
  workers: number;
  /** Where unpacked language data is cached between runs; outside the repo. */
  cachePath: string;
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

const PSM_BY_MODE: Record<OcrMode, PSM> = { line: PSM.SINGLE_LINE, word: PSM.SINGLE_WORD };

async function startScheduler(model: OcrModel, count: number, cacheRoot: string): Promise<Scheduler> {
  // tesseract.js names its cache file by language only: keep each model version in a folder of its own.
  const cachePath = path.join(cacheRoot, `${model}-${MODEL_VERSION[model]}`);
  await mkdir(cachePath, { recursive: true });
  const scheduler = createScheduler();
  const started = await Promise.allSettled(
    Array.from({ length: count }, () =>
      createWorker(model, OEM.LSTM_ONLY, { langPath: langPath(model), cachePath, gzip: true }),
    ),
  );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (failed) {
    await Promise.allSettled(workers.map((w: Worker) => w.terminate()));
    throw new Error(`could not start the ${model} OCR workers: ${String(failed.reason)}`, { cause: failed.reason });
  }
  for (const worker of workers) scheduler.addWorker(worker);
  return scheduler;
}

/**
 * Fixed pools of tesseract.js workers behind tesseract.js schedulers, created once and shared by every
 * image: starting a worker costs about a second, a tile crop 10–20 ms. The Chinese model reads names
 * and header text; the English one reads digits, which the Chinese model often drops when a digit
 * stands alone. Page-segmentation mode and whitelist travel with each job, so any idle worker of a
 * model can take any crop.
 */
export class OcrPool {
  private closed = false;

  private constructor(
    private readonly schedulers: Record<OcrModel, Scheduler>,
    readonly size: number,
  ) {}

  static async create(options: OcrPoolOptions): Promise<OcrPool> {
    const [chi, eng] = await Promise.allSettled([
      startScheduler('chi_sim', options.workers, options.cachePath),
      startScheduler('eng', options.workers, options.cachePath),
    ]);
    if (chi.status === 'rejected' || eng.status === 'rejected') {
      await Promise.allSettled([chi, eng].flatMap((r) => (r.status === 'fulfilled' ? [r.value.terminate()] : [])));
      const reason = chi.status === 'rejected' ? chi.reason : (eng as PromiseRejectedResult).reason;
      throw reason instanceof Error ? reason : new Error(String(reason));
    }
    return new OcrPool({ chi_sim: chi.value, eng: eng.value }, options.workers);
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.schedulers.chi_sim.getQueueLen() + this.schedulers.eng.getQueueLen();
  }

  /** Reads one crop. */
  async recognize(request: OcrRequest): Promise<OcrResult> {
    if (this.closed) throw new Error('the OCR pool is closed');
    const params: Record<string, string> = {
      tessedit_pageseg_mode: PSM_BY_MODE[request.mode],
      tessedit_char_whitelist: request.whitelist ?? '',
      // Crops carry no resolution; without one tesseract guesses and warns on every job.
      user_defined_dpi: '144',
    };
    // Parameters given with a job apply to that job only (tesseract.js restores them afterwards).
    const { data } = await this.schedulers[request.model].addJob('recognize', request.image, params as never);
    return { text: data.text ?? '', confidence: Math.max(0, Math.min(1, (data.confidence ?? 0) / 100)) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.schedulers.chi_sim.terminate(), this.schedulers.eng.terminate()]);
  }
}
