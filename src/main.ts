/**
 * `npm start`: the GraphQL service on embedded defaults (`PORT` 4000, `HOST` localhost) — opens the batch
 * store (SQLite in DATA_DIR by default; unfinished batches resume), loads the card database, starts the
 * OCR workers, serves /graphql (GraphiQL on GET) and /graphql/stream (graphql-sse).
 * SIGTERM/SIGINT: stop accepting, finish or cancel work, end streams, exit.
 */
import { createBackend } from './batch/create-backend.js';
import { PAUSE_POINTS, type PausePoint } from './batch/runner.js';
import { StoreSetupError } from './batch/setup-error.js';
import { pipelineConfigFromEnv } from './config.js';
import { createPipeline } from './pipeline/pipeline.js';
import { batchConcurrency, createService } from './server/app.js';
import { serverConfigFromEnv } from './server/config.js';

/** A store that cannot start is a setup error: its message says what to fix; exit 78 (EX_CONFIG). */
function exitOnStoreSetup(error: unknown): never {
  if (error instanceof StoreSetupError) {
    console.error(`decklist-ocr cannot start: ${error.message}`);
    process.exit(78);
  }
  throw error;
}

const config = (() => {
  try {
    return serverConfigFromEnv();
  } catch (error) {
    exitOnStoreSetup(error);
  }
})();
const started = performance.now();
// The store first: a DATA_DIR that cannot be used stops the start before any OCR worker runs.
const backend = (() => {
  try {
    return createBackend(config.store, batchConcurrency(config, { workers: pipelineConfigFromEnv().workers }));
  } catch (error) {
    exitOnStoreSetup(error);
  }
})();
const pipeline = await createPipeline();
const pauseAt = process.env.TEST_PAUSE_AT?.trim() || null;
if (pauseAt && !PAUSE_POINTS.includes(pauseAt as PausePoint)) throw new Error(`TEST_PAUSE_AT must be one of ${PAUSE_POINTS.join(', ')}`);
const service = createService({ pipeline, config, backend, testPauseAt: pauseAt as PausePoint | null, logging: process.env.LOG_REQUESTS === 'true' });
const url = await service.listen();
const store = backend.info.durable ? `${backend.info.kind} store in ${backend.info.location}` : `${backend.info.kind} store (not durable)`;
console.log(
  `decklist-ocr listening on ${url} (graphql-sse at ${url}/stream) — ${pipeline.cards.cards.length} cards, ` +
    `${pipeline.workers} OCR workers, ${store}, ready in ${Math.round(performance.now() - started)} ms`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down (finishing images in flight, at most ${config.shutdownGraceMs / 1000} s)`);
  const force = setTimeout(() => {
    console.error('shutdown took too long; exiting');
    process.exit(1);
  }, config.shutdownGraceMs + 10_000);
  force.unref();
  try {
    await service.close();
    await pipeline.close();
    console.log('stopped');
    process.exit(0);
  } catch (error) {
    console.error('shutdown failed:', error);
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
