import type { DecodedImage } from './decode.js';
import type { Rgb } from '../layout/palette.js';
import { upperMedian } from '../image/raster.js';

/**
 * Evens out light that falls off across a photographed page (a lamp to one side, a screen's vignetting).
 * The layout tells tiles from background by colour, measured once for the whole page; where the light
 * is a third lower, a tile's colour lies outside that measurement and the tile is not seen.
 *
 * The list view has two large flat colours (tiles and background). Light multiplies a colour by a gain but
 * keeps its proportions (its chromaticity), so the two are found by chromaticity whatever the light, and
 * every pixel that is a scaled copy of either tells the light where it lies. The page is cut into cells;
 * each cell's gain is the median over its pixels (or, when the two colours have nearly the same proportions,
 * the lower of the two peaks a tile's edge shows: see {@link measureLight}); a smooth surface fitted to the
 * cells gives the light everywhere, and every pixel is divided by it. An evenly lit page pays for one
 * sampling pass.
 */

/** Cells per image width (a cell is ~68 px at the canonical width: several per tile, smaller than a ramp). */
const CELLS_ACROSS = 16;
/** Sample every STRIDE-th pixel of every STRIDE-th row (~70 samples in a cell). */
const STRIDE = 8;
/** A pixel is a scaled copy of a flat colour when no channel strays further than this. */
const FIT_TOLERANCE = 9;
/** A pixel that both colours fit to within this many levels of each other tells nothing. */
const AMBIGUOUS = 6;
/** Gains outside this range are not the page's light (another colour that happens to fit). */
const MIN_GAIN = 0.45;
const MAX_GAIN = 2.2;
/** Gains are gathered per cell in bins of this width in log space (1 %). */
const BIN = 0.01;
const LOG_MIN = Math.log(MIN_GAIN);
const BINS = Math.ceil((Math.log(MAX_GAIN) - LOG_MIN) / BIN) + 1;
/** Chromaticity bins per unit (r and g over r + g + b): 0.01 wide. */
const CHROMA_BINS = 100;
/** The two flat colours lie at least this far apart in chromaticity (either coordinate). */
const CHROMA_APART = 0.03;
/**
 * The two colours are taken as nearly proportional (one colour, two gains) when the lighter, scaled to the
 * darker, strays by less than this (levels).
 */
const NEAR_PROPORTIONAL = (2 * FIT_TOLERANCE) / 3;
/** Share of the page's cells that must give a gain when only cells of both colours can (nearly proportional colours). */
const MIN_EDGE_CELL_SHARE = 0.1;
/** In a cell of both colours, each peak holds at least this share of the cell's samples… */
const PEAK_SHARE = 0.12;
/** …within this many bins of its centre. */
const PEAK_WIDTH = 4;
/** Share of the page's cells that must give a gain for the light to be measured at all. */
const MIN_CELL_SHARE = 0.3;
/** A cell needs this many fitting samples for a gain of its own. */
const MIN_SAMPLES = 10;
/**
 * Light is even enough when the fitted light over the page varies by less than this factor: the palette's
 * tolerance absorbs it, and a screenshot is returned untouched.
 */
const EVEN_SPREAD = 1.1;

/** The light over the page: a smooth surface fitted to the gains measured in cells. */
export interface LightField {
  /** The gain at canonical pixel (x, y), relative to the page's flat colours as measured. */
  gainAt(x: number, y: number): number;
  /** The ratio of the brightest to the darkest light anywhere on the page. */
  spread: number;
  /**
   * The best-lit light at the page's corners, edge midpoints and centre, on the quadratic surface alone:
   * the light the page is brought to. (The correction along the page only evens out what the surface
   * leaves; the page's brightness level stays what the surface gives.)
   */
  brightest: number;
  /** Cells that gave a gain of their own. */
  cells: number;
}

/**
 * The page's two most common coloured chromaticities, each as the mean colour of its pixels: on a decklist,
 * tiles and background. Grey pixels (text, a desk or bezel) and near-black ones tell no chromaticity.
 */
