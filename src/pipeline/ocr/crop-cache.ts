import { createHash } from 'node:crypto';
import { BoundedCache, sharedValue } from '../bounded-cache.js';
import type { OcrRequest, OcrResult } from './ocr-pool.js';

/**
 * Identical crops are read once. Tesseract is deterministic: the same pixels with the same model, mode and
 * whitelist give the same text and confidence, so a crop's result can be reused wherever the same crop
 * comes again — the same rune or popular card at the same size in the next decklist of a batch, two `x3`
 * badges rendered alike. The key is a SHA-256 of everything the worker sees (a collision would need a
 * SHA-256 collision); entries are bounded.
 *
 * A crop already being read is shared: the second caller waits for the first reading. If that reading
 * fails (its image was cancelled, its worker died), the second caller reads the crop itself.
 */
export class CropCache {
  private readonly results: BoundedCache<string, Promise<OcrResult>>;
  /** Crops answered from the cache. */
  hits = 0;
  /** Crops read by a worker. */
  misses = 0;

  /** `capacity` crops kept (0: off, every crop is read). */
  constructor(capacity: number) {
    this.results = new BoundedCache(capacity);
  }

  /**
   * The key of a crop: a hash of the model, mode, whitelist, whether it is read again (a reading again
   * takes tesseract's inverted pass) and every byte of the image.
   */
  static key(request: Pick<OcrRequest, 'image' | 'model' | 'mode' | 'whitelist' | 'followUp'>): string {
    return createHash('sha256')
      .update(`${request.model}\0${request.mode}\0${request.whitelist ?? ''}\0${request.followUp ? 'again' : ''}\0`)
      .update(request.image)
      .digest('base64');
  }

  /** The crop's result: from the cache (marked `cached`), or from `read` (then kept). */
  async recognize(request: OcrRequest, read: (request: OcrRequest) => Promise<OcrResult>): Promise<OcrResult> {
    if (this.results.capacity <= 0) return read(request);
    const { value, hit } = await sharedValue(this.results, CropCache.key(request), () => {
      this.misses++;
      return read(request);
    });
    if (!hit) return value;
    this.hits++;
    return { ...value, workerMs: 0, cached: true };
  }
}
