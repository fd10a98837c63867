import type { DecodedImage } from '../decode/decode.js';
import { PipelineError } from '../errors.js';
import { estimatePalette, type Palette } from './palette.js';
import { classifyPixels, FAINT, maskColumnProfile, maskRowProfile, TEXT, TILE, type PixelMask } from './pixel-mask.js';
import { clampBox, columnProfile, hysteresisRuns, luma, rowProfile, runs, upperMedian, type PixelTest, type Run } from '../image/raster.js';
import type { Box } from '../types.js';

/**
 * Finds where things are on a decklist screenshot, from pixels alone (no OCR): the header's text lines,
 * the placement badge, each section's label and every card tile with its text lines and quantity badge.
 *
 * All geometry is measured in the canonical frame (the image scaled to 1080 px wide). The mini-program
 * lays out its UI in width-relative units, so fractions of the width are stable across phones; only the
 * status bar above the page varies, and nothing here depends on its height.
 */

/** One card tile. */
export interface TileLayout {
  box: Box;
  /** The name line (first) and, for champions and some legends, the title line (second). */
  lines: Box[];
  /** The digits of the quantity badge (`x3`), or null when the tile has none (quantity 1). */
  quantity: Box | null;
}

/** A run of tiles under one section label. */
export interface SectionLayout {
  /** The section label (传奇牌, 主牌组, ...) to be read. */
  label: Box | null;
  tiles: TileLayout[];
  top: number;
  bottom: number;
  /**
   * Tile-coloured areas in this section (or between it and the next) that the layout could not read as
   * tiles: rows of tile colour too tall, too low, or without a column of a tile's width. Cards may be there.
   */
  unread: Box[];
}

export interface HeaderLayout {
  /**
   * Light text lines between the page title and the first section, top to bottom, left part of the page;
   * each line split into its parts where a divider bar separates fields (event | date).
   */
  lines: Box[][];
  /** The number on the gold placement badge (above 排名), if shown. */
  placementBadge: Box | null;
}

export interface Layout {
  header: HeaderLayout;
  sections: SectionLayout[];
  /** Rows of tiles cut off by the image's top or bottom edge (not readable). */
  cutOffRows: number;
}

/**
 * The gold of the placement badge and the page title, by hue (so a brightened screenshot still has it),
 * scaled to the page's white (a darkened photo's gold is darker). The title's thin strokes, softened and
 * washed out in a photo, keep little of their hue (red over blue by ~55 where the app draws ~110): the
 * margins are wide, and nothing else in the places searched (the top bar's middle, the header's right) has
 * a warm hue at all.
 */
function goldTest(light: number): PixelTest {
  const k = Math.min(255, light) / 255;
  return (r, g, b) => r >= 100 * k && r - b >= 40 * k && g >= b + 10 * k && g <= r;
}

// Tile geometry as fractions of the image width (a tile is ~439×138 px at 1080 px).
const TILE_MIN_HEIGHT = 0.08;
const TILE_MAX_HEIGHT = 0.2;
const TILE_MIN_WIDTH = 0.3;
const TILE_MAX_WIDTH = 0.5;

// Inside a tile, as fractions of the tile's width and height.
const TEXT_LEFT = 0.235; // right of the type icon
const BADGE_LEFT = 0.82;
const BADGE_TOP = 0.55;

