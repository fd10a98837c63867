import { describe, expect, it } from 'vitest';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { assembleDecklist, labelSections, parseQuantity } from '../../src/pipeline/assemble/assemble.js';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import type { DecodedImage } from '../../src/pipeline/decode/decode.js';
import { formatDecklistText } from '../../src/decklist/format.js';
import { createCardMatcher } from '../../src/pipeline/match/match.js';
import { parseMetadata } from '../../src/pipeline/assemble/metadata.js';
import type { DecklistReading, SectionReading, TileReading } from '../../src/pipeline/read/read.js';
import { classifySectionLabel } from '../../src/decklist/sections.js';
import type { PipelineWarning } from '../../src/pipeline/types.js';

const matcher = createCardMatcher(await loadCardDatabase(DEFAULT_CARDS_PATH));
const image = { scale: 2, offsetX: 0, original: { width: 2160, height: 8800, format: 'png' } } as DecodedImage;

let y = 0;
function tile(name: string, subtitle: string | null = null, badge: string | null = null): TileReading {
  y += 166;
  return { box: { x: 94, y, width: 439, height: 138 }, lines: [], quantity: null, text: { name, subtitle, badge } };
}
const section = (label: string | null, ...tiles: TileReading[]): SectionReading => ({ label, tiles });

describe('classifySectionLabel', () => {
  it('names the section from a noisy label', () => {
    expect(classifySectionLabel('主 牌 组')).toBe('mainDeck');
    expect(classifySectionLabel('备牌 |')).toBe('sideDeck');
    expect(classifySectionLabel('符文碑')).toBe('runes');
    expect(classifySectionLabel('---')).toBeNull();
  });
});

describe('labelSections', () => {
  it('takes the next section for an unreadable label and says so', () => {
    const warnings: PipelineWarning[] = [];
    const out = labelSections([section('传奇牌', tile('腕豪')), section('@@', tile('大副'))], warnings);
    expect(out.map((s) => s.kind)).toEqual(['legend', 'mainDeck']);
    expect(warnings.map((w) => w.code)).toEqual(['UNKNOWN_SECTION']);
  });

  it('lets the tile names pick among the sections an unlabelled run can be, between its readable neighbours', () => {
    const warnings: PipelineWarning[] = [];
    const top = section(null, tile('暗中破坏', null, '2'), tile('奇亚娜', '所向披靡', '3'));
    const asked: string[][] = [];
    const out = labelSections([top, section('战场牌', tile('希拉娜修道院'))], warnings, (_tiles, allowed) => {
      asked.push([...allowed]);
      return 'mainDeck';
    });
    // Above the battlefields, with nothing before it: the legend or the main deck.
    expect(asked).toEqual([['legend', 'mainDeck']]);
    expect(out.map((s) => [s.kind, s.labelRead])).toEqual([
      ['mainDeck', false],
      ['battlefields', true],
    ]);
    expect(warnings[0]!.message).toMatch(/taken as mainDeck/);
  });

  it('keeps a section shown twice in a row once', () => {
    const warnings: PipelineWarning[] = [];
    const runes = () => section('符文牌', tile('摧破符文', null, '7'), tile('序理符文', null, '5'));
    const out = labelSections([runes(), runes()], warnings);
    expect(out).toHaveLength(1);
    expect(out[0]!.tiles).toHaveLength(2);
    expect(warnings.map((w) => w.code)).toEqual(['DUPLICATE_SECTION']);
  });
});

describe('parseQuantity', () => {
  it('reads the badge, 1 without one, null for a badge without digits', () => {
    expect(parseQuantity('3')).toBe(3);
    expect(parseQuantity('x12')).toBe(12);
    expect(parseQuantity(null)).toBe(1);
    expect(parseQuantity('x')).toBeNull();
  });
});

describe('parseMetadata', () => {
  it('finds event and date on the line with a date, deck name above, player last', () => {
    const warnings: PipelineWarning[] = [];
    const m = parseMetadata({ lines: [['版本 t0'], ['第一赛季区域公开赛 -杭州赛区', '2025-9-13'], ['全'], ['GOAT- 版本 t0']], placement: '5' }, warnings);
    expect(m).toEqual({ deckName: '版本t0', placement: 5, event: '第一赛季区域公开赛-杭州赛区', date: '2025-09-13', player: 'GOAT-版本t0' });
    expect(warnings).toEqual([]);
  });

  it('warns when no event line is found', () => {
    const warnings: PipelineWarning[] = [];
    expect(parseMetadata({ lines: [['剑圣']], placement: null }, warnings).deckName).toBe('剑圣');
    expect(warnings.map((w) => w.code)).toEqual(['HEADER_UNREADABLE']);
  });
});

