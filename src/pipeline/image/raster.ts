import type { Box } from '../types.js';
import type { DecodedImage } from '../decode/decode.js';

/** Small pixel helpers over a packed RGB raster. */

export type PixelTest = (r: number, g: number, b: number) => boolean;

/** A half-open run [start, end) of indices where a profile passed a test. */
export interface Run {
  start: number;
  end: number;
}

/** Counts, for each row y in [y0, y1), the pixels in [x0, x1) passing `test`. */
export function rowProfile(img: DecodedImage, test: PixelTest, x0: number, x1: number, y0 = 0, y1 = img.height): Int32Array {
  const out = new Int32Array(Math.max(0, y1 - y0));
  const { data, width } = img;
  for (let y = y0; y < y1; y++) {
    let n = 0;
    let i = (y * width + x0) * 3;
    for (let x = x0; x < x1; x++, i += 3) if (test(data[i]!, data[i + 1]!, data[i + 2]!)) n++;
    out[y - y0] = n;
  }
  return out;
}

/** Counts, for each column x in [x0, x1), the pixels in rows [y0, y1) passing `test`. */
export function columnProfile(img: DecodedImage, test: PixelTest, x0: number, x1: number, y0: number, y1: number): Int32Array {
  const out = new Int32Array(Math.max(0, x1 - x0));
  const { data, width } = img;
  for (let y = y0; y < y1; y++) {
    let i = (y * width + x0) * 3;
    for (let x = x0; x < x1; x++, i += 3) if (test(data[i]!, data[i + 1]!, data[i + 2]!)) out[x - x0]!++;
  }
  return out;
}

/** Runs of consecutive indices whose value is ≥ `min`, joining runs separated by at most `maxGap`. */
export function runs(profile: ArrayLike<number>, min: number, maxGap = 0): Run[] {
  const out: Run[] = [];
  let start = -1;
  for (let i = 0; i <= profile.length; i++) {
    const on = i < profile.length && profile[i]! >= min;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      const last = out[out.length - 1];
      if (last && start - last.end <= maxGap) last.end = i;
      else out.push({ start, end: i });
      start = -1;
    }
  }
  return out;
}

/**
 * Runs of values ≥ `low` that reach `high` somewhere (hysteresis): a run survives a dip that stays above
 * `low` (text across a tile) but ends where the values fall to the floor (the gap between tiles).
 */
export function hysteresisRuns(profile: ArrayLike<number>, high: number, low: number): Run[] {
  return runs(profile, low).filter((r) => {
    for (let i = r.start; i < r.end; i++) if (profile[i]! >= high) return true;
    return false;
  });
}

/** The middle value of a non-empty list; of an even number, the upper of the two middle ones. */
export function upperMedian(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}

/** Clamps a box to the raster and rounds it to whole pixels. */
export function clampBox(img: { width: number; height: number }, box: Box): Box {
  const x = Math.max(0, Math.floor(box.x));
  const y = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(img.height, Math.ceil(box.y + box.height));
  return { x, y, width: Math.max(0, x1 - x), height: Math.max(0, y1 - y) };
}

/** Luma (Rec. 601) of one pixel. */
export function luma(r: number, g: number, b: number): number {
  return (r * 299 + g * 587 + b * 114) / 1000;
}

/**
 * A grey crop as a binary PGM (P5) file, which tesseract's image reader takes without any PNG encoding
 * cost, always as dark text on white: the crop's most common tone (its median) is the background, the
 * far tail on the other side is the text, and tones are stretched between the two. This works for light
 * text on dark tiles and dark digits on the gold badge alike, and leaves JPEG noise in the background
 * white. `pad` adds a white margin, since tesseract misses glyphs that touch the image edge; `scale`
 * resamples the crop (a second look at another size often reads a glyph the first one missed).
 */
export function greyCrop(img: DecodedImage, box: Box, options: GreyCropOptions = {}): Buffer {
  const crop = normalisedCrop(img, box, options.surroundings ?? false);
  const scaled = options.scale && options.scale !== 1 ? resample(crop, options.scale) : crop;
  return toPgm(scaled, options.pad ?? 0);
}

