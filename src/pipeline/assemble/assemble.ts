import { chosenChampionOf } from '../../decklist/champion.js';
import type { DecodedImage } from '../decode/decode.js';
import { PipelineError } from '../errors.js';
import { MATCH_THRESHOLD, type CardMatcher } from '../match/match.js';
import { parseMetadata } from './metadata.js';
import { hanOnly, normalizeName } from '../text/normalize.js';
import type { DecklistReading, SectionReading, TileReading } from '../read/read.js';
import { classifySectionLabel } from '../../decklist/sections.js';
import { similarity } from '../text/similarity.js';
import { deckCodeProblem } from '../../decklist/deck-code.js';
import { SECTION_KINDS, type Box, type DeckEntry, type Decklist, type PipelineWarning, type SectionKind } from '../types.js';
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

/** A run of tiles with its section. */
export interface LabelledSection {
  kind: SectionKind;
  /** False when the label could not be read and the section was inferred (it may start above the image). */
  labelRead: boolean;
  tiles: TileReading[];
}

/** Picks the section of a run of tiles whose label could not be read, from the sections its place allows. */
export type SectionGuess = (tiles: TileReading[], allowed: readonly SectionKind[]) => SectionKind;

/**
 * Labels each run of tiles with its section; a section shown twice in a row (stitched long screenshots) is
 * kept once. A label that cannot be read leaves the sections between the previous and the next readable
 * label; `guess` picks among them (by which one the tile names match), else the one after the previous.
 * (The top of a screenshot cut from a longer list starts inside a section whose label is above the cut.)
 */
export function labelSections(sections: SectionReading[], warnings: PipelineWarning[], guess?: SectionGuess): LabelledSection[] {
  const out: (LabelledSection & { reading: SectionReading })[] = [];
  const labelled = sections.map((section) => classifySectionLabel(section.label));
  for (const [index, section] of sections.entries()) {
    let kind = labelled[index] ?? null;
    const prev = out[out.length - 1];
    if (!kind) {
      const from = prev ? SECTION_KINDS.indexOf(prev.kind) + 1 : 0;
      const nextLabel = labelled.slice(index + 1).find((k) => k !== null);
      const to = nextLabel ? SECTION_KINDS.indexOf(nextLabel) : SECTION_KINDS.length;
      const allowed = SECTION_KINDS.slice(from, Math.max(from + 1, to));
      kind = allowed.length > 1 && guess ? guess(section.tiles, allowed) : (allowed[0] ?? 'sideDeck');
      warnings.push({
        code: 'UNKNOWN_SECTION',
        message:
          section.label === null
            ? `${section.tiles.length} tile(s) have no section label above them (it may be above the image); they were taken as ${kind}`
            : `a section label could not be read ("${section.label}"); its ${section.tiles.length} tile(s) were taken as ${kind}`,
      });
    }
    if (section.unread) {
      warnings.push({
        code: 'UNREAD_TILES',
        message: `the ${kind} section has ${section.unread} tile-coloured area(s) that could not be read as tiles; cards of ${kind} may be missing`,
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
    out.push({ kind, labelRead: labelled[index] !== null, reading: section, tiles: [...section.tiles] });
  }
  return out.map(({ kind, labelRead, tiles }) => ({ kind, labelRead, tiles }));
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

  // An unlabelled run of tiles is the allowed section its names match most often (ties: the earlier one).
  const guess: SectionGuess = (tiles, allowed) => {
    let best = allowed[0]!;
    let bestMatched = -1;
    for (const kind of allowed) {
      const matched = tiles.filter((tile) => matcher.matchCard(kind, tile.text).card !== null).length;
      if (matched > bestMatched) [best, bestMatched] = [kind, matched];
    }
    return best;
  };
  const labelled = labelSections(reading.sections, warnings, guess);
  // A section with neither a label nor a tile in the image was not seen: its cards are unknown, not none.
  for (const kind of SECTION_KINDS) {
    if (labelled.some((section) => section.kind === kind)) continue;
    warnings.push({
      code: 'SECTION_NOT_SEEN',
      message: `the ${kind} section was not seen in the image (cut off, or the layout missed it): its cards are unknown, not none`,
    });
  }
  // The chosen champion is the first tile under the main deck's label. Without that label in view, the
  // first main-deck tile seen may come from anywhere in the section (a screenshot cut from a longer one).
  // (A main deck below another section starts in view even when its label could not be read.)
  const mainDeckStartShown = labelled.some((s, i) => s.kind === 'mainDeck' && (s.labelRead || i > 0));
  for (const { kind, tiles } of labelled) {
    const byKey = new Map<string, DeckEntry>();
    for (const tile of tiles) {
      const matched = matcher.matchCard(kind, tile.text);
      const match = tile.withheld ? { ...matched, card: null, confidence: Math.min(matched.confidence, MATCH_THRESHOLD / 2) } : matched;
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
  const anyLabel = labelled.some((section) => section.labelRead);
  const matched = SECTION_KINDS.some((kind) => sections[kind].some((e) => e.card !== null));
  if (!anyLabel && !matched) {
    throw new PipelineError('NOT_A_DECKLIST', 'tile-like boxes were found, but no section label or card name could be read on them');
  }

  const metadata = parseMetadata(reading.header, warnings);
  const chosenChampion = mainDeckStartShown ? chosenChampionOf(sections.mainDeck) : null;
  const noCode = deckCodeProblem({ ...sections, chosenChampion });
  if (noCode !== null) warnings.push({ code: 'NO_DECK_CODE', message: noCode });
  const decklist: Omit<Decklist, 'validation'> = {
    metadata,
    ...sections,
    chosenChampion,
    warnings,
    image: options.image.original,
  };
  return { ...decklist, validation: validateDecklist(decklist, { sideDeckMax: options.sideDeckMax, mainDeckStartShown }) };
}
