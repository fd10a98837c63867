/**
 * Reads synthetic decklists (every legend, deck card, battlefield and rune of the database drawn onto a real
 * screenshot in the app's font) at several sizes and qualities, and prints how many tiles came out right.
 * Also in another font (WenQuanYi Zen Hei), to see how the reading holds up on glyph shapes it was not
 * tuned on. `npm run accuracy:synthetic` (needs fonts-noto-cjk and fonts-wqy-zenhei).
 */
import { createPipeline } from '../src/pipeline/pipeline.js';
import { headerMisses, OTHER_FONT, requireFont, syntheticDecklists, syntheticMisses, type SyntheticOptions } from './synthetic.js';

requireFont();
requireFont(OTHER_FONT);
const variants: [string, SyntheticOptions][] = [
  ['1080 px, JPEG 90', {}],
  ['720 px, JPEG 50', { width: 720, quality: 50 }],
  ['600 px, JPEG 30', { width: 600, quality: 30 }],
  ['1440 px, JPEG 80', { width: 1440, quality: 80 }],
  [`${OTHER_FONT}, 1080 px`, { font: OTHER_FONT }],
  [`${OTHER_FONT}, 720 px, JPEG 50`, { font: OTHER_FONT, width: 720, quality: 50 }],
];
const pipeline = await createPipeline();
try {
  for (const [name, options] of variants) {
    let tiles = 0;
    let screenshots = 0;
    const misses: string[] = [];
    let fieldsWrong = 0;
    for await (const { image, header, expected } of syntheticDecklists(pipeline.cards.cards, options)) {
      screenshots++;
      tiles += Object.values(expected).reduce((n, lines) => n + lines.length, 0);
      const deck = await pipeline.process(image);
      const header_ = headerMisses(deck.metadata, header);
      fieldsWrong += header_.length;
      misses.push(...[...syntheticMisses(deck, expected), ...header_].map((m) => `screenshot ${screenshots}: ${m}`));
    }
    const wrong = misses.filter((m) => m.includes(' drew ') && !m.match(/: (deckName|placement|event|date|player): /)).length;
    const fields = screenshots * 5;
    console.log(
      `${name.padEnd(34)} ${screenshots} screenshots, tiles right ${tiles - wrong}/${tiles} (${(((tiles - wrong) / tiles) * 100).toFixed(1)} %), header fields right ${fields - fieldsWrong}/${fields}`,
    );
    for (const m of misses) console.log(`    ${m}`);
  }
} finally {
  await pipeline.close();
}
