/**
 * The service on a loopback port with a fake pipeline, as a child process for the fuzz campaign (the
 * fuzz is about the HTTP layer: multipart, routing, streams; OCR is not involved). Everything but
 * `process` is real: the server, the batch runner, the schema, the card database. Prints one JSON line
 * `{ "url": …, "pid": … }` on stdout once listening. Settings come from the environment (PORT, HOST,
 * MAX_*, *_TIMEOUT_MS), as for `npm start`. A crash ends this process: nothing here catches it.
 * `FAKE_PIPELINE_MS` and `FAKE_DECK_NAME_BYTES` set the fake pipeline (fake-pipeline.ts).
 */
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import { createService } from '../../src/server/app.js';
import { serverConfigFromEnv } from '../../src/server/config.js';
import { fakePipeline } from './fake-pipeline.js';

const env = process.env;
const cards = await loadCardDatabase(env.CARDS_PATH?.trim() || DEFAULT_CARDS_PATH);
const config = { ...serverConfigFromEnv(env), host: env.HOST?.trim() || '127.0.0.1' };
const pipeline = fakePipeline(cards, Number(env.FAKE_PIPELINE_MS ?? 5), Number(env.FAKE_DECK_NAME_BYTES ?? 4));
const service = createService({ pipeline, config });
// Signal handlers go in before the URL is printed: a pipe write is synchronous on Linux, so on a loaded
// machine the campaign could read the line and send SIGUSR2 before a later statement ran (and SIGUSR2
// with no handler ends the process).
const stop = () => void service.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The campaign asks for the heap after a full collection (the child runs with --expose-gc): a leak shows
// there, where RSS alone may only show memory V8 has not given back.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write(`heap ${JSON.stringify({ heapUsedKiB: Math.round(process.memoryUsage().heapUsed / 1024) })}\n`);
});
const url = await service.listen();
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
