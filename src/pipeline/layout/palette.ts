import type { DecodedImage } from '../decode/decode.js';
import { luma, type PixelTest } from '../image/raster.js';

/**
 * The list view's colours as this screenshot shows them. The app draws flat tiles (`#1b4e63`) on a flat
 * background (`#013950`), but a phone's colour management, an editor's brightness or gamma, or heavy
 * recompression shift both; measuring them from the image keeps the layout finder working where fixed
 * reference colours would find nothing.
 */
export interface Palette {
  tile: [number, number, number];
  background: [number, number, number];
  /** Is this pixel tile-coloured (nearer the tile than the background, and close to it)? */
  isTile: PixelTest;
  /** Is this pixel light text on a tile? */
  isText: PixelTest;
  /**
   * Is this pixel faint light text (half as far above the tile as {@link isText} asks)? For the quantity
   * badge's grey digits and a champion's grey title in a soft capture, searched only where nothing but
   * tile colour and that text can be.
   */
  isFaintText: PixelTest;
  /** The page's white (255 on a screenshot; lower on a darkened photo). */
  light: number;
  /** The numbers the three tests compare with, for a classifier that inlines them (`classifyPixels`). */
  limits: PaletteLimits;
}

/**
 * A pixel is tile-coloured when no channel is more than `tolerance` from `tile` and it is nearer `tile`
 * than `background` (largest channel difference); light text when its luma is at least `textLuma`
 * (faint: `faintLuma`) and its channels lie within {@link TEXT_CHROMA} of each other. Unrounded.
 */
export interface PaletteLimits {
  tile: Rgb;
  background: Rgb;
  tolerance: number;
  textLuma: number;
  faintLuma: number;
}

/** Light text is grey: its largest and smallest channel differ by at most this. */
export const TEXT_CHROMA = 70;

export type Rgb = [number, number, number];

/** The largest difference between two colours in any channel. */
export const maxDiff = (a: Rgb, b: Rgb) => Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));

/**
 * Finds the two most common colours of the lower three quarters of the image (where the deck panels are):
 * on a decklist they are the tiles and the background, the tiles the lighter. Returns null when the image
 * has no two large flat areas of dark colour (not a decklist). `columns` limits the sample to a band of
 * columns (the middle of a tilted capture, away from the corners its rotation filled).
 */
export function estimatePalette(img: DecodedImage, columns?: { x0: number; x1: number }): Palette | null {
  if (columns) return measurePalette(img, columns);
  // The page finder and the layout finder both ask for the whole image's palette: measure it once.
  if (!wholeImagePalettes.has(img)) wholeImagePalettes.set(img, measurePalette(img));
  return wholeImagePalettes.get(img)!;
}

const wholeImagePalettes = new WeakMap<DecodedImage, Palette | null>();

function measurePalette(img: DecodedImage, columns?: { x0: number; x1: number }): Palette | null {
  const { data, width, height } = img;
  const x0 = columns ? Math.max(0, Math.floor(columns.x0)) : 0;
  const x1 = columns ? Math.min(width, Math.ceil(columns.x1)) : width;
  // 5 bits a channel: coarse enough to gather JPEG noise, fine enough to keep tile and background apart.
  const BINS = 1 << 15;
  const n = new Uint32Array(BINS);
  const sums = new Float64Array(BINS * 3);
  let sampled = 0;
  for (let y = Math.floor(height * 0.25); y < height; y += 3) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x += 3, i += 9) {
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      n[key]!++;
      sums[key * 3] = sums[key * 3]! + r;
      sums[key * 3 + 1] = sums[key * 3 + 1]! + g;
      sums[key * 3 + 2] = sums[key * 3 + 2]! + b;
      sampled++;
    }
  }
  const mean = (key: number): Rgb => [sums[key * 3]! / n[key]!, sums[key * 3 + 1]! / n[key]!, sums[key * 3 + 2]! / n[key]!];
  const order = Array.from({ length: BINS }, (_, k) => k)
    .filter((k) => n[k]! > 0)
    .sort((x, y) => n[y]! - n[x]!);
  const first = order[0];
  if (first === undefined) return null;
  const a = mean(first);
  // The second colour must be a different flat area, not a neighbour bin of the first.
  const second = order.find((k) => maxDiff(mean(k), a) >= 10);
  if (second === undefined) return null;
  const b = mean(second);
  // Both areas are large (tiles and background each cover a good share of a decklist), both dark.
  if (n[first]! < 0.1 * sampled || n[second]! < 0.04 * sampled) return null;
  if (luma(...a) > 150 || luma(...b) > 150) return null;

  const [tile, background] = luma(...a) >= luma(...b) ? [a, b] : [b, a];
  const gap = maxDiff(tile, background);
  const tolerance = Math.max(12, Math.min(40, 0.8 * gap));
  const [tr, tg, tb] = tile;
  const [br, bg, bb] = background;
  // Text is the page's white: a darkened photo's white is grey, so the text threshold sits between the
  // tile and the page's own light level (the 99.8th percentile of luma), not pure white.
  const light = lightLevel(img);
  // Light grey pixels at least `share` of the way from the tile's luma to the page's white.
  const lumaAt = (share: number) => luma(...tile) + share * (light - luma(...tile));
  const lightText = (min: number): PixelTest => {
    return (r, g, bl) => luma(r, g, bl) >= min && Math.max(r, g, bl) - Math.min(r, g, bl) <= TEXT_CHROMA;
  };
  const limits: PaletteLimits = { tile, background, tolerance, textLuma: lumaAt(0.4), faintLuma: lumaAt(0.2) };
  return {
    tile: tile.map(Math.round) as Rgb,
    background: background.map(Math.round) as Rgb,
    // Called for every pixel of the page: no allocation, early exits.
    isTile: (r, g, bl) => {
      const dt = Math.max(Math.abs(r - tr), Math.abs(g - tg), Math.abs(bl - tb));
      if (dt > tolerance) return false;
      return dt < Math.max(Math.abs(r - br), Math.abs(g - bg), Math.abs(bl - bb));
    },
    light,
    isText: lightText(limits.textLuma),
    isFaintText: lightText(limits.faintLuma),
    limits,
  };
}

/**
 * The page's white: the 99.8th percentile of luma over a sample of pixels, or 255 when that is near white
 * already (a screenshot), so only a darkened capture moves the text threshold.
 */
function lightLevel(img: DecodedImage): number {
  const { data, width, height } = img;
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = 0; y < height; y += 6) {
    for (let x = 0, i = y * width * 3; x < width; x += 6, i += 18) {
      hist[Math.round(luma(data[i]!, data[i + 1]!, data[i + 2]!))]!++;
      n++;
    }
  }
  let above = 0;
  for (let v = 255; v > 0; v--) {
    above += hist[v]!;
    if (above >= 0.002 * n) return v >= 235 ? 255 : Math.max(v, 150);
  }
  return 255;
}
