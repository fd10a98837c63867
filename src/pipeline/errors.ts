/** Why the pipeline could not produce a decklist from one image. */
export const PIPELINE_ERROR_CODES = [
  /** Empty, corrupt, truncated, or not an image at all. */
  'INVALID_IMAGE',
  /** A real image, but of a format the pipeline does not read (GIF, TIFF, SVG, ...). */
  'UNSUPPORTED_FORMAT',
  /** More pixels than the configured bound. */
  'IMAGE_TOO_LARGE',
  /** Too small to hold a readable decklist. */
  'IMAGE_TOO_SMALL',
  /** A readable image without the decklist layout (no card tiles, no sections). */
  'NOT_A_DECKLIST',
  /** The OCR engine failed on this image (after one retry on a fresh worker). */
  'OCR_FAILED',
  /** Reading the image took longer than the per-image time limit; its workers were replaced. */
  'TIMEOUT',
  /** The caller cancelled the image while it was being read. */
  'CANCELLED',
] as const;

export type PipelineErrorCode = (typeof PIPELINE_ERROR_CODES)[number];

/** A typed failure for one image. The message is meant for the person who submitted it. */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';

  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isPipelineError(error: unknown): error is PipelineError {
  return error instanceof PipelineError;
}

/** OCR_FAILED for an unexpected failure while reading an image: the one wording every layer uses. */
export function imageNotRead(error: unknown): PipelineError {
  return new PipelineError('OCR_FAILED', `the image could not be read: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
