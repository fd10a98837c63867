/**
 * Reads synthetic decklists (every legend, deck card, battlefield and rune of the database drawn onto a real
 * screenshot in the app's font) at several sizes and qualities, and prints how many tiles came out right.
 * Also in another font (WenQuanYi Zen Hei), to see how the reading holds up on glyph shapes it was not
 * tuned on, and as captures (issue 15): rotated, sheared or keystoned, photo-like, and all of it at once.
 * `npm run accuracy:synthetic` (needs fonts-noto-cjk and fonts-wqy-zenhei).
 *
 * First it prints the cards loaded per set (the sets come from the card numbers in the database). Then, per
 * variant, every miss and a table of tiles right / wrong card / unmatched / other (right card, wrong quantity,
 * or no entry in the tile's place) per set, a tile counting for the set its card was first printed in. Each
 * miss says what in the decklist tells of it (`missFlag`: the unmatched entry, a warning naming its section,
 * a count the validation finds off); the summary's `silent` column counts the misses nothing tells of.
 *
 * Options: `--variant <text>` (repeatable) runs only the variants whose name contains the text, e.g.
 * `npm run accuracy:synthetic -- --variant "Zen Hei, 720"`; `--list` prints the variant names;
 * `--cards-only` prints the cards per set and stops (no OCR).
 */
import { parseArgs } from 'node:util';
import { loadCardDatabase } from '../src/pipeline/cards/cards.js';
import { pipelineConfigFromEnv } from '../src/pipeline/config.js';
import { createPipeline } from '../src/pipeline/pipeline.js';
import {
  cardsPerSet,
  firstSetOf,
  formatTable,
  headerMisses,
  OTHER_FONT,
  requireFont,
  syntheticDecklists,
  missFlag,
  tileOutcomes,
  type SyntheticOptions,
  type TileOutcome,
} from './synthetic.js';
import { CAPTURES } from '../test/helpers/images.js';

const { values: args } = parseArgs({
  options: { variant: { type: 'string', multiple: true }, list: { type: 'boolean' }, 'cards-only': { type: 'boolean' } },
});

const variants: [string, SyntheticOptions][] = [
  ['1080 px, JPEG 90', {}],
  ['720 px, JPEG 50', { width: 720, quality: 50 }],
  ['600 px, JPEG 30', { width: 600, quality: 30 }],
  ['1440 px, JPEG 80', { width: 1440, quality: 80 }],
  [`${OTHER_FONT}, 1080 px`, { font: OTHER_FONT }],
  [`${OTHER_FONT}, 720 px, JPEG 50`, { font: OTHER_FONT, width: 720, quality: 50 }],
  // Captures (issue 15): each decklist a different copy of its family, in turn.
  ...CAPTURES.map(([name, capture]): [string, SyntheticOptions] => [name, { capture }]),
];
if (args.list) {
  for (const [name] of variants) console.log(name);
  process.exit(0);
}
const chosen = args.variant ? variants.filter(([name]) => args.variant!.some((v) => name.includes(v))) : variants;
if (chosen.length === 0) throw new Error(`no variant matches ${args.variant!.join(', ')}; variants: ${variants.map(([n]) => n).join(' | ')}`);

const { cardsPath } = pipelineConfigFromEnv();
const db = await loadCardDatabase(cardsPath);
const perSet = cardsPerSet(db);
console.log(`${cardsPath}: ${db.cards.length} distinct cards, ${db.printings} printings`);
console.log(
  formatTable([
    ['set', 'printings', 'cards', 'first printed'],
    ...perSet.map((r) => [r.set, r.printings, r.cards, r.firstPrinted]),
    ['all', db.printings, db.cards.length, db.cards.length],
  ]),
);
console.log('(cards: distinct cards with a printing in the set; first printed: cards whose base printing is in the set)\n');
if (args['cards-only']) process.exit(0);

requireFont();
if (chosen.some(([, o]) => o.font === OTHER_FONT)) requireFont(OTHER_FONT);
const OUTCOMES: TileOutcome[] = ['right', 'wrongCard', 'unmatched', 'other'];
const pipeline = await createPipeline();
const summary: (string | number)[][] = [['variant', 'tiles', 'right', 'wrong card', 'unmatched', 'other', 'silent', 'header right', '≤ 1 char off']];
try {
  for (const [name, options] of chosen) {
    let screenshots = 0;
    let fieldsWrong = 0;
    let fieldsFar = 0;
    let silent = 0;
    const misses: string[] = [];
    const tally = new Map<string, Record<TileOutcome, number>>(perSet.map((r) => [r.set, { right: 0, wrongCard: 0, unmatched: 0, other: 0 }]));
    for await (const { image, header, expected } of syntheticDecklists(pipeline.cards.cards, options)) {
      screenshots++;
      const deck = await pipeline.process(image);
      for (const t of tileOutcomes(deck, expected)) {
        const card = pipeline.cards.byNameCn(t.nameCn);
        const set = card ? firstSetOf(card) : '?';
        const row = tally.get(set) ?? tally.set(set, { right: 0, wrongCard: 0, unmatched: 0, other: 0 }).get(set)!;
        row[t.outcome]++;
        if (t.outcome === 'right') continue;
        const flag = missFlag(deck, t.section, t.outcome);
        if (!flag) silent++;
        misses.push(
          `screenshot ${screenshots}: ${t.section}: ${t.outcome}: drew ${t.nameCn}, read ${t.read} (${flag ? `flagged: ${flag}` : 'SILENT: nothing says so'})`,
        );
      }
      const header_ = headerMisses(deck.metadata, header);
      fieldsWrong += header_.length;
      fieldsFar += headerMisses(deck.metadata, header, 1).length;
      misses.push(...header_.map((m) => `screenshot ${screenshots}: header: ${m}`));
    }
    const rows = [...tally].filter(([, t]) => OUTCOMES.some((o) => t[o] > 0));
    const sum = (o: TileOutcome) => rows.reduce((n, [, t]) => n + t[o], 0);
    const tiles = OUTCOMES.reduce((n, o) => n + sum(o), 0);
    const fields = screenshots * 5;
    console.log(
      `${name}: ${screenshots} screenshots, tiles right ${sum('right')}/${tiles} (${((sum('right') / tiles) * 100).toFixed(1)} %), header fields right ${fields - fieldsWrong}/${fields} (${fields - fieldsFar} with free text ≤ 1 character off)`,
    );
    for (const m of misses) console.log(`    ${m}`);
    console.log(
      formatTable([
        ['set', 'tiles', 'right', 'wrong card', 'unmatched', 'other'],
        ...rows.map(([set, t]) => [set, OUTCOMES.reduce((n, o) => n + t[o], 0), t.right, t.wrongCard, t.unmatched, t.other]),
        ['all', tiles, sum('right'), sum('wrongCard'), sum('unmatched'), sum('other')],
      ]).replace(/^/gm, '    '),
    );
    console.log();
    summary.push([
      name,
      tiles,
      sum('right'),
      sum('wrongCard'),
      sum('unmatched'),
      sum('other'),
      silent,
      `${fields - fieldsWrong}/${fields}`,
      `${fields - fieldsFar}/${fields}`,
    ]);
  }
} finally {
  await pipeline.close();
}
console.log(formatTable(summary));
