/**
 * Synthetic decklists: every card of the database drawn onto a real screenshot's tiles in the app's font, so
 * the pipeline is checked on card names no labelled screenshot shows. The tiles keep their background, icon
 * and place; only the name, title and quantity badge are drawn anew (Noto Sans CJK, the Android system
 * font the mini-program uses). Needs the font installed: `apt-get install fonts-noto-cjk` (`.ci/run` does).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { allowedInSection } from '../src/pipeline/cards/card-types.js';
import { basePrintingComparator, parseCardNumber } from '../src/pipeline/cards/card-number.js';
import type { CardDatabase } from '../src/pipeline/cards/cards.js';
import type { Card, Decklist, SectionKind } from '../src/pipeline/types.js';
import { loadFixtures, type Fixture } from './fixtures.js';
import { squash } from './score.js';
import { editDistance } from '../src/pipeline/text/similarity.js';

/** The app's font on Android. */
export const APP_FONT = 'Noto Sans CJK SC';
/** Another CJK sans with other glyph shapes, to see how the reading holds up in a font it was not tuned on. */
export const OTHER_FONT = 'WenQuanYi Zen Hei';
const FONT_PACKAGES: Record<string, string> = { [APP_FONT]: 'fonts-noto-cjk', [OTHER_FONT]: 'fonts-wqy-zenhei' };

/** Throws a clear error when the font is missing (the drawn text would silently fall back to another). */
export function requireFont(font: string = APP_FONT): void {
  let families = '';
  try {
    families = execFileSync('fc-list', [`:family=${font}`, 'family'], { encoding: 'utf8' });
  } catch {
    // no fontconfig at all: same message
  }
  if (!families.includes(font)) {
    throw new Error(`synthetic decklists need the font "${font}": apt-get install -y ${FONT_PACKAGES[font] ?? '<its package>'} (as .ci/run does)`);
  }
}

type Slot = { section: SectionKind; box: [number, number, number, number] };
export type DrawnSection = 'legend' | 'mainDeck' | 'sideDeck' | 'battlefields' | 'runes';

export interface SyntheticDecklist {
  image: Buffer;
  /** The header drawn. */
  header: SyntheticHeader;
  /** Per section, `nameCn ×quantity` of every tile drawn, in display order. */
  expected: Record<DrawnSection, string[]>;
}

export interface SyntheticOptions {
  /** Width to scale the drawn screenshot to (default: as drawn, 1080). */
  width?: number;
  /** JPEG quality of the result (default 90). */
  quality?: number;
  /** Font family to draw in (default {@link APP_FONT}). */
  font?: string;
  /**
   * Turns the drawn screenshot (PNG, 1080 px) into a capture of it — rotated, photographed, … — in place of
   * `width` and `quality`; `index` counts the decklists, so a family can vary its copies.
   */
  capture?: (png: Buffer, index: number) => Promise<Buffer>;
}

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
function drawTile(slot: Slot, tileColour: string, nameCn: string, quantity: number, subtitle: string | null, family: string): string {
  const [x, y, w, h] = slot.box;
  const out = [`<rect x="${x + 110}" y="${y + 3}" width="${w - 113}" height="${h - 6}" fill="${tileColour}"/>`];
  const font = `font-family="${family}"`;
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
    out.push(
      `<text x="${x + w - 12}" y="${y + h - 14}" text-anchor="end" ${font} fill="#c9d3d9"><tspan font-size="24">x</tspan><tspan font-size="32">${quantity}</tspan></text>`,
    );
  }
  return out.join('');
}

