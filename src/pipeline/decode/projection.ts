/**
 * The projection search both straightening estimates use: edge points binned along lines of a trial slope
 * pile up into the fewest, fullest bins when the slope is the page's.
 */

/** Edge points: `ys[k]` across the edge, `xs[k]` along it, `kinds[k]` which side of a tile (binned apart). */
export interface EdgePoints {
  xs: Float64Array;
  ys: Float64Array;
  kinds: Uint8Array;
  n: number;
}

/**
 * Sharpness of the edge rows when the image is sheared by `deg`: the sum of squared counts of `binPx` bins
 * along lines of that slope (top and bottom edges binned apart), over every `stride`-th point.
 */
function score(points: EdgePoints, deg: number, bins: Int32Array, offset: number, binPx: number, stride: number): number {
  bins.fill(0);
  const t = Math.tan((deg * Math.PI) / 180);
  const { xs, ys, kinds, n } = points;
  let s = 0;
  for (let k = 0; k < n; k += stride) {
    const bin = (((ys[k]! - xs[k]! * t + offset) / binPx) | 0) * 2 + kinds[k]!;
    // Sum of squares, kept as it grows: (c + 1)² − c² = 2c + 1.
    s += 2 * bins[bin]! + 1;
    bins[bin]!++;
  }
  return s;
}

/**
 * The value in [from, to] (step `step`) where `f` is highest. Ties go to the value nearer zero: the straight
 * reading wins an even contest.
 */
export function argmax(from: number, to: number, step: number, f: (v: number) => number): number {
  let best = 0;
  let bestScore = -1;
  for (let i = 0; from + i * step <= to + 1e-9; i++) {
    const v = from + i * step;
    const s = f(v);
    if (s > bestScore || (s === bestScore && Math.abs(v) < Math.abs(best))) [best, bestScore] = [v, s];
  }
  return best;
}

/** The angle in [from, to] (step `step`) with the sharpest edge rows. */
export function search(points: EdgePoints, from: number, to: number, step: number, bins: Int32Array, offset: number, binPx: number, stride: number) {
  return argmax(from, to, step, (deg) => score(points, deg, bins, offset, binPx, stride));
}