/** Finds header, sections and tiles; throws NOT_A_DECKLIST when the image has no tile layout. */
export function findLayout(img: DecodedImage): Layout {
  const W = img.width;
  const pal = estimatePalette(img);
  if (!pal) {
    throw new PipelineError('NOT_A_DECKLIST', 'no card tiles were found: this does not look like a decklist screenshot');
  }
  const mask = classifyPixels(img, pal);
  const { bands, cutOff, odd } = findTileBands(mask);
  const described = bands.map((band) => findTilesInBand(mask, band.start, band.end).map((box) => describeTile(img, mask, box)));
  // Every badge of a page is drawn in one size. A badge whose digits came out much shorter than the page's
  // (a dim tile at a lamp-lit page's dark end: a thin stroke lost even to the faint threshold parts the
  // digits' upper strokes from the rest) is looked at again with the page's height, from its baseline up: a
  // box cut to its lower half took in the x before it (beside half a digit, the x looks as tall) and read
  // x2 as 4.
  const heights = described.flat().flatMap((t) => (t.digits ? [t.digits.height] : []));
  const pageDigits = heights.length > 0 ? upperMedian(heights) : 0;
  const tilesByBand = described.map((band) =>
    band.map((t): TileLayout => {
      const { digits: _, ...tile } = t.digits && t.digits.height < 0.8 * pageDigits ? describeTile(img, mask, t.box, pageDigits) : t;
      return tile;
    }),
  );
  // A tile-sized box with neither a text line nor a badge is no card to list (a textured bar a capture
  // turned tile-coloured, or a tile whose text is lost): it is reported as an area not read, not as an entry.
  const isCard = (t: TileLayout) => t.lines.length > 0 || t.quantity !== null;
  const kept = bands.map((band, i) => ({ band, tiles: tilesByBand[i]!.filter(isCard) })).filter((b) => b.tiles.length > 0);
  const blank = tilesByBand.flat().filter((t) => !isCard(t));
  const unread = [...odd, ...bands.filter((b, i) => tilesByBand[i]!.length === 0 && b.start > 0 && b.end < img.height)]
    .map((r) => unreadArea(mask, r))
    .filter((b): b is Box => b !== null)
    .concat(blank.map((t) => t.box));
  if (kept.length === 0) {
    const message =
      blank.length > 0
        ? 'tile-like boxes were found, but no card name could be seen on them'
        : 'no card tiles were found: this does not look like a decklist screenshot';
    throw new PipelineError('NOT_A_DECKLIST', message);
  }

  // Tiles of one section sit ~0.026 W apart; sections are separated by a label bar (≥ 0.1 W).
  const groups: { band: { start: number; end: number }; tiles: TileLayout[] }[][] = [];
  for (const item of kept) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (prev && item.band.start - prev.band.end <= 0.06 * W) last!.push(item);
    else groups.push([item]);
  }

  const sections: SectionLayout[] = [];
  let prevBottom = 0;
  for (const group of groups) {
    const top = group[0]!.band.start;
    const bottom = group[group.length - 1]!.band.end;
    const label = findSectionLabel(img, mask, Math.max(prevBottom, top - Math.round(0.16 * W)), top);
    const tiles = group.flatMap((g) => g.tiles);
    sections.push({ label, tiles, top, bottom, unread: [] });
    prevBottom = bottom;
  }
  const listTop = sections[0]!.label?.y ?? sections[0]!.top;
  const header = findHeader(img, mask, pal, Math.max(0, listTop - Math.round(0.05 * W)));
  // An unread area belongs to the last section starting above it (the first, above them all). Above the
  // list, two kinds are no place for cards and are not reported: areas above the header's first line
  // (the status bar and the page's top bar), and areas across the page's whole width (the header's
  // background, which a capture's light can bring near the tile colour; no row of tiles is that wide, the
  // list has margins). A legend lost up there is still reported, as a section not seen.
  const headerTop = header.lines[0]?.[0]?.y ?? 0;
  for (const box of unread) {
    const aboveList = box.y + box.height <= listTop;
    if (aboveList && (box.width > 0.9 * W || box.y + box.height <= headerTop)) continue;
    const section = sections.findLast((s) => s.top <= box.y) ?? sections[0]!;
    section.unread.push(box);
  }
  return { header, sections, cutOffRows: cutOff };
}

