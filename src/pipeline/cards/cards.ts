import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Card } from '../types.js';
import { basePrintingComparator, cardCode, parseCardNumber } from './card-number.js';
import { normalizeName } from '../text/normalize.js';
import { SetupError } from '../../setup-error.js';

export { cardCode, parseCardNumber } from './card-number.js';

/** One printing as the CSV has it. */
export interface CardRow {
  nameCn: string;
  nameEn: string;
  cardNumber: string;
  /** English types: one, or two for a card that is both (`Unit|Gear` in the file). */
  types: string[];
  domains: string[];
  cost: number | null;
  rarityEn: string;
  imageUrlEn: string | null;
  temporary: boolean;
}

/** The card database: every distinct card (by Chinese name) resolved to its base printing. */
export interface CardDatabase {
  /** Distinct cards, one per Chinese name, in database order. */
  readonly cards: readonly Card[];
  /** Printings read from the file (alternate printings included). */
  readonly printings: number;
  /** Set codes of the printings, in the order the file first lists them. */
  readonly sets: readonly string[];
  /** The card with this card number (`OGN·007/298`, `OGN-007`, any printing), if any. */
  byCardNumber(cardNumber: string): Card | undefined;
  /** The card with exactly this Chinese name (after normalisation), if any. */
  byNameCn(nameCn: string): Card | undefined;
}

const REQUIRED_COLUMNS = ['name_cn', 'name_en', 'card_number', 'type_en', 'domain_en'] as const;

function toRow(record: Record<string, string>): CardRow {
  const cost = record.cost?.trim() ?? '';
  const domains = (record.domain_en ?? '')
    .split('|')
    .map((d) => d.trim())
    .filter(Boolean);
  return {
    nameCn: (record.name_cn ?? '').trim(),
    nameEn: (record.name_en ?? '').trim(),
    cardNumber: (record.card_number ?? '').trim(),
    types: (record.type_en ?? '')
      .split('|')
      .map((t) => t.trim())
      .filter(Boolean),
    domains,
    cost: cost !== '' && Number.isFinite(Number(cost)) ? Number(cost) : null,
    rarityEn: (record.rarity_en ?? '').trim(),
    imageUrlEn: record.image_url_en?.trim() || null,
    temporary: (record.temporary ?? '').trim().toUpperCase() === 'YES',
  };
}

/** Builds the database from CSV text (header row required). Throws on a file without the needed columns. */
export function parseCardDatabase(csv: string | Buffer): CardDatabase {
  const records = parse(csv, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<string, string>[];
  if (records.length === 0) throw new Error('card database is empty');
  const missing = REQUIRED_COLUMNS.filter((c) => !(c in records[0]!));
  if (missing.length > 0) throw new Error(`card database lacks column(s): ${missing.join(', ')}`);

  const byName = new Map<string, CardRow[]>();
  const sets: string[] = [];
  // Printings of one card share a Chinese name; compare names in canonical form, keep the database's text.
  for (const row of records.map(toRow)) {
    if (!row.nameCn || !row.cardNumber) continue;
    const set = parseCardNumber(row.cardNumber)?.set;
    if (set && !sets.includes(set)) sets.push(set);
    const key = normalizeName(row.nameCn);
    const list = byName.get(key) ?? [];
    list.push(row);
    byName.set(key, list);
  }

  const cards: Card[] = [];
  const numberIndex = new Map<string, Card>();
  const nameIndex = new Map<string, Card>();
  let printings = 0;
  const basePrintingOrder = basePrintingComparator(sets);
  for (const [nameKey, rows] of byName) {
    printings += rows.length;
    const sorted = [...rows].sort(basePrintingOrder);
    const base = sorted[0]!;
    const card: Card = {
      cardNumber: base.cardNumber,
      code: cardCode(base.cardNumber),
      nameCn: base.nameCn,
      nameEn: base.nameEn,
      type: base.types.join(' / '),
      types: base.types,
      domains: base.domains,
      cost: base.cost,
      rarity: base.rarityEn,
      imageUrl: base.imageUrlEn ?? sorted.find((r) => r.imageUrlEn)?.imageUrlEn ?? null,
      altCardNumbers: sorted.slice(1).map((r) => r.cardNumber),
    };
    cards.push(card);
    nameIndex.set(nameKey, card);
    for (const r of rows) {
      numberIndex.set(r.cardNumber.toUpperCase(), card);
      numberIndex.set(cardCode(r.cardNumber).toUpperCase(), card);
    }
  }

  return {
    cards,
    printings,
    sets,
    byCardNumber(cardNumber) {
      const key = cardNumber.trim().toUpperCase();
      return numberIndex.get(key) ?? numberIndex.get(cardCode(cardNumber).toUpperCase());
    },
    byNameCn(nameCn) {
      return nameIndex.get(normalizeName(nameCn));
    },
  };
}

const CARDS_FIX =
  'set CARDS_PATH to the card database CSV (default: ../shared/riftbound/cards-all.csv beside the project; in the Docker image, mount it at /data/cards-all.csv)';

/**
 * Loads the card database from a CSV file. A file that is missing, unreadable or not a card database is a
 * {@link SetupError} naming the file and `CARDS_PATH`.
 */
export async function loadCardDatabase(path: string): Promise<CardDatabase> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    throw new SetupError(`cannot read the card database ${path} (${reason})`, { setting: 'CARDS_PATH', fix: CARDS_FIX }, { cause: error });
  }
  try {
    return parseCardDatabase(text);
  } catch (error) {
    throw new SetupError(`${path} is not a card database: ${(error as Error).message}`, { setting: 'CARDS_PATH', fix: CARDS_FIX }, { cause: error });
  }
}
