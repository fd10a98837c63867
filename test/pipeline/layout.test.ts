import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findLayout, type Layout } from '../../src/pipeline/layout/layout.js';
import { estimatePalette, type Rgb } from '../../src/pipeline/layout/palette.js';
import { luma } from '../../src/pipeline/image/raster.js';
import { loadFixtures } from '../../scripts/fixtures.js';
import { dimmedToward, notADecklist } from '../helpers/images.js';
import type { DecodedImage } from '../../src/pipeline/decode/decode.js';
import type { Box } from '../../src/pipeline/types.js';

/**
 * How light the brightest pixel inside a box is, as a fraction of the way from the tile colour to white:
 * under 0.4 it is no text pixel any more, under 0.2 not even a faint one (the palette's two thresholds).
 */
function lightAboveTile(img: DecodedImage, tile: Rgb, b: Box): number {
  let brightest = 0;
  for (let y = b.y; y < b.y + b.height; y++) {
    for (let x = b.x; x < b.x + b.width; x++) {
      const i = (y * img.width + x) * 3;
      brightest = Math.max(brightest, luma(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!));
    }
  }
  const tileLuma = luma(...tile);
  return (brightest - tileLuma) / (255 - tileLuma);
}

/** Every tile of a layout, section after section. */
const tilesOf = (layout: Layout) => layout.sections.flatMap((s) => s.tiles);

const opts = { maxPixels: 40_000_000 };

/** The first labelled screenshot decoded, its palette and its layout: what a test then alters and finds again. */
async function firstFixture() {
  const img = await decodeImage(readFileSync(loadFixtures()[0]!.imagePath), opts);
  return { img, palette: estimatePalette(img)!, layout: findLayout(img) };
}

