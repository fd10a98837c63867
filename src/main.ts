/**
 * The GraphQL service: `npm start` (`node dist/src/main.js`), `decklist-ocr serve`, or `tsx src/main.ts`.
 * Checks the settings and the port first (a mistake ends in one line and exit code 78 within a second),
 * opens the batch store (SQLite in DATA_DIR by default; unfinished batches resume), then loads the card
 * database, starts the OCR workers and serves /graphql (GraphiQL on GET),
 * /graphql/stream (graphql-sse) and the web page at `/`. SIGTERM/SIGINT: stop accepting, finish or cancel
 * work, end streams, exit 0.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { PAUSE_POINTS, type PausePoint } from './batch/runner.js';
import { pipelineConfigFromEnv } from './pipeline/config.js';
import { boolFromEnv } from './env.js';
import { isEntryPoint } from './entry.js';
import type { DecklistPipeline } from './pipeline/pipeline.js';
import type { Service } from './server/app.js';
import { packageVersion, serverConfigFromEnv, type Role, type ServerConfig } from './server/config.js';
import { ensureWritableDir, exitOnSetupError, listenSetupError, SetupError } from './setup-error.js';

/** A started process: the GraphQL service (ROLE all or api) or an OCR worker (ROLE worker). */
export interface Running {
  /** The GraphQL URL, e.g. `http://localhost:4000/graphql`; for a worker, its metrics URL. */
  url: string;
  role: Role;
  /** The GraphQL service; null for a worker. */
  service: Service | null;
  /** The OCR pipeline; null for an API (it reads no image). */
  pipeline: DecklistPipeline | null;
  config: ServerConfig;
  /** Milliseconds from the call to `start` until the process answered requests (or took jobs). */
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
 * Starts the process on the settings in `env` (embedded defaults for the rest) in its ROLE: `all` serves
 * GraphQL and reads images, `api` serves GraphQL over a shared store and reads none, `worker` reads the
 * shared queue's images and serves only /metrics. Throws a SetupError for a setup mistake: a bad setting
 * value, an unreadable card database, a port in use, an unwritable cache, a Redis that does not answer.
 */
export async function start({ env = process.env, log = (line) => console.log(line) }: StartOptions = {}): Promise<Running> {
  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;
  const config = serverConfigFromEnv(env);
  const { role } = config;
  const pipelineConfig = pipelineConfigFromEnv(env);
  const logging = boolFromEnv(env, 'LOG_REQUESTS', false);
  log(`decklist-ocr ${packageVersion()} (node ${process.version}, ROLE=${role}): settings read`);
  await checkPort(role === 'worker' ? config.metricsPort : config.port, config.host);
  if (role !== 'api') ensureWritableDir(pipelineConfig.tessdataCache, 'TESSDATA_CACHE');
  const testPauseAt = env.TEST_PAUSE_AT?.trim() || null;
  if (testPauseAt && !PAUSE_POINTS.includes(testPauseAt as PausePoint)) {
    throw new SetupError(`TEST_PAUSE_AT is "${testPauseAt}"`, {
      setting: 'TEST_PAUSE_AT',
      fix: `unset it (a test hook), or set one of ${PAUSE_POINTS.join(', ')}`,
    });
  }
  // The heavy modules (sharp, tesseract.js, the schema) load only once the settings are known to be good.
  const [
    { createBackend },
    { createPipeline },
    { loadCardDatabase },
    { batchConcurrency, createRunner, createService },
    { createMetrics, startMetricsServer },
  ] = await Promise.all([
    import('./batch/create-backend.js'),
    import('./pipeline/pipeline.js'),
    import('./pipeline/cards/cards.js'),
    import('./server/app.js'),
    import('./metrics/index.js'),
  ]);
  // Made first, so the process CPU counters include start-up.
  const metrics = createMetrics({ labels: { role } });
  const concurrency = batchConcurrency(config, { workers: pipelineConfig.workers });
  // The store first: a DATA_DIR that cannot be used, or a Redis that does not answer, stops the start
  // before any OCR worker runs.
  const backend = await createBackend(config.store, concurrency);
  const store = backend.info.durable ? `${backend.info.kind} store in ${backend.info.location}` : `${backend.info.kind} store (not durable)`;
  const reads = role === 'api' ? 'no OCR workers (ROLE=api)' : `${pipelineConfig.workers} Chinese + ${pipelineConfig.digitWorkers} digit OCR worker(s)`;
  log(`${store} open; loading the card database ${pipelineConfig.cardsPath} and starting ${reads}`);
  let pipeline: DecklistPipeline | null = null;
  let cards: Awaited<ReturnType<typeof loadCardDatabase>>;
  try {
    if (role === 'api') cards = await loadCardDatabase(pipelineConfig.cardsPath);
    else {
      pipeline = await createPipeline(pipelineConfig);
      cards = pipeline.cards;
    }
  } catch (error) {
    await backend.close();
    throw error;
  }
  log(`${cards.cards.length} cards loaded${pipeline ? ', OCR workers ready' : ''} (${elapsed()})`);
  const servicePipeline = pipeline ?? { cards, workers: 0 };
  let url: string;
  let service: Service | null = null;
  let stopWorker: (() => Promise<void>) | null = null;
  try {
    if (role === 'worker') {
      const runner = createRunner({ config, pipeline: servicePipeline, backend, testPauseAt: testPauseAt as PausePoint | null, metrics });
      metrics.track({ queue: runner, ocrWorkers: () => pipeline!.ocrStats, caches: () => pipeline!.cacheStats });
      await runner.start();
      const server = await startMetricsServer({ port: config.metricsPort, host: config.host, registry: metrics.registry }).catch(async (error: unknown) => {
        await runner.dispose();
        throw listenSetupError(error, config.metricsPort, config.host) ?? error;
      });
      url = server.url;
      stopWorker = async () => {
        await runner.shutdown(config.shutdownGraceMs);
        await runner.dispose();
        await server.close();
      };
    } else {
      service = createService({ pipeline: servicePipeline, config, logging, backend, testPauseAt: testPauseAt as PausePoint | null, metrics });
      try {
        url = await service.listen();
      } catch (error) {
        // Closing the service closes its backend (the store's lock goes with it).
        await service.close().catch(() => backend.close());
        throw listenSetupError(error, config.port, config.host) ?? error;
      }
    }
  } catch (error) {
    if (role === 'worker') await backend.close().catch(() => undefined);
    await pipeline?.close();
    throw error;
  }
  // Other processes of a shared deployment see this one in `health` from now on.
  await backend.cluster
    ?.announce({ id: randomUUID(), role, ocrWorkers: pipeline ? pipelineConfig.workers : 0, concurrency: pipeline ? concurrency : 0 })
    .catch(() => undefined);
  const readyMs = Math.round(performance.now() - started);
  // CPU time too (every thread of the process): on a busy machine the wall time says more about the neighbours.
  const cpu = process.cpuUsage();
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  if (role === 'worker') log(`decklist-ocr worker reading queued images, metrics at ${url} — ready in ${readyMs} ms (${cpuMs} ms CPU)`);
  else log(`decklist-ocr listening on ${url} (graphql-sse at ${url}/stream) — ready in ${readyMs} ms (${cpuMs} ms CPU)`);
  let closing: Promise<void> | null = null;
  return {
    url,
    role,
    service,
    pipeline,
    config,
    readyMs,
    close() {
      closing ??= (async () => {
        await backend.cluster?.leave().catch(() => undefined);
        if (service) await service.close();
        if (stopWorker) await stopWorker();
        await pipeline?.close();
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
