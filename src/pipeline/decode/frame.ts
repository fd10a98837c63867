import type { DecodedImage } from './decode.js';
import { estimatePalette, maxDiff, type Rgb } from '../layout/palette.js';

/** Columns of the original image that hold the app's page, between bars added around it. */
export interface PageColumns {
  /** First page column, in original pixels. */
  left: number;
  /** Page width, in original pixels. */
  width: number;
}

/** Largest spread of a channel down a column for it to count as one flat colour (JPEG noise stays below). */
const FLAT = 16;
/** Narrower bars are left alone: they hardly change the page's scale. */
const MIN_BAR_FRACTION = 0.01;
/** A bar this close to the page background could be the page's own margin: never cut that. */
const MIN_BAR_CONTRAST = 24;

/** The colour of column `x` when it is one flat colour from top to bottom, else null. */
function flatColumn(img: DecodedImage, x: number): Rgb | null {
  const { data, width, height } = img;
  let i = x * 3;
  const lo: Rgb = [data[i]!, data[i + 1]!, data[i + 2]!];
  const hi: Rgb = [...lo];
  for (let y = 0; y < height; y += 2, i = (y * width + x) * 3) {
    for (let c = 0; c < 3; c++) {
      const v = data[i + c]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
      if (hi[c]! - lo[c]! > FLAT) return null;
    }
  }
  return [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
}

/** How many columns from the edge (stepping by `step`) are one flat colour, the same one, unlike the page. */
function barWidth(img: DecodedImage, start: number, step: 1 | -1, background: Rgb): number {
  const edge = flatColumn(img, start);
  if (!edge || maxDiff(edge, background) <= MIN_BAR_CONTRAST) return 0;
  let n = 1;
  for (let x = start + step; x >= 0 && x < img.width; x += step, n++) {
    const colour = flatColumn(img, x);
    if (!colour || maxDiff(colour, edge) > FLAT) break;
  }
  return n;
}

/**
 * Finds bars of one flat colour added beside the page — a screenshot of the mini-program's window on a
 * computer, or a phone screenshot letterboxed by an editor — so the page can be decoded alone and keep the
 * proportions the layout finder measures in. A real screenshot's edge columns run through the status bar
 * and header, so they are never one flat colour; a bar must also differ from the list's background, so the
 * page's own margin is never cut. Null when there are no bars (or no list to compare with).
 */
export function findPageColumns(img: DecodedImage): PageColumns | null {
  const palette = estimatePalette(img);
  if (!palette) return null;
  const min = Math.max(2, Math.round(img.width * MIN_BAR_FRACTION));
  const left = barWidth(img, 0, 1, palette.background);
  const right = barWidth(img, img.width - 1, -1, palette.background);
  const cutLeft = left >= min ? left : 0;
  const cutRight = right >= min ? right : 0;
  if (cutLeft === 0 && cutRight === 0) return null;
  // Nothing like a page left between the bars: leave the image as it is for the layout finder to judge.
  if (img.width - cutLeft - cutRight < img.width * 0.5) return null;
  const scale = img.scale;
  const first = Math.round(cutLeft * scale);
  const last = Math.round((img.width - cutRight) * scale);
  return { left: first, width: Math.min(img.original.width, last) - first };
}