/**
 * Screenshots that together show every legend, deck card, battlefield and rune of `cards` once, each deck
 * tile with a quantity from 1 to 3 (runes 4 to 12). A starter legend gets the subtitle 入门 its tile shows.
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
    legend: { slots: canvas.slots.filter((s) => s.section === 'legend'), names: cards.filter((c) => allowedInSection(c.types, 'legend')).map((c) => c.nameCn) },
    deck: {
      slots: canvas.slots.filter((s) => s.section === 'mainDeck' || s.section === 'sideDeck'),
      names: cards.filter((c) => allowedInSection(c.types, 'mainDeck')).map((c) => c.nameCn),
    },
    battlefields: {
      slots: canvas.slots.filter((s) => s.section === 'battlefields'),
      names: cards.filter((c) => allowedInSection(c.types, 'battlefields')).map((c) => c.nameCn),
    },
    runes: { slots: canvas.slots.filter((s) => s.section === 'runes'), names: cards.filter((c) => allowedInSection(c.types, 'runes')).map((c) => c.nameCn) },
  };
  const rounds = Math.max(...Object.values(groups).map((g) => Math.ceil(g.names.length / g.slots.length)));
  // The clock icon of the event line, moved along with the event's end.
  const clockPng = await sharp(base).extract({ left: 570, top: 386, width: 29, height: 29 }).png().toBuffer();
  const clock = `data:image/png;base64,${clockPng.toString('base64')}`;
  for (let round = 0; round < rounds; round++) {
    const expected: Record<DrawnSection, string[]> = { legend: [], mainDeck: [], sideDeck: [], battlefields: [], runes: [] };
    const svg: string[] = [];
    for (const [kind, group] of Object.entries(groups)) {
      // A group with no cards to draw (a database without runes, say) keeps the canvas's own tiles, unexpected.
      if (group.names.length === 0) continue;
      group.slots.forEach((slot, i) => {
        // Every name once before any repeats; within one screenshot no name is drawn twice.
        const nameCn = group.names[(round * group.slots.length + i) % group.names.length]!;
        const quantity = kind === 'battlefields' || kind === 'legend' ? 1 : kind === 'runes' ? 4 + ((round + i) % 9) : 1 + ((round + i * 7) % 3);
        const starter = kind === 'legend' && cards.find((c) => c.nameCn === nameCn)?.nameEn.endsWith(' - Starter');
        svg.push(drawTile(slot, colourAt(slot.box[0] + 200, slot.box[1] + 8), nameCn, quantity, starter ? '入门' : null, options.font ?? APP_FONT));
        expected[slot.section as DrawnSection].push(`${nameCn} ×${quantity}`);
      });
    }
    const header = syntheticHeader(round);
    svg.push(await drawHeader(header, colourAt, clock, options.font ?? APP_FONT));
    const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${info.height}">${svg.join('')}</svg>`);
    const drawn = await sharp(base)
      .composite([{ input: overlay, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const image = options.capture
      ? await options.capture(drawn, round)
      : await sharp(drawn)
          .resize(options.width ?? info.width)
          .jpeg({ quality: options.quality ?? 90 })
          .toBuffer();
    yield { image, header, expected };
  }
}

/** What the pipeline got wrong on a synthetic decklist, one line per drawn tile it missed or misread. */
export function syntheticMisses(deck: Pick<Decklist, DrawnSection>, expected: SyntheticDecklist['expected']): string[] {
  const misses: string[] = [];
  for (const section of Object.keys(expected) as DrawnSection[]) {
    const got = deck[section].map((e) => `${e.card?.nameCn ?? `unmatched "${e.nameCn}"`} ×${e.quantity}`);
    for (const line of expected[section])
      if (!got.includes(line))
        misses.push(`${section}: drew ${line}, read ${got.filter((g) => !expected[section].includes(g)).join('; ') || 'nothing for it'}`);
    for (const line of got) if (!expected[section].includes(line) && !misses.some((m) => m.includes(line))) misses.push(`${section}: read ${line}, not drawn`);
  }
  return misses;
}

/** How one drawn tile came out: its card with the right quantity, another card, no card, or its card with another quantity (or no entry at all). */
export type TileOutcome = 'right' | 'wrongCard' | 'unmatched' | 'other';

/**
 * The outcome of every tile drawn on one synthetic decklist, in display order. A tile is right when an entry
 * of its section has its card and quantity. Otherwise, when the section has one entry per tile drawn (no tile
 * lost or split), the entry in the tile's place tells which miss it is; else the miss is `other`.
 */