/** Horizontal bands of rows where one half of the page is mostly tile colour. */
function findTileBands(mask: PixelMask): { bands: Run[]; cutOff: number; odd: Run[] } {
  const W = mask.width;
  const half = Math.floor(W / 2);
  const left = maskRowProfile(mask, TILE, 0, half);
  const right = maskRowProfile(mask, TILE, half, W);
  const score = left.map((l, i) => Math.max(l, right[i]!));
  // A row is tile colour over most of a half, except where an icon and a long bold name cross it: those
  // rows keep at least a tenth (a blurred, long two-line name on a lone tile leaves about a quarter).
  const all = hysteresisRuns(score, 0.3 * half, 0.1 * half);
  const bands = all.filter((r) => {
    const h = r.end - r.start;
    return h >= TILE_MIN_HEIGHT * W && h <= TILE_MAX_HEIGHT * W;
  });
  // A row of tiles cut by the bottom edge of the screenshot cannot be read; count it so the decklist
  // says so instead of silently dropping it. (The top edge holds the phone's status bar, not tiles.)
  const cutOff = all.filter((r) => {
    const h = r.end - r.start;
    return h < TILE_MIN_HEIGHT * W && h >= 0.02 * W && r.end === mask.height && findTilesInBand(mask, r.start, r.end).length > 0;
  }).length;
  // Bands of tile colour taller than a tile, away from the edges: rows run together (a tilted row that the
  // straightening missed, something drawn across the gaps). Tiles may hide there. (Lower bands are section
  // label bars and rules, which an edited screenshot's colours can bring near the tile colour.)
  const odd = all.filter((r) => r.end - r.start > TILE_MAX_HEIGHT * W && r.start > 0 && r.end < mask.height);
  return { bands, cutOff, odd };
}

/**
 * The part of band `r` where tile colour covers a good share of a column over at least a third of a
 * tile's width: where a card may be that was not read. Null when there is no such area (a thin rule).
 */
function unreadArea(mask: PixelMask, r: Run): Box | null {
  const W = mask.width;
  const h = r.end - r.start;
  const cols = maskColumnProfile(mask, TILE, 0, W, r.start, r.end);
  const wide = runs(cols, 0.25 * h, 2).filter((c) => c.end - c.start >= (TILE_MIN_WIDTH / 3) * W);
  if (wide.length === 0) return null;
  const x0 = wide[0]!.start;
  const x1 = wide[wide.length - 1]!.end;
  return { x: x0, y: r.start, width: x1 - x0, height: h };
}

/** The tiles of one band: column runs of tile colour of a tile's width. */
function findTilesInBand(mask: PixelMask, y0: number, y1: number): Box[] {
  const W = mask.width;
  const h = y1 - y0;
  const cols = maskColumnProfile(mask, TILE, 0, W, y0, y1);
  // The icon disc and the text cover under three quarters of a column; the gutter between tiles none.
  return runs(cols, 0.25 * h, 2)
    .filter((r) => r.end - r.start >= TILE_MIN_WIDTH * W && r.end - r.start <= TILE_MAX_WIDTH * W)
    .map((r) => ({ x: r.start, y: y0, width: r.end - r.start, height: h }));
}

/**
 * A tile's name and title lines and its quantity badge. `digitsHeight`: the height the badge's digits are
 * drawn at on this page, when this tile's came out shorter.
 */
