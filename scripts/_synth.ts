import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { createPipeline } from '../src/pipeline/pipeline.js';
import { loadFixtures } from './fixtures.js';
import type { SectionKind } from '../src/pipeline/types.js';

const fixture = loadFixtures()[1]!;
const raw = JSON.parse(readFileSync(fixture.imagePath.replace(/\.jpg$/, '.json'), 'utf8'));
type Tile = { section: SectionKind; bbox_xywh: [number, number, number, number] };
const tiles: Tile[] = raw.displayedTiles;
const base = readFileSync(fixture.imagePath);
const { data: px, info } = await sharp(base).raw().toBuffer({ resolveWithObject: true });
const colourAt = (x: number, y: number) => { const i = (y * info.width + x) * info.channels; return `rgb(${px[i]},${px[i + 1]},${px[i + 2]})`; };

const pipeline = await createPipeline();
const cards = pipeline.cards.cards;
const MAIN = new Set(['Unit', 'Spell', 'Champion Unit', 'Gear', 'Signature Spell', 'Signature Unit']);
const pools: Record<string, string[]> = {
  deck: cards.filter((c) => MAIN.has(c.type)).map((c) => c.nameCn),
  battlefields: cards.filter((c) => c.type === 'Battlefield').map((c) => c.nameCn),
  runes: cards.filter((c) => c.type === 'Basic Rune').map((c) => c.nameCn),
};
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const FONT = "font-family=\"Noto Sans CJK SC\"";

function tileSvg(t: Tile, nameCn: string, qty: number): string {
  const [x, y, w, h] = t.bbox_xywh;
  const parts = [`<rect x="${x + 110}" y="${y + 3}" width="${w - 113}" height="${h - 6}" fill="${colourAt(x + 200, y + 8)}"/>`];
  let [name, sub] = nameCn.includes(', ') ? nameCn.split(', ') as [string, string] : [nameCn, null as string | null];
  if (!sub && [...name].length > 7) { sub = [...name].slice(7).join(''); name = [...name].slice(0, 7).join(''); }
  const tx = x + 122;
  if (sub) {
    const subBold = !nameCn.includes(', ');
    parts.push(`<text x="${tx}" y="${y + 56}" ${FONT} font-weight="700" font-size="34" fill="#eef3f5">${esc(name)}</text>`);
    parts.push(`<text x="${tx}" y="${y + 110}" ${FONT} font-weight="${subBold ? 700 : 400}" font-size="${subBold ? 34 : 26}" fill="${subBold ? '#eef3f5' : '#c9d3d9'}">${esc(sub)}</text>`);
  } else {
    parts.push(`<text x="${tx}" y="${y + 82}" ${FONT} font-weight="700" font-size="34" fill="#eef3f5">${esc(name)}</text>`);
  }
  if (qty > 1) parts.push(`<text x="${x + w - 12}" y="${y + h - 14}" text-anchor="end" font-family="Noto Sans" fill="#c9d3d9"><tspan font-size="24">x</tspan><tspan font-size="32">${qty}</tspan></text>`);
  return parts.join('');
}

const slots = { deck: tiles.filter((t) => t.section === 'mainDeck' || t.section === 'sideDeck'), battlefields: tiles.filter((t) => t.section === 'battlefields'), runes: tiles.filter((t) => t.section === 'runes') };
const rounds = Math.ceil(pools.deck!.length / slots.deck.length);
let right = 0, total = 0;
const misses: string[] = [];
try {
  for (let r = 0; r < rounds; r++) {
    const expected: Record<string, string[]> = { mainDeck: [], sideDeck: [], battlefields: [], runes: [] };
    const svg: string[] = [];
    for (const kind of ['deck', 'battlefields', 'runes'] as const) {
      slots[kind].forEach((t, i) => {
        const pool = pools[kind]!;
        const name = pool[(r * slots[kind].length + i) % pool.length]!;
        const qty = kind === 'battlefields' ? 1 : kind === 'runes' ? 4 + ((r + i) % 5) : 1 + ((r + i * 7) % 3);
        svg.push(tileSvg(t, name, qty));
        expected[t.section]!.push(`${name} ×${qty}`);
      });
    }
    const image = await sharp(base).composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${info.height}">${svg.join('')}</svg>`), top: 0, left: 0 }]).png().toBuffer().then((b) => { const w = Number(process.env.WIDTH ?? 1080); return sharp(b).resize(w).jpeg({ quality: Number(process.env.QUALITY ?? 90) }).toBuffer(); });

    if (process.env.ROUND && Number(process.env.ROUND) !== r) continue;
    const deck = await pipeline.process(image);
    if (process.env.ROUND) { console.log(JSON.stringify(deck.warnings), deck.sideDeck.map((e) => `${e.nameCn} ${e.quantity} ${JSON.stringify(e.ocrText)} ${JSON.stringify(e.tiles)}`).join('\n'), '\n', deck.mainDeck.map((e) => `${e.nameCn} ${e.quantity} ${JSON.stringify(e.ocrText)}`).join('\n')); await sharp(image).toFile('/tmp/synth-r.png'); }
    for (const s of ['mainDeck', 'sideDeck', 'battlefields', 'runes'] as const) {
      const got = deck[s].flatMap((e) => e.tiles.map((_, k) => ({ e, k })));
      // Per tile: the entry each tile ended in (entries add up duplicates; pool names are unique per round).
      const exp = expected[s]!;
      const gotNames = new Map(deck[s].map((e) => [e.card?.nameCn ?? `?${e.nameCn}`, e]));
      for (const line of exp) {
        total++;
        const [name, q] = line.split(' ×') as [string, string];
        const e = gotNames.get(name);
        if (e && e.quantity === Number(q)) right++;
        else {
          const near = deck[s].find((x) => !gotNames.has(name) && x.ocrText.some(() => true) && false);
          misses.push(`r${r} ${s}: ${line} -> ${e ? `qty ${e.quantity} badge ${e.ocrText.map((o) => o.badge).join('/')}` : 'missing'}`);
        }
      }
      const extra = deck[s].filter((e) => !exp.some((l) => l.startsWith(`${e.card?.nameCn ?? '\u0000'} ×`)));
      for (const e of extra) misses.push(`r${r} ${s}:   got ${e.card?.nameCn ?? 'UNMATCHED'} ×${e.quantity} from "${e.ocrText.map((o) => `${o.name}|${o.subtitle}`).join(' + ')}" conf ${e.confidence.toFixed(2)} cands ${e.candidates.slice(0, 2).map((c) => `${c.card.nameCn}:${c.score.toFixed(2)}`).join(' ')}`);
      void got;
    }
    console.log(`round ${r + 1}/${rounds}: ${right}/${total}`);
  }
} finally {
  await pipeline.close();
}
console.log(`tiles right ${right}/${total} (${((right / total) * 100).toFixed(1)} %)`);
for (const m of misses) console.log(m);
