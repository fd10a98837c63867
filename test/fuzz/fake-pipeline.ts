/**
 * A pipeline that reads nothing, for tests of the HTTP layer: a PNG signature gives a fixed decklist after
 * `ms`, anything else NOT_A_DECKLIST. `deckNameBytes` makes each decklist's name that long (to fill a
 * subscriber's socket).
 */
import { PipelineError } from '../../src/pipeline/errors.js';
import { PIPELINE_STAGES, type Decklist } from '../../src/pipeline/types.js';
import type { ServicePipeline } from '../../src/server/app.js';

/** The first bytes of a PNG: what the fake pipeline "reads" as a decklist. */
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A decklist with no cards, named `deckName`: what fake pipelines return. */
export function emptyDecklist(deckName = 'fake'): Decklist {
  return {
    metadata: { deckName, placement: null, event: null, date: null, player: null },
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
}

/** The fake pipeline over the real card database `cards`. */
export function fakePipeline(cards: ServicePipeline['cards'], ms = 5, deckNameBytes = 4): ServicePipeline {
  const deck = emptyDecklist('x'.repeat(deckNameBytes));
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
