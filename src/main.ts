/**
 * `npm start`: the GraphQL service on embedded defaults (`PORT` 4000, `HOST` localhost) — loads the card
 * database, starts the OCR workers, serves /graphql (GraphiQL on GET) and /graphql/stream (graphql-sse).
 * SIGTERM/SIGINT: stop accepting, finish or cancel work, end streams, exit.
 */
import { createPipeline } from './pipeline/pipeline.js';
import { createService } from './server/app.js';
import { serverConfigFromEnv } from './server/config.js';

const config = serverConfigFromEnv();
const started = performance.now();
const pipeline = await createPipeline();
const service = createService({ pipeline, config, logging: process.env.LOG_REQUESTS === 'true' });
const url = await service.listen();
console.log(
  `decklist-ocr listening on ${url} (graphql-sse at ${url}/stream) — ${pipeline.cards.cards.length} cards, ` +
    `${pipeline.workers} OCR workers, ready in ${Math.round(performance.now() - started)} ms`,
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
