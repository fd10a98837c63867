import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createMemoryBackend } from '../batch/adapters/memory/index.js';
import type { BatchBackend } from '../batch/ports.js';
import { BatchRunner, type PausePoint } from '../batch/runner.js';
import { GRAPHQL_PATH, REQUEST_HEADERS, STREAM_PATH, TOKEN_HEADER_KEY, TOKEN_QUERY_KEY } from '../client/transport.js';
import { createMetrics, type ServiceMetrics } from '../metrics/registry.js';
import { serveMetrics } from '../metrics/http.js';
import type { DecklistPipeline } from '../pipeline/pipeline.js';
import { schema, type ServiceContext } from '../schema/index.js';
import { packageVersion, type ServerConfig } from './config.js';
import { renderBundledGraphiQL } from './graphiql.js';
import { abortRequest, authorize, checkTarget, handleMultipart, refuse, sendError, type UploadGateOptions } from './http.js';
import { RequestError } from './multipart.js';
import { connectionsCheckingInterval, guardServer, watchBody, watchWriteStall } from './slow-clients.js';
import { useOperationLimits, useSubscriptionErrorsAsResults, useTypedErrorResponses } from './plugins.js';
import { createWebPage } from './static.js';
import { useGraphQLStream } from './stream.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A GET stream's single-connection reservation token in the query string. */
const TOKEN_QUERY = new RegExp(`[?&]${TOKEN_QUERY_KEY}=`);

/**
 * What the service needs of the pipeline (tests may hand in a fake `process` with the real cards);
 * `ocrStats`, when there, feeds the OCR worker restarts metric. Without `process` (ROLE=api) the service
 * reads no image itself: the processes of the shared backend that have one do.
 */
export type ServicePipeline = Pick<DecklistPipeline, 'cards' | 'workers'> & Partial<Pick<DecklistPipeline, 'process' | 'ocrStats' | 'cacheStats'>>;

export interface ServiceOptions {
  pipeline: ServicePipeline;
  config: ServerConfig;
  /** Yoga's request logging (default: off). */
  logging?: boolean;
  /**
   * Where batches live (`createBackend(config.store, …)`); default: a memory backend. The service closes
   * it on `close()`.
   */
  backend?: BatchBackend;
  /** Test hook `TEST_PAUSE_AT` (see {@link PausePoint}). */
  testPauseAt?: PausePoint | null;
  /** Prometheus metrics served at `GET /metrics` (default: `createMetrics()`, a registry of the service's own). */
  metrics?: ServiceMetrics;
}

type ServerContext = { req: IncomingMessage; res: ServerResponse };

export interface Service {
  readonly server: Server;
  readonly yoga: YogaServerInstance<ServerContext, ServiceContext>;
  readonly runner: BatchRunner;
  readonly config: ServerConfig;
  /** Its Prometheus metrics, served at `GET /metrics`. */
  readonly metrics: ServiceMetrics;
  /** Starts listening; resolves with the GraphQL URL (`http://host:port/graphql`). */
  listen(): Promise<string>;
  /**
   * Shuts down cleanly: stops accepting work, cancels queued images and lets the ones in the pipeline
   * finish (up to the grace time; then they are cancelled) while queries and streams are still served,
   * then ends every event stream, stops accepting connections and closes them all.
   * The pipeline itself is the caller's to close.
   */
  close(): Promise<void>;
}

/** CORS: none by default; `*`; or a list, where only a listed Origin is echoed (with credentials). */
function corsOption(origins: string[]) {
  if (origins.length === 0) return false as const;
  const common = {
    allowedHeaders: [...REQUEST_HEADERS],
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
  };
  if (origins.includes('*')) return { ...common, origin: '*', credentials: false };
  return (request: Request) => {
    const origin = request.headers.get('origin');
    return origin && origins.includes(origin) ? { ...common, origin, credentials: true } : (false as const);
  };
}

/** Images handed to the pipeline at once: `BATCH_CONCURRENCY`, else the OCR workers (at least 2). */
export function batchConcurrency(config: ServerConfig, pipeline: Pick<ServicePipeline, 'workers'>): number {
  return config.concurrency ?? Math.max(2, pipeline.workers);
}

/**
 * The batch runner on the service settings: the limits, retention and concurrency of `config`. Used by
 * the GraphQL service and by an OCR-only process (ROLE=worker), which has no service around it.
 */
export function createRunner({
  config,
  pipeline,
  backend,
  testPauseAt = null,
  metrics,
}: {
  config: ServerConfig;
  pipeline: ServicePipeline;
  backend?: BatchBackend;
  testPauseAt?: PausePoint | null;
  metrics: ServiceMetrics;
}): BatchRunner {
  const concurrency = batchConcurrency(config, pipeline);
  return new BatchRunner({
    observer: metrics.observer,
    pipeline: pipeline.process ? { process: pipeline.process } : null,
    abandonedUploadMs: config.uploadTimeoutMs + 60_000,
    backend: backend ?? createMemoryBackend({ concurrency }),
    testPauseAt,
    maxStoredBytes: config.store.maxStoredBytes,
    concurrency,
    retentionMs: config.retentionMs,
    maxBatches: config.maxBatches,
    maxQueuedImages: config.maxQueuedImages,
    maxQueuedBytes: config.maxQueuedBytes,
    maxHeldImages: config.maxHeldImages,
  });
}