export function tileOutcomes(
  deck: Pick<Decklist, DrawnSection>,
  expected: SyntheticDecklist['expected'],
): { section: DrawnSection; nameCn: string; outcome: TileOutcome; read: string }[] {
  const out: { section: DrawnSection; nameCn: string; outcome: TileOutcome; read: string }[] = [];
  for (const section of Object.keys(expected) as DrawnSection[]) {
    const entries = deck[section];
    expected[section].forEach((line, i) => {
      const [nameCn, quantity] = line.split(' ×') as [string, string];
      if (entries.some((e) => e.card?.nameCn === nameCn && e.quantity === Number(quantity))) {
        out.push({ section, nameCn, outcome: 'right', read: line });
        return;
      }
      const inPlace = entries.length === expected[section].length ? entries[i] : undefined;
      const read = inPlace ? `${inPlace.card?.nameCn ?? `unmatched "${inPlace.nameCn}"`} ×${inPlace.quantity}` : 'no entry in its place';
      const outcome: TileOutcome = !inPlace ? 'other' : !inPlace.card ? 'unmatched' : inPlace.card.nameCn !== nameCn ? 'wrongCard' : 'other';
      out.push({ section, nameCn, outcome, read });
    });
  }
  return out;
}

/**
 * What tells a reader of `deck` that a tile of `section` was not read right, or null when nothing does (a
 * silent miss): the entry itself when it is unmatched, a warning naming the section (not seen, unread
 * areas, an unreadable badge or label), or a validation problem of the section (a count off).
 */
export function missFlag(deck: Pick<Decklist, 'warnings' | 'validation'>, section: DrawnSection, outcome: TileOutcome): string | null {
  if (outcome === 'right') return null;
  if (outcome === 'unmatched') return 'unmatched entry';
  const warning = deck.warnings.find((w) => w.message.includes(section) || w.code === 'UNREADABLE_TILE');
  if (warning) return warning.code;
  const problem = deck.validation.problems.find((p) => p.section === section);
  return problem ? problem.code : null;
}

/** The set a card was first printed in: the set of its base printing (`OGN·007/298` → OGN). */
export function firstSetOf(card: Card): string {
  return parseCardNumber(card.cardNumber)?.set ?? '?';
}

/** Per set of the database (in release order, sets the code does not know after, in database order): printings (rows), distinct cards with a printing in the set, and cards first printed there. */
export function cardsPerSet(db: CardDatabase): { set: string; printings: number; cards: number; firstPrinted: number }[] {
  const rows = db.sets.map((set) => ({ set, printings: 0, cards: 0, firstPrinted: 0 }));
  const row = (set: string) => rows.find((r) => r.set === set) ?? rows[rows.push({ set, printings: 0, cards: 0, firstPrinted: 0 }) - 1]!;
  for (const card of db.cards) {
    const sets = [card.cardNumber, ...card.altCardNumbers].map((n) => parseCardNumber(n)?.set ?? '?');
    for (const set of sets) row(set).printings++;
    for (const set of new Set(sets)) row(set).cards++;
    row(firstSetOf(card)).firstPrinted++;
  }
  const order = basePrintingComparator(db.sets);
  return rows.sort((a, b) => order({ cardNumber: `${a.set}·001`, temporary: false }, { cardNumber: `${b.set}·001`, temporary: false }));
}

