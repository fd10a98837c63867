/**
 * Hostile and broken uploads for the API tests, built in memory (nothing is written into the repo).
 */
import { readFileSync } from 'node:fs';
import sharp, { type OverlayOptions } from 'sharp';
import type { Fixture } from '../../scripts/fixtures.js';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';

/**
 * A screenshot of a decklist "from an unknown set": the fixture with the name line of every tile
 * text lines (name, and a champion's title) mirrored horizontally, so the glyphs are no real card names
 * (layout, badges and header untouched). Returns the JPEG and the number of lines changed.
 */
export async function unknownSetScreenshot(fixture: Fixture): Promise<{ bytes: Buffer; lines: number }> {
  const original = readFileSync(fixture.imagePath);
  const decoded = await decodeImage(original, { maxPixels: 40_000_000 });
  const layout = findLayout(decoded);
  const s = decoded.scale;
  const overlays: OverlayOptions[] = [];
  for (const section of layout.sections) {
    for (const line of section.tiles.flatMap((tile) => tile.lines)) {
      const box = {
        left: Math.round(line.x * s),
        top: Math.round(line.y * s),
        width: Math.max(1, Math.round(line.width * s)),
        height: Math.max(1, Math.round(line.height * s)),
      };
      const input = await sharp(original).extract(box).flop().toBuffer();
      overlays.push({ input, left: box.left, top: box.top });
    }
  }
  const bytes = await sharp(original).composite(overlays).jpeg({ quality: 92 }).toBuffer();
  return { bytes, lines: overlays.length };
}

/** A two-frame animated GIF (10×… px frames are enough: the sniffer refuses GIF before decoding). */
export async function animatedGif(): Promise<Buffer> {
  const frame = (colour: string) =>
    sharp({ create: { width: 400, height: 400, channels: 3, background: colour } })
      .png()
      .toBuffer();
  const frames = await Promise.all([frame('#ff0000'), frame('#0000ff')]);
  return sharp(frames, { join: { animated: true } })
    .gif({ loop: 0, delay: [100, 100] })
    .toBuffer();
}

export async function tiff(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 600, channels: 3, background: '#224466' } })
    .tiff()
    .toBuffer();
}

export async function tinyPng(): Promise<Buffer> {
  return sharp({ create: { width: 10, height: 10, channels: 3, background: '#1b4e63' } })
    .png()
    .toBuffer();
}

/** A valid PNG whose IDAT bytes are scrambled (the CRC no longer matches, the zlib stream is broken). */
export async function corruptPng(): Promise<Buffer> {
  const png = await sharp({ create: { width: 600, height: 900, channels: 3, background: '#336699' } })
    .composite([
      { input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900"><circle cx="300" cy="450" r="200" fill="#fff"/></svg>') },
    ])
    .png()
    .toBuffer();
  const idat = png.indexOf('IDAT');
  const out = Buffer.from(png);
  for (let i = idat + 8; i < Math.min(out.length - 20, idat + 400); i++) out[i] = (out[i]! * 31 + 7) & 0xff;
  return out;
}

/** The first half of a real screenshot's JPEG. */
export function truncatedJpeg(fixture: Fixture): Buffer {
  const bytes = readFileSync(fixture.imagePath);
  return bytes.subarray(0, Math.floor(bytes.length / 2));
}

export const svg = Buffer.from(
  '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY lol "lol">]>\n<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="2000"><text y="50">&lol;</text></svg>',
);

export const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script>not a screenshot</body></html>\n');

/** One part of a hand-built multipart body. */
export type Part =
  | { name: string; value: string }
  | { name: string; filename: string; type: string; bytes: Uint8Array /** send the name as RFC 5987 `filename*` */; encoded?: boolean };

/**
 * A multipart/form-data body built byte by byte, so tests can send what FormData never would
 * (raw control characters in a file name, a missing or malformed `map`).
 */
export function multipartBody(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----hostile${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in part) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    } else {
      const filename = part.encoded ? `filename*=utf-8''${encodeURIComponent(part.filename)}` : `filename="${part.filename}"`;
      chunks.push(
        Buffer.from(`Content-Disposition: form-data; name="${part.name}"; ${filename}\r\nContent-Type: ${part.type}\r\n\r\n`, 'utf8'),
        Buffer.from(part.bytes),
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const BATCH_MUTATION = 'mutation ($f: [Upload!]!) { processBatch(files: $f) { id total } }';

/** `operations` and `map` for a processBatch of `n` files, then the files as parts "0", "1", … */
export function batchParts(files: { filename: string; type: string; bytes: Uint8Array; encoded?: boolean }[]): Part[] {
  return [
    { name: 'operations', value: JSON.stringify({ query: BATCH_MUTATION, variables: { f: files.map(() => null) } }) },
    { name: 'map', value: JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.f.${i}`]]))) },
    ...files.map((f, i) => ({ name: String(i), ...f })),
  ];
}
