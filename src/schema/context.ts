import type { BatchRunner } from '../batch/runner.js';
import type { CardDatabase } from '../pipeline/cards/cards.js';

/** Limits on uploads, enforced by the HTTP layer and by the resolvers that read the files. */
export interface UploadLimits {
  /** Bytes per file; a larger file becomes that file's `FILE_TOO_LARGE` error. */
  maxFileBytes: number;
  /** Files per request (`processBatch`). */
  maxFiles: number;
}

/** What every resolver gets: the shared runner and card database, settings, and service facts. */
export interface ServiceContext {
  runner: BatchRunner;
  cards: CardDatabase;
  limits: UploadLimits;
  /** OCR workers of the shared pipeline. */
  workers: number;
  version: string;
}
