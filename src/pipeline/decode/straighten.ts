import sharp from 'sharp';
import { CANONICAL_WIDTH, type DecodedImage } from './decode.js';
import { estimatePalette, maxDiff, type Palette, type Rgb } from '../layout/palette.js';
import { search, type EdgePoints } from './projection.js';
import { estimateKeystone, undoKeystone, type KeystoneEstimate } from './keystone.js';

/**
 * Straightens a tilted capture (a screenshot rotated by an editor, a phone photographed on a table) before
 * the layout finder, which measures in upright rows and columns.
 *
 * The list view is full of long straight horizontal edges: the top and bottom edges of every tile, where the
 * tile colour meets the page background. The page's rotation is the angle at which those edge pixels pile up
 * into the fewest, fullest rows (a projection profile). The tiles' left and right edges give, the same way,
 * the shear left once the rotation is undone, and how much narrower the page is at one end (a keystone,
 * `keystone.ts`). A straight screenshot costs one pass over a sparse mask of the decoded raster (every
 * COLUMN_STEP-th column), one over every ROW_STEP-th row and a few thousand edge points; nothing is resampled.
 */

/** Largest rotation searched, in degrees, either way. */
const MAX_TILT_DEG = 10;
/** Below this the image is read as it is: over a 1080 px row it moves text by under 2 px. */
const STRAIGHT_DEG = 0.1;
/** Columns of the decoded raster sampled for edges. */
const COLUMN_STEP = 8;
/** Fewer edge points than this: too little list view to judge (the layout finder decides what it is). */
const MIN_EDGE_POINTS = 200;

export interface TiltEstimate {
  /** Clockwise rotation of the page content, in degrees (the image is straightened by rotating it back). */
  angle: number;
  /** Edge points the estimate rests on. */
  points: number;
}

/** Close to the background and nearer it than the tile (the palette's tile test, mirrored). */
function backgroundTest(pal: Palette) {
  const [tr, tg, tb] = pal.tile;
  const [br, bg, bb] = pal.background;
  const tolerance = Math.max(12, Math.min(40, 0.8 * maxDiff(pal.tile, pal.background)));
  return (r: number, g: number, b: number) => {
    const db = Math.max(Math.abs(r - br), Math.abs(g - bg), Math.abs(b - bb));
    if (db > tolerance) return false;
    return db < Math.max(Math.abs(r - tr), Math.abs(g - tg), Math.abs(b - tb));
  };
}

/**
 * Points (x, y) on horizontal tile edges: background two rows above and tile on the two rows below (a top
 * edge), or the mirror (a bottom edge). Text inside a tile is neither, so it adds no false edges.
 */
function edgePoints(img: DecodedImage, pal: Palette): EdgePoints {
  const { data, width, height } = img;
  const cols = Math.ceil(width / COLUMN_STEP);
  // 1 tile, 2 background, 0 anything else; column-major so each column's run is contiguous.
  const mask = new Uint8Array(cols * height);
  const isBg = backgroundTest(pal);
  for (let y = 0; y < height; y++) {
    const row = y * width * 3;
    for (let c = 0; c < cols; c++) {
      const i = row + c * COLUMN_STEP * 3;
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      mask[c * height + y] = pal.isTile(r, g, b) ? 1 : isBg(r, g, b) ? 2 : 0;
    }
  }
  const xs: number[] = [];
  const ys: number[] = [];
  const kinds: number[] = [];
  for (let c = 0; c < cols; c++) {
    const m = c * height;
    for (let y = 2; y < height - 2; y++) {
      if (mask[m + y] !== 1 || mask[m + y + 1] !== 1) continue;
      if (mask[m + y - 2] === 2) {
        xs.push(c * COLUMN_STEP);
        ys.push(y - 1);
        kinds.push(0);
      }
    }
    for (let y = 3; y < height - 2; y++) {
      if (mask[m + y] !== 1 || mask[m + y - 1] !== 1) continue;
      if (mask[m + y + 2] === 2) {
        xs.push(c * COLUMN_STEP);
        ys.push(y + 1);
        kinds.push(1);
      }
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), kinds: Uint8Array.from(kinds), n: xs.length };
}

