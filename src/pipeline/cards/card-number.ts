/**
 * Card numbers in the forms the sets print them, and the rule that picks a card's base printing among its
 * printings. No list of sets is assumed: a set code is any 2–4 letters, and a set this file does not know
 * ranks after the known ones (in the order the database first lists it).
 */

/** A card number taken apart: `SFD·195a/221·P` → set SFD, number 195, variant `a`, total 221, promo P. */
export interface CardNumber {
  /** Set code, upper case: `OGN`, `SFD`, `UNL`, `VEN`, … */
  set: string;
  /** Letters before the digits: `R` for a rune (`SFD·R01`), `SP` for a special printing (`VEN·SP1`), else ''. */
  prefix: string;
  /** The digits as printed (`012`, `R01`'s `01`), so a code keeps its width. */
  digits: string;
  number: number;
  /** Variant suffix: '' for the base art, `a`/`b` for alternate art, `*` for the signed/overnumbered one. */
  variant: string;
  /** The set total after `/`, or null where the set prints none (`VEN·001`). */
  total: number | null;
  /** A promo marker after the number (`·P`), or ''. */
  promo: string;
}

const CARD_NUMBER = /^([A-Z]{2,4})\s*[·\-.]\s*([A-Z]{0,2})(\d{1,4})([a-z]?\*?)(?:\s*\/\s*(\d+))?(?:\s*[·\-.]\s*([A-Z]{1,3}))?$/i;

/** Parses any printed form (`OGN·007a/298`, `UNL-001/219`, `VEN·001`, `SFD·R01b`, `VEN·SP1`, `SFD·195a/221·P`, `OGN-007`). */
export function parseCardNumber(cardNumber: string): CardNumber | null {
  const m = CARD_NUMBER.exec(cardNumber.trim());
  if (!m) return null;
  return {
    set: m[1]!.toUpperCase(),
    prefix: m[2]!.toUpperCase(),
    digits: m[3]!,
    number: Number(m[3]),
    variant: m[4]!.toLowerCase(),
    total: m[5] ? Number(m[5]) : null,
    promo: (m[6] ?? '').toUpperCase(),
  };
}

/**
 * The code deck builders and deck codes use: `OGN·007a/298` → `OGN-007a`, `SFD·R01` → `SFD-R01`,
 * `VEN·SP1` → `VEN-SP1`; a promo keeps its marker (`SFD-195a-P`) so it stays apart from the retail printing.
 * Plain numbers are written with at least three digits (`OGN-7` → `OGN-007`).
 */
export function cardCode(cardNumber: string): string {
  const p = parseCardNumber(cardNumber);
  if (!p) return cardNumber.trim();
  const digits = p.prefix ? p.digits : p.digits.padStart(3, '0');
  return `${p.set}-${p.prefix}${digits}${p.variant}${p.promo ? `-${p.promo}` : ''}`;
}

/**
 * Sets in the order they were released; the first printing of a card reprinted later (runes, the Poro
 * units, champions reprinted in Vendetta) is its base printing. A set missing here ranks after these, in
 * the order the database first lists it, so a new set needs no code change to load and read.
 * (ARC and FND rows are placeholders marked `temporary`, which rank after every real row anyway.)
 */
export const SET_RELEASE_ORDER: readonly string[] = ['OGN', 'OGS', 'SFD', 'UNL', 'VEN'];

/** What the base-printing rule needs of a printing. */
export interface Printing {
  cardNumber: string;
  temporary: boolean;
}

/**
 * Orders the printings of one card so its base printing comes first. The rule, in order:
 * 1. real rows before placeholders (`temporary`);
 * 2. the earliest set ({@link SET_RELEASE_ORDER}, then unknown sets in database order): a reprint keeps its
 *    first printing, as deck builders list it;
 * 3. retail before promo (`·P`);
 * 4. base art before variants (`a`, `b`, `*`);
 * 5. numbered within the set before overnumbered (`310/298`), plain numbers before prefixed ones (`SP1`);
 * 6. the lower number.
 * A list screenshot shows only names, so it cannot show which printing a player holds: the base printing is
 * the match and the others are kept as alternatives.
 */
export function basePrintingComparator(setsInDatabaseOrder: readonly string[]): (a: Printing, b: Printing) => number {
  const setRank = (set: string): number => {
    const known = SET_RELEASE_ORDER.indexOf(set);
    if (known >= 0) return known;
    const listed = setsInDatabaseOrder.indexOf(set);
    return SET_RELEASE_ORDER.length + (listed >= 0 ? listed : setsInDatabaseOrder.length);
  };
  const rank = (row: Printing): number[] => {
    const p = parseCardNumber(row.cardNumber);
    const temporary = row.temporary ? 1 : 0;
    if (!p) return [temporary, Number.MAX_SAFE_INTEGER, 1, 1, 1, Number.MAX_SAFE_INTEGER];
    const over = p.total !== null && p.number > p.total ? 1 : 0;
    const special = p.prefix && p.prefix !== 'R' ? 1 : 0;
    return [temporary, setRank(p.set), p.promo ? 1 : 0, p.variant ? 1 : 0, over + special, p.number];
  };
  return (a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) {
      const d = ra[i]! - rb[i]!;
      if (d !== 0) return d;
    }
    return 0;
  };
}
