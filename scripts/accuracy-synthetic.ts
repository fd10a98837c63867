/**
 * Reads synthetic decklists (every legend, deck card, battlefield and rune of the database drawn onto a real
 * screenshot in the app's font) at several sizes and qualities, and prints how many tiles came out right.
 * `npm run accuracy:synthetic` (needs fonts-noto-cjk).
 */
import { createPipeline } from '../src/pipeline/pipeline.js';
import { requireFont, syntheticDecklists, syntheticMisses, type SyntheticOptions } from './synthetic.js';

requireFont();
const variants: [string, SyntheticOptions][] = [
  ['1080 px, JPEG 90', {}],
  ['720 px, JPEG 50', { width: 720, quality: 50 }],
  ['600 px, JPEG 30', { width: 600, quality: 30 }],
  ['1440 px, JPEG 80', { width: 1440, quality: 80 }],
];
const pipeline = await createPipeline();
try {
  for (const [name, options] of variants) {
    let tiles = 0;
    let screenshots = 0;
    const misses: string[] = [];
    for await (const { image, expected } of syntheticDecklists(pipeline.cards.cards, options)) {
      screenshots++;
      tiles += Object.values(expected).reduce((n, lines) => n + lines.length, 0);
      misses.push(...syntheticMisses(await pipeline.process(image), expected).map((m) => `screenshot ${screenshots}: ${m}`));
    }
    const wrong = misses.filter((m) => m.includes('drew')).length;
    console.log(`${name.padEnd(18)} ${screenshots} screenshots, tiles right ${tiles - wrong}/${tiles} (${(((tiles - wrong) / tiles) * 100).toFixed(1)} %)`);
    for (const m of misses) console.log(`    ${m}`);
  }
} finally {
  await pipeline.close();
}
