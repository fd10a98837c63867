import { pipelineConfigFromEnv, type PipelineConfig } from '../config.js';
import { assembleDecklist } from './assemble.js';
import { loadCardDatabase, type CardDatabase } from './cards.js';
import { Limiter } from './limiter.js';
import { decodeImage } from './decode.js';
import { PipelineError } from './errors.js';
import { findLayout } from './layout.js';
import { createCardMatcher, type CardMatcher } from './match.js';
import { OcrPool } from './ocr-pool.js';
import { readDecklist } from './read.js';
import { rereadUnclearTiles } from './refine.js';
import type { Decklist, PipelineStage } from './types.js';

export interface ProcessOptions {
  /** Called as the image enters each stage (DECODING, LAYOUT, READING, MATCHING). */
  onStage?: (stage: PipelineStage) => void;
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
  /** Stops the OCR workers. Images still in flight fail. */
  close(): Promise<void>;
}

/**
 * Loads the card database and starts the OCR workers (a few seconds), then returns the pipeline.
 * Settings not given come from the environment and the embedded defaults ({@link pipelineConfigFromEnv}).
 */
export async function createPipeline(overrides: Partial<PipelineConfig> = {}): Promise<DecklistPipeline> {
  const config: PipelineConfig = { ...pipelineConfigFromEnv(), ...overrides };
  const cards = await loadCardDatabase(config.cardsPath);
  const matcher: CardMatcher = createCardMatcher(cards);
  const ocr = await OcrPool.create({ workers: config.workers, cachePath: config.tessdataCache });
  const limiter = new Limiter(config.maxConcurrentImages);

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
    process: (bytes, options = {}) => limiter.run(async () => {
      try {
        options.onStage?.('DECODING');
        const image = await decodeImage(bytes, { maxPixels: config.maxPixels });
        options.onStage?.('LAYOUT');
        const layout = findLayout(image);
        options.onStage?.('READING');
        const firstReading = await readDecklist(ocr, image, layout);
        options.onStage?.('MATCHING');
        const reading = await rereadUnclearTiles(ocr, image, firstReading, matcher);
        return assembleDecklist(reading, matcher, { sideDeckMax: config.sideDeckMax, image });
      } catch (error) {
        if (error instanceof PipelineError) throw error;
        throw new PipelineError('OCR_FAILED', `the image could not be read: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }),
    close: () => ocr.close(),
  };
}
