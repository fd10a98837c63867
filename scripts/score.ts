import type { Decklist, SectionKind } from '../src/pipeline/types.js';
import { SECTION_KINDS } from '../src/pipeline/types.js';
import type { Fixture } from './fixtures.js';

/** A per-key count: `section|Chinese name of the matched card` (unmatched entries get a key of their own). */
function counts(entries: [SectionKind, string, number][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const [s, name, q] of entries) m.set(`${s}|${name}`, (m.get(`${s}|${name}`) ?? 0) + q);
  return m;
}

/** Header text as the scoring rule compares it: NFKC, without whitespace. */
export const squash = (s: unknown) =>
  String(s ?? '')
    .normalize('NFKC')
    .replace(/\s+/g, '');

export interface Score {
  /** Σ min(true, predicted) / Σ max(true, predicted) over (section, card) keys. */
  cards: number;
  /** Share of the five metadata fields equal after NFKC and whitespace removal. */
  metadata: number;
  /** Human-readable differences. */
  diffs: string[];
}

/** Scores a prediction with the rule in ../shared/README.md. */
export function scoreDecklist(deck: Decklist, label: Fixture['label']): Score {
  const truth = counts(SECTION_KINDS.flatMap((s) => label.sections[s].map((e) => [s, e.nameCn, e.quantity] as [SectionKind, string, number])));
  const predicted = counts(
    SECTION_KINDS.flatMap((s) => deck[s].map((e) => [s, e.card ? e.card.nameCn : `UNMATCHED:${e.nameCn}`, e.quantity] as [SectionKind, string, number])),
  );
  let min = 0;
  let max = 0;
  const diffs: string[] = [];
  for (const key of new Set([...truth.keys(), ...predicted.keys()])) {
    const t = truth.get(key) ?? 0;
    const p = predicted.get(key) ?? 0;
    min += Math.min(t, p);
    max += Math.max(t, p);
    if (t !== p) diffs.push(`${key}: true ${t}, predicted ${p}`);
  }
  const fields = ['deckName', 'placement', 'event', 'date', 'player'] as const;
  let same = 0;
  for (const f of fields) {
    if (squash(deck.metadata[f]) === squash(label.metadata[f])) same++;
    else diffs.push(`metadata.${f}: true "${label.metadata[f]}", predicted "${deck.metadata[f]}"`);
  }
  return { cards: max === 0 ? 1 : min / max, metadata: same / fields.length, diffs };
}
