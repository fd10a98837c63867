import { chosenChampionOf } from './champion.js';
import type { DecodedImage } from './decode.js';
import { PipelineError } from './errors.js';
import type { CardMatcher } from './match.js';
import { parseMetadata } from './metadata.js';
import { hanOnly, normalizeName } from './normalize.js';
import type { DecklistReading, SectionReading, TileReading } from './read.js';
import { classifySectionLabel } from './sections.js';
import { similarity } from './similarity.js';
import {
  SECTION_KINDS,
  type Box,
  type DeckEntry,
  type Decklist,
  type PipelineWarning,
  type SectionKind,
} from './types.js';
import { validateDecklist } from './validate.js';

export interface AssembleOptions {
  sideDeckMax: number;
  image: DecodedImage;
}

function sameTiles(a: SectionReading, b: SectionReading): boolean {
  if (a.tiles.length !== b.tiles.length) return false;
  const agree = a.tiles.filter((t, i) => similarity(hanOnly(t.text.name), hanOnly(b.tiles[i]!.text.name)) >= 0.5).length;
  return agree >= Math.ceil(a.tiles.length * 0.8);
}

/**
 * Labels each run of tiles with its section. A label that cannot be read takes the section that follows
 * the previous one; a section shown twice in a row (stitched long screenshots) is kept once.
 */
export function labelSections(
  sections: SectionReading[],
  warnings: PipelineWarning[],
): { kind: SectionKind; tiles: TileReading[] }[] {
  const out: { kind: SectionKind; reading: SectionReading; tiles: TileReading[] }[] = [];
  for (const section of sections) {
    let kind = classifySectionLabel(section.label);
    const prev = out[out.length - 1];
    if (!kind) {
      const next = prev ? SECTION_KINDS[SECTION_KINDS.indexOf(prev.kind) + 1] : 'legend';
      kind = next ?? 'sideDeck';
      warnings.push({
        code: 'UNKNOWN_SECTION',
        message: `a section label could not be read ("${section.label ?? ''}"); its ${section.tiles.length} tile(s) were taken as ${kind}`,
      });
    }
    if (prev && prev.kind === kind) {
      if (sameTiles(prev.reading, section)) {
        warnings.push({
          code: 'DUPLICATE_SECTION',
          message: `the ${kind} section is shown twice in a row (a stitched screenshot); it was counted once`,
        });
        continue;
      }
      warnings.push({
        code: 'DUPLICATE_SECTION',
        message: `the ${kind} section appears twice in a row with different tiles; both parts were kept`,
      });
      prev.tiles.push(...section.tiles);
      continue;
    }
    out.push({ kind, reading: section, tiles: [...section.tiles] });
  }
  return out.map(({ kind, tiles }) => ({ kind, tiles }));
}

function toOriginal(box: Box, scale: number, offsetX: number): Box {
  return {
    x: Math.round(offsetX + box.x * scale),
    y: Math.round(box.y * scale),
    width: Math.round(box.width * scale),
    height: Math.round(box.height * scale),
  };
}

/** The quantity on a badge: its digits, or 1 when the tile has no badge. Null when a badge has no digit. */
export function parseQuantity(badge: string | null): number | null {
  if (badge === null) return 1;
  const digits = badge.replace(/\D/g, '');
  if (!digits) return null;
  const n = Number(digits);
  return n >= 1 && n <= 99 ? n : null;
}

/**
 * Matches every tile, adds up tiles of the same card (two printings show as two tiles), attaches card
 * data, OCR text, confidence and boxes, reads the header, and validates the result against the rules.
 */
export function assembleDecklist(reading: DecklistReading, matcher: CardMatcher, options: AssembleOptions): Decklist {
  const warnings: PipelineWarning[] = [];
  if (reading.cutOffRows > 0) {
    warnings.push({
      code: 'CUT_OFF_TILES',
      message: `${reading.cutOffRows} row(s) of tiles are cut off by the edge of the screenshot and were not read; the decklist may be incomplete`,
    });
  }
  const sections: Record<SectionKind, DeckEntry[]> = {
    legend: [],
    mainDeck: [],
    battlefields: [],
    runes: [],
    sideDeck: [],
  };

  for (const { kind, tiles } of labelSections(reading.sections, warnings)) {
    const byKey = new Map<string, DeckEntry>();
    for (const tile of tiles) {
      const match = matcher.matchCard(kind, tile.text);
      let quantity = parseQuantity(tile.text.badge);
      if (quantity === null) {
        warnings.push({
          code: 'UNREADABLE_TILE',
          message: `the quantity badge of "${tile.text.name}" (${kind}) could not be read ("${tile.text.badge}"); counted as 1`,
        });
        quantity = 1;
      }
      const rawName = normalizeName(tile.text.subtitle ? `${tile.text.name}, ${tile.text.subtitle}` : tile.text.name);
      const key = match.card ? `card:${match.card.cardNumber}` : `raw:${rawName}`;
      const box = toOriginal(tile.box, options.image.scale, options.image.offsetX);
      const existing = byKey.get(key);
      if (existing) {
        existing.quantity += quantity;
        existing.confidence = Math.min(existing.confidence, match.confidence);
        existing.ocrText.push(tile.text);
        existing.tiles.push(box);
        continue;
      }
      const entry: DeckEntry = {
        nameCn: match.card?.nameCn ?? rawName,
        nameEn: match.card?.nameEn ?? null,
        quantity,
        confidence: match.confidence,
        card: match.card,
        candidates: match.candidates,
        ocrText: [tile.text],
        tiles: [box],
      };
      byKey.set(key, entry);
      sections[kind].push(entry);
    }
  }

  // Tile-like boxes where no section label and no card name could be read: some other dark list, not a
  // decklist. (A decklist of cards the database lacks still has readable section labels.)
  const labelled = reading.sections.some((section) => classifySectionLabel(section.label) !== null);
  const matched = SECTION_KINDS.some((kind) => sections[kind].some((e) => e.card !== null));
  if (!labelled && !matched) {
    throw new PipelineError('NOT_A_DECKLIST', 'tile-like boxes were found, but no section label or card name could be read on them');
  }

  const metadata = parseMetadata(reading.header, warnings);
  const decklist: Omit<Decklist, 'validation'> = {
    metadata,
    ...sections,
    chosenChampion: chosenChampionOf(sections.mainDeck),
    warnings,
    image: options.image.original,
  };
  return { ...decklist, validation: validateDecklist(decklist, { sideDeckMax: options.sideDeckMax }) };
}
