import { CJK, normalizeText } from '../text/normalize.js';
import { HEADER_DATE, headerLineRoles } from '../read/header-lines.js';
import type { HeaderReading } from '../read/read.js';
import type { DecklistMetadata, PipelineWarning } from '../types.js';

// Tesseract puts a space wherever the script changes (版本 t0); the app's own text has none there.
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])\\s+|\\s+(?=[${CJK}])`, 'g');
const SPACE_AROUND_DASH = /\s*([-–—·])\s*/g;

function tidy(text: string): string | null {
  const t = normalizeText(text).replace(SPACE_NEXT_TO_CJK, '').replace(SPACE_AROUND_DASH, '$1').trim();
  return t.length > 0 ? t : null;
}

/**
 * Interprets the header lines ({@link headerLineRoles}): the line with a date is the event line
 * (`event | date`), the line above it the deck name, the last line the player (lines between are the
 * domain icons).
 */
export function parseMetadata(header: HeaderReading, warnings: PipelineWarning[]): DecklistMetadata {
  const lines = header.lines.map((parts) => parts.join(' | '));
  const roles = headerLineRoles(lines);
  let date: string | null = null;
  let event: string | null = null;
  if (roles.event >= 0) {
    const line = lines[roles.event]!;
    const m = HEADER_DATE.exec(line)!;
    date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    // The event name ends at the divider before the clock icon and date.
    const before = line.slice(0, m.index);
    const divider = before.search(/[|｜丨]/);
    event = tidy(divider >= 0 ? before.slice(0, divider) : before);
  } else if (lines.length > 0) {
    warnings.push({ code: 'HEADER_UNREADABLE', message: 'the event and date line of the header could not be read' });
  } else {
    warnings.push({ code: 'HEADER_UNREADABLE', message: 'no header text was found above the decklist' });
  }
  const deckName = roles.deckName >= 0 ? tidy(lines[roles.deckName]!) : null;
  const player = roles.player >= 0 ? tidy(lines[roles.player]!) : null;

  const digits = header.placement?.replace(/\D/g, '') ?? '';
  const placement = digits ? Number(digits) : null;
  return { deckName, placement, event, date, player };
}