function describeTile(img: DecodedImage, mask: PixelMask, box: Box, digitsHeight?: number): TileLayout & { digits: Box | null } {
  const tx = box.x;
  const ty = box.y;
  const tw = box.width;
  const th = box.height;
  // The type icon (a dark disc) sits left of the text; one tile in the wild has none, and its text may
  // start further left: read from near the tile's edge when the disc is missing.
  const iconArea = (Math.round(TEXT_LEFT * tw) - Math.round(0.04 * tw)) * Math.round(0.6 * th);
  const iconTile = maskRowProfile(
    mask,
    TILE,
    Math.round(tx + 0.04 * tw),
    Math.round(tx + TEXT_LEFT * tw),
    Math.round(ty + 0.2 * th),
    Math.round(ty + 0.8 * th),
  ).reduce((a, b) => a + b, 0);
  const hasIcon = iconTile < 0.7 * iconArea;
  const textX0 = Math.round(tx + (hasIcon ? TEXT_LEFT : 0.03) * tw);
  const badgeX0 = Math.round(tx + BADGE_LEFT * tw);
  const innerX1 = Math.round(tx + 0.99 * tw);
  const innerY0 = Math.round(ty + 0.04 * th);
  const innerY1 = Math.round(ty + 0.97 * th);

  // The badge: light pixels in the bottom-right corner. Its digits are drawn greyer than the names: in a
  // soft or dim capture they can fall below the text threshold, so the corner is searched again with a
  // fainter one (the corner holds nothing else but tile colour) before the tile is taken to have no badge.
  const corner = { x0: badgeX0, x1: innerX1, y0: Math.round(ty + BADGE_TOP * th), y1: innerY1, top: ty + 0.75 * th, tw, th, digitsHeight };
  const found = findBadge(mask, TEXT, corner) ?? findBadge(mask, FAINT, corner);
  const badge = found?.badge ?? null;
  const digits = found?.digits ?? null;

  // Text lines: light rows right of the icon, left of the badge column.
  const minLine = (r: Run) => r.end - r.start >= 0.09 * th;
  const lineRuns: (Run & { faint?: boolean })[] = runs(maskRowProfile(mask, TEXT, textX0, badgeX0, innerY0, innerY1), 1, 3).filter(minLine);
  if (lineRuns.length === 1) {
    // A champion's title is drawn greyer than its name: in a soft or dim capture it can fall below the
    // text threshold. Below a lone name line, look again with the fainter one (there is only tile colour
    // there otherwise).
    const from = innerY0 + lineRuns[0]!.end + 2;
    const faint = runs(maskRowProfile(mask, FAINT, textX0, badgeX0, from, innerY1), 1, 3).filter(minLine)[0];
    if (faint) lineRuns.push({ start: faint.start + from - innerY0, end: faint.end + from - innerY0, faint: true });
  }
  const lines: Box[] = [];
  for (const r of lineRuns.slice(0, 2)) {
    const ly0 = innerY0 + r.start;
    const ly1 = innerY0 + r.end;
    // A long name may run past the badge column; stop before the badge where they share rows.
    const overlapsBadge = badge !== null && ly1 > badge.y && ly0 < badge.y + badge.height;
    const lx1 = overlapsBadge ? badge!.x - 2 : innerX1;
    // Characters closer than a tenth of the tile's width are one line.
    const gap = Math.round(0.1 * tw);
    const bit = r.faint ? FAINT : TEXT;
    const cols = runs(maskColumnProfile(mask, bit, textX0, lx1, ly0, ly1), 1, gap);
    if (cols.length === 0) continue;
    const x0 = textX0 + cols[0]!.start;
    let x1 = textX0 + cols[cols.length - 1]!.end;
    if (bit === TEXT) {
      // A soft capture's light falls off across the line, or its last characters are thinner: they can fall
      // below the text threshold (an 800 px photo's 汹涌烈焰 ended after 涌, read 团涌死). The line runs on
      // as far as its faint pixels do from its text's last column (a text pixel is a faint one too: the
      // first faint run starts there).
      const from = x1 - 1;
      const faint = runs(maskColumnProfile(mask, FAINT, from, lx1, ly0, ly1), 1, gap)[0];
      if (faint) x1 = Math.max(x1, from + faint.end);
    }
    lines.push(clampBox(img, { x: x0 - 6, y: ly0 - 5, width: x1 - x0 + 12, height: ly1 - ly0 + 10 }));
  }
  const left = found?.margin ?? 4;
  const quantity = digits ? clampBox(img, { x: digits.x - left, y: digits.y - 4, width: digits.width + left + 4, height: digits.height + 8 }) : null;
  return { box, lines, quantity, digits };
}