/**
 * The palette measured in the middle of the image: a tilted capture's corners are filled (white, black, a
 * desk), often with more pixels than the tiles have.
 */
const middlePalette = (img: DecodedImage) => estimatePalette(img, { x0: img.width * 0.3, x1: img.width * 0.7 });

/** Estimates the page rotation from the tile edges; null when there is too little list view to judge. */
export function estimateTilt(img: DecodedImage, palette: Palette | null = middlePalette(img)): TiltEstimate | null {
  if (!palette) return null;
  const points = edgePoints(img, palette);
  if (points.n < MIN_EDGE_POINTS) return null;
  const offset = Math.ceil(img.width * Math.tan((MAX_TILT_DEG * Math.PI) / 180)) + 8;
  const bins = new Int32Array((img.height + 2 * offset + 8) * 2);
  // Coarse: 6 px bins (a row of two tiles, ~900 px wide, stays in one bin within ~0.3°), 0.25° steps, a
  // quarter of the points; then 1 px bins around the best, all points.
  const stride = points.n > 4000 ? 4 : 1;
  const coarse = search(points, -MAX_TILT_DEG, MAX_TILT_DEG, 0.25, bins, offset, 6, stride);
  const mid = search(points, coarse - 0.3, coarse + 0.3, 0.05, bins, offset, 2, 1);
  const fine = search(points, mid - 0.05, mid + 0.05, 0.01, bins, offset, 1, 1);
  return { angle: Math.round(fine * 100) / 100 + 0, points: points.n };
}

/** Rows of the decoded raster sampled for vertical edges. */
const ROW_STEP = 20;
/** Largest shear searched (x per y), either way. */
const MAX_SHEAR = 0.1;
/**
 * Below this shear (x per y; 17 px over a 4400 px page, which the layout's per-row measures absorb) the page
 * is read as it is: the slope is measured on sparse rows, and after a rotation it is off by up to ~0.003.
 */
const STRAIGHT_SHEAR = 0.004;

/**
 * Points on the tiles' left and right edges: where the background two columns left of two tile pixels meets
 * them (a left edge) or the mirror, every {@link ROW_STEP}th row. Transposed for the projection search:
 * `xs` holds the row, `ys` the column. Null when there is too little list view to judge.
 */
function verticalEdgePoints(img: DecodedImage, palette: Palette): EdgePoints | null {
  const { data, width, height } = img;
  const isBg = backgroundTest(palette);
  const xs: number[] = [];
  const ys: number[] = [];
  const kinds: number[] = [];
  const row = new Uint8Array(width);
  for (let y = 0; y < height; y += ROW_STEP) {
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      row[x] = palette.isTile(r, g, b) ? 1 : isBg(r, g, b) ? 2 : 0;
    }
    for (let x = 2; x < width - 2; x++) {
      if (row[x] !== 1) continue;
      if (row[x + 1] === 1 && row[x - 2] === 2) {
        xs.push(y);
        ys.push(x - 1);
        kinds.push(0);
      } else if (row[x - 1] === 1 && row[x + 2] === 2) {
        xs.push(y);
        ys.push(x + 1);
        kinds.push(1);
      }
    }
  }
  if (xs.length < MIN_EDGE_POINTS / 2) return null;
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), kinds: Uint8Array.from(kinds), n: xs.length };
}