describe('assembleDecklist', () => {
  const reading = (): DecklistReading => ({
    header: { lines: [['剑圣'], ['某赛事', '2025-09-13'], ['Aipotu']], placement: '2' },
    cutOffRows: 0,
    sections: [
      section('传奇牌', tile('无极剑圣', '入门')),
      section('主牌组', tile('易', '锋芒毕现'), tile('瑟提', '魁首'), tile('大副', null, '3'), tile('瑟提', '魁首'), tile('星海旅行家', null, '2')),
      section('战场牌', tile('雷霆之纹'), tile('雷霆之纹')),
      section('符文牌', tile('翠意符文', null, '6'), tile('摧破符文', null, '5')),
    ],
  });

  it('adds up tiles of one card, keeps unmatched text, scales boxes back, and reports every rule broken', () => {
    const deck = assembleDecklist(reading(), matcher, { sideDeckMax: 8, image });
    const sett = deck.mainDeck.find((e) => e.card?.nameCn === '瑟提, 魁首')!;
    expect(sett.quantity).toBe(2);
    expect(sett.tiles).toHaveLength(2);
    expect(sett.tiles[0]!.width).toBe(878);
    const unknown = deck.mainDeck.find((e) => !e.card)!;
    expect(unknown).toMatchObject({ nameCn: '星海旅行家', nameEn: null, quantity: 2 });
    expect(deck.legend[0]!.card!.nameEn).toBe('Wuju Bladesman - Starter');
    expect(deck.validation.valid).toBe(false);
    expect(deck.validation.problems.map((p) => p.code).sort()).toEqual(
      ['BATTLEFIELD_COUNT', 'BATTLEFIELD_DUPLICATE', 'MAIN_DECK_COUNT', 'RUNE_COUNT', 'UNMATCHED_CARDS'].sort(),
    );
    // Nothing was invented: 1 + 2 + 3 + 2 cards read, 8 reported.
    expect(deck.mainDeck.reduce((n, e) => n + e.quantity, 0)).toBe(8);
    expect(deck.metadata).toMatchObject({ deckName: '剑圣', placement: 2, date: '2025-09-13', player: 'Aipotu' });
    expect(deck.chosenChampion?.nameEn).toBe('Yi, Honed');
  });

  it('takes the chosen champion from the first main-deck tile only, and reports a first tile that is no champion', () => {
    const unitFirst = reading();
    const main = unitFirst.sections[1]!.tiles;
    unitFirst.sections[1] = section('主牌组', main[2]!, ...main.filter((_, i) => i !== 2));
    const deck = assembleDecklist(unitFirst, matcher, { sideDeckMax: 8, image });
    expect(deck.mainDeck[0]!.card!.type).toBe('Unit');
    // Champions further down the list are not promoted.
    expect(deck.chosenChampion).toBeNull();
    const problem = deck.validation.problems.find((p) => p.code === 'CHOSEN_CHAMPION');
    expect(problem).toMatchObject({ section: 'mainDeck' });
    expect(problem!.message).toContain(deck.mainDeck[0]!.nameEn!);

    // An unmatched first tile: no champion, and only the unmatched-card problem speaks for it.
    const unmatchedFirst = reading();
    unmatchedFirst.sections[1] = section('主牌组', main[4]!, ...main.slice(0, 4));
    const unsure = assembleDecklist(unmatchedFirst, matcher, { sideDeckMax: 8, image });
    expect(unsure.chosenChampion).toBeNull();
    expect(unsure.validation.problems.map((p) => p.code)).not.toContain('CHOSEN_CHAMPION');
  });

  it('leaves a tile the second look withheld unmatched, with its text and candidates', () => {
    const withheld = reading();
    withheld.sections[1] = section('主牌组', { ...tile('星荬', null, '2'), withheld: true }, tile('星荬'));
    const deck = assembleDecklist(withheld, matcher, { sideDeckMax: 8, image });
    expect(deck.mainDeck.map((e) => [e.card?.nameCn ?? null, e.nameCn, e.quantity])).toEqual([
      [null, '星荬', 2],
      ['星落', '星落', 1],
    ]);
    expect(deck.mainDeck[0]!.candidates[0]!.card.nameCn).toBe('星落');
    expect(deck.mainDeck[0]!.confidence).toBeLessThan(0.6);
  });

  it('formats the English list a person pastes', () => {
    const text = formatDecklistText(assembleDecklist(reading(), matcher, { sideDeckMax: 8, image }));
    expect(text).toContain('Legend (1)\n1 Wuju Bladesman - Starter');
    expect(text).toContain('2 Sett, Kingpin');
    expect(text).toContain('2 [unmatched: 星海旅行家]');
    expect(text).toContain('Runes (11)\n6 Calm Rune\n5 Body Rune');
  });

  it('reads a screenshot cut from a longer one: the unlabelled top run is the main deck, its first tile no champion', () => {
    const cut: DecklistReading = {
      header: { lines: [], placement: null },
      cutOffRows: 0,
      sections: [
        section(null, tile('暗中破坏', null, '2'), tile('奇亚娜', '所向披靡', '3'), tile('荣耀召唤', null, '3')),
        section('战场牌', tile('希拉娜修道院'), tile('疾风山丘'), tile('帝柳之林')),
      ],
    };
    const deck = assembleDecklist(cut, matcher, { sideDeckMax: 8, image });
    expect(deck.legend).toEqual([]);
    expect(deck.mainDeck.map((e) => `${e.card?.nameEn} ×${e.quantity}`)).toEqual(['Sabotage ×2', 'Qiyana, Victorious ×3', 'Call to Glory ×3']);
    // The main deck's start is not in view: no chosen champion, and the rule is not checked.
    expect(deck.chosenChampion).toBeNull();
    const codes = deck.validation.problems.map((p) => p.code);
    expect(codes).not.toContain('CHOSEN_CHAMPION');
    expect(codes).not.toContain('UNMATCHED_CARDS');
    expect(deck.warnings.map((w) => w.code)).toContain('UNKNOWN_SECTION');
  });

  it('keeps the chosen champion when the main deck label is unreadable but a section above shows its start', () => {
    const unreadable = reading();
    unreadable.sections[1] = { ...unreadable.sections[1]!, label: '@@' };
    const deck = assembleDecklist(unreadable, matcher, { sideDeckMax: 8, image });
    expect(deck.warnings.map((w) => w.code)).toContain('UNKNOWN_SECTION');
    expect(deck.chosenChampion?.nameEn).toBe('Yi, Honed');
  });

  it('warns, naming the section, when the layout saw tile-coloured areas it could not read', () => {
    const r = reading();
    r.sections[1] = { ...r.sections[1]!, unread: 2 };
    const deck = assembleDecklist(r, matcher, { sideDeckMax: 8, image });
    const unread = deck.warnings.filter((w) => w.code === 'UNREAD_TILES');
    expect(unread).toHaveLength(1);
    expect(unread[0]!.message).toContain('mainDeck');
    expect(assembleDecklist(reading(), matcher, { sideDeckMax: 8, image }).warnings.map((w) => w.code)).not.toContain('UNREAD_TILES');
  });

  it('reports a section neither labelled nor tiled in the image as not seen (unknown), and a labelled empty one as empty', () => {
    const deck = assembleDecklist(reading(), matcher, { sideDeckMax: 8, image });
    const notSeen = deck.warnings.filter((w) => w.code === 'SECTION_NOT_SEEN');
    expect(notSeen).toHaveLength(1);
    expect(notSeen[0]!.message).toMatch(/the sideDeck section was not seen .*unknown, not none/);
    expect(deck.sideDeck).toEqual([]);
    const withEmptySide = reading();
    withEmptySide.sections.push(section('备牌'));
    expect(assembleDecklist(withEmptySide, matcher, { sideDeckMax: 8, image }).warnings.map((w) => w.code)).not.toContain('SECTION_NOT_SEEN');
  });

  it('warns when rows of tiles were cut off', () => {
    const deck = assembleDecklist({ ...reading(), cutOffRows: 1 }, matcher, { sideDeckMax: 8, image });
    expect(deck.warnings.map((w) => w.code)).toContain('CUT_OFF_TILES');
  });
});
