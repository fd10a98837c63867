/**
 * Gives the Latin letters of a Chinese-model reading the case an English-model reading of the same line has.
 * The Chinese model reads a mixed line (`GOAT-版本t0`, `LeeSin`) with the right letters but often the wrong
 * case (`Leesin`, `X_YaSUO_X`); the English model gets the case right but makes junk of the hanzi. Each run
 * of letters is looked up, in order and ignoring case, in the English reading; where it is found, its
 * letters take that case. Letters are never added, removed or replaced, only their case changed.
 */
export function restoreLatinCase(chinese: string, english: string): string {
  // ASCII letters only, so indices in `lower` are indices in `english`.
  const lower = english.replace(/[A-Z]/g, (c) => c.toLowerCase());
  let cursor = 0;
  return chinese.replace(/[A-Za-z]+/g, (run) => {
    const at = lower.indexOf(run.toLowerCase(), cursor);
    if (at < 0) return run;
    cursor = at + run.length;
    return english.slice(at, at + run.length);
  });
}
