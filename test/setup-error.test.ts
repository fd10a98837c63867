/** The pieces of a setup error: the line, the listen errors it covers, settings parsing, writable folders. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { boolFromEnv, findProjectRoot, intFromEnv, PROJECT_ROOT } from '../src/env.js';
import { loadCardDatabase } from '../src/pipeline/cards/cards.js';
import { serverConfigFromEnv } from '../src/server/config.js';
import { ensureWritableDir, listenSetupError, SetupError } from '../src/setup-error.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('SetupError', () => {
  it('prints one line: the setting, what is wrong, the fix (whitespace of either folded)', () => {
    const error = new SetupError('bad\n  value', { setting: 'PORT', fix: 'set PORT\nto a number' });
    expect(error.line).toBe('decklist-ocr: setup error (PORT): bad value; fix: set PORT to a number');
  });

  it('maps listen failures to the setting that fixes them, and leaves others alone', () => {
    expect(listenSetupError(errno('EADDRINUSE'), 4000, 'localhost')).toMatchObject({ setting: 'PORT', message: 'port 4000 is already in use on localhost' });
    expect(listenSetupError(errno('EACCES'), 80, '0.0.0.0')).toMatchObject({ setting: 'PORT', message: 'no permission to listen on 0.0.0.0:80' });
    expect(listenSetupError(errno('EADDRNOTAVAIL'), 4000, '10.9.9.9')?.setting).toBe('HOST');
    expect(listenSetupError(errno('ENOTFOUND'), 4000, 'no.such.host')?.setting).toBe('HOST');
    expect(listenSetupError(errno('ECONNRESET'), 4000, 'localhost')).toBeNull();
  });
});

describe('settings', () => {
  it('whole numbers in range, else a SetupError naming the setting', () => {
    expect(intFromEnv({}, 'X', 7)).toBe(7);
    expect(intFromEnv({ X: ' 12 ' }, 'X', 7)).toBe(12);
    for (const bad of ['abc', '1.5', '1e3', '0x10', '-1', '0']) {
      expect(() => intFromEnv({ X: bad }, 'X', 7), bad).toThrow(SetupError);
    }
    expect(() => serverConfigFromEnv({ PORT: '65536' })).toThrow(/PORT must be a whole number from 0 to 65535, got "65536"/);
    expect(serverConfigFromEnv({ PORT: '0' }).port).toBe(0);
    expect(() => serverConfigFromEnv({ MAX_FILES: 'many' })).toThrow(expect.objectContaining({ setting: 'MAX_FILES' }));
    expect(boolFromEnv({ X: 'ON' }, 'X', false)).toBe(true);
    expect(() => boolFromEnv({ X: 'maybe' }, 'X', false)).toThrow(expect.objectContaining({ setting: 'X' }));
  });

  it('ROLE: all by default; api and worker only over a shared store (REDIS_URL)', () => {
    expect(serverConfigFromEnv({})).toMatchObject({ role: 'all', metricsPort: 9464 });
    expect(() => serverConfigFromEnv({ ROLE: 'gpu' })).toThrow(expect.objectContaining({ setting: 'ROLE' }));
    for (const role of ['api', 'worker']) {
      expect(() => serverConfigFromEnv({ ROLE: role }), role).toThrow(
        new RegExp(`ROLE=${role} needs a store shared between processes, and this one is sqlite`),
      );
      expect(serverConfigFromEnv({ ROLE: role.toUpperCase(), REDIS_URL: 'redis://127.0.0.1:6379/0' })).toMatchObject({ role, store: { kind: 'redis' } });
    }
    expect(() => serverConfigFromEnv({ ROLE: 'worker', REDIS_URL: 'redis://x', METRICS_PORT: '70000' })).toThrow(
      expect.objectContaining({ setting: 'METRICS_PORT' }),
    );
  });

  it('finds the project root upward from src/ and from the compiled dist/src/', () => {
    expect(existsSync(path.join(PROJECT_ROOT, 'package.json'))).toBe(true);
    expect(findProjectRoot(path.join(PROJECT_ROOT, 'src'))).toBe(PROJECT_ROOT);
    expect(findProjectRoot(path.join(PROJECT_ROOT, 'dist', 'src', 'cli'))).toBe(PROJECT_ROOT);
  });
});

describe('files and folders', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-error-'));

  it('ensureWritableDir makes missing folders, and names the setting when it cannot', () => {
    const nested = path.join(dir, 'a', 'b', 'c');
    ensureWritableDir(nested, 'TESSDATA_CACHE');
    expect(existsSync(nested)).toBe(true);
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    expect(() => ensureWritableDir(path.join(file, 'sub'), 'TESSDATA_CACHE')).toThrow(
      expect.objectContaining({ setting: 'TESSDATA_CACHE', message: expect.stringMatching(/ENOTDIR/) }),
    );
  });

  it('a card database that is missing or not a card CSV is a SetupError naming the file and CARDS_PATH', async () => {
    await expect(loadCardDatabase(path.join(dir, 'none.csv'))).rejects.toMatchObject({
      setting: 'CARDS_PATH',
      message: expect.stringContaining('none.csv (no such file)'),
    });
    const empty = path.join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await expect(loadCardDatabase(empty)).rejects.toMatchObject({ setting: 'CARDS_PATH', message: `${empty} is not a card database: card database is empty` });
    const columns = path.join(dir, 'columns.csv');
    writeFileSync(columns, 'a,b\n1,2\n');
    await expect(loadCardDatabase(columns)).rejects.toThrow(/columns\.csv is not a card database: card database lacks column/);
  });
});
