/**
 * Synthetic decklists: every card of the database drawn onto a real screenshot's tiles in the app's font, so
 * the pipeline is checked on card names no labelled screenshot shows. The tiles keep their background, icon
 * and place; only the name, title and quantity badge are drawn anew (Noto Sans CJK, the Android system
 * font the mini-program uses). Needs the font installed: `apt-get install fonts-noto-cjk` (`.ci/run` does).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Card, Decklist, SectionKind } from '../src/pipeline/types.js';
import { loadFixtures, type Fixture } from './fixtures.js';

export const FONT_FAMILY = 'Noto Sans CJK SC';

/** Throws a clear error when the font is missing (the drawn text would silently fall back to another). */
export function requireFont(): void {
  let families = '';
  try {
    families = execFileSync('fc-list', [`:family=${FONT_FAMILY}`, 'family'], { encoding: 'utf8' });
  } catch {
    // no fontconfig at all: same message
  }
  if (!families.includes(FONT_FAMILY)) {
    throw new Error(`synthetic decklists need the font "${FONT_FAMILY}": apt-get install -y fonts-noto-cjk (as .ci/run does)`);
  }
}

type Slot = { section: SectionKind; box: [number, number, number, number] };
type DrawnSection = 'legend' | 'mainDeck' | 'sideDeck' | 'battlefields' | 'runes';

export interface SyntheticDecklist {
  image: Buffer;
  /** Per section, `nameCn ×quantity` of every tile drawn, in display order. */
  expected: Record<DrawnSection, string[]>;
}

export interface SyntheticOptions {
  /** Width to scale the drawn screenshot to (default: as drawn, 1080). */
  width?: number;
  /** JPEG quality of the result (default 90). */
  quality?: number;
}