export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Bilinear resampling of a grey image by `factor`. */
function resample(src: GreyImage, factor: number): GreyImage {
  const width = Math.max(1, Math.round(src.width * factor));
  const height = Math.max(1, Math.round(src.height * factor));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, Math.max(0, (y + 0.5) / factor - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.max(0, (x + 0.5) / factor - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const fx = sx - x0;
      const p = (yy: number, xx: number) => src.pixels[yy * src.width + xx]!;
      const top = p(y0, x0) * (1 - fx) + p(y0, x1) * fx;
      const bottom = p(y1, x0) * (1 - fx) + p(y1, x1) * fx;
      pixels[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, pixels };
}

/** A grey image as a binary PGM file with a white margin of `pad` pixels. */
function toPgm(img: GreyImage, pad: number): Buffer {
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const out = Buffer.alloc(w * h, 255);
  for (let y = 0; y < img.height; y++) {
    out.set(img.pixels.subarray(y * img.width, (y + 1) * img.width), (y + pad) * w + pad);
  }
  return Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`, 'ascii'), out]);
}

export interface GreyCropOptions {
  /** White margin around the crop, in pixels. @default 0 */
  pad?: number;
  /** Resampling factor. @default 1 */
  scale?: number;
  /**
   * The box is a line of text on a flat ground (a name, a title, a header line, a label), not a badge: when
   * the crop's own median and the median of its surroundings disagree on which side the text is, the
   * surroundings decide. A tight line of bold, blurred glyphs (a photo at 800 px) can be mostly text, so
   * its median is text and the crop came out inverted; around it is the ground. @default false
   */
  surroundings?: boolean;
}

/** Median luma of the ring around a box (half its height wide, within the image); null when there is none. */
function surroundingMedian(img: DecodedImage, b: Box): number | null {
  const m = Math.max(2, Math.round(b.height / 2));
  const outer = clampBox(img, { x: b.x - m, y: b.y - m, width: b.width + 2 * m, height: b.height + 2 * m });
  const histogram = new Uint32Array(256);
  let n = 0;
  for (let y = outer.y; y < outer.y + outer.height; y++) {
    const inside = y >= b.y && y < b.y + b.height;
    let i = (y * img.width + outer.x) * 3;
    for (let x = outer.x; x < outer.x + outer.width; x++, i += 3) {
      if (inside && x >= b.x && x < b.x + b.width) continue;
      histogram[Math.round(luma(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!))]!++;
      n++;
    }
  }
  return n === 0 ? null : percentileOf(histogram, n, 0.5);
}

/** The tone at fraction `p` of a 256-bin histogram holding `n` pixels. */
function percentileOf(histogram: Uint32Array, n: number, p: number): number {
  const target = p * n;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= target) return v;
  }
  return 255;
}

/** The crop in grey, polarity-normalised to dark text on white (see {@link greyCrop}). */
function normalisedCrop(img: DecodedImage, box: Box, surroundings: boolean): GreyImage {
  const b = clampBox(img, box);
  const { data, width } = img;
  const grey = new Uint8Array(b.width * b.height);
  const histogram = new Uint32Array(256);
  for (let y = 0; y < b.height; y++) {
    let i = ((b.y + y) * width + b.x) * 3;
    for (let x = 0; x < b.width; x++, i += 3) {
      const v = Math.round(luma(data[i]!, data[i + 1]!, data[i + 2]!));
      grey[y * b.width + x] = v;
      histogram[v]!++;
    }
  }
  const percentile = (p: number) => percentileOf(histogram, grey.length, p);
  let background = percentile(0.5);
  const dark = percentile(0.01);
  const light = percentile(0.99);
  // The text is the tail farther from the ground.
  const textFrom = (ground: number) => (light - ground >= ground - dark ? light : dark);
  let text = textFrom(background);
  const ground = surroundings ? surroundingMedian(img, b) : null;
  if (ground !== null) {
    const groundText = textFrom(ground);
    if (groundText !== text) {
      background = ground;
      text = groundText;
    }
  }
  const span = text - background || 1;
  const pixels = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) {
    const t = Math.min(1, Math.max(0, (grey[i]! - background) / span));
    pixels[i] = Math.round(255 * (1 - t));
  }
  return { width: b.width, height: b.height, pixels };
}

/** A row span [top, bottom) of a stacked image. */
export interface Span {
  top: number;
  bottom: number;
}

/**
 * Stacks PGM crops (as {@link greyCrop} makes them) one under another on white, `gap` rows apart, into one
 * PGM: several small crops read in one OCR call. Returns the image and the rows each crop occupies.
 */
export function stackCrops(crops: Buffer[], gap: number): { image: Buffer; spans: Span[] } {
  const images = crops.map(parsePgm);
  const width = Math.max(1, ...images.map((c) => c.width));
  const height = images.reduce((sum, c) => sum + c.height + gap, gap);
  const out = Buffer.alloc(width * height, 255);
  const spans: Span[] = [];
  let top = gap;
  for (const c of images) {
    for (let y = 0; y < c.height; y++) out.set(c.pixels.subarray(y * c.width, (y + 1) * c.width), (top + y) * width);
    spans.push({ top, bottom: top + c.height });
    top += c.height + gap;
  }
  return { image: Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), out]), spans };
}

/** The pixels of a binary PGM with a plain header (`P5\n<w> <h>\n255\n`, as {@link toPgm} writes it). */
export function parsePgm(pgm: Buffer): GreyImage {
  const header = /^P5\n(\d+) (\d+)\n255\n/.exec(pgm.subarray(0, 32).toString('latin1'));
  if (!header) throw new Error('not a PGM crop');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = pgm.subarray(header[0].length, header[0].length + width * height);
  if (pixels.length !== width * height) throw new Error('truncated PGM crop');
  return { width, height, pixels };
}