function flatColours(img: DecodedImage): [Rgb, Rgb] | null {
  const { data, width, height } = img;
  const n = new Uint32Array(CHROMA_BINS * CHROMA_BINS);
  const sums = new Float64Array(n.length * 3);
  // Colours need fewer samples than the light: every other sampling row and column.
  const step = 2 * STRIDE;
  for (let y = STRIDE; y < height; y += step) {
    for (let x = STRIDE, i = (y * width + x) * 3; x < width; x += step, i += 3 * step) {
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      const sum = r + g + b;
      if (sum < 45 || Math.max(r, g, b) - Math.min(r, g, b) < 15) continue;
      const key = Math.floor((CHROMA_BINS * r) / sum) * CHROMA_BINS + Math.floor((CHROMA_BINS * g) / sum);
      n[key]!++;
      sums[key * 3] = sums[key * 3]! + r;
      sums[key * 3 + 1] = sums[key * 3 + 1]! + g;
      sums[key * 3 + 2] = sums[key * 3 + 2]! + b;
    }
  }
  const apart = (a: number, b: number) =>
    Math.max(Math.abs(Math.floor(a / CHROMA_BINS) - Math.floor(b / CHROMA_BINS)), Math.abs((a % CHROMA_BINS) - (b % CHROMA_BINS))) >=
    CHROMA_APART * CHROMA_BINS;
  let first = -1;
  for (let k = 0; k < n.length; k++) if (n[k]! > (first < 0 ? 0 : n[first]!)) first = k;
  if (first < 0) return null;
  let second = -1;
  for (let k = 0; k < n.length; k++) if (n[k]! > (second < 0 ? 0 : n[second]!) && apart(k, first)) second = k;
  if (second < 0) return null;
  const mean = (k: number): Rgb => [sums[k * 3]! / n[k]!, sums[k * 3 + 1]! / n[k]!, sums[k * 3 + 2]! / n[k]!];
  return [mean(first), mean(second)];
}

/** Gain of the best fit of `ref` to pixel (r, g, b) (least squares over the three channels). */
const gainOf = (r: number, g: number, b: number, ref: Rgb, refNorm: number) => (r * ref[0] + g * ref[1] + b * ref[2]) / refNorm;

/** How far the worst channel of pixel (r, g, b) strays from `ref` scaled by `k` (Infinity outside the gains allowed). */
function strayOf(r: number, g: number, b: number, ref: Rgb, k: number): number {
  if (k < MIN_GAIN || k > MAX_GAIN) return Number.POSITIVE_INFINITY;
  return Math.max(Math.abs(r - k * ref[0]), Math.abs(g - k * ref[1]), Math.abs(b - k * ref[2]));
}

/**
 * Log-gain bin of the flat colour that fits pixel (r, g, b), or -1 when neither fits within the
 * tolerance or both fit about as well (a washed-out photo brings the two colours' proportions close: the
 * background then also fits a darker tile, with the wrong gain). Called for every sample: no allocation.
 */
function fitBin(r: number, g: number, b: number, refs: Rgb[], norms: number[]): number {
  const ka = gainOf(r, g, b, refs[0]!, norms[0]!);
  const kc = gainOf(r, g, b, refs[1]!, norms[1]!);
  const offA = strayOf(r, g, b, refs[0]!, ka);
  const offC = strayOf(r, g, b, refs[1]!, kc);
  const best = Math.min(offA, offC);
  if (best > FIT_TOLERANCE || Math.max(offA, offC) - best < AMBIGUOUS) return -1;
  return Math.round((Math.log(offA <= offC ? ka : kc) - LOG_MIN) / BIN);
}

/**
 * Measures the light over the page from its two flat colours; null when it has none, or too few cells show
 * them to tell.
 * The UI has lighter bars of the background's colour (the section labels): a cell there reads as more
 * light. Light itself varies smoothly, so a quadratic surface is fitted to the cells' log gains with
 * outliers weighted down (Tukey's biweight), and the bars fall out of the fit.
 */
