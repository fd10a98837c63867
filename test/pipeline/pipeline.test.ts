/**
 * The real pipeline (real tesseract.js OCR) on the labelled screenshots of ../shared/fixtures/decklists and
 * on variants made from them: every card, quantity and metadata field must come out as labelled.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeckFromCode } from '@piltoverarchive/riftbound-deck-codes';
import { deckCodeFor } from '../../src/decklist/deck-code.js';
import { createPipeline, type DecklistPipeline } from '../../src/pipeline/pipeline.js';
import { editDistance } from '../../src/pipeline/text/similarity.js';
import { SECTION_KINDS, type Decklist } from '../../src/pipeline/types.js';
import { loadFixtures, type Fixture } from '../../scripts/fixtures.js';
import { squash } from '../../scripts/score.js';
import { blankTiles, duplicateRows, keystoned, moire, notADecklist, photoLike, rotated, sheared, TILTS, variant } from '../helpers/images.js';

let pipeline: DecklistPipeline;
beforeAll(async () => {
  pipeline = await createPipeline({ workers: 2 });
});
afterAll(async () => {
  await pipeline?.close();
});

const fixtures = loadFixtures();

/** Per section: `nameCn × quantity` of the true deck (tiles of one card added up), in display order. */
function expected(label: Fixture['label']) {
  return Object.fromEntries(
    SECTION_KINDS.map((s) => {
      const sums = new Map<string, number>();
      for (const e of label.sections[s]) sums.set(e.nameCn, (sums.get(e.nameCn) ?? 0) + e.quantity);
      return [s, [...sums].map(([name, q]) => `${name} ×${q}`)];
    }),
  );
}

function actual(deck: Decklist) {
  return Object.fromEntries(SECTION_KINDS.map((s) => [s, deck[s].map((e) => `${e.card?.nameCn ?? `UNMATCHED ${e.nameCn}`} ×${e.quantity}`)]));
}

/**
 * Cards, quantities, placement and date must be exact. Free header text (deck name, event, player) has no
 * dictionary to check against; on degraded copies it may differ by `textEdits` characters.
 */
function expectDeck(deck: Decklist, fixture: Fixture, textEdits = 0) {
  expect(actual(deck)).toEqual(expected(fixture.label));
  const m = fixture.label.metadata;
  if (textEdits > 0) {
    for (const field of ['deckName', 'event', 'player'] as const) {
      expect(editDistance(squash(deck.metadata[field]), squash(m[field])), field).toBeLessThanOrEqual(textEdits);
    }
    expect(deck.metadata.placement).toBe(m.placement);
    expect(deck.metadata.date).toBe(m.date);
    return;
  }
  expect({
    deckName: squash(deck.metadata.deckName),
    placement: deck.metadata.placement,
    event: squash(deck.metadata.event),
    date: deck.metadata.date,
    player: squash(deck.metadata.player),
  }).toEqual({ deckName: squash(m.deckName), placement: m.placement, event: squash(m.event), date: m.date, player: squash(m.player) });
}

describe('pipeline on the labelled screenshots', () => {
  for (const fixture of fixtures) {
    it(`reads ${fixture.name} exactly`, async () => {
      const stages: string[] = [];
      const deck = await pipeline.process(readFileSync(fixture.imagePath), { onStage: (s) => stages.push(s) });
      expect(stages).toEqual(['DECODING', 'LAYOUT', 'READING', 'MATCHING']);
      expectDeck(deck, fixture);
      // English data and card numbers come from the database, base printing first.
      for (const s of SECTION_KINDS) {
        for (const [i, e] of deck[s].entries()) {
          const truth = fixture.label.sections[s].find((l) => l.nameCn === e.card!.nameCn)!;
          expect(e.card!.cardNumber, `${s}[${i}]`).toBe(truth.cardNumber);
          expect(e.nameEn).toBe(truth.nameEn);
          expect(e.confidence).toBeGreaterThan(0);
          expect(e.confidence).toBeLessThanOrEqual(1);
          expect(e.tiles.length).toBe(e.ocrText.length);
        }
      }
      // The main deck's first tile is the chosen champion.
      expect(deck.chosenChampion?.cardNumber).toBe(fixture.label.sections.mainDeck[0]!.cardNumber);
      expect(deck.validation.valid).toBe(true);
      expect(deck.warnings).toEqual([]);
    });
  }
});

