/**
 * A card the database does not know must stay unmatched, never become another card. Draws every card of the
 * default database (`CARDS_PATH`, every set) that a smaller one lacks (by default `cards.csv`, the first two
 * sets) onto synthetic decklists, reads them against the smaller database, and prints how many tiles came
 * out as some other card. `npm run accuracy:unknown [smaller.csv] [options JSON]` (needs fonts-noto-cjk).
 */
import path from 'node:path';
import { DEFAULT_CARDS_PATH } from '../src/pipeline/config.js';
import { loadCardDatabase } from '../src/pipeline/cards/cards.js';
import { createPipeline } from '../src/pipeline/pipeline.js';
import { requireFont, syntheticDecklists, type SyntheticOptions } from './synthetic.js';

requireFont();
const smaller = path.resolve(process.argv[2] ?? path.join(path.dirname(DEFAULT_CARDS_PATH), 'cards.csv'));
const options: SyntheticOptions = JSON.parse(process.argv[3] ?? '{}');
const all = await loadCardDatabase(DEFAULT_CARDS_PATH);
const known = await loadCardDatabase(smaller);
const unknown = all.cards.filter((c) => !known.byNameCn(c.nameCn));
const pipeline = await createPipeline({ cardsPath: smaller });
let tiles = 0;
const wrong: string[] = [];
try {
  for await (const { image, expected } of syntheticDecklists(unknown, options)) {
    const drawn = new Set(
      Object.values(expected)
        .flat()
        .map((line) => line.split(' ×')[0]),
    );
    tiles += drawn.size;
    const deck = await pipeline.process(image);
    for (const section of ['legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck'] as const) {
      // A section with no unknown card to draw keeps the real screenshot's (known) cards.
      if (!expected[section]?.length) continue;
      for (const e of deck[section]) {
        if (e.card && !drawn.has(e.card.nameCn))
          wrong.push(`${section}: read "${e.ocrText.map((t) => t.name + (t.subtitle ? ` / ${t.subtitle}` : '')).join(' | ')}" as ${e.card.nameCn}`);
      }
    }
  }
} finally {
  await pipeline.close();
}
console.log(`${unknown.length} cards unknown to ${path.basename(smaller)}; ${tiles} tiles drawn; read as another card: ${wrong.length}`);
for (const w of wrong) console.log(`    ${w}`);
