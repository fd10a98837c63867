/**
 * The data the OCR pipeline produces. These field names are a contract: the CLI's JSON output and the
 * GraphQL types use the same ones.
 */

/** The five sections of a decklist, in the order the mini-program shows them. */
export const SECTION_KINDS = ['legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** The stages one image goes through, reported as progress. */
export const PIPELINE_STAGES = ['DECODING', 'LAYOUT', 'READING', 'MATCHING'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** An axis-aligned pixel box in the coordinates of the submitted image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One card of the database, resolved to its base printing. */
export interface Card {
  /** As printed in the database, e.g. `OGN·007/298`. */
  cardNumber: string;
  /** The code deck builders use, e.g. `OGN-007` (`OGN-007a` for a variant). */
  code: string;
  nameCn: string;
  nameEn: string;
  /**
   * English type: Legend, Champion Unit, Unit, Spell, Gear, Battlefield, Basic Rune, Signature Unit/Spell/Gear,
   * ...; a card of two types reads `Unit / Gear`.
   */
  type: string;
  /** The same type(s) as a list: `['Unit', 'Gear']` for a card of two types, else one. */
  types: string[];
  /** English domains, one or two (`Fury`, `Chaos`). */
  domains: string[];
  cost: number | null;
  rarity: string;
  /** English card image, or null where the database has none. */
  imageUrl: string | null;
  /** Other printings of the same card (same Chinese name), e.g. `OGN·007a/298`. */
  altCardNumbers: string[];
}

/** A card the matcher considered, with its similarity score in [0,1]. */
export interface Candidate {
  card: Card;
  score: number;
}

/** The raw text OCR read from one tile. */
export interface TileText {
  /** First line: the card name (a champion's name, a legend's title). */
  name: string;
  /** Second line: a champion's title or a legend's subtitle; null when the tile has one line. */
  subtitle: string | null;
  /** The quantity badge as read (`x3`), or null when there is none (quantity 1). */
  badge: string | null;
}

/** One card of a section: every tile of that card added up. */
export interface DeckEntry {
  /** The matched card's Chinese name, or the text OCR read when unmatched. */
  nameCn: string;
  /** The English name, or null when unmatched. */
  nameEn: string | null;
  quantity: number;
  /** How sure the match is, in [0,1]; below the threshold the entry is unmatched. */
  confidence: number;
  /** The matched card, or null when no card of the database is close enough. */
  card: Card | null;
  /** The best candidates the matcher considered, best first (helps a person fix an unmatched entry). */
  candidates: Candidate[];
  /** What OCR read, one per tile this entry was built from. */
  ocrText: TileText[];
  /** The tiles' pixel boxes, one per tile. */
  tiles: Box[];
}

export interface DecklistMetadata {
  deckName: string | null;
  /** The number on the placement badge (1 = winner), or null when not shown or unreadable. */
  placement: number | null;
  event: string | null;
  /** YYYY-MM-DD */
  date: string | null;
  player: string | null;
}

export const VALIDATION_PROBLEM_CODES = [
  'LEGEND_COUNT',
  'MAIN_DECK_COUNT',
  'RUNE_COUNT',
  'BATTLEFIELD_COUNT',
  'BATTLEFIELD_DUPLICATE',
  'SIDE_DECK_COUNT',
  'TOO_MANY_COPIES',
  'UNMATCHED_CARDS',
  'MISSING_SECTION',
  'CHOSEN_CHAMPION',
] as const;
export type ValidationProblemCode = (typeof VALIDATION_PROBLEM_CODES)[number];

/** A rule of deck construction the decklist breaks, or something that could not be checked. */
export interface ValidationProblem {
  code: ValidationProblemCode;
  section: SectionKind | null;
  message: string;
}

export interface Validation {
  valid: boolean;
  problems: ValidationProblem[];
}

export const WARNING_CODES = [
  /** A section shown twice in a row (stitched screenshot) was counted once. */
  'DUPLICATE_SECTION',
  /** A section label could not be read; its tiles were given the next section in order. */
  'UNKNOWN_SECTION',
  /** A tile's quantity badge could not be read. */
  'UNREADABLE_TILE',
  /** A row of tiles is cut off by the image's bottom edge and was not read. */
  'CUT_OFF_TILES',
  /**
   * The layout saw tile-coloured areas in a section that it could not read as tiles (rows run together,
   * e.g. a tilt it could not undo): the message names the section; its cards may be incomplete.
   */
  'UNREAD_TILES',
  /**
   * A section showed neither its label nor a tile in the image (cut off, or the layout missed it): the
   * message names it; its list in the decklist is unknown, not empty.
   */
  'SECTION_NOT_SEEN',
  /** Header fields could not be found. */
  'HEADER_UNREADABLE',
  /**
   * No Piltover Archive deck code can be made; the message says why (an unmatched entry, or a card of a set
   * the deck-code format does not encode yet).
   */
  'NO_DECK_CODE',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** Something the pipeline noticed and corrected or could not be sure of; never silent. */
export interface PipelineWarning {
  code: WarningCode;
  message: string;
}

export interface Decklist {
  metadata: DecklistMetadata;
  legend: DeckEntry[];
  mainDeck: DeckEntry[];
  battlefields: DeckEntry[];
  runes: DeckEntry[];
  sideDeck: DeckEntry[];
  /** The chosen champion: the card of the main deck's first tile when it is a champion unit, else null. */
  chosenChampion: Card | null;
  validation: Validation;
  warnings: PipelineWarning[];
  /** Size of the submitted image in pixels. */
  image: { width: number; height: number; format: ImageFormat };
}

/** Image formats the pipeline reads (the GraphQL enum `ImageFormat` takes its values from here). */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
