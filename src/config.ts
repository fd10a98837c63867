import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError } from './setup-error.js';

/** The nearest folder at or above `start` that holds a package.json. */
export function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/**
 * The project root (the folder holding package.json), searched upward from this file: the same from
 * `src/config.ts` (tsx, tests) and from the compiled `dist/src/config.js`.
 */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Default card database: every released set, `../shared/riftbound/cards-all.csv` beside the project root. */
export const DEFAULT_CARDS_PATH = path.resolve(PROJECT_ROOT, '..', 'shared', 'riftbound', 'cards-all.csv');

/** Settings of the OCR pipeline, each with an embedded default and an environment variable. */
export interface PipelineConfig {
  /** CSV card database (`CARDS_PATH`). */
  cardsPath: string;
  /** OCR workers in the pool (`OCR_WORKERS`, default: CPU count). */
  workers: number;
  /**
   * Images decoded and read at once (`MAX_CONCURRENT_IMAGES`, default: 2 × workers); more wait their turn,
   * so memory stays bounded (a decoded 1080×4400 screenshot is ~14 MB) however many are handed in.
   */
  maxConcurrentImages: number;
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
}

/**
 * The integer setting `name` (unset or blank: `fallback`). Anything else than a whole number in
 * [min, max] is a {@link SetupError} naming the setting.
 */
export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!/^\s*[+-]?\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new SetupError(`${name} must be a whole number ${range}, got "${raw}"`, {
      setting: name,
      fix: `set ${name} to a whole number ${range}, or unset it for the default (${fallback})`,
    });
  }
  return value;
}

/** The boolean setting `name`: true/false, 1/0, yes/no, on/off (unset or blank: `fallback`); else a SetupError. */
export function boolFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new SetupError(`${name} must be true or false, got "${env[name]}"`, {
    setting: name,
    fix: `set ${name} to true or false, or unset it for the default (${fallback})`,
  });
}

/** Reads the pipeline settings from the environment, falling back to the embedded defaults. */
export function pipelineConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PipelineConfig {
  const workers = intFromEnv(env, 'OCR_WORKERS', Math.max(1, os.availableParallelism()));
  return {
    cardsPath: env.CARDS_PATH?.trim() ? path.resolve(env.CARDS_PATH) : DEFAULT_CARDS_PATH,
    workers,
    maxConcurrentImages: intFromEnv(env, 'MAX_CONCURRENT_IMAGES', 2 * workers),
    imageTimeoutMs: intFromEnv(env, 'IMAGE_TIMEOUT_MS', 60_000),
    ocrJobTimeoutMs: intFromEnv(env, 'OCR_JOB_TIMEOUT_MS', 10_000),
    ocrRecycleAfterJobs: intFromEnv(env, 'OCR_RECYCLE_AFTER_JOBS', 5_000),
    maxPixels: intFromEnv(env, 'MAX_IMAGE_PIXELS', 40_000_000),
    sideDeckMax: intFromEnv(env, 'SIDE_DECK_MAX', 8, 0),
    tessdataCache: env.TESSDATA_CACHE?.trim() ? path.resolve(env.TESSDATA_CACHE) : path.join(os.tmpdir(), 'decklist-ocr-tessdata'),
  };
}