describe('pipeline on recompressed, rescaled and stitched screenshots', () => {
  const cases: [string, (b: Buffer) => Promise<Buffer>][] = [
    ['JPEG quality 40', (b) => variant(b, { quality: 40 })],
    ['720 px wide', (b) => variant(b, { width: 720 })],
    ['1440 px wide', (b) => variant(b, { width: 1440 })],
    ['600 px wide, JPEG quality 25', (b) => variant(b, { width: 600, quality: 25 })],
    // Colour management or an editor shifts the app's colours: tiles must be found by measured colour.
    [
      'brightened 15 %, more saturated, other gamma',
      (b) => sharp(b).modulate({ brightness: 1.15, saturation: 1.2 }).gamma(2.2, 1.8).jpeg({ quality: 85 }).toBuffer(),
    ],
  ];
  for (const [name, make] of cases) {
    it(`reads every card of every fixture at ${name}`, async () => {
      const decks = await Promise.all(fixtures.map(async (f) => pipeline.process(await make(readFileSync(f.imagePath)))));
      decks.forEach((deck, i) => expectDeck(deck, fixtures[i]!, 1));
    });
  }

  it('reads the page between bars added beside it, with tile boxes in the original image', async () => {
    const bars: [number, string][] = [
      [60, '#000000'],
      [100, '#ffffff'],
    ];
    const decks = await Promise.all(
      fixtures.map(async (f, i) => {
        const [pad, background] = bars[i % bars.length]!;
        const padded = await sharp(readFileSync(f.imagePath)).extend({ left: pad, right: pad, background }).jpeg({ quality: 85 }).toBuffer();
        return { deck: await pipeline.process(padded), pad };
      }),
    );
    decks.forEach(({ deck, pad }, i) => {
      const fixture = fixtures[i]!;
      expectDeck(deck, fixture, 1);
      const raw = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
      const legend = raw.displayedTiles.find((t: { section: string }) => t.section === 'legend').bbox_xywh as number[];
      const box = deck.legend[0]!.tiles[0]!;
      expect(Math.abs(box.x - (legend[0]! + pad)), 'legend tile x').toBeLessThanOrEqual(8);
      expect(Math.abs(box.y - legend[1]!), 'legend tile y').toBeLessThanOrEqual(8);
      expect(Math.abs(box.width - legend[2]!), 'legend tile width').toBeLessThanOrEqual(10);
    });
  });

  it('collapses a section shown twice in a row, with a warning', async () => {
    const fixture = fixtures[1]!;
    const raw = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
    const ys = (section: string) =>
      raw.displayedTiles.filter((t: { section: string }) => t.section === section).map((t: { bbox_xywh: number[] }) => t.bbox_xywh);
    const lastBattlefield = ys('battlefields').at(-1);
    const runes = ys('runes');
    const firstSide = ys('sideDeck')[0];
    // From midway between the battlefields and the runes panel to midway between runes and side deck.
    const from = Math.round((lastBattlefield[1] + lastBattlefield[3] + runes[0][1]) / 2) - 60;
    const to = Math.round((runes.at(-1)[1] + runes.at(-1)[3] + firstSide[1]) / 2) - 60;
    const stitched = await duplicateRows(readFileSync(fixture.imagePath), from, to);
    const deck = await pipeline.process(stitched);
    expectDeck(deck, fixture);
    expect(deck.warnings.map((w) => w.code)).toEqual(['DUPLICATE_SECTION']);
  });
});

describe('pipeline on tilted screenshots', () => {
  // Every fixture at three of ±1…±8° (each angle on one fixture), corners filled white, black or grey.
  const rounds = Math.ceil(TILTS.length / fixtures.length);
  for (let round = 0; round < rounds; round++) {
    const cases = fixtures.map((f, i) => ({ f, tilt: TILTS[(round * fixtures.length + i) % TILTS.length]! }));
    it(`reads every card of every fixture rotated ${cases.map((c) => `${c.tilt[0]}°`).join(', ')}`, async () => {
      const decks = await Promise.all(cases.map(async ({ f, tilt: [deg, fill] }) => pipeline.process(await rotated(readFileSync(f.imagePath), deg, { fill }))));
      decks.forEach((deck, i) => {
        expectDeck(deck, cases[i]!.f, 1);
        expect(deck.warnings, cases[i]!.f.name).toEqual([]);
      });
    });
  }
});

