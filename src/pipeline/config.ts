import os from 'node:os';
import path from 'node:path';
import { intFromEnv, PROJECT_ROOT } from '../env.js';

/** Default card database: every released set, `../shared/riftbound/cards-all.csv` beside the project root. */
export const DEFAULT_CARDS_PATH = path.resolve(PROJECT_ROOT, '..', 'shared', 'riftbound', 'cards-all.csv');

/** Settings of the OCR pipeline, each with an embedded default and an environment variable. */
export interface PipelineConfig {
  /** CSV card database (`CARDS_PATH`). */
  cardsPath: string;
  /** Chinese OCR workers, which read names and header text (`OCR_WORKERS`, default: CPU count). */
  workers: number;
  /**
   * English OCR workers, which read digits (badges, placement) and the case of Latin header letters
   * (`OCR_DIGIT_WORKERS`, default: half of `workers`, at least 1): a few calls per image.
   */
  digitWorkers: number;
  /**
   * Images decoded and read at once (`MAX_CONCURRENT_IMAGES`, default: 2 × workers); more wait their turn,
   * so memory stays bounded (a decoded 1080×4400 screenshot is ~14 MB) however many are handed in.
   */
  maxConcurrentImages: number;
  /**
   * Threads libvips (sharp) decodes and resizes an image with (`IMAGE_THREADS`, default: CPU count). sharp
   * itself picks 1 on glibc without jemalloc, against memory fragmentation; the pipeline decodes one or two
   * images at a time, and a second thread halves a screenshot's decode (~100 → ~50 ms on 2 cores).
   */
  imageThreads: number;
  /** Time limit for one image once it is being read (`IMAGE_TIMEOUT_MS`, default 60 000); then TIMEOUT. */
  imageTimeoutMs: number;
  /** A crop running longer than this means a hung worker (`OCR_JOB_TIMEOUT_MS`, default 10 000). */
  ocrJobTimeoutMs: number;
  /** Replace an OCR worker after this many crops (`OCR_RECYCLE_AFTER_JOBS`, default 5 000). */
  ocrRecycleAfterJobs: number;
  /** Largest image accepted, in pixels (`MAX_IMAGE_PIXELS`, default 40 MP). */
  maxPixels: number;
  /** Most cards a side deck may hold before validation complains (`SIDE_DECK_MAX`, default 8). */
  sideDeckMax: number;
  /** Where tesseract.js caches unpacked language data (`TESSDATA_CACHE`), outside the repo. */
  tessdataCache: string;
  /**
   * Crops whose readings are kept, so an identical crop (the same card at the same size in another decklist)
   * is not read again (`OCR_CROP_CACHE_ENTRIES`, default 10 000, ~3 MB; 0 turns it off).
   */
  cropCacheEntries: number;
  /**
   * Decklists kept by the SHA-256 of the uploaded bytes, so the same screenshot sent again is answered
   * without OCR (`RESULT_CACHE_ENTRIES`, default 256; 0 turns it off).
   */
  resultCacheEntries: number;
}

/** Reads the pipeline settings from the environment, falling back to the embedded defaults. */
export function pipelineConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PipelineConfig {
  const workers = intFromEnv(env, 'OCR_WORKERS', Math.max(1, os.availableParallelism()));
  return {
    cardsPath: env.CARDS_PATH?.trim() ? path.resolve(env.CARDS_PATH) : DEFAULT_CARDS_PATH,
    workers,
    digitWorkers: intFromEnv(env, 'OCR_DIGIT_WORKERS', Math.max(1, Math.floor(workers / 2))),
    maxConcurrentImages: intFromEnv(env, 'MAX_CONCURRENT_IMAGES', 2 * workers),
    imageThreads: intFromEnv(env, 'IMAGE_THREADS', Math.max(1, os.availableParallelism())),
    imageTimeoutMs: intFromEnv(env, 'IMAGE_TIMEOUT_MS', 60_000),
    ocrJobTimeoutMs: intFromEnv(env, 'OCR_JOB_TIMEOUT_MS', 10_000),
    ocrRecycleAfterJobs: intFromEnv(env, 'OCR_RECYCLE_AFTER_JOBS', 5_000),
    maxPixels: intFromEnv(env, 'MAX_IMAGE_PIXELS', 40_000_000),
    sideDeckMax: intFromEnv(env, 'SIDE_DECK_MAX', 8, 0),
    cropCacheEntries: intFromEnv(env, 'OCR_CROP_CACHE_ENTRIES', 10_000, 0),
    resultCacheEntries: intFromEnv(env, 'RESULT_CACHE_ENTRIES', 256, 0),
    tessdataCache: env.TESSDATA_CACHE?.trim() ? path.resolve(env.TESSDATA_CACHE) : path.join(os.tmpdir(), 'decklist-ocr-tessdata'),
  };
}
