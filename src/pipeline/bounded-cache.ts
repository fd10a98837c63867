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

/**
 * The value kept under `key` — shared even while it is still being produced — or, when there is none,
 * `produce()`'s, kept from then on (`hit` says which). A production that fails is not kept: whoever waited
 * for it produces their own. `wait` wraps the wait for an earlier production (to let a caller give up).
 */
export async function sharedValue<V>(
  cache: BoundedCache<string, Promise<V>>,
  key: string,
  produce: () => Promise<V>,
  wait: (earlier: Promise<V | null>) => Promise<V | null> = (earlier) => earlier,
): Promise<{ value: V; hit: boolean }> {
  const pending = cache.get(key);
  if (pending) {
    const earlier = await wait(
      pending.then(
        (value) => value,
        () => null,
      ),
    );
    if (earlier !== null) return { value: earlier, hit: true };
  }
  const producing = produce();
  cache.set(key, producing);
  producing.catch(() => {
    if (cache.get(key) === producing) cache.delete(key);
  });
  return { value: await producing, hit: false };
}
