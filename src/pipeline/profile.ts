/**
 * Where an image's time goes: a per-stage profile (calls and milliseconds) that `process` fills in when it
 * is handed one (`npm run bench` prints it; the service does not pay for it otherwise). Stages are timed on
 * the wall clock; OCR calls by their time on a worker, per purpose, so the OCR kinds add up to the workers'
 * busy time even though they overlap.
 */

/** What an OCR call reads: the profile's OCR rows. */
const OCR_PURPOSES = ['name', 'title', 'badge', 'label', 'header', 'placement', 'second-look'] as const;
export type OcrPurpose = (typeof OCR_PURPOSES)[number];

/** One row of a profile. */
export interface ProfileEntry {
  calls: number;
  ms: number;
}

/** Calls and milliseconds per key (`decode`, `layout`, `ocr:name`, …), added up over any number of images. */
export class PipelineProfile {
  readonly entries = new Map<string, ProfileEntry>();

  /** Adds one call of `ms` to `key`. */
  add(key: string, ms: number): void {
    const entry = this.entries.get(key) ?? { calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += ms;
    this.entries.set(key, entry);
  }

  /** Runs `fn` and adds its wall time to `key`. */
  async time<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      this.add(key, performance.now() - started);
    }
  }
}
