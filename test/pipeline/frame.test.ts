import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findPageColumns } from '../../src/pipeline/decode/frame.js';
import { loadFixtures } from '../../scripts/fixtures.js';
import { notADecklist } from '../helpers/images.js';

const opts = { maxPixels: 40_000_000 };
const fixture = readFileSync(loadFixtures()[0]!.imagePath);
const LIST_BACKGROUND = { r: 1, g: 57, b: 80 }; // the app's list background (#013950)

describe('findPageColumns', () => {
  it('finds nothing to cut on real screenshots', async () => {
    for (const f of loadFixtures()) {
      expect(findPageColumns(await decodeImage(readFileSync(f.imagePath), opts)), f.name).toBeNull();
    }
  });

  it('finds bars added beside the page, on either side, in original pixels', async () => {
    const padded = await sharp(fixture).extend({ left: 60, right: 60, background: '#000' }).jpeg({ quality: 80 }).toBuffer();
    const page = findPageColumns(await decodeImage(padded, opts))!;
    expect(Math.abs(page.left - 60)).toBeLessThanOrEqual(3);
    expect(Math.abs(page.width - 1080)).toBeLessThanOrEqual(6);

    const oneSide = await sharp(fixture).resize(720).extend({ left: 150, background: '#f0f0f0' }).png().toBuffer();
    const cut = findPageColumns(await decodeImage(oneSide, opts))!;
    expect(Math.abs(cut.left - 150)).toBeLessThanOrEqual(3);
    expect(Math.abs(cut.width - 720)).toBeLessThanOrEqual(4);
  });

  it('decodes just the page, mapping positions back to the original', async () => {
    const padded = await sharp(fixture).extend({ left: 60, right: 60, background: '#000' }).png().toBuffer();
    const page = findPageColumns(await decodeImage(padded, opts))!;
    const img = await decodeImage(padded, { ...opts, columns: page });
    expect(img.offsetX).toBe(page.left);
    expect(img.scale).toBeCloseTo(page.width / img.width, 6);
    expect(img.original.width).toBe(1200);
  });

  it("never cuts a margin of the list's own background colour, or anything from a non-decklist", async () => {
    const margin = await sharp(fixture).extend({ left: 60, right: 60, background: LIST_BACKGROUND }).png().toBuffer();
    expect(findPageColumns(await decodeImage(margin, opts))).toBeNull();
    expect(findPageColumns(await decodeImage(await notADecklist(), opts))).toBeNull();
  });
});
