/**
 * The service on a loopback port with a fake pipeline, as a child process for the fuzz campaign (the
 * fuzz is about the HTTP layer: multipart, routing, streams; OCR is not involved). Everything but
 * `process` is real: the server, the batch runner, the schema, the card database. Prints one JSON line
 * `{ "url": …, "pid": … }` on stdout once listening. Settings come from the environment (PORT, HOST,
 * MAX_*, *_TIMEOUT_MS), as for `npm start`. A crash ends this process: nothing here catches it.
 *
 * The fake pipeline answers a PNG signature with a small decklist after `FAKE_PIPELINE_MS` (default 5 ms)
 * and anything else with NOT_A_DECKLIST; `FAKE_DECK_NAME_BYTES` makes each decklist's name that long (for
 * tests of subscribers that stop reading).
 */
import { DEFAULT_CARDS_PATH } from '../../src/config.js';
import { loadCardDatabase } from '../../src/pipeline/cards.js';
import { PipelineError } from '../../src/pipeline/errors.js';
import { PIPELINE_STAGES, type Decklist } from '../../src/pipeline/types.js';
import { createService, type ServicePipeline } from '../../src/server/app.js';
import { serverConfigFromEnv } from '../../src/server/config.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A pipeline that reads nothing: a PNG signature gives a fixed decklist, anything else NOT_A_DECKLIST. */
export function fakePipeline(cards: ServicePipeline['cards'], ms = 5, deckNameBytes = 4): ServicePipeline {
  const deck: Decklist = {
    metadata: { deckName: 'x'.repeat(deckNameBytes), placement: null, event: null, date: null, player: null },
    legend: [],
    mainDeck: [],
    battlefields: [],
    runes: [],
    sideDeck: [],
    chosenChampion: null,
    validation: { valid: false, problems: [] },
    warnings: [],
    image: { width: 1, height: 1, format: 'png' },
  };
  return {
    cards,
    workers: 1,
    async process(bytes, options = {}) {
      for (const stage of PIPELINE_STAGES) options.onStage?.(stage);
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (!Buffer.from(bytes.subarray(0, 8)).equals(PNG)) throw new PipelineError('NOT_A_DECKLIST', 'not a fake decklist');
      return deck;
    },
  };
}

const env = process.env;
const cards = await loadCardDatabase(env.CARDS_PATH?.trim() || DEFAULT_CARDS_PATH);
const config = { ...serverConfigFromEnv(env), host: env.HOST?.trim() || '127.0.0.1' };
const pipeline = fakePipeline(cards, Number(env.FAKE_PIPELINE_MS ?? 5), Number(env.FAKE_DECK_NAME_BYTES ?? 4));
const service = createService({ pipeline, config });
const url = await service.listen();
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
const stop = () => void service.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