describe('pipeline on sheared screenshots', () => {
  it('reads every card of every fixture sheared (a page seen a little from the side), one also rotated', async () => {
    const shears = [0.05, -0.03, 0.02, -0.04];
    const decks = await Promise.all(
      fixtures.map(async (f, i) => {
        const bytes = readFileSync(f.imagePath);
        return pipeline.process(await sheared(i === 3 ? await rotated(bytes, 2.5, { fill: '#000000' }) : bytes, shears[i % shears.length]!));
      }),
    );
    decks.forEach((deck, i) => {
      expectDeck(deck, fixtures[i]!, 1);
      expect(deck.warnings, fixtures[i]!.name).toEqual([]);
    });
  });
});

describe('pipeline on photo-like copies', () => {
  it('reads every card of every fixture photographed: 800 px, blur σ 1, darker, washed out, in a dark border, tilted', async () => {
    const decks = await Promise.all(
      fixtures.map(async (f, i) =>
        pipeline.process(
          await photoLike(readFileSync(f.imagePath), {
            width: 800,
            blur: 1,
            brightness: 0.8,
            saturation: 0.7,
            border: 40,
            rotate: i % 2 ? -2.5 : 3.5,
            quality: 60,
          }),
        ),
      ),
    );
    decks.forEach((deck, i) => {
      expect(actual(deck), fixtures[i]!.name).toEqual(expected(fixtures[i]!.label));
      expect(deck.metadata.placement).toBe(fixtures[i]!.label.metadata.placement);
    });
  });

  it('reads every card and the header of every fixture lit unevenly: light falling to 70 % across the page (also washed out, or darker), or to 60 % from a lamp', async () => {
    const lamps: Parameters<typeof photoLike>[1][] = [
      { vignette: 0.7, quality: 70 },
      { vignette: 0.6, lamp: 'spot', quality: 70 },
      { vignette: 0.7, saturation: 0.7, width: 800, blur: 0.8, quality: 60 },
      { vignette: 0.7, brightness: 0.8, quality: 70 },
    ];
    const decks = await Promise.all(fixtures.map(async (f, i) => pipeline.process(await photoLike(readFileSync(f.imagePath), lamps[i % lamps.length]!))));
    decks.forEach((deck, i) => expectDeck(deck, fixtures[i]!, 1));
  });

  it('reads every card and the header of every fixture keystoned (±5 %) or under screen moiré, one both and tilted', async () => {
    const makes: ((b: Buffer) => Promise<Buffer>)[] = [
      (b) => keystoned(b, 0.05),
      (b) => moire(b, 0.15, 5),
      (b) => keystoned(b, -0.05),
      async (b) => rotated(await moire(await keystoned(b, 0.05), 0.08), 3, { fill: '#1a1410' }),
    ];
    const decks = await Promise.all(fixtures.map(async (f, i) => pipeline.process(await makes[i % makes.length]!(readFileSync(f.imagePath)))));
    decks.forEach((deck, i) => expectDeck(deck, fixtures[i]!, 1));
  });
});

describe('pipeline on a screenshot that ends inside a row of tiles', () => {
  it('reads the tiles above and warns that the cut-off row was not read', async () => {
    const fixture = fixtures[1]!;
    const raw = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
    const last = raw.displayedTiles.at(-1);
    const cut = await sharp(readFileSync(fixture.imagePath))
      .extract({ left: 0, top: 0, width: 1080, height: last.bbox_xywh[1] + 60 })
      .jpeg({ quality: 92 })
      .toBuffer();
    const deck = await pipeline.process(cut);
    expect(deck.warnings.map((w) => w.code)).toEqual(['CUT_OFF_TILES']);
    const side = deck.sideDeck.reduce((n, e) => n + e.tiles.length, 0);
    expect(side).toBe(fixture.label.sections.sideDeck.length - 1);
  });
});

