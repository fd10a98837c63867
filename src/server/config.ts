import { readFileSync } from 'node:fs';
import path from 'node:path';
import { storeSettingsFromEnv, type StoreSettings } from '../batch/create-backend.js';
import { boolFromEnv, intFromEnv, PROJECT_ROOT } from '../env.js';
import { SetupError } from '../setup-error.js';

/** What a process runs (`ROLE`): GraphQL and OCR (`all`), GraphQL only (`api`), or OCR only (`worker`). */
export const ROLES = ['all', 'api', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** Settings of the HTTP service, each with an embedded default and an environment variable. */
export interface ServerConfig {
  /**
   * `ROLE`: `all` (default: GraphQL and OCR in one process), `api` (GraphQL only, starts no OCR worker) or
   * `worker` (OCR only: reads queued images, serves only /metrics). `api` and `worker` need a shared store
   * (`REDIS_URL`).
   */
  role: Role;
  /** `METRICS_PORT`: where a `worker` serves `GET /metrics` (default 9464; 0 picks a free port). */
  metricsPort: number;
  /** `PORT` (default 4000; 0 picks a free port). */
  port: number;
  /** `HOST` (default `localhost`; `0.0.0.0` in the Docker image). */
  host: string;
  /** `MAX_FILE_BYTES`: bytes per uploaded file (default 8 MiB); a larger file becomes its FILE_TOO_LARGE error. */
  maxFileBytes: number;
  /** `MAX_FILES`: files per request (default 50). */
  maxFiles: number;
  /** `MAX_REQUEST_BYTES`: whole multipart request (default 128 MiB); larger requests get 413. */
  maxRequestBytes: number;
  /** `BATCH_RETENTION_SECONDS`: how long a finished batch stays queryable and replayable (default 3600). */
  retentionMs: number;
  /** `BATCH_CONCURRENCY`: images in the pipeline at once (default: OCR workers, at least 2). */
  concurrency: number | null;
  /** `MAX_QUEUED_IMAGES`: images waiting across all batches before new work is refused with SERVER_BUSY (default 500). */
  maxQueuedImages: number;
  /** `MAX_QUEUED_BYTES`: bytes of images waiting across all batches (default 256 MiB); past it, SERVER_BUSY. */
  maxQueuedBytes: number;
  /** `MAX_CONCURRENT_UPLOADS`: multipart requests being read at once (default 8); more get 503 SERVER_BUSY. */
  maxConcurrentUploads: number;
  /** `MAX_BATCHES`: batches held in memory, running or retained (default 500). */
  maxBatches: number;
  /** `MAX_HELD_IMAGES`: images of all batches held, running or retained (default 2000; ~80 KB of results each). */
  maxHeldImages: number;
  /** `CORS_ORIGINS`: comma-separated allowed origins, or `*`; empty (default) sends no CORS headers. */
  corsOrigins: string[];
  /** `GRAPHIQL`: serve GraphiQL on GET /graphql (default true; false when `NODE_ENV=production`). */
  graphiql: boolean;
  /** `INTROSPECTION`: answer introspection queries (default true; false when `NODE_ENV=production`). */
  introspection: boolean;
  /** `NODE_ENV=production`: internal errors are masked ("Unexpected error.", no details). */
  production: boolean;
  /** `API_KEY`: when set, every request to /graphql and /graphql/stream needs `Authorization: Bearer <key>`. */
  apiKey: string | null;
  /** Operation limits (GraphQL Armor): `MAX_QUERY_DEPTH` 16, `MAX_QUERY_COST` 50000, `MAX_ALIASES` 15, `MAX_QUERY_TOKENS` 1000, `MAX_DIRECTIVES` 10. */
  queryLimits: { maxDepth: number; maxCost: number; maxAliases: number; maxTokens: number; maxDirectives: number };
  /** Slow clients: `HEADERS_TIMEOUT_MS` (20 000) to send the request headers; then 408 REQUEST_TIMEOUT. */
  headersTimeoutMs: number;
  /** `UPLOAD_IDLE_TIMEOUT_MS` (30 000): longest pause between two pieces of a request body; then 408 REQUEST_TIMEOUT. */
  uploadIdleTimeoutMs: number;
  /** `UPLOAD_TIMEOUT_MS` (900 000): longest time to send a whole request body; then 408 REQUEST_TIMEOUT. */
  uploadTimeoutMs: number;
  /** `WRITE_STALL_TIMEOUT_MS` (120 000): a response (an event stream) its client stops reading is closed after this. */
  writeStallTimeoutMs: number;
  /** `SHUTDOWN_GRACE_SECONDS`: on SIGTERM, how long images in the pipeline may finish (default 10). */
  shutdownGraceMs: number;
  /** Where batches live: `STORE` (sqlite | memory), `DATA_DIR`, `MAX_STORED_BYTES`. */
  store: StoreSettings;
}

/** Reads the service settings from the environment, falling back to the embedded defaults; a bad value is a SetupError. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const production = env.NODE_ENV?.trim() === 'production';
  const concurrency = env.BATCH_CONCURRENCY?.trim() ? intFromEnv(env, 'BATCH_CONCURRENCY', 2) : null;
  const role = (env.ROLE?.trim() || 'all').toLowerCase() as Role;
  if (!ROLES.includes(role)) {
    throw new SetupError(`ROLE is "${env.ROLE}"`, { setting: 'ROLE', fix: 'set all (default: GraphQL and OCR), api (GraphQL only) or worker (OCR only)' });
  }
  const store = storeSettingsFromEnv(env);
  if (role !== 'all' && store.kind !== 'redis') {
    throw new SetupError(`ROLE=${role} needs a store shared between processes, and this one is ${store.kind}`, {
      setting: 'ROLE',
      fix: 'set REDIS_URL (redis://host:port/db) for every process of the deployment, or leave ROLE unset (all)',
    });
  }
  return {
    role,
    metricsPort: intFromEnv(env, 'METRICS_PORT', 9464, 0, 65_535),
    port: intFromEnv(env, 'PORT', 4000, 0, 65_535),
    host: env.HOST?.trim() || 'localhost',
    maxFileBytes: intFromEnv(env, 'MAX_FILE_BYTES', 8 * 1024 * 1024),
    maxFiles: intFromEnv(env, 'MAX_FILES', 50),
    maxRequestBytes: intFromEnv(env, 'MAX_REQUEST_BYTES', 128 * 1024 * 1024),
    retentionMs: intFromEnv(env, 'BATCH_RETENTION_SECONDS', 3600) * 1000,
    concurrency,
    maxQueuedImages: intFromEnv(env, 'MAX_QUEUED_IMAGES', 500),
    maxQueuedBytes: intFromEnv(env, 'MAX_QUEUED_BYTES', 256 * 1024 * 1024),
    maxConcurrentUploads: intFromEnv(env, 'MAX_CONCURRENT_UPLOADS', 8),
    maxBatches: intFromEnv(env, 'MAX_BATCHES', 500),
    maxHeldImages: intFromEnv(env, 'MAX_HELD_IMAGES', 2000),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    graphiql: boolFromEnv(env, 'GRAPHIQL', !production),
    introspection: boolFromEnv(env, 'INTROSPECTION', !production),
    production,
    apiKey: env.API_KEY?.trim() || null,
    queryLimits: {
      maxDepth: intFromEnv(env, 'MAX_QUERY_DEPTH', 16),
      maxCost: intFromEnv(env, 'MAX_QUERY_COST', 50_000),
      maxAliases: intFromEnv(env, 'MAX_ALIASES', 15, 0),
      maxTokens: intFromEnv(env, 'MAX_QUERY_TOKENS', 1_000),
      maxDirectives: intFromEnv(env, 'MAX_DIRECTIVES', 10, 0),
    },
    headersTimeoutMs: intFromEnv(env, 'HEADERS_TIMEOUT_MS', 20_000),
    uploadIdleTimeoutMs: intFromEnv(env, 'UPLOAD_IDLE_TIMEOUT_MS', 30_000),
    uploadTimeoutMs: intFromEnv(env, 'UPLOAD_TIMEOUT_MS', 900_000),
    writeStallTimeoutMs: intFromEnv(env, 'WRITE_STALL_TIMEOUT_MS', 120_000),
    shutdownGraceMs: intFromEnv(env, 'SHUTDOWN_GRACE_SECONDS', 10, 0) * 1000,
    store,
  };
}

/** The version in package.json. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
