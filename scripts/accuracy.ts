/**
 * Scores the real pipeline on every labelled screenshot in ../shared/fixtures/decklists and prints
 * per-image and overall card and metadata scores. `npm run accuracy`
 */
import { readFile } from 'node:fs/promises';
import { createPipeline } from '../src/pipeline/pipeline.js';
import { loadFixtures } from './fixtures.js';
import { scoreDecklist } from './score.js';

const pipeline = await createPipeline();
let cards = 0;
let meta = 0;
const fixtures = loadFixtures();
try {
  for (const fixture of fixtures) {
    const deck = await pipeline.process(await readFile(fixture.imagePath));
    const s = scoreDecklist(deck, fixture.label);
    cards += s.cards;
    meta += s.metadata;
    console.log(`${fixture.name}  cards ${(s.cards * 100).toFixed(1)}%  metadata ${(s.metadata * 100).toFixed(0)}%`);
    for (const d of s.diffs) console.log(`    ${d}`);
  }
} finally {
  await pipeline.close();
}
console.log(
  `overall (${fixtures.length} images)  cards ${((cards / fixtures.length) * 100).toFixed(1)}%  metadata ${((meta / fixtures.length) * 100).toFixed(1)}%`,
);
