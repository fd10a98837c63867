import sharp, { type Metadata } from 'sharp';
import { PipelineError } from '../errors.js';
import type { ImageFormat } from '../types.js';

/**
 * Width every image is scaled to before layout and OCR. Geometry downstream is measured in this frame,
 * so a screenshot at 720, 1080 or 1440 px gives the same decklist; boxes are mapped back for output.
 */
export const CANONICAL_WIDTH = 1080;

/** Smallest image that can hold a readable decklist, in original pixels. */
const MIN_WIDTH = 300;
const MIN_HEIGHT = 300;

/** A decoded image, scaled to {@link CANONICAL_WIDTH}, as packed 8-bit RGB. */
export interface DecodedImage {
  /** RGB bytes, row-major, `width * height * 3` long. */
  data: Buffer;
  width: number;
  height: number;
  /** Original pixels per canonical pixel (2 for a 2160 px wide image). */
  scale: number;
  /** Where canonical x = 0 lies in the original image (non-zero when bars beside the page were cut off). */
  offsetX: number;
  original: { width: number; height: number; format: ImageFormat };
}

export interface DecodeOptions {
  /** Largest accepted pixel count of the original image. */
  maxPixels: number;
  /** Decode only these columns of the original (the page between bars, see `findPageColumns`). */
  columns?: { left: number; width: number };
}

type Sniffed = { kind: 'supported'; format: ImageFormat } | { kind: 'unsupported'; name: string } | { kind: 'unknown' };

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((b, i) => bytes[offset + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Tells the format from the first bytes, never from a file name. */
export function sniffFormat(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'supported', format: 'jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'supported', format: 'png' };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return { kind: 'supported', format: 'webp' };
  if (startsWith(bytes, ascii('GIF8'))) return { kind: 'unsupported', name: 'GIF' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { kind: 'unsupported', name: 'TIFF' };
  }
  if (startsWith(bytes, ascii('BM'))) return { kind: 'unsupported', name: 'BMP' };
  if (startsWith(bytes, ascii('ftyp'), 4)) return { kind: 'unsupported', name: 'HEIF/AVIF' };
  const head = Buffer.from(bytes.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) {
    return { kind: 'unsupported', name: 'SVG' };
  }
  return { kind: 'unknown' };
}

/**
 * Decodes JPEG, PNG or WebP bytes into an RGB raster at the canonical width. Rejects with a typed
 * {@link PipelineError}: INVALID_IMAGE (empty, corrupt, truncated, not an image), UNSUPPORTED_FORMAT,
 * IMAGE_TOO_LARGE (checked from the header, before any pixel is decoded) or IMAGE_TOO_SMALL.
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  if (bytes.length === 0) throw new PipelineError('INVALID_IMAGE', 'the file is empty');
  const sniffed = sniffFormat(bytes);
  if (sniffed.kind === 'unsupported') {
    throw new PipelineError('UNSUPPORTED_FORMAT', `${sniffed.name} images are not accepted: send a JPEG, PNG or WebP screenshot`);
  }
  if (sniffed.kind === 'unknown') {
    throw new PipelineError('INVALID_IMAGE', 'the file is not a JPEG, PNG or WebP image');
  }
  const format = sniffed.format;
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  let meta: Metadata;
  try {
    // Reading the header allocates no pixels, so no limit here: the size check below gives the clear error.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new PipelineError('INVALID_IMAGE', `the ${format.toUpperCase()} file is corrupt: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // Orientation 5–8 swaps width and height on display.
  const swap = (meta.orientation ?? 1) >= 5;
  const width = (swap ? meta.height : meta.width) ?? 0;
  const height = (swap ? meta.width : meta.height) ?? 0;
  if ((meta.pages ?? 1) > 1) {
    throw new PipelineError('UNSUPPORTED_FORMAT', `animated ${format.toUpperCase()} images are not accepted`);
  }
  if (width * height > options.maxPixels) {
    throw new PipelineError(
      'IMAGE_TOO_LARGE',
      `the image is ${width}×${height} px (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${(options.maxPixels / 1e6).toFixed(1)} MP`,
    );
  }
  const columns = options.columns ?? { left: 0, width };
  if (columns.left < 0 || columns.width < 1 || columns.left + columns.width > width) {
    throw new RangeError(`columns ${columns.left}+${columns.width} are outside the ${width} px wide image`);
  }
  // Scaling to the canonical width must not blow a thin image up: a 300×100 000 PNG is 30 MP, within the
  // limit, but 1080 px wide it would be a 1.2 GB raster. Bound the canonical raster by the same limit.
  const canonicalPixels = CANONICAL_WIDTH * Math.ceil((height * CANONICAL_WIDTH) / Math.max(1, columns.width));
  if (columns.width >= MIN_WIDTH && canonicalPixels > options.maxPixels) {
    throw new PipelineError(
      'IMAGE_TOO_LARGE',
      `the image is ${width}×${height} px: scaled to ${CANONICAL_WIDTH} px wide for reading it would be ${(canonicalPixels / 1e6).toFixed(1)} MP; the limit is ${(options.maxPixels / 1e6).toFixed(1)} MP`,
    );
  }
  if (columns.width < MIN_WIDTH || height < MIN_HEIGHT) {
    throw new PipelineError('IMAGE_TOO_SMALL', `the image is ${columns.width}×${height} px, too small to hold a readable decklist`);
  }

  try {
    let pipeline = sharp(input, { limitInputPixels: options.maxPixels, failOn: 'error' }).rotate();
    // After rotate(), so the columns are those of the image as displayed.
    if (options.columns) pipeline = pipeline.extract({ left: columns.left, top: 0, width: columns.width, height });
    pipeline = pipeline.flatten({ background: '#000000' });
    // Already canonical (most phone screenshots): resizing to the same width gives the same pixels, slower.
    if (columns.width !== CANONICAL_WIDTH) {
      pipeline = pipeline.resize({ width: CANONICAL_WIDTH, kernel: columns.width > CANONICAL_WIDTH ? 'lanczos3' : 'cubic' });
    }
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return {
      data,
      width: info.width,
      height: info.height,
      scale: columns.width / info.width,
      offsetX: columns.left,
      original: { width, height, format },
    };
  } catch (error) {
    const message = (error as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new PipelineError('IMAGE_TOO_LARGE', `the image has more pixels than the limit of ${options.maxPixels}`, {
        cause: error,
      });
    }
    throw new PipelineError('INVALID_IMAGE', `the ${format.toUpperCase()} data is truncated or corrupt: ${message}`, {
      cause: error,
    });
  }
}
