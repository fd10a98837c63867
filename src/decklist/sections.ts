import { hanOnly } from '../pipeline/text/normalize.js';
import { similarity } from '../pipeline/text/similarity.js';
import { SECTION_KINDS, type SectionKind } from '../pipeline/types.js';

/** The label the mini-program prints above each section. */
const SECTION_LABELS: Record<SectionKind, string> = {
  legend: '传奇牌',
  mainDeck: '主牌组',
  battlefields: '战场牌',
  runes: '符文牌',
  sideDeck: '备牌',
};

/** Which section a label names, or null when it is unreadable. */
export function classifySectionLabel(label: string | null): SectionKind | null {
  const text = hanOnly(label ?? '');
  if (!text) return null;
  let best: SectionKind | null = null;
  let bestScore = 0;
  for (const kind of SECTION_KINDS) {
    const s = similarity(text, SECTION_LABELS[kind]);
    if (s > bestScore) {
      bestScore = s;
      best = kind;
    }
  }
  return bestScore >= 0.5 ? best : null;
}