/** A plain text table: the first row is the header; numbers right-aligned, text left-aligned. */
export function formatTable(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (typeof cell === 'number' ? String(cell).padStart(widths[c]!) : String(cell).padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Header fields drawn onto a synthetic screenshot. */
export interface SyntheticHeader {
  deckName: string;
  placement: number;
  event: string;
  date: string;
  player: string;
}

// Deck names, events and players people write (mixed scripts, digits, punctuation), none from a label.
const DECK_NAMES = [
  '黑暗之女 快攻',
  'Jinx Aggro',
  '德玛西亚之力中速',
  '九尾妖狐控制',
  '盲僧-速攻',
  '疾风剑豪 2.0',
  '赏金猎人',
  'Yasuo combo',
  '诺克萨斯之手 T1',
  '红蓝法术',
  '绿橙易大师',
  '暴走萝莉',
  '光辉女郎 v3',
  'Boss 腕豪',
  '不灭狂雷-快攻',
  '奥术先驱',
];
const EVENTS = [
  '第二赛季城市赛-成都站',
  '符文战场全国邀请赛',
  '2025上海公开赛 第三轮',
  '第一赛季区域公开赛-北京赛区',
  '周末店赛 #12',
  '广州区域赛 瑞士轮',
  '深圳冠军赛-八强',
  '第三赛季线上预选赛',
  '武汉站 公开赛',
  '南京俱乐部联赛 第5周',
  '全国总决赛-小组赛',
  '西安区域赛',
  '重庆公开赛-决赛日',
  '天津店赛',
  '长沙城市赛 第二日',
  '杭州冬季赛',
];
const PLAYERS = [
  'Faker_2025',
  '小明',
  'LeeSin',
  '阿狸不哭',
  'x_Yasuo_x',
  '老王',
  'Momo',
  '风暴之怒',
  'KK',
  '张三丰',
  'Riven7',
  '蓝色-妖姬',
  'TCG.Master',
  '符文大师',
  'Lux光',
  '一只咸鱼',
];

/** The `i`-th header: every field from its own list, dates across a year, placements 1 to 32. */
export function syntheticHeader(i: number): SyntheticHeader {
  const day = new Date(Date.UTC(2025, 0, 1) + ((i * 37) % 365) * 86_400_000);
  return {
    deckName: DECK_NAMES[i % DECK_NAMES.length]!,
    placement: 1 + ((i * 7) % 32),
    event: EVENTS[(i * 5) % EVENTS.length]!,
    date: day.toISOString().slice(0, 10),
    player: PLAYERS[(i * 3) % PLAYERS.length]!,
  };
}

/** The width of `text` drawn in the app font, in pixels (for laying out the event line). */
async function textWidth(text: string, size: number, family: string): Promise<number> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="100"><rect width="1400" height="100" fill="#000"/><text x="10" y="70" font-family="${family}" font-size="${size}" fill="#fff">${escapeXml(text)}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  let last = 10;
  for (let x = 0; x < info.width; x++) for (let y = 0; y < info.height; y++) if (data[y * info.width + x]! > 100) last = Math.max(last, x);
  return last - 10 + 1;
}

/**
 * SVG that redraws the header of the canvas screenshot (all the labelled screenshots share its geometry,
 * measured from them): deck name, event, separator and clock icon (moved to follow the event), date,
 * placement number on the gold badge, player.
 */
async function drawHeader(h: SyntheticHeader, colourAt: (x: number, y: number) => string, clock: string, family: string): Promise<string> {
  const bg = colourAt(700, 300);
  const gold = colourAt(930, 290);
  const font = `font-family="${family}"`;
  const eventEnd = 95 + (await textWidth(h.event, 31, family));
  const clockX = eventEnd + 67;
  return [
    `<rect x="40" y="270" width="860" height="90" fill="${bg}"/>`,
    `<text x="49" y="334" ${font} font-weight="700" font-size="50" fill="#ffffff">${escapeXml(h.deckName)}</text>`,
    `<rect x="85" y="378" width="820" height="48" fill="${bg}"/>`,
    `<text x="95" y="414" ${font} font-size="31" fill="#c3cad2">${escapeXml(h.event)}</text>`,
    `<rect x="${eventEnd + 36}" y="383" width="3" height="34" fill="rgb(68,81,97)"/>`,
    `<image x="${clockX}" y="386" width="29" height="29" href="${clock}"/>`,
    `<text x="${clockX + 47}" y="414" ${font} font-size="31" fill="#c3cad2">${h.date}</text>`,
    `<rect x="935" y="285" width="60" height="43" fill="${gold}"/>`,
    `<text x="964" y="320" text-anchor="middle" ${font} font-weight="700" font-size="36" fill="#1e1e1e">${h.placement}</text>`,
    `<rect x="150" y="630" width="620" height="90" fill="${bg}"/>`,
    `<text x="162" y="684" ${font} font-size="34" fill="#d0d6dc">${escapeXml(h.player)}</text>`,
  ].join('');
}

/**
 * The header fields read differently from what was drawn (text compared without spaces, NFKC). With
 * `textEdits`, free text (deck name, event, player) may differ by that many characters; placement and
 * date must still be exact.
 */
export function headerMisses(metadata: Decklist['metadata'], header: SyntheticHeader, textEdits = 0): string[] {
  const free = new Set<keyof SyntheticHeader>(['deckName', 'event', 'player']);
  return (Object.keys(header) as (keyof SyntheticHeader)[])
    .filter((field) => {
      const [read, drawn] = [squash(metadata[field]), squash(header[field])];
      return free.has(field) && textEdits > 0 && metadata[field] !== null ? editDistance(read, drawn) > textEdits : read !== drawn;
    })
    .map((field) => `${field}: drew "${header[field]}", read "${metadata[field] ?? ''}"`);
}