export function measureLight(img: DecodedImage): LightField | null {
  const refs = flatColours(img);
  if (!refs) return null;
  const { data, width, height } = img;
  const cell = Math.max(8, Math.round(width / CELLS_ACROSS));
  const cols = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  const norms = refs.map((c) => c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
  // When the two colours have nearly the same proportions (a tone curve crushed the tiles' red), a pixel
  // cannot tell which of them it is. It still tells its gain against the darker one: a background pixel
  // gives the light, a tile pixel the light times the tiles' ratio to the background. A cell that holds
  // both (every tile's edge) shows two peaks that ratio apart, and the lower is the light there.
  const [dark, light] = norms[0]! <= norms[1]! ? [0, 1] : [1, 0];
  const ratio = gainOf(...refs[light]!, refs[dark]!, norms[dark]!);
  const alike = strayOf(...refs[light]!, refs[dark]!, ratio) < NEAR_PROPORTIONAL;
  const sampleBin = alike
    ? (r: number, g: number, b: number) => {
        const k = gainOf(r, g, b, refs[dark]!, norms[dark]!);
        return strayOf(r, g, b, refs[dark]!, k) <= FIT_TOLERANCE ? Math.round((Math.log(k) - LOG_MIN) / BIN) : -1;
      }
    : (r: number, g: number, b: number) => fitBin(r, g, b, refs, norms);
  const hist = new Uint16Array(cols * rows * BINS);
  const counts = new Uint32Array(cols * rows);
  for (let y = STRIDE >> 1; y < height; y += STRIDE) {
    const rowCells = Math.floor(y / cell) * cols;
    for (let x = STRIDE >> 1, i = (y * width + x) * 3; x < width; x += STRIDE, i += 3 * STRIDE) {
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      const bin = sampleBin(r, g, b);
      if (bin < 0) continue;
      const c = rowCells + Math.floor(x / cell);
      hist[c * BINS + bin]!++;
      counts[c]!++;
    }
  }
  // Each cell's median log gain, at the cell's centre in coordinates scaled to [-1, 1].
  const points: CellGain[] = [];
  for (let c = 0; c < cols * rows; c++) {
    if (counts[c]! < MIN_SAMPLES) continue;
    const bin = alike
      ? lowerOfTwoPeaks(hist.subarray(c * BINS, (c + 1) * BINS), counts[c]!, Math.log(ratio) / BIN)
      : medianBin(hist.subarray(c * BINS, (c + 1) * BINS), counts[c]!);
    if (bin < 0) continue;
    const cx = ((c % cols) + 0.5) * cell;
    const cy = (Math.floor(c / cols) + 0.5) * cell;
    points.push({ u: (2 * cx) / width - 1, v: (2 * cy) / height - 1, z: LOG_MIN + bin * BIN, row: Math.floor(c / cols) });
  }
  // Too few cells to say what the light does (most of the page is neither colour): leave it as it is.
  // (Of a page of nearly proportional colours only the cells on tile edges count.)
  if (points.length < (alike ? MIN_EDGE_CELL_SHARE : MIN_CELL_SHARE) * cols * rows) return null;
  const coef = robustQuadratic(points);
  const surface = (u: number, v: number) => coef[0]! + coef[1]! * u + coef[2]! * v + coef[3]! * u * v + coef[4]! * u * u + coef[5]! * v * v;
  // The extremes of a quadratic over the page lie at its corners, edge midpoints or centre (close enough).
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const u of [-1, -0.5, 0, 0.5, 1]) {
    for (const v of [-1, -0.5, 0, 0.5, 1]) {
      const z = surface(u, v);
      lo = Math.min(lo, z);
      hi = Math.max(hi, z);
    }
  }
  const along = residualAlongPage(points, surface, rows, cell);
  return {
    gainAt: (x, y) => Math.exp(surface((2 * x) / width - 1, (2 * y) / height - 1) + along(y)),
    spread: Math.exp(hi - lo),
    brightest: Math.exp(Math.max(...[-1, 0, 1].flatMap((u) => [-1, 0, 1].map((v) => surface(u, v))))),
    cells: points.length,
  };
}

/** Largest log gain the correction along the page adds to the surface (±15 %). */
const MAX_ALONG = 0.15;
/** Rows of cells the correction along the page is smoothed over (its median filter's width). */
const ALONG_ROWS = 7;

/**
 * What the quadratic leaves of the light along the page, as a function of y. A decklist is several screens
 * tall, and a lamp's fall-off or a vignette over so tall a page is not quadratic: the fit leaves the tiles
 * ~10 % lighter at one end than at the middle, past the palette's tolerance. Each row of cells gives the
 * median of its residuals; a running median over {@link ALONG_ROWS} rows drops the single rows of a label
 * bar, and the rows are joined linearly.
 */
function residualAlongPage(points: CellGain[], surface: (u: number, v: number) => number, rows: number, cell: number): (y: number) => number {
  const byRow: number[][] = Array.from({ length: rows }, () => []);
  for (const p of points) byRow[p.row]!.push(p.z - surface(p.u, p.v));
  const raw = byRow.map((r) => (r.length >= 3 ? upperMedian(r) : null));
  const half = ALONG_ROWS >> 1;
  const smooth = raw.map((_, k) => {
    const near = raw.slice(Math.max(0, k - half), k + half + 1).filter((x): x is number => x !== null);
    return near.length === 0 ? 0 : Math.max(-MAX_ALONG, Math.min(MAX_ALONG, upperMedian(near)));
  });
  return (y) => {
    const t = Math.max(0, Math.min(rows - 1, y / cell - 0.5));
    const k0 = Math.floor(t);
    const k1 = Math.min(rows - 1, k0 + 1);
    return smooth[k0]! + (t - k0) * (smooth[k1]! - smooth[k0]!);
  };
}

