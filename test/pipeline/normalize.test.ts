import { describe, expect, it } from 'vitest';
import { hanOnly, normalizeName, normalizeText } from '../../src/pipeline/text/normalize.js';
import { editDistance, similarity } from '../../src/pipeline/text/similarity.js';

describe('normalizeText', () => {
  it('removes the spaces tesseract puts between hanzi and folds full-width forms', () => {
    expect(normalizeText('竞 技 场 新 人')).toBe('竞技场新人');
    expect(normalizeText('ＧＯＡＴ－版本')).toBe('GOAT-版本');
    expect(normalizeText('“敲”诈')).toBe('"敲"诈');
  });
});

describe('normalizeName', () => {
  it('writes the champion separator as ", " whatever comma was used', () => {
    expect(normalizeName('易，锋芒毕现')).toBe('易, 锋芒毕现');
    expect(normalizeName('易 ,锋芒毕现')).toBe('易, 锋芒毕现');
  });
});

describe('hanOnly', () => {
  it('keeps only ideographs', () => expect(hanOnly('x3 瑟提 |')).toBe('瑟提'));
});

describe('editDistance / similarity', () => {
  it('counts one hanzi as one edit', () => {
    expect(editDistance('雷玫之纹', '雷霆之纹')).toBe(1);
    expect(similarity('雷玫之纹', '雷霆之纹')).toBeCloseTo(0.75);
  });
  it('handles characters outside the BMP as one code point', () => {
    expect(editDistance('𠀀a', 'a')).toBe(1);
  });
  it('is 1 for equal and 0 for disjoint strings', () => {
    expect(similarity('蔑视', '蔑视')).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
  });
});
