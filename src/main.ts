/**
 * The GraphQL service: `npm start` (`node dist/src/main.js`), `decklist-ocr serve`, or `tsx src/main.ts`.
 * Checks the settings and the port first (a mistake ends in one line and exit code 78 within a second),
 * opens the batch store (SQLite in DATA_DIR by default; unfinished batches resume), then loads the card
 * database, starts the OCR workers and serves /graphql (GraphiQL on GET),
 * /graphql/stream (graphql-sse) and the web page at `/`. SIGTERM/SIGINT: stop accepting, finish or cancel
 * work, end streams, exit 0.
 */
import { createServer } from 'node:net';
import { PAUSE_POINTS, type PausePoint } from './batch/runner.js';
import { boolFromEnv, pipelineConfigFromEnv } from './config.js';
import { isEntryPoint } from './entry.js';
import type { DecklistPipeline } from './pipeline/pipeline.js';
import type { Service } from './server/app.js';
import { packageVersion, serverConfigFromEnv, type ServerConfig } from './server/config.js';
import { ensureWritableDir, exitOnSetupError, listenSetupError, SetupError } from './setup-error.js';

/** A started service. */
export interface Running {
  /** The GraphQL URL, e.g. `http://localhost:4000/graphql`. */
  url: string;
  service: Service;
  pipeline: DecklistPipeline;
  config: ServerConfig;
  /** Milliseconds from the call to `start` until the service answered requests. */
  readyMs: number;
  /** Stops cleanly: finishes or cancels the work in flight (within the grace time), closes the OCR workers. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Settings (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Where start-up progress goes (default: stdout); `() => {}` for none. */
  log?: (line: string) => void;
}

/** Fails fast with a SetupError when the port cannot be bound (before the slow part of start-up). */
async function checkPort(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  }).catch((error: unknown) => {
    throw listenSetupError(error, port, host) ?? error;
  });
}

/**
 * Starts the service on the settings in `env` (embedded defaults for the rest). Throws a SetupError for a
 * setup mistake: a bad setting value, an unreadable card database, a port in use, an unwritable cache.
 */
export async function start({ env = process.env, log = (line) => console.log(line) }: StartOptions = {}): Promise<Running> {
  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;
  const config = serverConfigFromEnv(env);
  const pipelineConfig = pipelineConfigFromEnv(env);
  const logging = boolFromEnv(env, 'LOG_REQUESTS', false);
  log(`decklist-ocr ${packageVersion()} (node ${process.version}): settings read`);
  await checkPort(config.port, config.host);
  ensureWritableDir(pipelineConfig.tessdataCache, 'TESSDATA_CACHE');
  const testPauseAt = env.TEST_PAUSE_AT?.trim() || null;
  if (testPauseAt && !PAUSE_POINTS.includes(testPauseAt as PausePoint)) {
    throw new SetupError(`TEST_PAUSE_AT is "${testPauseAt}"`, { setting: 'TEST_PAUSE_AT', fix: `unset it (a test hook), or set one of ${PAUSE_POINTS.join(', ')}` });
  }
  // The heavy modules (sharp, tesseract.js, the schema) load only once the settings are known to be good.
  const [{ createBackend }, { createPipeline }, { batchConcurrency, createService }] = await Promise.all([
    import('./batch/create-backend.js'),
    import('./pipeline/pipeline.js'),
    import('./server/app.js'),
  ]);
  // The store first: a DATA_DIR that cannot be used stops the start before any OCR worker runs.
  const backend = createBackend(config.store, batchConcurrency(config, { workers: pipelineConfig.workers }));
  const store = backend.info.durable ? `${backend.info.kind} store in ${backend.info.location}` : `${backend.info.kind} store (not durable)`;
  log(`${store} open; loading the card database ${pipelineConfig.cardsPath} and starting ${pipelineConfig.workers} OCR worker(s) per model`);
  let pipeline: DecklistPipeline;
  try {
    pipeline = await createPipeline(pipelineConfig);
  } catch (error) {
    await backend.close();
    throw error;
  }
  log(`${pipeline.cards.cards.length} cards loaded, OCR workers ready (${elapsed()})`);
  const service = createService({ pipeline, config, logging, backend, testPauseAt: testPauseAt as PausePoint | null });
  let url: string;
  try {
    url = await service.listen();
  } catch (error) {
    // Closing the service closes its backend (the store's lock goes with it).
    await service.close().catch(() => backend.close());
    await pipeline.close();
    throw listenSetupError(error, config.port, config.host) ?? error;
  }
  const readyMs = Math.round(performance.now() - started);
  // CPU time too (every thread of the process): on a busy machine the wall time says more about the neighbours.
  const cpu = process.cpuUsage();
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  log(`decklist-ocr listening on ${url} (graphql-sse at ${url}/stream) — ready in ${readyMs} ms (${cpuMs} ms CPU)`);
  let closing: Promise<void> | null = null;
  return {
    url,
    service,
    pipeline,
    config,
    readyMs,
    close() {
      closing ??= (async () => {
        await service.close();
        await pipeline.close();
      })();
      return closing;
    },
  };
}

/**
 * The whole program: start (a setup mistake exits 78 with one line), then stop on SIGTERM/SIGINT
 * with exit code 0 (1 when shutdown fails or outlasts the grace time by 10 s).
 */
export async function runService(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let running: Running | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!running) {
      // Nothing accepted yet, nothing to finish: stop the start-up where it is.
      console.log(`${signal} during start-up: stopped`);
      process.exit(0);
    }
    const { config } = running;
    console.log(`${signal}: shutting down (finishing images in flight, at most ${config.shutdownGraceMs / 1000} s)`);
    const force = setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 10_000);
    force.unref();
    running.close().then(
      () => {
        console.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  running = await exitOnSetupError(() => start({ env }));
}

if (isEntryPoint(import.meta.url)) await runService();
