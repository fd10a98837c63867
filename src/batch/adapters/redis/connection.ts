/**
 * Connections to Redis: parsing `REDIS_URL`, the bounded wait for Redis at start-up, and the translation
 * of a Redis that is away into {@link StoreUnavailableError} (GraphQL STORE_UNAVAILABLE) instead of a
 * request that hangs.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../../ports.js';
import { StoreSetupError } from '../../setup-error.js';

const REDIS_FIX = 'as the message says (docs/deployment.md, "Scale-out on Redis")';

/** `redis://user:password@host:port/db` without the password, for logs and `health`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparseable URL)';
  }
}

/** Checks `REDIS_URL`; throws {@link StoreSetupError} when it is not a redis:// or rediss:// URL. */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreSetupError('REDIS_URL', `REDIS_URL must be a URL like redis://127.0.0.1:6379/0, got "${url}"`, { fix: REDIS_FIX });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new StoreSetupError('REDIS_URL', `REDIS_URL must start with redis:// or rediss://, got "${redactUrl(url)}"`, { fix: REDIS_FIX });
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new StoreSetupError('REDIS_URL', `the database in REDIS_URL must be a number (redis://host:port/0), got "${db}"`, { fix: REDIS_FIX });
  }
}

/**
 * A connection for the store's own commands: it fails fast while Redis is away (no offline queue, one
 * try per command) and reconnects by itself, every 0.2…2 s, for as long as the process runs.
 */
export function storeConnection(url: string, name: string): Redis {
  const options: RedisOptions = {
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    // A Redis that stops answering (not only one that closed the connection) fails the request too.
    commandTimeout: 5_000,
    retryStrategy: (times) => Math.min(200 * times, 2_000),
  };
  const redis = new Redis(url, options);
  redis.on('error', () => undefined); // reported through the commands that fail; ioredis reconnects
  return redis;
}

/** BullMQ's connections: blocking commands need `maxRetriesPerRequest: null` (BullMQ retries them itself). */
export function queueConnection(url: string, name: string, failFast: boolean): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableOfflineQueue: !failFast,
    // The producer (adding jobs during an upload) must not hang on a Redis that stopped answering.
    ...(failFast ? { commandTimeout: 5_000 } : {}),
    retryStrategy: (times) => Math.min(200 * times, 2_000),
  });
  redis.on('error', () => undefined);
  return redis;
}

/**
 * Connects, waiting at most `waitMs` for Redis to answer PING; throws {@link StoreSetupError} naming the
 * URL and the last error when it does not.
 */
export async function connectWithin(redis: Redis, url: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let lastError: unknown = null;
  // The socket's own error (ECONNREFUSED, ENOTFOUND…) says more than connect()'s "Connection is closed.".
  const onError = (error: unknown) => (lastError = error);
  redis.on('error', onError);
  if (redis.status === 'wait') redis.connect().catch((error: unknown) => (lastError ??= error));
  while (Date.now() < deadline) {
    try {
      if (redis.status === 'ready' && (await redis.ping()) === 'PONG') return void redis.off('error', onError);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  redis.off('error', onError);
  redis.disconnect();
  const why = lastError instanceof Error ? lastError.message : 'no answer';
  throw new StoreSetupError(
    'REDIS_URL',
    `Redis at ${redactUrl(url)} did not answer within ${Math.round(waitMs / 1000)} s (${why}); start it, or fix REDIS_URL (unset it for the embedded SQLite store)`,
    { fix: REDIS_FIX },
  );
}

/** Runs a Redis call; a connection error becomes {@link StoreUnavailableError}. */
export async function unavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const message = (error as Error)?.message ?? String(error);
    // Script and reply errors are bugs, not an unavailable Redis: keep them as they are.
    if ((error as { name?: string })?.name === 'ReplyError' && !/LOADING|BUSY|READONLY|MASTERDOWN|OOM/.test(message)) throw error;
    throw new StoreUnavailableError(`Redis is unavailable: ${message}`, { cause: error });
  }
}