/** The card types a main or side deck holds. */
const DECK_TYPES = new Set(['Unit', 'Champion Unit', 'Spell', 'Gear', 'Signature Spell', 'Signature Unit']);
/** Characters of a one-line name that fit beside the icon at this size; longer names wrap (as the app does). */
const LINE_CHARS = 7;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The labelled screenshot with the most deck tiles: the canvas. */
function canvasFixture(): Fixture & { slots: Slot[] } {
  const withSlots = loadFixtures().map((f) => {
    const raw = JSON.parse(readFileSync(f.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
    const slots: Slot[] = raw.displayedTiles.map((t: { section: SectionKind; bbox_xywh: Slot['box'] }) => ({ section: t.section, box: t.bbox_xywh }));
    return { ...f, slots };
  });
  const deckSlots = (f: { slots: Slot[] }) => f.slots.filter((s) => s.section === 'mainDeck' || s.section === 'sideDeck').length;
  return withSlots.sort((a, b) => deckSlots(b) - deckSlots(a))[0]!;
}

/** SVG for one tile: the tile's own colour over its old text, then the new name, title and badge. */
function drawTile(slot: Slot, tileColour: string, nameCn: string, quantity: number, subtitle: string | null): string {
  const [x, y, w, h] = slot.box;
  const out = [`<rect x="${x + 110}" y="${y + 3}" width="${w - 113}" height="${h - 6}" fill="${tileColour}"/>`];
  const font = `font-family="${FONT_FAMILY}"`;
  const text = (ty: number, size: number, weight: number, fill: string, s: string) =>
    `<text x="${x + 122}" y="${y + ty}" ${font} font-weight="${weight}" font-size="${size}" fill="${fill}">${escapeXml(s)}</text>`;
  const champion = nameCn.split(', ');
  const chars = [...nameCn];
  if (subtitle) {
    out.push(text(56, 34, 700, '#eef3f5', nameCn), text(110, 26, 400, '#c9d3d9', subtitle));
  } else if (champion.length === 2) {
    out.push(text(56, 34, 700, '#eef3f5', champion[0]!), text(110, 26, 400, '#c9d3d9', champion[1]!));
  } else if (chars.length > LINE_CHARS) {
    out.push(text(56, 34, 700, '#eef3f5', chars.slice(0, LINE_CHARS).join('')), text(106, 34, 700, '#eef3f5', chars.slice(LINE_CHARS).join('')));
  } else {
    out.push(text(82, 34, 700, '#eef3f5', nameCn));
  }
  if (quantity > 1) {
    out.push(`<text x="${x + w - 12}" y="${y + h - 14}" text-anchor="end" ${font} fill="#c9d3d9"><tspan font-size="24">x</tspan><tspan font-size="32">${quantity}</tspan></text>`);
  }
  return out.join('');
}

/**
 * Screenshots that together show every legend, deck card, battlefield and rune of `cards` once, each deck
 * tile with a quantity from 1 to 3 (runes 4 to 8). A starter legend gets the subtitle 入门 its tile shows.
 */
export async function* syntheticDecklists(cards: readonly Card[], options: SyntheticOptions = {}): AsyncGenerator<SyntheticDecklist> {
  const canvas = canvasFixture();
  const base = readFileSync(canvas.imagePath);
  const { data, info } = await sharp(base).raw().toBuffer({ resolveWithObject: true });
  const colourAt = (x: number, y: number) => {
    const i = (y * info.width + x) * info.channels;
    return `rgb(${data[i]},${data[i + 1]},${data[i + 2]})`;
  };
  const groups = {
    legend: { slots: canvas.slots.filter((s) => s.section === 'legend'), names: cards.filter((c) => c.type === 'Legend').map((c) => c.nameCn) },
    deck: { slots: canvas.slots.filter((s) => s.section === 'mainDeck' || s.section === 'sideDeck'), names: cards.filter((c) => DECK_TYPES.has(c.type)).map((c) => c.nameCn) },
    battlefields: { slots: canvas.slots.filter((s) => s.section === 'battlefields'), names: cards.filter((c) => c.type === 'Battlefield').map((c) => c.nameCn) },
    runes: { slots: canvas.slots.filter((s) => s.section === 'runes'), names: cards.filter((c) => c.type === 'Basic Rune').map((c) => c.nameCn) },
  };
  const rounds = Math.max(...Object.values(groups).map((g) => Math.ceil(g.names.length / g.slots.length)));
  for (let round = 0; round < rounds; round++) {
    const expected: Record<DrawnSection, string[]> = { legend: [], mainDeck: [], sideDeck: [], battlefields: [], runes: [] };
    const svg: string[] = [];
    for (const [kind, group] of Object.entries(groups)) {
      group.slots.forEach((slot, i) => {
        // Every name once before any repeats; within one screenshot no name is drawn twice.
        const nameCn = group.names[(round * group.slots.length + i) % group.names.length]!;
        const quantity = kind === 'battlefields' || kind === 'legend' ? 1 : kind === 'runes' ? 4 + ((round + i) % 5) : 1 + ((round + i * 7) % 3);
        const starter = kind === 'legend' && cards.find((c) => c.nameCn === nameCn)?.nameEn.endsWith(' - Starter');
        svg.push(drawTile(slot, colourAt(slot.box[0] + 200, slot.box[1] + 8), nameCn, quantity, starter ? '入门' : null));
        expected[slot.section as DrawnSection].push(`${nameCn} ×${quantity}`);
      });
    }
    const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${info.height}">${svg.join('')}</svg>`);
    const drawn = await sharp(base).composite([{ input: overlay, left: 0, top: 0 }]).png().toBuffer();
    const image = await sharp(drawn)
      .resize(options.width ?? info.width)
      .jpeg({ quality: options.quality ?? 90 })
      .toBuffer();
    yield { image, expected };
  }
}

/** What the pipeline got wrong on a synthetic decklist, one line per drawn tile it missed or misread. */
export function syntheticMisses(deck: Pick<Decklist, DrawnSection>, expected: SyntheticDecklist['expected']): string[] {
  const misses: string[] = [];
  for (const section of Object.keys(expected) as DrawnSection[]) {
    const got = deck[section].map((e) => `${e.card?.nameCn ?? `unmatched "${e.nameCn}"`} ×${e.quantity}`);
    for (const line of expected[section]) if (!got.includes(line)) misses.push(`${section}: drew ${line}, read ${got.filter((g) => !expected[section].includes(g)).join('; ') || 'nothing for it'}`);
    for (const line of got) if (!expected[section].includes(line) && !misses.some((m) => m.includes(line))) misses.push(`${section}: read ${line}, not drawn`);
  }
  return misses;
}
