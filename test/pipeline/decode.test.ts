import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, sniffFormat, CANONICAL_WIDTH } from '../../src/pipeline/decode/decode.js';
import { loadFixtures } from '../../scripts/fixtures.js';
import { pngHeaderClaiming } from '../helpers/images.js';

const opts = { maxPixels: 40_000_000 };
const fixture = readFileSync(loadFixtures()[0]!.imagePath);

async function codeOf(bytes: Uint8Array): Promise<string> {
  try {
    await decodeImage(bytes, opts);
    return 'OK';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('decodeImage', () => {
  it('decodes a real screenshot to the canonical width, keeping the original size', async () => {
    const img = await decodeImage(fixture, opts);
    expect(img.width).toBe(CANONICAL_WIDTH);
    expect(img.data.length).toBe(img.width * img.height * 3);
    expect(img.original.format).toBe('jpeg');
    expect(img.original.width).toBe(1080);
  });

  it('tells the format from the bytes, not the name', async () => {
    const png = await sharp(fixture).png().toBuffer();
    const webp = await sharp(fixture).webp().toBuffer();
    expect((await decodeImage(png, opts)).original.format).toBe('png');
    expect((await decodeImage(webp, opts)).original.format).toBe('webp');
    expect(sniffFormat(Buffer.from('GIF89a......'))).toEqual({ kind: 'unsupported', name: 'GIF' });
  });

  it('fails with typed errors on bad input', async () => {
    expect(await codeOf(new Uint8Array())).toBe('INVALID_IMAGE');
    expect(await codeOf(Buffer.from('hello, this is text named .jpg'))).toBe('INVALID_IMAGE');
    expect(await codeOf(fixture.subarray(0, fixture.length / 3))).toBe('INVALID_IMAGE');
    expect(await codeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBe('UNSUPPORTED_FORMAT');
    expect(await codeOf(await sharp(fixture).resize(200).gif().toBuffer())).toBe('UNSUPPORTED_FORMAT');
    expect(await codeOf(await sharp(fixture).tiff().toBuffer())).toBe('UNSUPPORTED_FORMAT');
    expect(await codeOf(pngHeaderClaiming(20000, 20000))).toBe('IMAGE_TOO_LARGE');
    expect(await codeOf(await sharp(fixture).resize(10, 10).png().toBuffer())).toBe('IMAGE_TOO_SMALL');
  });

  it('refuses a thin, tall image that would blow up when scaled to the canonical width', async () => {
    // 300×100 000 is 30 MP (under the limit) but 1080 px wide it would be 1080×360 000 = 388.8 MP.
    const started = Date.now();
    const thin = decodeImage(pngHeaderClaiming(300, 100_000), opts);
    await expect(thin).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    await expect(thin).rejects.toThrow(/1080 px wide.*388\.8 MP/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('says what is wrong in the message', async () => {
    await expect(decodeImage(pngHeaderClaiming(20000, 20000), opts)).rejects.toThrow(/20000×20000.*limit/);
    await expect(decodeImage(new Uint8Array(), opts)).rejects.toThrow(/empty/);
  });
});