/** One cell's median log gain `z`, at its centre (u, v) scaled to [-1, 1], in row `row` of cells. */
interface CellGain {
  u: number;
  v: number;
  z: number;
  row: number;
}

/** The median of a histogram: the first bin where the running count passes half. */
function medianBin(hist: Uint16Array, count: number): number {
  let bin = 0;
  for (let seen = hist[0]!; seen <= count / 2; seen += hist[bin]!) bin++;
  return bin;
}

/**
 * The lower of two peaks `apart` bins apart (the background's gain, the tiles' above it), or -1 when the
 * histogram does not show both: a cell wholly inside a tile or the background cannot tell which it is.
 */
function lowerOfTwoPeaks(hist: Uint16Array, count: number, apart: number): number {
  // JPEG noise on dark colours spreads a peak over several bins: count each within ±PEAK_WIDTH bins.
  const near = (centre: number) => {
    let n = 0;
    for (let bin = Math.round(centre) - PEAK_WIDTH; bin <= Math.round(centre) + PEAK_WIDTH; bin++) n += bin >= 0 && bin < hist.length ? hist[bin]! : 0;
    return n;
  };
  let top = 0;
  for (let bin = 1; bin < hist.length; bin++) if (near(bin) > near(top)) top = bin;
  if (near(top - apart) >= PEAK_SHARE * count) return Math.round(top - apart);
  if (near(top + apart) >= PEAK_SHARE * count) return top;
  return -1;
}

/** Least squares of z on (1, u, v, uv, u², v²), outliers weighted down by Tukey's biweight. */
function robustQuadratic(points: CellGain[]): number[] {
  const terms = (p: { u: number; v: number }) => [1, p.u, p.v, p.u * p.v, p.u * p.u, p.v * p.v];
  const weights = points.map(() => 1);
  let coef = [upperMedian(points.map((p) => p.z)), 0, 0, 0, 0, 0];
  for (let iteration = 0; iteration < 8; iteration++) {
    const residuals = points.map((p) => p.z - terms(p).reduce((s, t, k) => s + t * coef[k]!, 0));
    const mad = upperMedian(residuals.map(Math.abs));
    // Cut-off 4.685 robust standard deviations, never below 3 % (JPEG noise on a flat screenshot).
    const cut = Math.max(0.03, 4.685 * 1.4826 * mad);
    residuals.forEach((r, i) => {
      weights[i] = Math.abs(r) >= cut ? 0 : (1 - (r / cut) ** 2) ** 2;
    });
    const solved = solveWeighted(
      points.map(terms),
      points.map((p) => p.z),
      weights,
    );
    if (!solved) break;
    coef = solved;
  }
  return coef;
}

/** Solves the weighted normal equations (Gaussian elimination, partial pivoting); null when singular. */
function solveWeighted(rows: number[][], z: number[], w: number[]): number[] | null {
  const n = rows[0]!.length;
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  rows.forEach((t, i) => {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) a[j]![k]! += w[i]! * t[j]! * t[k]!;
      a[j]![n]! += w[i]! * t[j]! * z[i]!;
    }
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-9) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

const isUneven = (field: LightField | null): field is LightField => field !== null && field.spread >= EVEN_SPREAD;

/** Would {@link evenLight} change the image? The same measurement, without the correction. */
export function isUnevenlyLit(img: DecodedImage): boolean {
  return isUneven(measureLight(img));
}

/**
 * The image with its light evened out (brightened to its best-lit part), or null when the light is even
 * already or the page shows no list view: the caller keeps its raster. Geometry is unchanged.
 */
export function evenLight(img: DecodedImage): DecodedImage | null {
  const field = measureLight(img);
  if (!isUneven(field)) return null;
  const { data, width, height } = img;
  // Brighten to the best-lit part of the page (its light is what the page would show everywhere).
  const target = field.brightest;
  const out = new Uint8ClampedArray(data.length);
  // The surface is smooth: evaluate it on a coarse grid and interpolate along each row.
  const step = 16;
  const knots = Math.ceil(width / step) + 1;
  const rowGain = new Float32Array(knots);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < knots; k++) rowGain[k] = target / field.gainAt(k * step, y);
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      const k0 = (x / step) | 0;
      const f = x / step - k0;
      const k = (1 - f) * rowGain[k0]! + f * rowGain[k0 + 1]!;
      out[i] = data[i]! * k;
      out[i + 1] = data[i + 1]! * k;
      out[i + 2] = data[i + 2]! * k;
    }
  }
  return { ...img, data: Buffer.from(out.buffer, out.byteOffset, out.byteLength) };
}