/**
 * The quantity badge in a tile's bottom-right corner (`x0..x1`, `y0..y1`), by the mask pixels with `bit`
 * set, or null. `top`: a run of rows ending above it is the end of a long name, not the badge. Returns the
 * badge, its digits (the digits stand taller than the `x` before them) and the margin the digits' box may
 * take on their left without reaching into the `x`. `digitsHeight`: the page's digit height, which digits
 * found shorter are given from their baseline up.
 */
function findBadge(
  mask: PixelMask,
  bit: number,
  c: { x0: number; x1: number; y0: number; y1: number; top: number; tw: number; th: number; digitsHeight?: number | undefined },
): { badge: Box; digits: Box; margin: number } | null {
  const badgeRows = runs(maskRowProfile(mask, bit, c.x0, c.x1, c.y0, c.y1), 1, 2);
  const badgeRun = badgeRows.filter((r) => r.end - r.start >= 0.08 * c.th && c.y0 + r.end >= c.top).at(-1);
  if (!badgeRun) return null;
  const by0 = c.y0 + badgeRun.start;
  const by1 = c.y0 + badgeRun.end;
  const bcols = runs(maskColumnProfile(mask, bit, c.x0, c.x1, by0, by1), 1, Math.round(0.05 * c.tw));
  if (bcols.length === 0) return null;
  const bx0 = c.x0 + bcols[0]!.start;
  const bx1 = c.x0 + bcols[bcols.length - 1]!.end;
  // A digit's thin strokes (the 2's arc, the 7's bar) are drawn greyer than its stem; in a soft capture
  // they can fall below the text threshold, and a box cut at them leaves another digit (a 2 read as 4).
  // The digits' rows reach as far as faint pixels run on above and below them (a run of at most 0.3 of
  // the tile's height; the digits are ~0.18 tall).
  let [dy0, dy1] = [by0, by1];
  if (bit !== FAINT) {
    const rows = runs(maskRowProfile(mask, FAINT, bx0, bx1, c.y0, c.y1), 1, 1);
    const faint = rows.find((r) => c.y0 + r.start <= by0 && c.y0 + r.end >= by1);
    if (faint && faint.end - faint.start <= 0.3 * c.th) [dy0, dy1] = [c.y0 + faint.start, c.y0 + faint.end];
  }
  if (c.digitsHeight && dy1 - dy0 < c.digitsHeight) dy0 = Math.max(c.y0, dy1 - c.digitsHeight);
  // The digits start at the first glyph whose top is near the digits' top (the x's top is ~40 % lower),
  // its top taken from the faint pixels too (a 2 without its arc is pieces whose tops are low).
  const glyphs = runs(maskColumnProfile(mask, bit, bx0, bx1, by0, by1), 1, 0);
  const extent = (g: Run) => {
    const rows = maskRowProfile(mask, FAINT, bx0 + g.start, bx0 + g.end, dy0, dy1);
    let bottom = rows.length - 1;
    while (bottom >= 0 && rows[bottom] === 0) bottom--;
    return { top: rows.findIndex((n) => n > 0), bottom };
  };
  const h = dy1 - dy0;
  let first = glyphs.findIndex((g) => {
    const { top } = extent(g);
    return top >= 0 && top <= 0.2 * h;
  });
  // A 4's arm and bar, their thin joint to the stem lost, are a glyph of their own left of it whose top is
  // low too; but the x stands on the digits' baseline and the arm ends above it (an 800 px capture's ×4 was
  // boxed from its stem and read as 1). Glyphs before the first tall one that end above the baseline are
  // the digit's.
  while (first > 0) {
    const { top, bottom } = extent(glyphs[first - 1]!);
    if (top < 0 || bottom >= 0.8 * h) break;
    first--;
  }
  const dx0 = first >= 0 ? bx0 + glyphs[first]!.start : bx0;
  // The box's margin stops halfway to the x before the digits: a sliver of it beside a digit is read as
  // part of the number (a 7 read as 4).
  const margin = first > 0 ? Math.min(4, Math.floor((glyphs[first]!.start - glyphs[first - 1]!.end) / 2)) : 4;
  return { badge: { x: bx0, y: by0, width: bx1 - bx0, height: by1 - by0 }, digits: { x: dx0, y: dy0, width: bx1 - dx0, height: dy1 - dy0 }, margin };
}