describe('findLayout', () => {
  for (const fixture of loadFixtures()) {
    it(`finds every tile of ${fixture.name}, with its lines and badge`, async () => {
      const label = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
      const layout = findLayout(await decodeImage(readFileSync(fixture.imagePath), opts));
      const tiles = tilesOf(layout);
      expect(tiles.length).toBe(label.displayedTiles.length);
      expect(layout.sections.length).toBe(5);
      tiles.forEach((tile, i) => {
        const t = label.displayedTiles[i];
        const [x, y, w, h] = t.bbox_xywh;
        expect(Math.abs(tile.box.x - x)).toBeLessThanOrEqual(4);
        expect(Math.abs(tile.box.y - y)).toBeLessThanOrEqual(4);
        expect(Math.abs(tile.box.width - w)).toBeLessThanOrEqual(6);
        expect(Math.abs(tile.box.height - h)).toBeLessThanOrEqual(6);
        expect(tile.lines.length).toBe(t.subtitleLine ? 2 : 1);
        expect(tile.quantity !== null).toBe(t.quantityText !== null);
      });
      expect(layout.sections.flatMap((s) => s.unread)).toEqual([]);
      expect(layout.header.placementBadge).not.toBeNull();
      expect(layout.header.lines.length).toBeGreaterThanOrEqual(3);
    });
  }

  it('keeps a lone tile whose long name crosses most of it, on a small, recompressed copy', async () => {
    // The last row of a section with one tile, given the longest one-line name of the screenshot: the
    // rows crossing that name hold little tile colour, which must not split the tile's band in two.
    const fixture = loadFixtures()[1]!;
    const label = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
    type Tile = { section: string; nameLine: string; subtitleLine: string | null; bbox_xywh: number[] };
    const tiles = label.displayedTiles as Tile[];
    const lone = tiles.filter((t) => !tiles.some((o) => o !== t && o.section === t.section && o.bbox_xywh[1] === t.bbox_xywh[1])).at(-1)!;
    const longest = tiles.filter((t) => !t.subtitleLine).sort((a, b) => [...b.nameLine].length - [...a.nameLine].length)[0]!;
    expect([...longest.nameLine].length).toBeGreaterThanOrEqual(7);
    const [lx, ly, lw, lh] = longest.bbox_xywh as [number, number, number, number];
    const name = await sharp(readFileSync(fixture.imagePath))
      .extract({ left: lx + 100, top: ly, width: lw - 170, height: lh })
      .toBuffer();
    const pasted = await sharp(readFileSync(fixture.imagePath))
      .composite([{ input: name, left: lone.bbox_xywh[0]! + 100, top: lone.bbox_xywh[1]! }])
      .png()
      .toBuffer();
    const small = await sharp(pasted).resize(720).jpeg({ quality: 50 }).toBuffer();
    const layout = findLayout(await decodeImage(small, opts));
    expect(tilesOf(layout).length).toBe(tiles.length);
    expect(layout.cutOffRows).toBe(0);
  });

  it('reports the tile-coloured areas of a tilted page it cannot read as tiles (not straightened here)', async () => {
    const fixture = loadFixtures()[0]!;
    const tilted = await sharp(readFileSync(fixture.imagePath)).rotate(3, { background: '#000000' }).jpeg({ quality: 90 }).toBuffer();
    const layout = findLayout(await decodeImage(tilted, opts));
    const found = layout.sections.reduce((n, s) => n + s.tiles.length, 0);
    const label = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
    expect(found).toBeLessThan(label.displayedTiles.length);
    expect(layout.sections.flatMap((s) => s.unread).length).toBeGreaterThan(0);
  });

  it('finds a quantity badge whose digits are dimmer than the text threshold (a soft, dim capture)', async () => {
    const { img, palette, layout } = await firstFixture();
    const tiles = tilesOf(layout);
    const withBadge = tiles.filter((t) => t.quantity !== null);
    expect(withBadge.length).toBeGreaterThan(4);
    // Every tile's badge corner (x and digits) pulled toward the tile colour, so the brightest digit pixel
    // sits between the faint threshold and the text threshold: not text any more, still faint text.
    const corners = withBadge.map(({ box: b }) => {
      const [x, y] = [Math.round(b.x + 0.8 * b.width), Math.round(b.y + 0.55 * b.height)];
      return { x, y, width: b.x + b.width - 3 - x, height: b.y + b.height - 3 - y };
    });
    const dimmed = dimmedToward(img, corners, palette.tile, 0.45);
    const light = lightAboveTile(dimmed, palette.tile, withBadge[0]!.quantity!);
    expect(light).toBeLessThan(0.4);
    expect(light).toBeGreaterThan(0.2);
    const again = tilesOf(findLayout(dimmed));
    expect(again.length).toBe(tiles.length);
    again.forEach((t, i) => {
      expect(t.quantity !== null, `tile ${i}`).toBe(tiles[i]!.quantity !== null);
      if (t.quantity) expect(Math.abs(t.quantity.x - tiles[i]!.quantity!.x), `tile ${i}`).toBeLessThanOrEqual(3);
    });
  });

  it("keeps a digit's dimmer top in its box (a 2 cut below its arc reads as 4)", async () => {
    const { img, palette, layout } = await firstFixture();
    const tiles = tilesOf(layout);
    const withBadge = tiles.filter((t) => t.quantity !== null);
    expect(withBadge.length).toBeGreaterThan(4);
    // The top 40 % of every badge's digits pulled toward the tile colour: still faint text, no longer text.
    const tops = withBadge.map(({ quantity: q }) => ({ x: q!.x, y: q!.y, width: q!.width, height: Math.round(0.4 * q!.height) }));
    const dimmed = dimmedToward(img, tops, palette.tile, 0.45);
    expect(lightAboveTile(dimmed, palette.tile, tops[0]!)).toBeLessThan(0.4);
    const again = tilesOf(findLayout(dimmed));
    expect(again.length).toBe(tiles.length);
    again.forEach((t, i) => {
      const q = tiles[i]!.quantity;
      expect(t.quantity !== null, `tile ${i}`).toBe(q !== null);
      if (!t.quantity || !q) return;
      expect(Math.abs(t.quantity.y - q.y), `tile ${i}`).toBeLessThanOrEqual(2);
      expect(Math.abs(t.quantity.height - q.height), `tile ${i}`).toBeLessThanOrEqual(3);
      expect(Math.abs(t.quantity.x - q.x), `tile ${i}`).toBeLessThanOrEqual(3);
    });
  });

  it('boxes a 4 whose arm has come apart from its stem from its arm, and still leaves out the x (a 4 boxed from its stem reads as 1)', async () => {
    const { img, palette, layout } = await firstFixture();
    const tiles = tilesOf(layout);
    const i = tiles.findIndex((t) => t.quantity !== null);
    const q = tiles[i]!.quantity!;
    const data = Buffer.from(img.data);
    const fill = (b: Box, [r, g, bl]: readonly number[]) => {
      for (let y = b.y; y < b.y + b.height; y++) {
        for (let x = b.x; x < b.x + b.width; x++) data.set([r!, g!, bl!], (y * img.width + x) * 3);
      }
    };
    const grey = [201, 211, 217];
    // The badge cleared to the tile colour, then drawn again: an x on the baseline, and a 4 whose arm and bar
    // stop 3 px short of its stem (their thin joint lost in a soft capture).
    fill({ x: q.x - 30, y: q.y - 2, width: q.width + 32, height: q.height + 4 }, palette.tile);
    const top = q.y + 4;
    const h = q.height - 8;
    const stem = q.x + q.width - 10;
    const barY = top + Math.round(0.65 * h);
    const armTop = top + Math.round(0.3 * h);
    fill({ x: stem, y: top, width: 4, height: h }, grey);
    fill({ x: stem - 12, y: barY, width: 9, height: 3 }, grey);
    for (let y = armTop; y < barY; y++) fill({ x: stem - 12 + Math.round(((barY - y) * 6) / (barY - armTop)), y, width: 3, height: 1 }, grey);
    const xTop = top + h - Math.round(0.55 * h);
    for (let y = xTop; y < top + h; y++) {
      const d = Math.round(((y - xTop) * 8) / (top + h - xTop));
      fill({ x: stem - 28 + d, y, width: 2, height: 1 }, grey);
      fill({ x: stem - 20 - d, y, width: 2, height: 1 }, grey);
    }
    const again = tilesOf(findLayout({ ...img, data }))[i]!.quantity!;
    expect(again.x).toBeLessThanOrEqual(stem - 12);
    expect(again.x).toBeGreaterThan(stem - 18);
    expect(again.x + again.width).toBeGreaterThanOrEqual(stem + 4);
  });

  it("gives a badge whose digits' faint upper part comes apart from the rest the page's digit height, without the x", async () => {
    const { img, palette, layout } = await firstFixture();
    const tiles = tilesOf(layout);
    const i = tiles.findIndex((t) => t.quantity !== null);
    const q = tiles[i]!.quantity!;
    // One badge's digits dimmed as at a lamp-lit page's dark end: their upper third faint, the thin strokes
    // below it lost even to the faint threshold, so the faint rows run up from the baseline only halfway.
    // The other badges keep the page's digit height.
    const rows = (from: number, to: number) => ({ x: q.x, y: q.y + Math.round(from * q.height), width: q.width, height: Math.round((to - from) * q.height) });
    const lost = rows(0.35, 0.5);
    const dimmed = dimmedToward(dimmedToward(img, [rows(0, 0.35)], palette.tile, 0.45), [lost], palette.tile, 0.05);
    expect(lightAboveTile(dimmed, palette.tile, lost)).toBeLessThan(0.2);
    const again = tilesOf(findLayout(dimmed))[i]!.quantity!;
    expect(Math.abs(again.y - q.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(again.height - q.height)).toBeLessThanOrEqual(3);
    expect(Math.abs(again.x - q.x)).toBeLessThanOrEqual(3);
  });

  it("finds a champion's title line dimmer than the text threshold below its name", async () => {
    const { img, palette, layout } = await firstFixture();
    const tiles = tilesOf(layout);
    const titled = tiles.filter((t) => t.lines.length === 2);
    expect(titled.length).toBeGreaterThanOrEqual(2);
    // Each title pulled toward the tile colour: its brightest pixel between the faint and the text threshold.
    const dimmed = dimmedToward(
      img,
      titled.map((t) => t.lines[1]!),
      palette.tile,
      0.45,
    );
    expect(lightAboveTile(dimmed, palette.tile, titled[0]!.lines[1]!)).toBeLessThan(0.4);
    const again = tilesOf(findLayout(dimmed));
    again.forEach((t, i) => {
      expect(t.lines.length, `tile ${i}`).toBe(tiles[i]!.lines.length);
      if (t.lines[1]) expect(Math.abs(t.lines[1].y - tiles[i]!.lines[1]!.y), `tile ${i}`).toBeLessThanOrEqual(3);
    });
  });

  it('keeps the whole width of a line whose end is dimmer than the text threshold (a title cut short reads as another)', async () => {
    const { img, palette, layout } = await firstFixture();
    const tiles = tilesOf(layout);
    const lines = tiles.flatMap((t) => t.lines);
    expect(lines.length).toBeGreaterThan(tiles.length);
    // The right 40 % of every name and title pulled toward the tile colour: still faint text, no longer text.
    const ends = lines.map((l) => ({ x: l.x + Math.round(0.6 * l.width), y: l.y, width: l.width - Math.round(0.6 * l.width), height: l.height }));
    const dimmed = dimmedToward(img, ends, palette.tile, 0.45);
    expect(lightAboveTile(dimmed, palette.tile, ends[0]!)).toBeLessThan(0.4);
    const again = tilesOf(findLayout(dimmed));
    expect(again.length).toBe(tiles.length);
    again.forEach((t, i) => {
      expect(t.lines.length, `tile ${i}`).toBe(tiles[i]!.lines.length);
      t.lines.forEach((l, j) => {
        const was = tiles[i]!.lines[j]!;
        expect(Math.abs(l.x - was.x), `tile ${i} line ${j}`).toBeLessThanOrEqual(2);
        expect(Math.abs(l.x + l.width - (was.x + was.width)), `tile ${i} line ${j}`).toBeLessThanOrEqual(3);
      });
    });
  });

  it('reports a tile with no text line and no badge as an area not read, not as a tile', async () => {
    const { img, palette, layout: before } = await firstFixture();
    const main = before.sections[1]!;
    const victim = main.tiles[3]!;
    // Everything inside the tile but its left edge painted the tile colour: icon, name, title and badge gone.
    const painted = { ...img, data: Buffer.from(img.data) };
    const b = victim.box;
    for (let y = b.y + 4; y < b.y + b.height - 4; y++) {
      for (let x = b.x + 4; x < b.x + b.width - 4; x++) painted.data.set(palette.tile, (y * img.width + x) * 3);
    }
    const after = findLayout(painted);
    expect(after.sections.length).toBe(before.sections.length);
    expect(after.sections[1]!.tiles.length).toBe(main.tiles.length - 1);
    expect(after.sections[1]!.tiles.map((t) => t.box)).not.toContainEqual(victim.box);
    expect(after.sections[1]!.unread).toHaveLength(1);
    expect(Math.abs(after.sections[1]!.unread[0]!.y - b.y)).toBeLessThanOrEqual(4);
  });

  it("does not report the header's background brought to the tile colour nor the top bar, but does a tile-sized area in the header", async () => {
    const { img, palette, layout: before } = await firstFixture();
    const listTop = before.sections[0]!.label!.y;
    const paint = (x0: number, y0: number, x1: number, y1: number) => {
      const painted = { ...img, data: Buffer.from(img.data) };
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) painted.data.set(palette.tile, (y * img.width + x) * 3);
      return painted;
    };
    // The header's lower half, across the whole width, in the tile colour (a photo's light can do that).
    const header = findLayout(paint(0, listTop - 450, img.width, listTop - 60));
    expect(header.sections.map((s) => s.tiles.length)).toEqual(before.sections.map((s) => s.tiles.length));
    expect(header.sections.flatMap((s) => s.unread)).toEqual([]);
    // A block of a tile's size there, blank: a card that may have been lost above the list is reported.
    const legend = before.sections[0]!.tiles[0]!.box;
    const block = findLayout(paint(legend.x, listTop - 60 - legend.height, legend.x + legend.width, listTop - 60));
    expect(block.sections[0]!.unread).toHaveLength(1);
    // The same block above the header's first line (the deck name) is in the page's top bar: not reported.
    const deckName = before.header.lines[0]![0]!;
    const topBar = findLayout(paint(legend.x, deckName.y - 10 - legend.height, legend.x + legend.width, deckName.y - 10));
    expect(topBar.header.lines[0]![0]!.y).toBe(deckName.y);
    expect(topBar.sections.flatMap((s) => s.unread)).toEqual([]);
  });

  it('rejects an image without decklist layout', async () => {
    const img = await decodeImage(await notADecklist(), opts);
    expect(() => findLayout(img)).toThrow(expect.objectContaining({ code: 'NOT_A_DECKLIST' }));
  });
});
