import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/env.js';
import { loadFixtures } from '../../scripts/fixtures.js';

const run = promisify(execFile);

async function ocr(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/ocr.ts', ...args], {
      cwd: PROJECT_ROOT,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('decklist-ocr ocr (npm run ocr)', () => {
  const fixture = loadFixtures()[1]!;
  const dir = mkdtempSync(path.join(tmpdir(), 'ocr-cli-'));
  const junk = path.join(dir, 'junk.jpg');
  writeFileSync(junk, 'this is text, not a JPEG');
  const empty = path.join(dir, 'empty.jpg');
  writeFileSync(empty, '');

  it('prints one JSON element per input in input order, and fails the exit code when any file failed', async () => {
    const { code, stdout } = await ocr('--json', junk, fixture.imagePath, '/nonexistent/file.png', empty);
    expect(code).toBe(1);
    const results = JSON.parse(stdout);
    expect(results.map((r: { file: string }) => r.file)).toEqual([junk, fixture.imagePath, '/nonexistent/file.png', empty]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'INVALID_IMAGE' } });
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'READ_FAILED' } });
    // The API's code for the same failure.
    expect(results[3]).toMatchObject({ ok: false, error: { code: 'EMPTY_FILE' } });
    const deck = results[1].decklist;
    expect(results[1].ok).toBe(true);
    expect(deck.metadata).toMatchObject({ placement: fixture.label.metadata.placement, date: fixture.label.metadata.date });
    expect(deck.legend[0]).toMatchObject({ nameCn: '腕豪', quantity: 1, card: { cardNumber: 'OGN·269/298', nameEn: 'The Boss' } });
    expect(deck.mainDeck.reduce((n: number, e: { quantity: number }) => n + e.quantity, 0)).toBe(40);
    expect(Object.keys(deck)).toEqual(
      expect.arrayContaining(['metadata', 'legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck', 'validation', 'warnings', 'text', 'deckCode']),
    );
    // The API's text and deck code too.
    expect(deck.text).toContain('Main Deck (40)');
    expect(deck.text).toContain('1 The Boss');
    expect(deck.deckCode === null || /^[A-Za-z0-9]{20,}$/.test(deck.deckCode)).toBe(true);
  });

  it('reports unreadable and empty files without starting OCR, and usage mistakes with exit code 2', async () => {
    const { code, stdout } = await ocr('--json', empty, '/nonexistent/file.png');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).map((r: { error: { code: string } }) => r.error.code)).toEqual(['EMPTY_FILE', 'READ_FAILED']);
    const usage = await ocr('--nope', empty);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: decklist-ocr ocr/);
  });

  it('prints the deck in English as a person reads it', async () => {
    const { code, stdout } = await ocr(fixture.imagePath);
    expect(code).toBe(0);
    expect(stdout).toContain('Legend (1)\n1 The Boss');
    expect(stdout).toContain('Main Deck (40)');
    expect(stdout).toContain('2 Sett, Kingpin');
    expect(stdout).toContain('Runes (12)\n7 Body Rune\n5 Order Rune');
    expect(stdout).toContain(`Chosen champion: ${fixture.label.sections.mainDeck[0]!.nameEn} (`);
  });
});
