/** Text normalisation shared by the card database and the OCR reader, so both sides compare alike. */

/** CJK ideographs (extension A, the unified block, compatibility ideographs), for character classes: the one range every module uses. */
export const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const HAN = new RegExp(`^[${CJK}]$`);
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');
const SPACE_AROUND_CJK_PUNCT = /\s*([·・—\-()（）《》「」:：])\s*/g;

/** True when the character is a CJK ideograph. */
export function isHan(ch: string): boolean {
  return HAN.test(ch);
}

/**
 * Canonical form of free text read from a screenshot: NFKC (full-width → half-width), curly quotes made
 * straight, no spaces between hanzi (tesseract puts one between every CJK character), single spaces.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(SPACE_BETWEEN_CJK, '')
    .trim();
}

/**
 * Canonical form of a card name: normalised text with the champion separator written `name, title`
 * whatever comma (`，` `,` `、`) and spacing the source used.
 */
export function normalizeName(name: string): string {
  return normalizeText(name)
    .replace(SPACE_AROUND_CJK_PUNCT, '$1')
    .replace(/\s*[,，、]\s*/g, ', ')
    .trim();
}

/** The hanzi of a string only: what the matcher compares, since OCR noise is mostly stray Latin marks. */
export function hanOnly(text: string): string {
  return [...text].filter(isHan).join('');
}
