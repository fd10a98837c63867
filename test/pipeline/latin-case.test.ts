import { describe, expect, it } from 'vitest';
import { restoreLatinCase } from '../../src/pipeline/read/latin-case.js';

describe('restoreLatinCase', () => {
  it("takes each letter run's case from the English reading, in order", () => {
    expect(restoreLatinCase('Leesin', 'LeeSin')).toBe('LeeSin');
    expect(restoreLatinCase('X_YaSUO_X', 'x_Yasuo_x')).toBe('x_Yasuo_x');
    expect(restoreLatinCase('GOAT-版本T0', 'GOAT-Hit tO')).toBe('GOAT-版本t0');
  });

  it('never changes a letter, only its case; runs the English reading lacks stay as they are', () => {
    expect(restoreLatinCase('Boss腕豪', 'B0ss fi')).toBe('Boss腕豪');
    expect(restoreLatinCase('剑圣', 'ZZ')).toBe('剑圣');
    // In order: once a run is found, the next is looked for after it.
    expect(restoreLatinCase('abc def', 'DEF ABC')).toBe('ABC def');
  });
});
