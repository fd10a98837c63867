/**
 * Every legend, deck card, battlefield and rune of the database, drawn onto a real screenshot's tiles in the app's
 * font (scripts/synthetic.ts), read by the real pipeline: the labelled screenshots show only a few dozen
 * names, these show them all. Needs fonts-noto-cjk (installed by .ci/run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, type DecklistPipeline } from '../../src/pipeline/pipeline.js';
import { requireFont, syntheticDecklists, syntheticMisses, type SyntheticOptions } from '../../scripts/synthetic.js';

let pipeline: DecklistPipeline;
beforeAll(async () => {
  requireFont();
  pipeline = await createPipeline({ workers: 2 });
});
afterAll(async () => {
  await pipeline?.close();
});

describe('pipeline on every card of the database, drawn in the app font', () => {
  const variants: [string, SyntheticOptions][] = [
    ['as drawn (1080 px, JPEG 90)', {}],
    ['at 720 px, JPEG quality 50', { width: 720, quality: 50 }],
  ];
  for (const [name, options] of variants) {
    it(`reads every drawn tile ${name}`, async () => {
      const misses: string[] = [];
      const drawn = new Set<string>();
      for await (const { image, expected } of syntheticDecklists(pipeline.cards.cards, options)) {
        for (const lines of Object.values(expected)) for (const line of lines) drawn.add(line.split(' ×')[0]!);
        misses.push(...syntheticMisses(await pipeline.process(image), expected));
      }
      // Every card a decklist can show (all but tokens) was drawn at least once.
      const drawable = pipeline.cards.cards.filter((c) => c.type !== 'Token Unit');
      expect(drawable.filter((c) => !drawn.has(c.nameCn)).map((c) => c.nameCn)).toEqual([]);
      expect(misses).toEqual([]);
    });
  }
});
