import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode.js';
import { findLayout } from '../../src/pipeline/layout.js';
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
      expect(layout.header.placementBadge).not.toBeNull();
      expect(layout.header.lines.length).toBeGreaterThanOrEqual(3);
    });
  }

  it('rejects an image without decklist layout', async () => {
    const img = await decodeImage(await notADecklist(), opts);
    expect(() => findLayout(img)).toThrow(expect.objectContaining({ code: 'NOT_A_DECKLIST' }));
  });
});
