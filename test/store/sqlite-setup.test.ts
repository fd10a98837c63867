/**
 * A DATA_DIR the SQLite store cannot use stops the start with a message that names the setting and the
 * fix — never a silent empty service. Real files, real SQLite, and the real `npm start` entry as a child
 * process for the exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteBackend, DATABASE_FILE } from '../../src/batch/adapters/sqlite/index.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/batch/adapters/sqlite/migrations.js';
import { storeSettingsFromEnv } from '../../src/batch/create-backend.js';
import type { BatchBackend } from '../../src/batch/ports.js';
import { StoreSetupError } from '../../src/batch/setup-error.js';
import { PROJECT_ROOT } from '../../src/env.js';
import { childEnv } from '../helpers/env.js';

const dirs: string[] = [];
const backends: BatchBackend[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'decklist-setup-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openError(dataDir: string): StoreSetupError {
  try {
    backends.push(createSqliteBackend({ dataDir, concurrency: 1 }));
  } catch (error) {
    expect(error).toBeInstanceOf(StoreSetupError);
    return error as StoreSetupError;
  }
  throw new Error('the store opened');
}

/** `npm start`'s entry with the environment; resolves with its exit code and output. */
function start(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: childEnv({ PORT: '0', HOST: '127.0.0.1', OCR_WORKERS: '1', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('SQLite store: bad states at start', () => {
  it('a DATA_DIR that is a file', () => {
    const file = path.join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const error = openError(file);
    expect(error.setting).toBe('DATA_DIR');
    expect(error.message).toMatch(/DATA_DIR=.*not-a-dir: cannot use it as the data directory.*writable directory.*STORE=memory/);
  });

  it('a corrupt database file', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, DATABASE_FILE), Buffer.alloc(8192, 'garbage!'));
    expect(openError(dir).message).toMatch(/batches\.sqlite is not a readable database .*restore it from a backup, or move it away/);
  });

  it('a database damaged inside (valid header, broken pages)', async () => {
    const dir = tempDir();
    const first = createSqliteBackend({ dataDir: dir, concurrency: 1 });
    await first.close();
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.pragma('journal_mode = DELETE');
    db.close();
    // Overwrite everything after the first page (the schema tables' pages) with noise.
    const file = path.join(dir, DATABASE_FILE);
    const bytes = readFileSync(file);
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(file, bytes);
    expect(openError(dir).message).toMatch(/batches\.sqlite (is corrupt|is not a readable database)/);
  });

  it('a schema from a newer version is refused, not touched', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(openError(dir).message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 5}, written by a newer version .*knows up to ${SCHEMA_VERSION}`));
    const again = new Database(path.join(dir, DATABASE_FILE));
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    again.close();
  });

  it('a schema from an older version is migrated step by step, its data kept', async () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, DATABASE_FILE));
    MIGRATIONS[0]!(db);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO jobs (batch_id, idx, filename, blob_key, bytes) VALUES ('b', 0, 'a.png', 'b/0', 3)").run();
    db.close();
    const backend = createSqliteBackend({ dataDir: dir, concurrency: 1 });
    backends.push(backend);
    expect(await backend.queue.waiting('b')).toEqual([{ batchId: 'b', index: 0, filename: 'a.png', blobKey: 'b/0', bytes: 3, attempts: 0 }]);
    await backend.close();
    const check = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('one process per DATA_DIR: a second store on it fails until the first closes', async () => {
    const dir = tempDir();
    const first = createSqliteBackend({ dataDir: dir, concurrency: 1 });
    expect(openError(dir).message).toMatch(/is in use by another process .*give this one its own DATA_DIR/);
    await first.close();
    backends.push(createSqliteBackend({ dataDir: dir, concurrency: 1 }));
  });

  it('bad or contradictory STORE, REDIS_URL and MAX_STORED_BYTES values', () => {
    expect(() => storeSettingsFromEnv({ STORE: 'mongo' })).toThrow(/STORE must be sqlite .*, memory or redis .*, got "mongo"/);
    expect(() => storeSettingsFromEnv({ STORE: 'redis' })).toThrow(/STORE=redis needs REDIS_URL/);
    expect(() => storeSettingsFromEnv({ STORE: 'memory', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL is set but STORE=memory/);
    expect(() => storeSettingsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379', JOB_LOCK_MS: '5' })).toThrow(/JOB_LOCK_MS must be an integer >= 1000/);
    expect(() => storeSettingsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX must be/);
    expect(storeSettingsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379/2' })).toMatchObject({
      kind: 'redis',
      redis: { url: 'redis://127.0.0.1:6379/2', prefix: 'decklist', lockMs: 30_000 },
    });
    expect(() => storeSettingsFromEnv({ MAX_STORED_BYTES: '-1' })).toThrow(/MAX_STORED_BYTES must be an integer >= 1/);
    expect(storeSettingsFromEnv({})).toMatchObject({ kind: 'sqlite', redis: null, maxStoredBytes: 2 * 1024 ** 3, dataDir: path.join(PROJECT_ROOT, 'data') });
  });

  it('npm start exits 78 with the message when DATA_DIR is held by another process, or is a file', async () => {
    const dir = tempDir();
    const holder = createSqliteBackend({ dataDir: dir, concurrency: 1 });
    backends.push(holder);
    const busy = await start({ DATA_DIR: dir });
    expect(busy.code).toBe(78);
    expect(busy.out).toMatch(/decklist-ocr: setup error \(DATA_DIR\): DATA_DIR=.* is in use by another process/);
    expect(busy.out).not.toMatch(/listening on/);
    const file = path.join(dir, 'file');
    writeFileSync(file, '');
    const notDir = await start({ DATA_DIR: file });
    expect(notDir.code).toBe(78);
    expect(notDir.out).toMatch(/decklist-ocr: setup error \(DATA_DIR\): DATA_DIR=.*file: cannot use it as the data directory/);
  });
});