export function createService({ pipeline, config, logging = false, backend, testPauseAt = null, metrics = createMetrics() }: ServiceOptions): Service {
  const runner = createRunner({ config, pipeline, backend, testPauseAt, metrics });
  const untrack = metrics.track({
    queue: runner,
    openStreams: () => runner.openStreams,
    ...(pipeline.ocrStats ? { ocrWorkers: () => pipeline.ocrStats! } : {}),
    ...(pipeline.cacheStats ? { caches: () => pipeline.cacheStats! } : {}),
  });
  const context: ServiceContext = {
    runner,
    cards: pipeline.cards,
    limits: { maxFileBytes: config.maxFileBytes, maxFiles: config.maxFiles },
    workers: pipeline.workers,
    version: packageVersion(),
  };

  const yoga = createYoga<ServerContext, ServiceContext>({
    schema,
    context: () => context,
    graphqlEndpoint: GRAPHQL_PATH,
    // Multipart is parsed in front of yoga (graphql-upload-minimal), see http.ts.
    multipart: false,
    graphiql: config.graphiql ? { title: 'decklist-ocr', defaultQuery: DEFAULT_QUERY } : false,
    renderGraphiQL: renderBundledGraphiQL,
    landingPage: false,
    cors: corsOption(config.corsOrigins),
    logging,
    // Errors that are not GraphQL errors become "Unexpected error."; outside production their message
    // and stack are added under extensions.originalError, in production nothing is.
    maskedErrors: { isDev: !config.production },
    // One operation per request: a JSON array (batched operations) is refused.
    batching: false,
    plugins: [
      useGraphQLStream(STREAM_PATH),
      useSubscriptionErrorsAsResults(),
      useTypedErrorResponses(),
      ...useOperationLimits({ ...config.queryLimits, introspection: config.introspection }),
    ],
  });

  let uploadsInProgress = 0;
  const gate: UploadGateOptions = {
    graphqlPath: GRAPHQL_PATH,
    streamPath: STREAM_PATH,
    maxFileBytes: config.maxFileBytes,
    maxFiles: config.maxFiles,
    maxRequestBytes: config.maxRequestBytes,
    corsOrigins: config.corsOrigins,
    apiKey: config.apiKey,
    uploads: {
      tryStart: () => {
        if (runner.shuttingDown) return 'SHUTTING_DOWN';
        if (uploadsInProgress >= config.maxConcurrentUploads) return 'SERVER_BUSY';
        uploadsInProgress++;
        return null;
      },
      done: () => {
        uploadsInProgress--;
      },
      max: config.maxConcurrentUploads,
    },
  };

  // Responses still open, so shutdown can let the last events reach their clients before cutting.
  const open = new Map<ServerResponse, { longLived: boolean }>();
  const webPage = createWebPage(); // the built web page at `/` (static.ts); everything else goes to yoga
  const server = createServer({ connectionsCheckingInterval: connectionsCheckingInterval(config), requireHostHeader: false }, (req, res) => {
    watchWriteStall(res, config.writeStallTimeoutMs);
    const badTarget = checkTarget(req);
    if (badTarget) return refuse(req, res, gate, new RequestError(400, 'BAD_REQUEST', badTarget));
    watchBody(req, config, (error) => abortRequest(req, res, gate, error));
    if (webPage(req, res)) return;
    // Prometheus (open like yoga's GET /health: API_KEY guards the GraphQL paths only).
    if (serveMetrics(req, res, metrics.registry)) return;
    const url = req.url ?? '/';
    // A single-connection graphql-sse stream (GET with a reservation token) stays open by design.
    const longLived = req.method === 'GET' && url.split('?')[0] === STREAM_PATH && (Boolean(req.headers[TOKEN_HEADER_KEY]) || TOKEN_QUERY.test(url));
    open.set(res, { longLived });
    res.once('close', () => open.delete(res));
    if (!authorize(req, res, gate)) return;
    handleMultipart(req, res, gate)
      .then((proceed) => {
        if (proceed) return yoga(req, res);
      })
      .catch((error: unknown) => {
        const detail = config.production ? '' : `: ${(error as Error).message}`;
        sendError(req, res, gate, { status: 500, code: 'INTERNAL_SERVER_ERROR', message: `unexpected error${detail}` });
      });
  });

  guardServer(server, config);
  let closing: Promise<void> | null = null;
  // Resumes what an earlier process left in a durable store, then starts reading queued images.
  const ready = runner.start();
  ready.catch(() => undefined);

  return {
    server,
    yoga,
    runner,
    config,
    metrics,
    async listen() {
      await ready;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? 'localhost' : config.host;
          resolve(`http://${host}:${port}${GRAPHQL_PATH}`);
        });
      });
    },
    close() {
      closing ??= (async () => {
        // Stop accepting work (processBatch and processImage answer SHUTTING_DOWN, uploads 503) but keep
        // answering queries and streams while the images in flight finish: a client that reconnects
        // now still gets every event (resume with `after`).
        await runner.shutdown(config.shutdownGraceMs);
        // Now stop accepting connections (idle keep-alive ones close now; busy ones when done).
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Every batch stream has ended: wait (briefly) for those responses to be written out.
        const deadline = Date.now() + 2_000;
        while (Date.now() < deadline && [...open.values()].some((r) => !r.longLived)) await sleep(20);
        // Single-connection streams stay open: give their last events a moment to be flushed.
        if (open.size > 0) await sleep(150);
        await yoga.dispose();
        await runner.dispose();
        untrack();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

const DEFAULT_QUERY = `# Upload screenshots with processBatch (multipart, from a client), then follow the batch:
# subscription { batchEvents(batchId: "…") { __typename ... on BatchResult { index decklist { text deckCode } } } }
query Health {
  health { status cardsLoaded workers queueDepth version }
  cards(search: "jinx", first: 3) { cardNumber nameCn nameEn type }
}
`;