describe('pipeline on the lower part of a screenshot, cut inside the main deck', () => {
  it('reads the main-deck tiles below the cut as main deck, the rest exactly, and claims no champion', async () => {
    const fixture = fixtures[1]!;
    const raw = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
    type Tile = { section: string; nameLine: string; subtitleLine: string | null; quantity: number; bbox_xywh: number[] };
    const main = (raw.displayedTiles as Tile[]).filter((t) => t.section === 'mainDeck');
    // Between two rows, a little above the middle of the main deck: the section label is above the cut.
    const rowTops = [...new Set(main.map((t) => t.bbox_xywh[1]!))].sort((a, b) => a - b);
    const top = rowTops[Math.floor(rowTops.length / 2)]! - 20;
    const image = await sharp(readFileSync(fixture.imagePath));
    const { width, height } = await image.metadata();
    const deck = await pipeline.process(
      await image
        .extract({ left: 0, top, width: width!, height: height! - top })
        .jpeg({ quality: 92 })
        .toBuffer(),
    );

    const below = new Map<string, number>();
    for (const t of main.filter((t) => t.bbox_xywh[1]! >= top)) {
      const name = t.subtitleLine ? `${t.nameLine}, ${t.subtitleLine}` : t.nameLine;
      below.set(name, (below.get(name) ?? 0) + t.quantity);
    }
    const truth = expected(fixture.label);
    expect(actual(deck)).toEqual({ ...truth, legend: [], mainDeck: [...below].map(([name, q]) => `${name} ×${q}`) });
    expect(deck.chosenChampion).toBeNull();
    // Nor does its deck code name one (the first tile seen may be a champion from further down).
    expect(getDeckFromCode(deckCodeFor(deck)!).chosenChampion).toBeUndefined();
    expect(deck.validation.problems.map((p) => p.code).sort()).toEqual(['LEGEND_COUNT', 'MAIN_DECK_COUNT', 'MISSING_SECTION']);
    // The legend is above the cut: not seen (unknown), which is not the same as a deck without one.
    expect(deck.warnings.map((w) => w.code).sort()).toEqual(['HEADER_UNREADABLE', 'SECTION_NOT_SEEN', 'UNKNOWN_SECTION']);
    expect(deck.warnings.find((w) => w.code === 'SECTION_NOT_SEEN')?.message).toContain('the legend section was not seen');
  });
});

describe('pipeline on bad input', () => {
  it('fails each bad file with a typed error and stays healthy', async () => {
    const bad: [Buffer, string][] = [
      [Buffer.alloc(0), 'INVALID_IMAGE'],
      [Buffer.from('<html><body>not an image</body></html>'), 'INVALID_IMAGE'],
      [readFileSync(fixtures[0]!.imagePath).subarray(0, 200_000), 'INVALID_IMAGE'],
      [await notADecklist(), 'NOT_A_DECKLIST'],
      [await blankTiles(), 'NOT_A_DECKLIST'], // tiles found, nothing readable on them
    ];
    for (const [bytes, code] of bad) {
      await expect(pipeline.process(bytes)).rejects.toMatchObject({ name: 'PipelineError', code });
    }
    // The pool still works after the failures.
    expectDeck(await pipeline.process(readFileSync(fixtures[2]!.imagePath)), fixtures[2]!);
    expect(pipeline.inFlight).toBe(0);
  });
});

describe('pipeline on tiles without a type icon', () => {
  it('still reads the names', async () => {
    const fixture = fixtures[1]!;
    const raw = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
    // Paint over the icon disc of every main-deck tile with the tile colour.
    const patches = raw.displayedTiles
      .filter((t: { section: string }) => t.section === 'mainDeck')
      .map((t: { bbox_xywh: number[] }) => {
        const [x, y, w, h] = t.bbox_xywh as [number, number, number, number];
        const pw = Math.round(0.22 * w) - 12;
        const ph = h - 20;
        return {
          input: { create: { width: pw, height: ph, channels: 3 as const, background: '#1b4e63' } },
          left: x + 12,
          top: y + 10,
        };
      });
    const noIcons = await sharp(readFileSync(fixture.imagePath)).composite(patches).jpeg({ quality: 92 }).toBuffer();
    expectDeck(await pipeline.process(noIcons), fixture);
  });
});
