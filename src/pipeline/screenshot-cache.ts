import { createHash } from 'node:crypto';
import { BoundedCache, sharedValue } from './bounded-cache.js';
import { PipelineError } from './errors.js';
import type { Decklist } from './types.js';

/**
 * The same screenshot sent again (the same bytes: a re-upload, a batch that holds a file twice) is answered
 * with the decklist read the first time, without decoding or OCR. Keyed by the SHA-256 of the bytes; only
 * decklists are kept (a failure — cancelled, timed out — is tried again); each caller gets its own copy.
 * The same bytes arriving while the first copy is still being read wait for that reading.
 */
export class ScreenshotCache {
  private readonly decklists: BoundedCache<string, Promise<Decklist>>;
  /** Screenshots answered from the cache. */
  hits = 0;

  /** `capacity` decklists kept (0: off). */
  constructor(capacity: number) {
    this.decklists = new BoundedCache(capacity);
  }

  /**
   * The decklist of `bytes`: a copy of the one read before, or `read()`'s (then kept). While it waits for
   * a reading of the same bytes, `signal` still cancels it (CANCELLED).
   */
  async decklist(bytes: Uint8Array, read: () => Promise<Decklist>, signal?: AbortSignal): Promise<Decklist> {
    if (this.decklists.capacity <= 0) return read();
    const key = createHash('sha256').update(bytes).digest('base64');
    const { value, hit } = await sharedValue(this.decklists, key, read, (earlier) => Promise.race([earlier, cancelled(signal)]));
    if (hit) this.hits++;
    return structuredClone(value);
  }
}

/** Rejects with CANCELLED when `signal` aborts (never settles without one). */
function cancelled(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new PipelineError('CANCELLED', 'the image was cancelled'));
    if (signal?.aborted) fail();
    else signal?.addEventListener('abort', fail, { once: true });
  });
}
