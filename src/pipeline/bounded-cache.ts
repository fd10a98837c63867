/**
 * A map that keeps at most `capacity` entries, dropping the least recently used. Used for the OCR crop
 * cache and the screenshot cache: both bounded, so a long-running service's memory does not grow with
 * what it has seen.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** `capacity` 0 keeps nothing (the cache is off). */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
