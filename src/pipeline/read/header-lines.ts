/**
 * Which header lines carry which field. The header shows the deck name, then `event | date`, then a row
 * of domain icons, then the player beside an avatar; the line with a date is the event line, the one above
 * it the deck name, the last one the player. Shared by the reader (which reads only those lines with care)
 * and the metadata parser.
 */

/** A date as the app writes it (2025-09-13), or as OCR or another locale may give it. */
export const HEADER_DATE = /(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})/;

/** Where the fields are among the header's lines (each line's parts joined with ` | `). */
export interface HeaderLineRoles {
  /** The event and date line, or -1 when no line shows a date. */
  event: number;
  /** The deck name's line, or -1. */
  deckName: number;
  /** The player's line, or -1. */
  player: number;
}

export function headerLineRoles(lines: string[]): HeaderLineRoles {
  const event = lines.findIndex((l) => HEADER_DATE.test(l));
  if (event >= 0) return { event, deckName: event - 1, player: lines.length - 1 > event ? lines.length - 1 : -1 };
  // No event line read: the first line is still the deck name, and the last (beside the avatar) the player.
  return { event: -1, deckName: lines.length > 0 ? 0 : -1, player: lines.length > 1 ? lines.length - 1 : -1 };
}
