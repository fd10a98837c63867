import { PIPELINE_ERROR_CODES } from '../pipeline/errors.js';
import type { Decklist, PipelineStage } from '../pipeline/types.js';

/** Where one image of a batch is: waiting for the pool, or in a pipeline stage. */
export type BatchStage = 'QUEUED' | PipelineStage;

/** Failures of one upload before the pipeline sees it. */
export const UPLOAD_ERROR_CODES = [
  /** Larger than the per-file byte limit (`MAX_FILE_BYTES`). */
  'FILE_TOO_LARGE',
  /** Declared as something other than an image (e.g. `text/plain`). */
  'UNSUPPORTED_TYPE',
  /** Zero bytes. */
  'EMPTY_FILE',
  /** The upload could not be read (request aborted, multipart error). */
  'UPLOAD_FAILED',
  /** The image was not queued: the bytes of images waiting would pass `MAX_QUEUED_BYTES`; send it again later. */
  'SERVER_BUSY',
] as const;

/** Every code a `BatchError` can carry: the pipeline's failure codes, then the upload ones. */
export const BATCH_ERROR_CODES = [...PIPELINE_ERROR_CODES, ...UPLOAD_ERROR_CODES] as const;
export type BatchErrorCode = (typeof BATCH_ERROR_CODES)[number];

/** A batch's status (the GraphQL enum `BatchStatus` takes its values from here). */
export const BATCH_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

interface EventBase {
  batchId: string;
  /** 1, 2, 3… per batch, without gaps. */
  sequence: number;
}

export interface BatchProgressEvent extends EventBase {
  kind: 'progress';
  index: number;
  filename: string;
  stage: BatchStage;
  /** Images of the batch finished (result, error or cancelled) when the event was emitted. */
  completed: number;
  total: number;
}

export interface BatchResultEvent extends EventBase {
  kind: 'result';
  index: number;
  filename: string;
  decklist: Decklist;
}

export interface BatchErrorEvent extends EventBase {
  kind: 'error';
  index: number;
  filename: string;
  code: BatchErrorCode;
  message: string;
}

export interface BatchCompleteEvent extends EventBase {
  kind: 'complete';
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  durationMs: number;
}

export type BatchEvent = BatchProgressEvent | BatchResultEvent | BatchErrorEvent | BatchCompleteEvent;

/** An event before the batch gives it its id and sequence number. */
export type NewBatchEvent =
  | Omit<BatchProgressEvent, 'batchId' | 'sequence'>
  | Omit<BatchResultEvent, 'batchId' | 'sequence'>
  | Omit<BatchErrorEvent, 'batchId' | 'sequence'>
  | Omit<BatchCompleteEvent, 'batchId' | 'sequence'>;
