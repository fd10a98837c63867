/**
 * Keystone: a page photographed from a little below or above its middle is narrower at one end than at the
 * other. Its vertical edges then lean in proportion to how far they stand from the middle: those on the
 * left one way, those on the right the other, where a rotation or a shear leans them all alike. The
 * estimate is the change of width per row at which the tiles' edge points, mapped back to the middle row,
 * pile up into the sharpest columns; the correction widens or narrows each row about the page's middle
 * column to the width of the middle row.
 */
import type { DecodedImage } from './decode.js';
import { argmax, type EdgePoints } from './projection.js';

/** What {@link estimateKeystone} measured. */
export interface KeystoneEstimate {
  /**
   * Change of the page's width per row, as a share of the middle row's (1/px): positive when the page
   * widens downwards. Row y is `1 + perRow·(y − middle)` times as wide as the middle row.
   */
  perRow: number;
  /** Lean (x per y) of an edge at the middle column: the rotation and shear, without the keystone. */
  centreSlope: number;
}

/** Largest keystone searched (change of width per row, 1/px): a page 10 % narrower at one end of 4400 rows is ~24e-6. */
const MAX_PER_ROW = 40e-6;
/** Fewer vertical edge points than this: no keystone estimate. */
const MIN_POINTS = 80;

/**
 * Sharpness of the page's columns if the page leans by `slope` at its middle column and changes width by
 * `perRow`: each edge point is mapped back to the column it would have in the middle row, and the squared
 * counts of 2 px bins summed (left and right edges binned apart).
 */
function sharpness(points: EdgePoints, cx: number, middle: number, slope: number, perRow: number, bins: Int32Array): number {
  bins.fill(0);
  // Columns from −width to 2·width fit; a point mapped beyond is not counted.
  const offset = (bins.length - 2) / 3;
  let s = 0;
  for (let k = 0; k < points.n; k++) {
    const dy = points.xs[k]! - middle;
    const u = cx + (points.ys[k]! - slope * dy - cx) / (1 + perRow * dy);
    const bin = Math.floor((u + offset) / 2) * 2 + points.kinds[k]!;
    if (bin < 0 || bin >= bins.length) continue;
    s += 2 * bins[bin]! + 1;
    bins[bin]!++;
  }
  return s;
}

/**
 * Measures the keystone from vertical edge points (as the straightening collects them: `xs` the row, `ys`
 * the column) of a raster of `width` × `height`, given `slope`, the lean of all the points together. The
 * keystone and the lean at the middle are searched in turn, each with the other held. Null when there are
 * too few edges to judge.
 */
export function estimateKeystone(points: EdgePoints, img: { width: number; height: number }, slope: number): KeystoneEstimate | null {
  if (points.n < MIN_POINTS) return null;
  const cx = img.width / 2;
  const middle = img.height / 2;
  const bins = new Int32Array(img.width * 3 + 2);
  const at = (m: number, p: number) => sharpness(points, cx, middle, m, p, bins);
  let perRow = argmax(-MAX_PER_ROW, MAX_PER_ROW, 1e-6, (p) => at(slope, p));
  let centreSlope = argmax(slope - 0.004, slope + 0.004, 0.0002, (m) => at(m, perRow));
  perRow = argmax(perRow - 1e-6, perRow + 1e-6, 0.1e-6, (p) => at(centreSlope, p));
  centreSlope = argmax(centreSlope - 0.0002, centreSlope + 0.0002, 0.00002, (m) => at(m, perRow));
  return { perRow, centreSlope };
}

/** Catmull-Rom weights of the four neighbours of a sample `t` past the second. */
function cubicWeights(t: number): [number, number, number, number] {
  const t2 = t * t;
  const t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/**
 * Undoes a keystone on a canonical raster: row y is resampled about the middle column by the factor that
 * brings it to the middle row's width, cubic along the row (linear blurred small soft text a little more:
 * two tiles fewer of the combined captures read). What falls outside the raster is black (not the list
 * background).
 */
export function undoKeystone(img: DecodedImage, perRow: number): DecodedImage {
  const { width, height, data } = img;
  const out = Buffer.alloc(data.length);
  const cx = (width - 1) / 2;
  const middle = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    const f = 1 + perRow * (y - middle);
    const row = y * width * 3;
    for (let x = 0; x < width; x++) {
      const sx = cx + (x - cx) * f;
      if (sx < 0 || sx > width - 1) continue;
      const x1 = Math.floor(sx);
      const w = cubicWeights(sx - x1);
      const o = row + x * 3;
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let j = 0; j < 4; j++) v += w[j]! * data[row + Math.min(width - 1, Math.max(0, x1 - 1 + j)) * 3 + c]!;
        out[o + c] = Math.min(255, Math.max(0, Math.round(v)));
      }
    }
  }
  return { ...img, data: out };
}
