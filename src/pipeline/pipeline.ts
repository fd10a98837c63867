import sharp from 'sharp';
import { pipelineConfigFromEnv, type PipelineConfig } from './config.js';
import { assembleDecklist } from './assemble/assemble.js';
import { loadCardDatabase, type CardDatabase } from './cards/cards.js';
import { Limiter } from './limiter.js';
import { decodeImage } from './decode/decode.js';
import { findPageColumns } from './decode/frame.js';
import { imageNotRead, PipelineError } from './errors.js';
import { findLayout, type Layout } from './layout/layout.js';
import { createCardMatcher, rememberingMatcher, type CardMatcher } from './match/match.js';
import { OcrPool, type OcrModel, type OcrReader, type OcrWorker } from './ocr/ocr-pool.js';
import type { PipelineProfile } from './profile.js';
import { readDecklist } from './read/read.js';
import { ScreenshotCache } from './screenshot-cache.js';
import { applyStraightening } from './decode/straighten.js';
import { PageEstimator } from './decode/page-estimator.js';
import { evenLight } from './decode/even-light.js';
import { JobAbortedError } from './ocr/worker-pool.js';
import { secondLook } from './second-look/second-look.js';
import type { Decklist, PipelineStage } from './types.js';

export interface ProcessOptions {
  /** Called as the image enters each stage (DECODING, LAYOUT, READING, MATCHING). */
  onStage?: (stage: PipelineStage) => void;
  /** Cancels the image: it fails with CANCELLED, its queued crops are dropped, its busy workers replaced. */
  signal?: AbortSignal;
  /** Filled in with the image's stage timings and OCR calls (for `npm run bench`). */
  profile?: PipelineProfile;
}

/** The whole OCR pipeline: one shared card database and OCR worker pool, many images. */
export interface DecklistPipeline {
  readonly config: PipelineConfig;
  readonly cards: CardDatabase;
  /** OCR workers in the pool. */
  readonly workers: number;
  /** Images being processed right now (at most `config.maxConcurrentImages`). */
  readonly inFlight: number;
  /** Images handed in and waiting for a slot. */
  readonly waiting: number;
  /** Turns the bytes of one screenshot into a decklist; rejects with a {@link PipelineError}. */
  process(bytes: Uint8Array, options?: ProcessOptions): Promise<Decklist>;
  /** OCR worker counters per model (ready, queued, replaced, recycled, retried). */
  readonly ocrStats: OcrPool['stats'];
  /** Screenshots answered from the screenshot cache; crops answered from the crop cache, and crops read. */
  readonly cacheStats: { screenshotHits: number; cropHits: number; cropsRead: number };
  /** Stops the OCR workers. Images still in flight fail. */
  close(): Promise<void>;
}

/** The reader, adding each OCR call's worker time to the profile under `ocr:<purpose>`. */
function profiledReader(reader: OcrReader, profile: PipelineProfile | undefined): OcrReader {
  if (!profile) return reader;
  return {
    recognize: async (request) => {
      const result = await reader.recognize(request);
      profile.add(result.cached ? 'ocr: identical crop, read before' : `ocr:${request.purpose ?? 'other'}`, result.workerMs ?? 0);
      return result;
    },
  };
}

/**
 * Loads the card database and starts the OCR workers (a few seconds), then returns the pipeline.
 * Settings not given come from the environment and the embedded defaults ({@link pipelineConfigFromEnv}).
 */