/** The section label: the lowest light text line in the label bar above a group of tiles. */
function findSectionLabel(img: DecodedImage, mask: PixelMask, y0: number, y1: number): Box | null {
  const W = img.width;
  if (y1 - y0 < 0.02 * W) return null;
  const x0 = Math.round(0.06 * W);
  const x1 = Math.round(0.5 * W);
  const textRows = runs(maskRowProfile(mask, TEXT, x0, x1, y0, y1), 2, 3).filter((r) => r.end - r.start >= 0.015 * W);
  const row = textRows[textRows.length - 1];
  if (!row) return null;
  const ly0 = y0 + row.start;
  const ly1 = y0 + row.end;
  const cols = runs(maskColumnProfile(mask, TEXT, x0, x1, ly0, ly1), 1, Math.round(0.04 * W));
  if (cols.length === 0) return null;
  // The label is the widest run; the bar's sparkle texture gives only small ones.
  const widest = cols.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  return clampBox(img, { x: x0 + widest.start - 8, y: ly0 - 6, width: widest.end - widest.start + 16, height: ly1 - ly0 + 12 });
}

/** Header text lines (below the gold page title) and the placement badge. */
function findHeader(img: DecodedImage, mask: PixelMask, { light }: Palette, bottom: number): HeaderLayout {
  const W = img.width;
  const isGold = goldTest(light);
  // The page title (卡组详情) is gold text in the middle of the page's top bar; start below it when found.
  const titleRows = runs(rowProfile(img, isGold, Math.round(0.3 * W), Math.round(0.7 * W), 0, Math.min(bottom, Math.round(0.4 * W))), 3, 4);
  const top = titleRows.length > 0 ? titleRows[0]!.end : 0;

  // The placement badge: a block of gold at the right of the header.
  let placementBadge: Box | null = null;
  const gx0 = Math.round(0.75 * W);
  const goldRows = runs(rowProfile(img, isGold, gx0, W, top, bottom), Math.round(0.03 * W), 3).filter((r) => r.end - r.start >= 0.05 * W);
  if (goldRows[0]) {
    const gy0 = top + goldRows[0].start;
    const gy1 = top + goldRows[0].end;
    const cols = runs(columnProfile(img, isGold, gx0, W, gy0, gy1), Math.round(0.3 * (gy1 - gy0)), 3);
    const widest = cols.reduce<{ start: number; end: number } | null>((a, b) => (!a || b.end - b.start > a.end - a.start ? b : a), null);
    if (widest) placementBadge = findPlacementNumber(img, { x: gx0 + widest.start, y: gy0, width: widest.end - widest.start, height: gy1 - gy0 });
  }

  const x0 = Math.round(0.02 * W);
  const x1 = Math.round(0.72 * W);
  const rows = runs(maskRowProfile(mask, TEXT, x0, x1, top, bottom), 2, 4).filter((r) => r.end - r.start >= 0.015 * W && r.end - r.start <= 0.1 * W);
  const lines = rows.map((r, i) => {
    const y0 = top + r.start;
    const y1 = top + r.end;
    const h = y1 - y0;
    // The last line is the player's, behind a round avatar (0.04–0.126 W) whose picture breaks into
    // blobs of any size: read only right of it (the name starts at 0.148 W).
    const lx0 = i > 0 && i === rows.length - 1 ? Math.round(0.137 * W) : x0;
    const cols = maskColumnProfile(mask, TEXT, lx0, x1, y0, y1);
    let segments = runs(cols, 1, Math.round(0.35 * h)).map((seg) => ({
      start: seg.start + lx0,
      end: seg.end + lx0,
      ink: cols.slice(seg.start, seg.end).reduce((a, b) => a + b, 0),
    }));
    if (segments.length === 0) return [clampBox(img, { x: x0, y: y0 - 6, width: x1 - x0, height: h + 12 })];
    if (i > 0) {
      // Below the deck name, fields are preceded by small icons. Drawn dim, they mostly fail the text test,
      // but a rescaled image leaves faint specks of them: narrower than a glyph, with a sliver of the ink.
      // Only specks before the line's first solid segment go: after it, a faint speck is as likely the end
      // of a field (a soft capture's thin digits), and the icon between two fields goes with its field.
      const maxInk = Math.max(...segments.map((seg) => seg.ink));
      const solid = segments.findIndex((seg) => seg.ink >= 0.08 * maxInk || seg.end - seg.start >= h);
      segments = segments.slice(Math.max(0, solid));
      // An icon is a compact blob, or a few blobs within a glyph's width when a soft capture breaks it
      // up, set apart from the text by a wide gap; hanzi sit closer together, so a one-character name is
      // not cut.
      let icon = 0;
      while (
        icon + 1 < segments.length &&
        segments[icon + 1]!.start - segments[icon]!.end < 0.5 * h &&
        segments[icon + 1]!.end - segments[0]!.start <= 1.6 * h
      ) {
        icon++;
      }
      const lead = segments[icon]!;
      if (segments.length > icon + 1 && lead.end - segments[0]!.start <= 3 * h && segments[icon + 1]!.start - lead.end >= 0.5 * h) {
        segments = segments.slice(icon + 1);
      }
    }
    // Two fields on one line (event | date) are set far apart, with a dim divider and icon between them
    // that the text test skips: split at the widest gap when it is wider than a glyph, and read each part on
    // its own. A line holds at most two fields; a soft capture's faint digits leave smaller gaps inside a
    // field, which must not cut it.
    let cut = 0;
    let widest = 1.5 * h;
    for (let k = 1; k < segments.length; k++) {
      const gap = segments[k]!.start - segments[k - 1]!.end;
      if (gap >= widest) [cut, widest] = [k, gap];
    }
    const part = (from: number, to: number) => {
      const sx0 = segments[from]!.start;
      const sx1 = segments[to - 1]!.end;
      return clampBox(img, { x: sx0 - 8, y: y0 - 6, width: sx1 - sx0 + 16, height: h + 12 });
    };
    return cut > 0 ? [part(0, cut), part(cut, segments.length)] : [part(0, segments.length)];
  });
  return { lines, placementBadge };
}

const isDark: PixelTest = (r, g, b) => luma(r, g, b) < 110;

/** The number on the placement badge: the first run of dark rows inside the gold, above 排名. */
function findPlacementNumber(img: DecodedImage, badge: Box): Box | null {
  const x0 = Math.round(badge.x + 0.12 * badge.width);
  const x1 = Math.round(badge.x + 0.88 * badge.width);
  const y0 = badge.y + Math.round(0.05 * badge.height);
  const y1 = badge.y + badge.height;
  const rows = runs(rowProfile(img, isDark, x0, x1, y0, y1), 1, 2).filter((r) => r.end - r.start >= 0.15 * badge.height);
  const number = rows[0];
  if (!number) return null;
  const ny0 = y0 + number.start;
  const ny1 = y0 + number.end;
  const cols = runs(columnProfile(img, isDark, x0, x1, ny0, ny1), 1, Math.round(0.2 * badge.width));
  if (cols.length === 0) return null;
  const nx0 = x0 + cols[0]!.start;
  const nx1 = x0 + cols[cols.length - 1]!.end;
  return clampBox(img, { x: nx0 - 6, y: ny0 - 6, width: nx1 - nx0 + 12, height: ny1 - ny0 + 12 });
}
