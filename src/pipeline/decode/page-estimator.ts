import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodedImage } from './decode.js';
import { estimatePage, type PageEstimate } from './page-estimate.js';

/** The largest shared buffer kept for the next raster: a 1080 × 8000 px page (a decoded screenshot is ~14 MB). */
const SPARE_MAX_BYTES = 1080 * 8000 * 3;

/** A raster sent to the estimator thread: its pixels in shared memory. */
export interface EstimateRequest extends Omit<DecodedImage, 'data'> {
  id: number;
  /** The raster's bytes are its first `length` (the memory is reused for the next raster when it fits). */
  pixels: SharedArrayBuffer;
  length: number;
}

/** What the thread posts: `ready` once its modules are loaded, then one answer per request. */
export type EstimateAnswer = { ready: true } | { id: number; estimate: PageEstimate } | { id: number; error: string };

/**
 * Works out each page's {@link PageEstimate} on a thread of its own, so that the caller's thread can find
 * the layout meanwhile: until the OCR workers start, a 2-core machine has a core with nothing to do, and
 * the two estimates take about as long as the layout. One thread, started once, takes one image at a time
 * (others meanwhile are estimated on the caller's thread). Until it is up, or should it fail to start or
 * die, estimates are worked out on the caller's thread: the same answers, never a wait for the thread.
 */
export class PageEstimator {
  private worker: Worker | null;
  private up = false;
  /** Resolves when the thread is up (true) or will not be (false: estimates are worked out in-thread). */
  readonly ready: Promise<boolean>;
  /** How many estimates were worked out on the thread, and how many on the caller's. */
  readonly counts = { onThread: 0, inThread: 0 };
  private readonly pending = new Map<number, { resolve: (e: PageEstimate) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  /**
   * The shared memory of the last request, for the next raster that fits: the thread lets go of a buffer
   * only when it collects garbage, which it seldom does, so a new one per image would pile up.
   */
  private spare: SharedArrayBuffer | null = null;

  private constructor(worker: Worker | null) {
    this.worker = worker;
    let settle: (up: boolean) => void = () => {};
    this.ready = new Promise((resolve) => {
      settle = resolve;
    });
    if (!worker) {
      settle(false);
      return;
    }
    // Held while it starts (nothing else may keep the process up meanwhile), then only while it works.
    worker.on('message', (answer: EstimateAnswer) => {
      if ('ready' in answer) {
        worker.unref();
        this.up = true;
        settle(true);
        return;
      }
      const waiting = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if ('estimate' in answer) waiting?.resolve(answer.estimate);
      else waiting?.reject(new Error(`page estimate failed: ${answer.error}`));
    });
    const lost = (reason: Error) => {
      settle(false);
      if (this.worker === worker) this.worker = null;
      this.abandon(reason);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the page estimator thread exited (${code})`)));
  }

  /** Starts the estimator's thread (in-thread estimates where threads cannot start). */
  static start(): PageEstimator {
    try {
      return new PageEstimator(startThread());
    } catch {
      return new PageEstimator(null);
    }
  }

  /** The page's estimate; the raster's pixels are copied once into memory the thread shares. */
  async estimate(img: DecodedImage): Promise<PageEstimate> {
    const worker = this.worker;
    // One raster at a time: while the thread is busy with another image, this one is estimated here (its
    // OCR is running then and keeps the other core busy anyway), and only one raster is ever copied.
    if (!worker || !this.up || this.pending.size > 0) return this.inThread(img);
    const length = img.data.length;
    const pixels = this.spare && this.spare.byteLength >= length ? this.spare : new SharedArrayBuffer(length);
    this.spare = null;
    new Uint8Array(pixels, 0, length).set(img.data);
    const { data: _data, ...raster } = img;
    const id = this.nextId++;
    const answer = new Promise<PageEstimate>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    try {
      worker.ref();
      worker.postMessage({ ...raster, id, pixels, length } satisfies EstimateRequest);
      const estimate = await answer;
      this.counts.onThread++;
      return estimate;
    } catch {
      // A request that could not be sent, or a thread that died or was closed with it: the same estimate, here.
      if (this.pending.delete(id) && this.pending.size === 0) worker.unref();
      return this.inThread(img);
    } finally {
      this.keepSpare(pixels);
    }
  }

  /** Hands every request the thread still holds back to its caller, to be worked out in-thread. */
  private abandon(reason: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(reason);
  }

  private inThread(img: DecodedImage): PageEstimate {
    this.counts.inThread++;
    return estimatePage(img);
  }

  private keepSpare(pixels: SharedArrayBuffer): void {
    // Kept up to a long screenshot's size: an unusually tall raster is not held for the life of the process.
    if (pixels.byteLength <= SPARE_MAX_BYTES && pixels.byteLength >= (this.spare?.byteLength ?? 0)) this.spare = pixels;
  }

  /** Stops the thread; estimates waiting on it, and those asked for afterwards, are worked out in-thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.spare = null;
    this.abandon(new Error('the page estimator was closed'));
    await worker?.terminate();
  }
}

/**
 * The thread runs the compiled module beside this one; from TypeScript sources (tests, `tsx` scripts) it
 * registers tsx's loader first, since a worker thread does not inherit the parent's.
 */
function startThread(): Worker {
  // Its garbage is small and short-lived (edge points, histograms): a small young generation keeps the
  // thread's memory small (V8's default reserves tens of MiB per thread).
  const options = { resourceLimits: { maxYoungGenerationSizeMb: 4 } };
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const script = new URL(`./page-estimator-worker.${fromSource ? 'ts' : 'js'}`, here);
  if (!fromSource) return new Worker(script, options);
  // tsx's ES module entry (its CommonJS one cannot register the loader in a worker thread).
  const tsxPackage = createRequire(here).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsx = pathToFileURL(path.join(path.dirname(tsxPackage), exports['./esm/api']!.import.default)).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`, {
    ...options,
    eval: true,
  });
}