/** The slope (x per y) at which vertical edge points pile up into the fewest, fullest columns, within ±{@link MAX_SHEAR} of `around`. */
function slopeOf(points: EdgePoints, img: { width: number; height: number }, around: number): number {
  const deg = (t: number) => (Math.atan(t) * 180) / Math.PI;
  const offset = Math.ceil(img.height * (MAX_SHEAR + Math.abs(around))) + 8;
  const bins = new Int32Array((img.width + 2 * offset + 8) * 2);
  const coarse = search(points, deg(around - MAX_SHEAR), deg(around + MAX_SHEAR), 0.1, bins, offset, 6, 1);
  const mid = search(points, coarse - 0.15, coarse + 0.15, 0.02, bins, offset, 2, 1);
  const fine = search(points, mid - 0.02, mid + 0.02, 0.004, bins, offset, 1, 1);
  // Edge x = c + y·slope; the search found the angle whose tangent is the slope.
  return Math.tan((fine * Math.PI) / 180);
}

/**
 * The slope (x per y) of the tiles' left and right edges: the slope at which their points pile up into the
 * fewest, fullest columns. A rotation by θ gives −tan θ; a shear adds to it. The slope is searched within
 * ±{@link MAX_SHEAR} of `around` (−tan θ of a rotation already measured). Null when there is too little
 * list view to judge.
 */
export function estimateVerticalSlope(img: DecodedImage, palette: Palette | null = middlePalette(img), around = 0): number | null {
  const points = palette ? verticalEdgePoints(img, palette) : null;
  return points ? slopeOf(points, img, around) : null;
}

/** Page columns of a straightened raster: those whose lower part is largely the list background. */
function pageColumns(data: Buffer, width: number, height: number, channels: number, isBg: (r: number, g: number, b: number) => boolean) {
  const counts = new Int32Array(width);
  const step = Math.max(1, Math.round(height / 1500));
  for (let y = Math.floor(height * 0.25); y < height; y += step) {
    for (let x = 0, i = y * width * channels; x < width; x++, i += channels) if (isBg(data[i]!, data[i + 1]!, data[i + 2]!)) counts[x]!++;
  }
  let max = 0;
  for (const c of counts) max = Math.max(max, c);
  const min = 0.2 * max;
  let left = 0;
  while (left < width - 1 && counts[left]! < min) left++;
  let right = width - 1;
  while (right > left && counts[right]! < min) right--;
  return { left, width: right - left + 1 };
}

export interface StraightenResult {
  image: DecodedImage;
  /** The rotation undone, in degrees clockwise. */
  angle: number;
  /** The shear undone (x per y, after the rotation): 0 when none was. */
  shear: number;
  /** The keystone undone ({@link KeystoneEstimate.perRow}): 0 when none was. */
  keystone: number;
}

/** What straightening a page takes, as estimated on its decoded raster (plain data: it crosses threads). */
export interface StraightenPlan {
  /** The rotation to undo, in degrees clockwise; 0 when the page is upright. */
  angle: number;
  /** The shear to undo once the rotation is (x per y); 0 when there is none to undo. */
  shear: number;
  /** The keystone to undo ({@link KeystoneEstimate.perRow}); 0 when there is none. */
  keystone: number;
}

/**
 * Estimates the rotation, shear and keystone of the page on its decoded raster. Null when it is straight
 * already (or no list view is seen): nothing is to be done, and a straight screenshot pays only for this.
 */
export function planStraightening(img: DecodedImage): StraightenPlan | null {
  const palette = middlePalette(img);
  const tilt = estimateTilt(img, palette);
  if (!palette || !tilt) return null;
  const rotate = Math.abs(tilt.angle) >= STRAIGHT_DEG;
  // What is left of the edges' slope once the rotation is undone is shear (a page seen a little from the side).
  const tan = Math.tan((tilt.angle * Math.PI) / 180);
  const vertical = verticalEdgePoints(img, palette);
  const slope = vertical ? slopeOf(vertical, img, -tan) : null;
  // A page narrower at one end leans its left and right edges apart: the shear is the lean at the middle.
  const keystone = vertical && slope !== null ? estimateKeystone(vertical, img, slope) : null;
  const tapered = keystone !== null && (Math.abs(keystone.perRow) * img.width) / 2 >= STRAIGHT_SHEAR;
  const pageSlope = tapered ? keystone.centreSlope : slope;
  const shear = pageSlope === null ? 0 : pageSlope + tan;
  const unshear = Math.abs(shear) >= STRAIGHT_SHEAR;
  if (!rotate && !unshear && !tapered) return null;
  return { angle: rotate ? tilt.angle : 0, shear: unshear ? shear : 0, keystone: tapered ? keystone.perRow : 0 };
}

