import type { SectionKind } from '../types.js';

/** Types that are a section of their own; every other type (units, spells, gear, signatures, …) is a deck card. */
const SECTION_OF_TYPE: Readonly<Record<string, SectionKind>> = {
  Legend: 'legend',
  Battlefield: 'battlefields',
  'Basic Rune': 'runes',
};

/** Types never listed in a decklist (created during play). */
const NEVER_LISTED = new Set(['Token Unit']);

/**
 * Whether a card of these types may be listed in a section. Types a new set adds (Signature Gear came with
 * Spiritforged) are deck cards unless they are one of the section types, so they are read without a code change.
 */
export function allowedInSection(types: readonly string[], section: SectionKind): boolean {
  if (types.length === 0 || types.some((t) => NEVER_LISTED.has(t))) return false;
  const own = types.map((t) => SECTION_OF_TYPE[t]).filter((s): s is SectionKind => s !== undefined);
  if (own.length > 0) return own.includes(section);
  return section === 'mainDeck' || section === 'sideDeck';
}
