import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/env.js';
import type { SectionKind } from '../src/pipeline/types.js';

/** Labelled screenshots in ../shared/fixtures/decklists (format in ../shared/README.md). */
export const FIXTURES_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'fixtures', 'decklists');

export interface LabelEntry {
  nameCn: string;
  subtitleCn: string | null;
  quantity: number;
  cardNumber: string;
  nameEn: string;
}

export interface Fixture {
  name: string;
  imagePath: string;
  label: {
    metadata: { deckName: string; placement: number; event: string; date: string; player: string };
    sections: Record<SectionKind, LabelEntry[]>;
    totals: Record<SectionKind, number>;
  };
}

/** Every labelled screenshot, sorted by name. */
export function loadFixtures(dir = FIXTURES_DIR): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const label = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
      return { name: f.replace(/\.json$/, ''), imagePath: path.join(dir, label.image), label };
    });
}