/**
 * Straightens the page when it is tilted: {@link planStraightening}, then {@link applyStraightening}. Null
 * when the page is already straight (or no list view is seen): the caller keeps its raster.
 */
export async function straighten(bytes: Uint8Array, img: DecodedImage, maxPixels: number): Promise<StraightenResult | null> {
  const plan = planStraightening(img);
  return plan ? applyStraightening(bytes, img, plan, maxPixels) : null;
}

/**
 * Carries out a plan: rotates the original bytes back (full resolution, EXIF orientation applied first),
 * keeps the page's columns and scales them to the canonical width; a keystone is undone last, on the
 * canonical raster. Null when the rotated canvas would be too large, or no page is found on it.
 *
 * The returned raster's `scale` and `offsetX` map canonical boxes into the *straightened* original: the
 * input rotated back by `angle` about its centre, on a canvas grown to hold all of it (sharp's `rotate`).
 */
export async function applyStraightening(bytes: Uint8Array, img: DecodedImage, plan: StraightenPlan, maxPixels: number): Promise<StraightenResult | null> {
  const { angle, shear, keystone: perRow } = plan;
  const rotate = angle !== 0;
  const unshear = shear !== 0;
  const tapered = perRow !== 0;
  // Upright already, only narrower at one end: the canonical raster is resampled as it is.
  if (!rotate && !unshear) return tapered ? { image: undoKeystone(img, perRow), angle: 0, shear: 0, keystone: perRow } : null;
  const palette = middlePalette(img);
  if (!palette) return null;
  // The rotated canvas grows with the angle (a thin, tall image most): past twice the pixel bound, read the
  // image as it is rather than allocate it.
  const tan = Math.tan((angle * Math.PI) / 180);
  const c = Math.abs(Math.cos((angle * Math.PI) / 180));
  const sn = Math.abs(tan * c);
  const { width: w0, height: h0 } = img.original;
  const grown = (w0 * c + h0 * sn + Math.abs(shear) * h0) * (w0 * sn + h0 * c);
  if (grown > 2 * maxPixels) return null;
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Outside the rotated page: black, unlike the list background, so the page's columns can be found.
  const fill: Rgb = [0, 0, 0];
  const background = { r: fill[0], g: fill[1], b: fill[2] };
  let { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error' })
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = () => ({ raw: { width: info.width, height: info.height, channels: info.channels } });
  if (rotate) ({ data, info } = await sharp(data, raw()).rotate(-angle, { background }).removeAlpha().raw().toBuffer({ resolveWithObject: true }));
  if (unshear) {
    ({ data, info } = await sharp(data, raw())
      .affine([1, -shear, 0, 1], { background, interpolator: 'bicubic' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }));
  }
  const cols = pageColumns(data, info.width, info.height, info.channels, backgroundTest(palette));
  if (cols.width < info.width * 0.3) return null;
  const out = await sharp(data, raw())
    .extract({ left: cols.left, top: 0, width: cols.width, height: info.height })
    .resize({ width: CANONICAL_WIDTH, kernel: cols.width > CANONICAL_WIDTH ? 'lanczos3' : 'cubic' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image: DecodedImage = {
    data: out.data,
    width: out.info.width,
    height: out.info.height,
    scale: cols.width / out.info.width,
    offsetX: cols.left,
    original: img.original,
  };
  return {
    angle,
    shear,
    keystone: perRow,
    // Measured on the decoded raster, which has the canonical width too: the same rate per row here.
    image: tapered ? undoKeystone(image, perRow) : image,
  };
}
