import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { basePrintingComparator, parseCardNumber, SET_RELEASE_ORDER } from '../../src/pipeline/cards/card-number.js';
import { allowedInSection } from '../../src/pipeline/cards/card-types.js';
import { cardCode, loadCardDatabase, parseCardDatabase } from '../../src/pipeline/cards/cards.js';
import { normalizeName } from '../../src/pipeline/text/normalize.js';

const db = await loadCardDatabase(DEFAULT_CARDS_PATH);
// The file as a plain CSV reader sees it, to check the database against.
const rows = parse(readFileSync(DEFAULT_CARDS_PATH), { columns: true, bom: true }) as Record<string, string>[];

describe('card database (every released set)', () => {
  it('is cards-all.csv by default and loads every printing and every distinct card of it', () => {
    expect(path.basename(DEFAULT_CARDS_PATH)).toBe('cards-all.csv');
    expect(db.printings).toBe(rows.length);
    expect(db.cards.length).toBe(new Set(rows.map((r) => normalizeName(r.name_cn!))).size);
    expect(new Set(db.cards.map((c) => c.nameCn)).size).toBe(db.cards.length);
  });

  it('parses the card number of every printing, in every set', () => {
    expect(rows.filter((r) => parseCardNumber(r.card_number!) === null).map((r) => r.card_number)).toEqual([]);
    // Every set of the file is known to the database, whatever it is called.
    expect([...db.sets].sort()).toEqual([...new Set(rows.map((r) => /^[A-Z]+/.exec(r.card_number!)![0]))].sort());
    // Every printing finds its card by printed number and by code.
    for (const r of rows) {
      expect(db.byCardNumber(r.card_number!)?.nameCn, r.card_number).toBe(db.byNameCn(r.name_cn!)?.nameCn);
      expect(db.byCardNumber(cardCode(r.card_number!))?.nameCn, cardCode(r.card_number!)).toBe(db.byNameCn(r.name_cn!)?.nameCn);
    }
  });

  it('resolves a name to its base printing and keeps the others as alternatives', () => {
    const boss = db.byNameCn('腕豪')!;
    expect(boss.cardNumber).toBe('OGN·269/298');
    expect(boss.nameEn).toBe('The Boss');
    expect(boss.altCardNumbers.sort()).toEqual(['OGN·310*/298', 'OGN·310/298']);
    expect(db.byNameCn('瑟提，魁首')!.altCardNumbers).toEqual(['OGN·240a/298']);
  });

  it('keeps the first printing of a card reprinted in a later set (runes included)', () => {
    const rune = db.byNameCn('炽烈符文')!;
    expect(rune.cardNumber).toBe('OGN·007/298');
    expect(rune.altCardNumbers).toEqual(expect.arrayContaining(['UNL-R01', 'SFD·R01', 'SFD·R01b', 'VEN·R01a']));
    // Printed in OGN, reprinted in SFD as an overnumbered card and in VEN.
    expect(db.byNameCn('阿狸, 天真绮梦')!.cardNumber).toBe('OGN·119/298');
    expect(db.byNameCn('阿狸, 天真绮梦')!.altCardNumbers).toEqual(expect.arrayContaining(['SFD·227/221', 'VEN·SP3']));
    // A Poro first printed in SFD keeps SFD, not its overnumbered UNL reprint.
    expect(db.byNameCn('哀哀魄罗')!.cardNumber).toBe('SFD·036/221');
    // A card of a later set only, with its own form of number.
    expect(db.byCardNumber('VEN-001')?.cardNumber).toBe('VEN·001');
  });

  it('orders printings by the documented rule', () => {
    const order = basePrintingComparator(['OGN', 'ZZZ', 'YYY']);
    const sorted = (numbers: string[], temporary: string[] = []) =>
      numbers
        .map((cardNumber) => ({ cardNumber, temporary: temporary.includes(cardNumber) }))
        .sort(order)
        .map((p) => p.cardNumber);
    expect(sorted(['VEN·R01', 'SFD·R01', 'UNL-R01', 'OGN·007a/298', 'OGN·007/298'])).toEqual(['OGN·007/298', 'OGN·007a/298', 'SFD·R01', 'UNL-R01', 'VEN·R01']);
    expect(sorted(['SFD·195a/221·P', 'SFD·195/221', 'SFD·223*/221', 'SFD·240/221'])).toEqual(['SFD·195/221', 'SFD·240/221', 'SFD·223*/221', 'SFD·195a/221·P']);
    expect(sorted(['VEN·SP1', 'VEN·020'])).toEqual(['VEN·020', 'VEN·SP1']);
    // Placeholders last; a set the code does not know after the known ones, in database order.
    expect(sorted(['ARC-001/006', 'OGN·036/298'], ['OGN·036/298'])).toEqual(['ARC-001/006', 'OGN·036/298']);
    expect(sorted(['YYY-001', 'ZZZ-005', 'VEN·100'])).toEqual(['VEN·100', 'ZZZ-005', 'YYY-001']);
    expect(SET_RELEASE_ORDER.slice(0, 2)).toEqual(['OGN', 'OGS']);
  });

  it('keeps both types of a card that has two, and reads new types as deck cards', () => {
    const both = db.cards.find((c) => c.types.length === 2)!;
    expect(both.types).toEqual(['Unit', 'Gear']);
    expect(both.type).toBe('Unit / Gear');
    expect(allowedInSection(both.types, 'mainDeck')).toBe(true);
    const signatureGear = db.cards.filter((c) => c.type === 'Signature Gear');
    expect(signatureGear.length).toBeGreaterThan(0);
    expect(signatureGear.every((c) => allowedInSection(c.types, 'mainDeck') && !allowedInSection(c.types, 'runes'))).toBe(true);
    expect(allowedInSection(['Legend'], 'legend')).toBe(true);
    expect(allowedInSection(['Legend'], 'mainDeck')).toBe(false);
    expect(allowedInSection(['Token Unit'], 'mainDeck')).toBe(false);
    expect(allowedInSection(['Some Future Type'], 'sideDeck')).toBe(true);
  });

  it('keeps the database text of a name (curly quotes included)', () => {
    expect(db.cards.some((c) => c.nameCn === '“敲”诈')).toBe(true);
  });

  it('finds a card by printed number or by deck code', () => {
    expect(db.byCardNumber('OGN·240a/298')!.nameEn).toBe('Sett, Kingpin');
    expect(db.byCardNumber('OGN-240')!.nameEn).toBe('Sett, Kingpin');
    expect(db.byCardNumber('UNL-001/219')).toBeDefined();
    expect(db.byCardNumber('SFD-R01')!.nameCn).toBe('炽烈符文');
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

describe('card numbers', () => {
  it('parses every form the sets print', () => {
    expect(parseCardNumber('OGN·007a/298')).toMatchObject({ set: 'OGN', prefix: '', number: 7, variant: 'a', total: 298, promo: '' });
    expect(parseCardNumber('UNL-001/219')).toMatchObject({ set: 'UNL', number: 1, total: 219 });
    expect(parseCardNumber('VEN·001')).toMatchObject({ set: 'VEN', number: 1, total: null });
    expect(parseCardNumber('SFD·R01b')).toMatchObject({ set: 'SFD', prefix: 'R', number: 1, variant: 'b' });
    expect(parseCardNumber('VEN·SP3')).toMatchObject({ set: 'VEN', prefix: 'SP', number: 3 });
    expect(parseCardNumber('SFD·195a/221·P')).toMatchObject({ set: 'SFD', number: 195, variant: 'a', total: 221, promo: 'P' });
    expect(parseCardNumber('OGN·299*/298')).toMatchObject({ number: 299, variant: '*' });
    expect(parseCardNumber('not a number')).toBeNull();
  });

  it('writes the code deck builders use', () => {
    expect(cardCode('OGN·007/298')).toBe('OGN-007');
    expect(cardCode('OGN·007a/298')).toBe('OGN-007a');
    expect(cardCode('FND-196/298')).toBe('FND-196');
    expect(cardCode('VEN·001')).toBe('VEN-001');
    expect(cardCode('SFD·R01')).toBe('SFD-R01');
    expect(cardCode('VEN·SP1')).toBe('VEN-SP1');
    expect(cardCode('SFD·195a/221·P')).toBe('SFD-195a-P');
  });
});