export async function createPipeline(
  overrides: Partial<PipelineConfig> = {},
  /** Starts OCR workers; tests wrap the real one to inject faults. */
  startWorker?: (model: OcrModel) => Promise<OcrWorker>,
): Promise<DecklistPipeline> {
  const config: PipelineConfig = { ...pipelineConfigFromEnv(), ...overrides };
  // Process-wide: the last pipeline created sets it (one per process but in tests).
  sharp.concurrency(config.imageThreads);
  const cards = await loadCardDatabase(config.cardsPath);
  const matcher: CardMatcher = createCardMatcher(cards);
  // The estimator's thread starts beside the OCR workers; the pipeline is ready when both are.
  const estimator = PageEstimator.start();
  let ocr: OcrPool;
  try {
    ocr = await OcrPool.create({
      workers: config.workers,
      digitWorkers: config.digitWorkers,
      cachePath: config.tessdataCache,
      jobTimeoutMs: config.ocrJobTimeoutMs,
      recycleAfterJobs: config.ocrRecycleAfterJobs,
      cropCacheEntries: config.cropCacheEntries,
      ...(startWorker ? { startWorker } : {}),
    });
    await estimator.ready;
  } catch (error) {
    await estimator.close();
    throw error;
  }
  const screenshots = new ScreenshotCache(config.resultCacheEntries);
  const limiter = new Limiter(config.maxConcurrentImages);
  // Images take their turn in the order they came; an earlier image's crops are read first.
  let turns = 0;

  return {
    config,
    cards,
    workers: config.workers,
    get inFlight() {
      return limiter.active;
    },
    get waiting() {
      return limiter.pending;
    },
    get ocrStats() {
      return ocr.stats;
    },
    get cacheStats() {
      return { screenshotHits: screenshots.hits, cropHits: ocr.cropCache.hits, cropsRead: ocr.cropCache.misses };
    },
    process: (bytes, options = {}) => screenshots.decklist(bytes, () => readImage(bytes, options), options.signal),
    close: async () => {
      await Promise.all([ocr.close(), estimator.close()]);
    },
  };

  function readImage(bytes: Uint8Array, options: ProcessOptions): Promise<Decklist> {
    return limiter.run(async () => {
      const turn = turns++;
      // The time limit counts from when the image gets its turn, not while it waits for one.
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(new PipelineError('TIMEOUT', `reading the image took over ${config.imageTimeoutMs} ms`)),
        config.imageTimeoutMs,
      );
      const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
      const check = () => {
        if (!signal.aborted) return;
        if (deadline.signal.aborted) throw deadline.signal.reason as PipelineError;
        throw new PipelineError('CANCELLED', 'the image was cancelled');
      };
      try {
        check();
        options.onStage?.('DECODING');
        const profile = options.profile;
        const timed = <T>(key: string, fn: () => Promise<T> | T): Promise<T> => (profile ? profile.time(key, fn) : Promise.resolve(fn()));
        let image = await timed('decode', () => decodeImage(bytes, { maxPixels: config.maxPixels }));
        // Bars beside the page (a computer's window, a letterbox) would shrink it: decode the page alone.
        const page = await timed('page columns', () => findPageColumns(image));
        if (page) {
          // The page alone scales to a taller raster; past the pixel bound, read the whole image instead.
          const whole = image;
          image = await timed('decode page', () =>
            decodeImage(bytes, { maxPixels: config.maxPixels, columns: page }).catch((error: unknown) => {
              if (error instanceof PipelineError && (error.code === 'IMAGE_TOO_LARGE' || error.code === 'IMAGE_TOO_SMALL')) return whole;
              throw error;
            }),
          );
        }
        check();
        options.onStage?.('LAYOUT');
        // A tilted capture is straightened and a photo's uneven light evened out before the layout is found.
        // Whether either is needed is worked out on another thread while the layout is found on the page
        // as decoded: a screenshot needs neither and keeps that layout, paying for the estimates on a core
        // that would otherwise wait. (A layout that fails on a tilted page is no answer yet: kept aside.)
        const decoded = image;
        const estimating = estimator.estimate(decoded);
        const found = await timed('layout', () => attempt(() => findLayout(decoded)));
        const estimate = await timed('straighten + even light estimates (wall, after layout)', () => estimating);
        let layout: Layout;
        if (!estimate.straightening && !estimate.unevenLight) {
          if ('error' in found) throw found.error;
          layout = found.value;
        } else {
          // The original bytes are rotated back, whole (the page's columns are found again on them). Tile
          // boxes then refer to the straightened image.
          const plan = estimate.straightening;
          const straight = plan ? await timed('straighten', () => applyStraightening(bytes, decoded, plan, config.maxPixels)) : null;
          if (straight) image = straight.image;
          const even = await timed('even light', () => evenLight(image));
          if (even) image = even;
          check();
          layout = await timed('layout again', () => findLayout(image));
        }
        options.onStage?.('READING');
        const reader = profiledReader(ocr.reader(signal, turn), profile);
        // The second look and assembly ask the same questions of the same tiles: one image's answers are kept.
        const imageMatcher = rememberingMatcher(matcher);
        // The second look is OCR too: it belongs to READING, and takes each tile as soon as it is read.
        const review = secondLook(reader, image, imageMatcher);
        const reading = await timed('read + second look (wall)', () => readDecklist(reader, image, layout, { review }));
        check();
        options.onStage?.('MATCHING');
        return await timed('match + assemble', () => assembleDecklist(reading, imageMatcher, { sideDeckMax: config.sideDeckMax, image }));
      } catch (error) {
        if (error instanceof PipelineError) throw error;
        if (error instanceof JobAbortedError || signal.aborted) check();
        throw imageNotRead(error);
      } finally {
        clearTimeout(timer);
      }
    });
  }
}

/** The value `fn` returns, or the error it throws, as data. */
function attempt<T>(fn: () => T): { value: T } | { error: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}
