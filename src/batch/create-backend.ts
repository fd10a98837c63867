import path from 'node:path';
import { PROJECT_ROOT } from '../env.js';
import { createMemoryBackend } from './adapters/memory/index.js';
import { createSqliteBackend } from './adapters/sqlite/index.js';
import type { BatchBackend } from './ports.js';
import { StoreSetupError } from './setup-error.js';

/** Where batches live: the settings `STORE`, `DATA_DIR`, `MAX_STORED_BYTES`, `REDIS_URL` and the Redis ones. */
export interface StoreSettings {
  /**
   * `sqlite` (default; durable, in DATA_DIR), `memory` (lost with the process) or `redis` (shared by every
   * process of a deployment; chosen by setting `REDIS_URL`).
   */
  kind: 'sqlite' | 'memory' | 'redis';
  /** `DATA_DIR`: the SQLite adapter's directory (default `./data` under the project root). */
  dataDir: string;
  /** `MAX_STORED_BYTES`: bytes of event logs and waiting uploads held (default 2 GiB); past it, SERVER_BUSY. */
  maxStoredBytes: number;
  /** The Redis adapter's settings (kind `redis` only). */
  redis: RedisSettings | null;
}

/** The Redis adapter's settings. */
export interface RedisSettings {
  /** `REDIS_URL`, e.g. `redis://127.0.0.1:6379/0`. */
  url: string;
  /**
   * `REDIS_PREFIX`: the prefix of every key, so deployments (or test runs) share a Redis apart.
   * @default "decklist"
   */
  prefix: string;
  /**
   * `JOB_LOCK_MS`: a job whose worker stopped renewing its lock this long ago (the process died) is handed
   * out again.
   * @default 30000
   */
  lockMs: number;
  /**
   * `BLOB_TTL_MS`: uploaded bytes nobody read expire after this long.
   * @default 86400000 (a day)
   */
  blobTtlMs: number;
  /**
   * `REDIS_WAIT_MS`: how long start-up waits for Redis to answer before it exits with a setup error.
   * @default 10000
   */
  waitMs: number;
}

/** The default DATA_DIR: `data/` in the project root (git-ignored). */
const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, 'data');

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < min) throw new StoreSetupError(name, `${name} must be an integer >= ${min}, got "${env[name]}"`);
  return value;
}

/** Reads the store settings; throws {@link StoreSetupError} on a bad or contradictory value. */
export function storeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const redisUrl = env.REDIS_URL?.trim() || null;
  const kind = (env.STORE?.trim() || (redisUrl ? 'redis' : 'sqlite')).toLowerCase();
  if (kind !== 'sqlite' && kind !== 'memory' && kind !== 'redis') {
    throw new StoreSetupError('STORE', `STORE must be sqlite (the default, durable), memory or redis (set REDIS_URL), got "${env.STORE}"`);
  }
  if (kind === 'redis' && !redisUrl) throw new StoreSetupError('REDIS_URL', 'STORE=redis needs REDIS_URL (redis://host:port/db)');
  if (kind !== 'redis' && redisUrl) {
    throw new StoreSetupError('STORE', `REDIS_URL is set but STORE=${kind}: unset one of them (REDIS_URL alone chooses the Redis store)`);
  }
  const maxStoredBytes = intSetting(env, 'MAX_STORED_BYTES', 2 * 1024 ** 3, 1);
  const prefix = env.REDIS_PREFIX?.trim() || 'decklist';
  if (!/^[\w.-]{1,64}$/.test(prefix)) throw new StoreSetupError('REDIS_PREFIX', `REDIS_PREFIX must be 1–64 letters, digits, '_', '.' or '-', got "${prefix}"`);
  const redis: RedisSettings | null = redisUrl
    ? {
        url: redisUrl,
        prefix,
        lockMs: intSetting(env, 'JOB_LOCK_MS', 30_000, 1_000),
        blobTtlMs: intSetting(env, 'BLOB_TTL_MS', 24 * 3600_000, 60_000),
        waitMs: intSetting(env, 'REDIS_WAIT_MS', 10_000, 0),
      }
    : null;
  return { kind, dataDir: env.DATA_DIR?.trim() ? path.resolve(env.DATA_DIR) : DEFAULT_DATA_DIR, maxStoredBytes, redis };
}

/**
 * The adapter the settings name, with a job queue handing out `concurrency` images at once. The Redis
 * adapter is loaded only when chosen, and waits for Redis (REDIS_WAIT_MS) before it gives up.
 */
export async function createBackend(settings: StoreSettings, concurrency: number): Promise<BatchBackend> {
  if (settings.kind === 'memory') return createMemoryBackend({ concurrency });
  if (settings.kind === 'redis') {
    const { createRedisBackend } = await import('./adapters/redis/index.js');
    return createRedisBackend({ ...settings.redis!, concurrency });
  }
  return createSqliteBackend({ dataDir: settings.dataDir, concurrency });
}
