import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import { loadFixtures } from '../../scripts/fixtures.js';
import { notADecklist } from '../helpers/images.js';

const opts = { maxPixels: 40_000_000 };

describe('findLayout', () => {
  for (const fixture of loadFixtures()) {
    it(`finds every tile of ${fixture.name}, with its lines and badge`, async () => {
      const label = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
      const layout = findLayout(await decodeImage(readFileSync(fixture.imagePath), opts));
      const tiles = layout.sections.flatMap((s) => s.tiles);
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
    expect(layout.sections.flatMap((s) => s.tiles).length).toBe(tiles.length);
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

  it('rejects an image without decklist layout', async () => {
    const img = await decodeImage(await notADecklist(), opts);
    expect(() => findLayout(img)).toThrow(expect.objectContaining({ code: 'NOT_A_DECKLIST' }));
  });
});
