/**
 * The Redis adapter, chosen by `REDIS_URL`: batches, event logs (Redis Streams), counters and uploaded bytes
 * in Redis, images as BullMQ jobs, so any number of API and OCR processes on any number of machines share
 * one deployment (docs/deployment.md). Everything lives under one key prefix (`REDIS_PREFIX`).
 */
import { randomUUID } from 'node:crypto';
import type { BatchBackend } from '../../ports.js';
import { RedisBlobStore } from './blobs.js';
import { RedisClusterRegistry } from './cluster.js';
import { checkRedisUrl, connectWithin, queueConnection, redactUrl, storeConnection } from './connection.js';
import { RedisKeys } from './keys.js';
import { BullJobQueue } from './queue.js';
import { defineScripts } from './scripts.js';
import { RedisBatchStore } from './store.js';

export interface RedisBackendOptions {
  /** `REDIS_URL`: `redis://host:port/db`. */
  url: string;
  /** `REDIS_PREFIX`: the prefix of every key (default `decklist`). */
  prefix: string;
  /** Images handled at once by this process. */
  concurrency: number;
  /** `JOB_LOCK_MS`: after this long without a heartbeat from its worker, a job is handed out again. */
  lockMs: number;
  /** `BLOB_TTL_MS`: uploaded bytes expire after this long unread. */
  blobTtlMs: number;
  /** `REDIS_WAIT_MS`: how long start-up waits for Redis to answer. */
  waitMs: number;
}

/** Connects (waiting at most `waitMs`) and makes the backend; throws StoreSetupError when Redis does not answer. */
export async function createRedisBackend(options: RedisBackendOptions): Promise<BatchBackend> {
  checkRedisUrl(options.url);
  const instance = randomUUID();
  const commands = storeConnection(options.url, `decklist-ocr:${instance}`);
  await connectWithin(commands, options.url, options.waitMs);
  const redis = defineScripts(commands);
  const subscriber = redis.duplicate({ connectionName: `decklist-ocr:${instance}:events`, enableOfflineQueue: true });
  subscriber.on('error', () => undefined);
  const producer = queueConnection(options.url, `decklist-ocr:${instance}:queue`, true);
  const keys = new RedisKeys(options.prefix);
  const store = new RedisBatchStore(redis, subscriber, keys);
  const queue = new BullJobQueue(redis, producer, keys, {
    concurrency: options.concurrency,
    lockMs: options.lockMs,
    connect: (name) => queueConnection(options.url, `${name}:${instance}`, false),
  });
  await queue.refresh();
  const blobs = new RedisBlobStore(redis, keys, options.blobTtlMs);
  const cluster = new RedisClusterRegistry(redis, keys);
  return {
    info: { kind: 'redis', durable: true, shared: true, location: `${redactUrl(options.url)} (prefix ${options.prefix})` },
    store,
    queue,
    blobs,
    cluster,
    async close() {
      await cluster.leave();
      await queue.close();
      await store.close();
      subscriber.disconnect();
      producer.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
