import { describe, expect, it } from 'vitest';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import { createCardMatcher, rememberingMatcher, type CardMatcher } from '../../src/pipeline/match/match.js';

const matcher = createCardMatcher(await loadCardDatabase(DEFAULT_CARDS_PATH));
const text = (name: string, subtitle: string | null = null) => ({ name, subtitle, badge: null });

describe('matchCard', () => {
  it('builds a champion name from name and title lines', () => {
    const m = matcher.matchCard('mainDeck', text('易', '锋芒毕现'));
    expect(m.card?.nameEn).toBe('Yi, Honed');
    expect(m.confidence).toBeGreaterThan(0.9);
  });

  it('tells two titles of one champion apart', () => {
    expect(matcher.matchCard('mainDeck', text('瑟提', '铁拳')).card?.nameCn).toBe('瑟提, 铁拳');
    expect(matcher.matchCard('mainDeck', text('瑟提', '魁首')).card?.nameCn).toBe('瑟提, 魁首');
  });

  it('tolerates a misread hanzi', () => {
    expect(matcher.matchCard('battlefields', text('雷玫之纹')).card?.nameCn).toBe('雷霆之纹');
    expect(matcher.matchCard('mainDeck', text('符文禁钢')).card?.nameCn).toBe('符文禁锢');
  });

  it('restricts candidates by section', () => {
    const rune = matcher.matchCard('runes', text('翠意符文'));
    expect(rune.card?.type).toBe('Basic Rune');
    expect(rune.candidates.every((c) => c.card.type === 'Basic Rune')).toBe(true);
    // A rune name in the main deck matches no rune.
    expect(matcher.matchCard('mainDeck', text('翠意符文')).card?.type).not.toBe('Basic Rune');
    expect(matcher.matchCard('legend', text('无极剑圣', '入门')).card?.nameEn).toBe('Wuju Bladesman - Starter');
  });

  it('leaves a card that is not in the database unmatched, with candidates', () => {
    const m = matcher.matchCard('mainDeck', text('星海旅行家'));
    expect(m.card).toBeNull();
    expect(m.candidates.length).toBeGreaterThan(0);
    expect(m.confidence).toBeLessThan(0.6);
  });

  it('reads a long name wrapped onto two lines as one name', () => {
    expect(matcher.matchCard('mainDeck', text('拉文布鲁姆', '学生')).card?.nameCn).toBe('拉文布鲁姆学生');
  });

  it('takes a look-alike hanzi the model lacks for the one that shares its shape', () => {
    // chi_sim has no 咂 or 垓 in its character set: it reads 吟 and 块, which share a component at the same place.
    expect(matcher.matchCard('mainDeck', text('吟魂者')).card?.nameCn).toBe('咂魂者');
    expect(matcher.matchCard('mainDeck', text('块兽')).card?.nameCn).toBe('垓兽');
    expect(matcher.matchCard('mainDeck', text('血战')).card?.nameCn).toBe('血戮');
  });

  it('takes the two forms of the knock radical (攴 in 敲, ⺙ in 敦) as one component', () => {
    // cjk-decomp writes the radical both ways: 敲 a(高,攴), 敦 a(享,⺙). 臭 shares nothing with 敲.
    expect(matcher.matchCard('mainDeck', text('敦诈')).card?.nameEn).toBe('Stupefy');
    expect(matcher.matchCard('mainDeck', text('臭诈')).card).toBeNull();
  });

  it('sees a frame open at the lower left whose frame is a left–right pair as a left–right character', () => {
    // 截 str(𢦏,隹) with 𢦏 a(土,戈): 戈 runs down the right as in 戮 a(翏,戈), which tesseract reads as 截.
    expect(matcher.matchCard('mainDeck', text('血截')).card?.nameCn).toBe('血戮');
    expect(matcher.matchCard('mainDeck', text('血截')).lookalikeRivals.map((c) => c.nameCn)).toEqual(['血钱']);
    // 或 str(戓,一): its frame is no left–right pair in the data, so it stays a plain one-hanzi miss.
    expect(matcher.matchCard('mainDeck', text('血或')).card).toBeNull();
  });

  it('names the rivals a look-alike match won over by the discount alone, and none otherwise', () => {
    // 荬 shares 艹 with 落, not with 獒: 星落 wins on the look-alike, though 星獒 is as close by plain edits.
    const m = matcher.matchCard('mainDeck', text('星荬'));
    expect(m.card?.nameCn).toBe('星落');
    expect(m.lookalikeRivals.map((c) => c.nameCn)).toEqual(['星獒']);
    // 血战: 血钱 is one hanzi off too.
    expect(matcher.matchCard('mainDeck', text('血战')).lookalikeRivals.map((c) => c.nameCn)).toEqual(['血钱']);
    // No other X兽 is one hanzi off; an exact read and a plain one-hanzi miss have no rivals.
    expect(matcher.matchCard('mainDeck', text('块兽')).lookalikeRivals).toEqual([]);
    expect(matcher.matchCard('mainDeck', text('星落')).lookalikeRivals).toEqual([]);
    expect(matcher.matchCard('mainDeck', text('符文禁钢')).lookalikeRivals).toEqual([]);
  });

  it('matches cards of every released set, not only the first two', () => {
    expect(matcher.matchCard('mainDeck', text('竞技场理事')).card?.code).toBe('UNL-001');
    expect(matcher.matchCard('mainDeck', text('血戮')).card?.code).toBe('VEN-127');
  });

  it('ranks every allowed card as a full comparison would: cards sharing no character score 0, in database order', async () => {
    const db = await loadCardDatabase(DEFAULT_CARDS_PATH);
    // Ｑ is in no card name: every battlefield scores 0 and the candidates are the first battlefields listed.
    const none = matcher.matchCard('battlefields', text('ＱＱ'));
    expect(none.card).toBeNull();
    const battlefields = db.cards.filter((c) => c.type === 'Battlefield').slice(0, 5);
    expect(none.candidates).toEqual(battlefields.map((card) => ({ card, score: 0 })));
    // A hanzi of one card's name: that card (and any holding a look-alike of it) scores above 0, best
    // first; the rest score 0 and follow in database order.
    const some = matcher.matchCard('mainDeck', text('蟹'));
    expect(some.candidates).toHaveLength(5);
    expect(some.candidates[0]!.card.nameCn).toBe('迅捷蟹');
    expect(some.candidates[0]!.score).toBeGreaterThan(0);
    const scores = some.candidates.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const zeros = some.candidates.filter((c) => c.score === 0).map((c) => db.cards.indexOf(c.card));
    expect(zeros.length).toBeGreaterThan(0);
    expect(zeros).toEqual([...zeros].sort((a, b) => a - b));
  });

  it('leaves empty text unmatched', () => {
    expect(matcher.matchCard('mainDeck', text('')).card).toBeNull();
  });
});

describe('rememberingMatcher', () => {
  it('asks each question once and answers as the matcher does', () => {
    const asked: string[] = [];
    const counting: CardMatcher = {
      matchCard: (section, t) => {
        asked.push(`${section} ${t.name} ${t.subtitle}`);
        return matcher.matchCard(section, t);
      },
    };
    const remembering = rememberingMatcher(counting);
    const questions = [
      ['mainDeck', text('瑟提', '铁拳')],
      ['mainDeck', text('瑟提', '魁首')],
      ['legend', text('瑟提', '铁拳')],
      ['mainDeck', text('瑟提')],
      ['mainDeck', text('瑟提', '')],
    ] as const;
    for (let round = 0; round < 2; round++) {
      for (const [section, t] of questions) expect(remembering.matchCard(section, t)).toEqual(matcher.matchCard(section, t));
    }
    // Another title, another section, no title line and an empty one are each a question of their own.
    expect(asked).toHaveLength(questions.length);
  });
});
