import { describe, expect, it } from 'vitest';
import { DEFAULT_CARDS_PATH } from '../../src/config.js';
import { cardCode, loadCardDatabase, parseCardDatabase } from '../../src/pipeline/cards.js';

const db = await loadCardDatabase(DEFAULT_CARDS_PATH);

describe('card database', () => {
  it('loads every distinct card of ../shared/riftbound/cards.csv', () => {
    expect(db.printings).toBe(399);
    expect(db.cards.length).toBeGreaterThan(300);
    expect(new Set(db.cards.map((c) => c.nameCn)).size).toBe(db.cards.length);
  });

  it('resolves a name to its base printing and keeps the others as alternatives', () => {
    const boss = db.byNameCn('腕豪')!;
    expect(boss.cardNumber).toBe('OGN·269/298');
    expect(boss.nameEn).toBe('The Boss');
    expect(boss.altCardNumbers.sort()).toEqual(['OGN·310*/298', 'OGN·310/298']);
    expect(db.byNameCn('瑟提，魁首')!.altCardNumbers).toEqual(['OGN·240a/298']);
  });

  it('keeps the database text of a name (curly quotes included)', () => {
    expect(db.cards.some((c) => c.nameCn === '“敲”诈')).toBe(true);
  });

  it('finds a card by printed number or by deck code', () => {
    expect(db.byCardNumber('OGN·240a/298')!.nameEn).toBe('Sett, Kingpin');
    expect(db.byCardNumber('OGN-240')!.nameEn).toBe('Sett, Kingpin');
    expect(db.byCardNumber('XYZ-999')).toBeUndefined();
  });

  it('splits English domains', () => {
    const c = db.cards.find((x) => x.domains.length === 2)!;
    expect(c.domains.every((d) => /^[A-Z][a-z]+$/.test(d))).toBe(true);
  });

  it('rejects a file without the needed columns', () => {
    expect(() => parseCardDatabase('a,b\n1,2\n')).toThrow(/lacks column/);
  });
});

describe('cardCode', () => {
  it('writes the code deck builders use', () => {
    expect(cardCode('OGN·007/298')).toBe('OGN-007');
    expect(cardCode('OGN·007a/298')).toBe('OGN-007a');
    expect(cardCode('FND-196/298')).toBe('FND-196');
  });
});
