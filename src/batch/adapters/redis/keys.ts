/**
 * The Redis keys of one deployment, all under one prefix (`REDIS_PREFIX`, default `decklist`), so several
 * deployments or test runs share a Redis without touching each other's keys.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash: the batch's state (`s`, JSON) and its version (`v`, bumped on every change). */
  batch(id: string): string {
    return `${this.prefix}:batch:${id}`;
  }
  /** Stream: the batch's event log, entry IDs `<sequence>-0`. */
  log(id: string): string {
    return `${this.prefix}:batch:${id}:log`;
  }
  /** Set: indexes of the batch's images that have their result or error (the first one wins). */
  ended(id: string): string {
    return `${this.prefix}:batch:${id}:ended`;
  }
  /** Pub/sub channel: each stored event of the batch (JSON), and `deleted`. */
  channel(id: string): string {
    return `${this.prefix}:events:${id}`;
  }
  /** Sorted set: unfinished batches by creation time. */
  get unfinished(): string {
    return `${this.prefix}:batches:unfinished`;
  }
  /** Sorted set: finished batches by finish time. */
  get finished(): string {
    return `${this.prefix}:batches:finished`;
  }
  /** Hash: counters `batches`, `images`, `logBytes`, `blobBytes`, `queuedBytes`. */
  get stats(): string {
    return `${this.prefix}:stats`;
  }
  /** String with a TTL: uploaded bytes. */
  blob(key: string): string {
    return `${this.prefix}:blob:${key}`;
  }
  /** Hash: blob key → size, so a blob that expired is still uncounted exactly once. */
  get blobSizes(): string {
    return `${this.prefix}:blob-sizes`;
  }
  /** Set: blob keys of a batch. */
  blobsOf(batchId: string): string {
    return `${this.prefix}:blobs:${batchId}`;
  }
  /** Set: queued job indexes of a batch (for `waiting` and `drop`). */
  jobsOf(batchId: string): string {
    return `${this.prefix}:jobs:${batchId}`;
  }
  /** Hash: job id → bytes, for jobs not handed out yet (the queued-bytes counter counts these once). */
  get queuedJobs(): string {
    return `${this.prefix}:queued-jobs`;
  }
  /** Sorted set: live instances by last heartbeat; hash beside it with what each one runs. */
  get instances(): string {
    return `${this.prefix}:instances`;
  }
  get instanceInfo(): string {
    return `${this.prefix}:instance-info`;
  }
}
