import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { Box } from '../../src/pipeline/types.js';
import type { DecodedImage } from '../../src/pipeline/decode/decode.js';
import type { Rgb } from '../../src/pipeline/layout/palette.js';

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A decompression bomb: a PNG of a few hundred bytes that declares `width`×`height` pixels (its pixel
 * data is a short run of zeros; a decoder that trusted the header would allocate width×height×3 bytes).
 */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(4096))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A photo-like image with no decklist in it: smooth colour gradients and blobs. */
export async function notADecklist(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1600">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#87a96b"/><stop offset="1" stop-color="#5d3a1a"/></linearGradient></defs>
    <rect width="1080" height="1600" fill="url(#g)"/><circle cx="500" cy="700" r="300" fill="#d9c27a"/>
    <rect x="100" y="1200" width="800" height="200" fill="#223344"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** Re-encodes an image: resized to `width` px wide and/or as JPEG of `quality`. */
export async function variant(bytes: Buffer, options: { width?: number; quality?: number }): Promise<Buffer> {
  let img = sharp(bytes);
  if (options.width) img = img.resize({ width: options.width });
  return img.jpeg({ quality: options.quality ?? 90 }).toBuffer();
}

/** A stitched long screenshot: rows [from, to) copied and inserted again right after themselves. */
export async function duplicateRows(bytes: Buffer, from: number, to: number): Promise<Buffer> {
  const { width, height } = await sharp(bytes).metadata();
  const w = width!;
  const h = height!;
  const part = (top: number, bottom: number) =>
    sharp(bytes)
      .extract({ left: 0, top, width: w, height: bottom - top })
      .toBuffer();
  const [head, block, tail] = await Promise.all([part(0, to), part(from, to), part(to, h)]);
  return sharp({ create: { width: w, height: h + (to - from), channels: 3, background: '#000000' } })
    .composite([
      { input: head, top: 0, left: 0 },
      { input: block, top: to, left: 0 },
      { input: tail, top: to + (to - from), left: 0 },
    ])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** A dark page of tile-sized boxes in the app's colours, with nothing written on them. */
export async function blankTiles(): Promise<Buffer> {
  const rows = Array.from({ length: 8 }, (_, i) => 900 + i * 166);
  const rects = rows.flatMap((y) => [94, 547].map((x) => `<rect x="${x}" y="${y}" width="439" height="138" fill="#1b4e63"/>`)).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="2400"><rect width="1080" height="2400" fill="#013950"/>${rects}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * A tilted copy: rotated `degrees` clockwise about its centre on a canvas grown to hold all of it, the
 * corners filled with `fill` (an editor's straightening gone wrong, a scan), re-encoded as JPEG.
 */
export async function rotated(bytes: Buffer, degrees: number, options: { fill?: string; quality?: number } = {}): Promise<Buffer> {
  return sharp(bytes)
    .rotate(degrees, { background: options.fill ?? '#ffffff' })
    .jpeg({ quality: options.quality ?? 90 })
    .toBuffer();
}

/** Rotated copies of one image at ±1…±8° over a set, for the variant tests: `[degrees, fill]` pairs. */
export const TILTS: [number, string][] = [
  [1, '#ffffff'],
  [-1, '#000000'],
  [2, '#000000'],
  [-2, '#ffffff'],
  [3, '#ffffff'],
  [-3, '#202020'],
  [5, '#000000'],
  [-5, '#ffffff'],
  [8, '#ffffff'],
  [-8, '#000000'],
  [4, '#808080'],
  [-6, '#ffffff'],
];

/**
 * A sheared copy (an affine map `x' = x + shear·y` about the centre, the canvas grown to hold it): a page
 * photographed a little from the side, to first order.
 */
export async function sheared(bytes: Buffer, shear: number, options: { fill?: string } = {}): Promise<Buffer> {
  return sharp(bytes)
    .affine([1, shear, 0, 1], { background: options.fill ?? '#000000', interpolator: 'bicubic' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

export interface PhotoOptions {
  /** Width of the result (a photo's page is rarely at screen resolution). */
  width?: number;
  /** Gaussian blur σ (a soft focus). */
  blur?: number;
  /** Brightness factor (0.75 darker … 1.25 brighter). */
  brightness?: number;
  /** Saturation factor (below 1 washes the colours out). */
  saturation?: number;
  /** Light falling off across the page: the darkest corner's factor (1: even). */
  vignette?: number;
  /** Where the light falls off from: along the diagonal (default) or around a spot (a lamp) above the page's upper third. */
  lamp?: 'diagonal' | 'spot';
  /** A dark border of desk or bezel, in px of the result, on every side. */
  border?: number;
  /** Degrees of rotation (canvas grown, filled with the border's colour). */
  rotate?: number;
  quality?: number;
}

/** A photo-like copy: softer, darker or brighter, washed out, unevenly lit, in a dark border, recompressed. */
export async function photoLike(bytes: Buffer, o: PhotoOptions): Promise<Buffer> {
  const desk = '#1a1410';
  let img = sharp(bytes);
  if (o.rotate) img = sharp(await img.rotate(o.rotate, { background: desk }).png().toBuffer());
  if (o.border) img = sharp(await img.extend({ top: o.border, bottom: o.border, left: o.border, right: o.border, background: desk }).png().toBuffer());
  const { width, height } = await img.metadata();
  if (o.vignette !== undefined && o.vignette < 1) {
    // Multiply by a diagonal ramp from 1 (top left) to `vignette` (bottom right), or by a radial fall-off
    // from 1 at a spot a third of the way down, right of centre, to `vignette` at the farthest corner.
    const v = Math.round(255 * o.vignette);
    const stops = `<stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="rgb(${v},${v},${v})"/>`;
    const gradient =
      o.lamp === 'spot'
        ? `<radialGradient id="g" gradientUnits="userSpaceOnUse" cx="${0.6 * width!}" cy="${0.3 * height!}" r="${Math.hypot(0.6 * width!, 0.7 * height!)}">${stops}</radialGradient>`
        : `<linearGradient id="g" x1="0" y1="0" x2="1" y2="1">${stops}</linearGradient>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>${gradient}</defs><rect width="${width}" height="${height}" fill="url(#g)"/></svg>`;
    img = sharp(
      await img
        .composite([{ input: Buffer.from(svg), blend: 'multiply' }])
        .png()
        .toBuffer(),
    );
  }
  if (o.brightness !== undefined || o.saturation !== undefined) img = img.modulate({ brightness: o.brightness ?? 1, saturation: o.saturation ?? 1 });
  if (o.blur) img = img.blur(o.blur);
  if (o.width) img = img.resize({ width: o.width });
  return img.jpeg({ quality: o.quality ?? 80 }).toBuffer();
}

/**
 * A keystoned copy: the page photographed from below or above its centre, so its sides converge. The top
 * edge is `keystone` (e.g. 0.05) of the width narrower than the bottom (negative: wider), centred; each row
 * is scaled about the page's middle column and resampled bilinearly, the outside filled with `fill`.
 */
export async function keystoned(bytes: Buffer, keystone: number, options: { fill?: [number, number, number]; quality?: number } = {}): Promise<Buffer> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const out = Buffer.alloc(data.length);
  const fill = options.fill ?? [26, 20, 16];
  const cx = (w - 1) / 2;
  for (let y = 0; y < h; y++) {
    // Row y of the result shows the page scaled by s about the middle: s = 1 − keystone at the top, 1 at the bottom.
    const s = 1 - keystone * (1 - y / (h - 1));
    for (let x = 0; x < w; x++) {
      const sx = cx + (x - cx) / s;
      const o = (y * w + x) * 3;
      if (sx < 0 || sx > w - 1) {
        out[o] = fill[0];
        out[o + 1] = fill[1];
        out[o + 2] = fill[2];
        continue;
      }
      const x0 = Math.floor(sx);
      const x1 = Math.min(w - 1, x0 + 1);
      const f = sx - x0;
      for (let c = 0; c < 3; c++) out[o + c] = Math.round((1 - f) * data[(y * w + x0) * 3 + c]! + f * data[(y * w + x1) * 3 + c]!);
    }
  }
  return sharp(out, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: options.quality ?? 85 })
    .toBuffer();
}

/**
 * A copy with screen moiré: the interference of the screen's pixel grid with the camera's, as faint
 * diagonal bands of light and dark (`strength` of the brightness, e.g. 0.08) with a period of `period` px.
 */
export async function moire(bytes: Buffer, strength: number, period = 7, options: { quality?: number } = {}): Promise<Buffer> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const out = Buffer.alloc(data.length);
  const k = (2 * Math.PI) / period;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Two gratings a few degrees apart: bands that drift slowly across the page.
      const m = 1 + strength * 0.5 * (Math.sin(k * (0.96 * x + 0.28 * y)) + Math.sin(k * (0.91 * x + 0.41 * y + 1.3)));
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = Math.max(0, Math.min(255, Math.round(data[o + c]! * m)));
    }
  }
  return sharp(out, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: options.quality ?? 80 })
    .toBuffer();
}

/** Photo-like copies, in turn over a set of images: each kind of degradation alone, then all at once. */
export const PHOTOS: PhotoOptions[] = [
  { width: 800, blur: 1, quality: 50 },
  { brightness: 0.75, quality: 70 },
  { brightness: 1.25, quality: 70 },
  { saturation: 0.6, quality: 70 },
  { vignette: 0.7, quality: 70 },
  { vignette: 0.6, lamp: 'spot', quality: 70 },
  { border: 60, quality: 70 },
  { width: 800, blur: 1, brightness: 0.85, saturation: 0.8, vignette: 0.8, border: 50, rotate: 3, quality: 50 },
];

/** A capture of an image made in turn: `index` picks the copy, so a set of images gets every kind. */
export type Capture = (png: Buffer, index: number) => Promise<Buffer>;

/** The capture families of issue 15, by name: rotated, sheared or keystoned, photo-like, all of it at once. */
export const CAPTURES: [string, Capture][] = [
  ['rotated ±1…±8°', (png, i) => rotated(png, TILTS[i % TILTS.length]![0], { fill: TILTS[i % TILTS.length]![1] })],
  [
    'sheared or keystoned',
    (png, i) => [() => sheared(png, 0.05), () => keystoned(png, 0.05), () => sheared(png, -0.03), () => keystoned(png, -0.05)][i % 4]!(),
  ],
  ['photo-like', (png, i) => photoLike(png, PHOTOS[i % PHOTOS.length]!)],
  [
    'combined: photo, moiré, keystone, tilt',
    async (png, i) =>
      photoLike(await moire(await keystoned(png, i % 2 ? 0.04 : -0.04), 0.06), {
        width: 800,
        blur: 0.8,
        brightness: 0.9,
        saturation: 0.8,
        vignette: 0.8,
        lamp: i % 2 ? 'spot' : 'diagonal',
        border: 40,
        rotate: TILTS[i % TILTS.length]![0] / 2,
        quality: 60,
      }),
  ],
];

/** A decoded raster of one flat light grey, for tests whose OCR is a stand-in (nothing is read from it). */
export function flatRaster(width: number, height: number): DecodedImage {
  return { data: Buffer.alloc(width * height * 3, 200), width, height, scale: 1, offsetX: 0, original: { width, height, format: 'png' } };
}

/** A copy of a raster with the pixels of each box pulled toward `colour`, keeping `keep` of their difference. */
export function dimmedToward(img: DecodedImage, boxes: Box[], colour: Rgb, keep: number): DecodedImage {
  const data = Buffer.from(img.data);
  for (const b of boxes) {
    for (let y = b.y; y < b.y + b.height; y++) {
      for (let x = b.x; x < b.x + b.width; x++) {
        const i = (y * img.width + x) * 3;
        for (let c = 0; c < 3; c++) data[i + c] = Math.round(colour[c]! + keep * (img.data[i + c]! - colour[c]!));
      }
    }
  }
  return { ...img, data };
}
