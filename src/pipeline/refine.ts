import type { DecodedImage } from './decode.js';
import type { CardMatcher } from './match.js';
import { normalizeText } from './normalize.js';
import type { OcrMode, OcrReader } from './ocr-pool.js';
import { greyCrop } from './raster.js';
import type { DecklistReading, TileReading } from './read.js';
import { classifySectionLabel } from './sections.js';
import { SECTION_KINDS, type SectionKind, type TileText } from './types.js';

/**
 * The second look. Tesseract's reading of a glyph depends on the crop's size (`腕` read as `腋` at one
 * size, right at another), so a name that matched no card exactly is read again at other sizes; and its
 * line finder now and then sees no text in a short bold name (`魔腾` read as nothing at every size), so it
 * is read once more as a raw line, without layout analysis.
 */
const SECOND_LOOKS: { scale: number; mode: OcrMode }[] = [
  { scale: 1.25, mode: 'line' },
  { scale: 1.5, mode: 'line' },
  { scale: 0.75, mode: 'line' },
  { scale: 1, mode: 'raw-line' },
];

/** A tile whose best candidate is below this is read again. */
const EXACT = 0.999;

/**
 * Second look at the tiles whose text matched no card exactly: their lines are read again at other
 * sizes and as raw lines, and the reading whose best match scores highest is kept (the first reading wins ties). Exact
 * matches, the vast majority, cost nothing more.
 */
export async function rereadUnclearTiles(
  ocr: OcrReader,
  img: DecodedImage,
  reading: DecklistReading,
  matcher: CardMatcher,
): Promise<DecklistReading> {
  const scoreIn = (kind: SectionKind, text: TileText) => matcher.matchCard(kind, text).candidates[0]?.score ?? 0;
  const sections = await Promise.all(
    reading.sections.map(async (section) => {
      // Only candidate restriction depends on the section here. A run without a readable label may be any
      // section (assembly picks one from its names): score it against them all.
      const kind = classifySectionLabel(section.label);
      const bestScore = (text: TileText) => (kind ? scoreIn(kind, text) : Math.max(...SECTION_KINDS.map((k) => scoreIn(k, text))));
      const tiles = await Promise.all(
        section.tiles.map(async (tile): Promise<TileReading> => {
          const first = bestScore(tile.text);
          if (first >= EXACT || tile.lines.length === 0) return tile;
          const alternatives = await Promise.all(
            SECOND_LOOKS.map(async ({ scale, mode }): Promise<TileText> => {
              const [name, subtitle] = await Promise.all(
                tile.lines.map((box) => ocr.recognize({ image: greyCrop(img, box, { pad: 12, scale }), model: 'chi_sim', mode, purpose: 'second-look' })),
              );
              return {
                name: normalizeText(name?.text ?? ''),
                subtitle: subtitle ? normalizeText(subtitle.text) || null : null,
                badge: tile.text.badge,
              };
            }),
          );
          let best = tile;
          let score = first;
          for (const text of alternatives) {
            const s = bestScore(text);
            if (s > score) {
              score = s;
              best = { ...tile, text };
            }
          }
          return best;
        }),
      );
      return { ...section, tiles };
    }),
  );
  return { ...reading, sections };
}
