/** The cost of substituting `b` by `a` (0 when equal, at most 1: an insertion or deletion costs 1). */
export type SubstitutionCost = (a: string, b: string) => number;

const unitCost: SubstitutionCost = (a, b) => (a === b ? 0 : 1);

/**
 * Edit distance over Unicode code points (not UTF-16 units), so one hanzi counts as one edit whatever its
 * encoding, and a similarity in [0,1] built on it.
 */
export function editDistance(a: string, b: string, substitutionCost: SubstitutionCost = unitCost): number {
  return distance([...a], [...b], substitutionCost);
}

function distance(x: readonly string[], y: readonly string[], substitutionCost: SubstitutionCost): number {
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  // Two rows reused across calls: the matcher runs this against every card for every tile read.
  if (rowA.length <= y.length) {
    rowA = new Float64Array(y.length * 2 + 2);
    rowB = new Float64Array(y.length * 2 + 2);
  }
  let prev = rowA;
  let curr = rowB;
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    curr[0] = i;
    const xi = x[i - 1]!;
    for (let j = 1; j <= y.length; j++) {
      const yj = y[j - 1]!;
      const diagonal = prev[j - 1]! + (xi === yj ? 0 : substitutionCost(xi, yj));
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, diagonal);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[y.length]!;
}

let rowA = new Float64Array(32);
let rowB = new Float64Array(32);

/** 1 − distance / longer length: 1 for equal strings, 0 for nothing in common. */
export function similarity(a: string, b: string, substitutionCost: SubstitutionCost = unitCost): number {
  // Code points split once: this runs against every card for every tile read.
  const x = [...a];
  const y = [...b];
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 1;
  return 1 - distance(x, y, substitutionCost) / longest;
}
