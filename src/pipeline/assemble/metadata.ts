import { CJK, normalizeText } from '../text/normalize.js';
import type { HeaderReading } from '../read/read.js';
import type { DecklistMetadata, PipelineWarning } from '../types.js';

const DATE = /(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})/;
// Tesseract puts a space wherever the script changes (版本 t0); the app's own text has none there.
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])\\s+|\\s+(?=[${CJK}])`, 'g');
const SPACE_AROUND_DASH = /\s*([-–—·])\s*/g;

function tidy(text: string): string | null {
  const t = normalizeText(text).replace(SPACE_NEXT_TO_CJK, '').replace(SPACE_AROUND_DASH, '$1').trim();
  return t.length > 0 ? t : null;
}

/**
 * Interprets the header lines: the line with a date is the event line (`event | date`), the line above it
 * the deck name, the last line the player (lines between are the domain icons).
 */
export function parseMetadata(header: HeaderReading, warnings: PipelineWarning[]): DecklistMetadata {
  const lines = header.lines.map((parts) => parts.join(' | '));
  const eventIndex = lines.findIndex((l) => DATE.test(l));
  let date: string | null = null;
  let event: string | null = null;
  let deckName: string | null = null;
  let player: string | null = null;

  if (eventIndex >= 0) {
    const line = lines[eventIndex]!;
    const m = DATE.exec(line)!;
    date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    // The event name ends at the divider before the clock icon and date.
    const before = line.slice(0, m.index);
    const divider = before.search(/[|｜丨]/);
    event = tidy(divider >= 0 ? before.slice(0, divider) : before);
    deckName = eventIndex > 0 ? tidy(lines[eventIndex - 1]!) : null;
    player = lines.length - 1 > eventIndex ? tidy(lines[lines.length - 1]!) : null;
  } else if (lines.length > 0) {
    // No event line read: the first line is still the deck name, and the last (beside the avatar) the player.
    deckName = tidy(lines[0]!);
    player = lines.length > 1 ? tidy(lines[lines.length - 1]!) : null;
    warnings.push({ code: 'HEADER_UNREADABLE', message: 'the event and date line of the header could not be read' });
  } else {
    warnings.push({ code: 'HEADER_UNREADABLE', message: 'no header text was found above the decklist' });
  }

  const digits = header.placement?.replace(/\D/g, '') ?? '';
  const placement = digits ? Number(digits) : null;
  return { deckName, placement, event, date, player };
}
