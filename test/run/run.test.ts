/**
 * The service as an operator runs it: the compiled build (`npm run build` when dist/ is missing or older
 * than the sources), started with the real `npm start` as a child process, reached over real HTTP on
 * loopback, stopped with SIGTERM sent to the PID `npm start` gave; setup mistakes end with one line and exit
 * code 78; the package's `decklist-ocr` command pipes valid JSON and authenticates with an API key.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../scripts/fixtures.js';
import { PROJECT_ROOT } from '../../src/env.js';
import { childEnv } from '../helpers/env.js';
import { newest } from '../helpers/files.js';

const ENTRY = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const BIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function built(): number {
  try {
    return statSync(ENTRY).mtimeMs;
  } catch {
    return 0;
  }
}

/** The parent PID of `pid` (from /proc, no `ps` needed), or null when it is gone. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4, after the command in parentheses (which may hold spaces).
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Command lines of the processes whose parent is `pid`. */
function childrenOf(pid: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || parentOf(Number(entry)) !== pid) continue;
    try {
      found.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' '));
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end (at most `timeoutMs`). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<Exit> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(command, args, { cwd: PROJECT_ROOT, env: childEnv(env), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
        signal: e?.signal ?? null,
        stdout,
        stderr,
        ms: performance.now() - started,
      });
    });
  });
}

/** Settings every started service gets here: loopback, a free port, one OCR worker per model. */
const LOCAL = { HOST: '127.0.0.1', PORT: '0', OCR_WORKERS: '1', NODE_ENV: '' };

beforeAll(() => {
  const sources = Math.max(newest(path.join(PROJECT_ROOT, 'src')), newest(path.join(PROJECT_ROOT, 'web')));
  if (built() < sources) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  }
  expect(built()).toBeGreaterThanOrEqual(sources);
}, 300_000);

describe('npm start (compiled service, real child process)', () => {
  let child: ChildProcess;
  let output = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let url = '';
  let startedAt = 0;

  beforeAll(async () => {
    startedAt = performance.now();
    child = spawn('npm', ['start'], { cwd: PROJECT_ROOT, env: childEnv({ ...LOCAL, API_KEY: 'run-test-key' }), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    for (let i = 0; i < 1200 && !/listening on (\S+)/.test(output) && child.exitCode === null; i++) await sleep(50);
    url = /listening on (\S+)/.exec(output)?.[1] ?? '';
    expect(url, output).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  }, 120_000);

  afterAll(async () => {
    // When the SIGTERM test did not run (a filter, a failure): stop npm and node, never leave node orphaned.
    if (child.exitCode !== null || child.signalCode !== null) return;
    const node = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && parentOf(Number(p)) === child.pid);
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    for (const pid of node) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (child.exitCode === null) child.kill('SIGKILL');
  }, 30_000);

  it('runs node on the compiled build (no tsx), says what it is doing, and reports how long start-up took', () => {
    expect(output).toMatch(/exec node dist\/src\/main\.js/);
    expect(output).toMatch(/loading the card database .*cards-all\.csv/);
    const ready = Number(/ready in (\d+) ms/.exec(output)?.[1]);
    expect(ready).toBeGreaterThan(0);
    console.log(`npm start: ready in ${ready} ms by its own clock, ${Math.round(performance.now() - startedAt)} ms from spawning npm`);
    // npm's only child is node itself (`exec`: no shell, no tsx in between).
    expect(childrenOf(child.pid!)).toEqual(['node dist/src/main.js']);
  });

  it('answers /health, the web page and GraphQL (with the API key)', async () => {
    const base = url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<!doctype html>/i);
    const denied = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ health { status } }"}' });
    expect(denied.status).toBe(401);
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer run-test-key' },
      body: '{"query":"{ health { status cardsLoaded } }"}',
    });
    expect(await ok.json()).toMatchObject({ data: { health: { status: 'OK' } } });
  });

  it('decklist-ocr client --json authenticates with --api-key or DECKLIST_OCR_API_KEY; without a key it fails with UNAUTHENTICATED', async () => {
    const fixture = loadFixtures()[0]!;
    const withKey = await run(process.execPath, [BIN, 'client', '--json', '--url', url, fixture.imagePath], { DECKLIST_OCR_API_KEY: 'run-test-key' });
    expect(withKey.code, withKey.stderr).toBe(0);
    const events = withKey.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const result = events.find((e) => e.__typename === 'BatchResult');
    expect(result.decklist.text).toContain('Main Deck (40)');
    expect(result.decklist).toHaveProperty('deckCode');
    expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', succeeded: 1 });

    const flag = await run(process.execPath, [BIN, 'client', '--json', '--api-key', 'run-test-key', '--url', url, '/nonexistent.jpg']);
    expect(flag.code).toBe(1);
    expect(JSON.parse(flag.stdout.trim())).toMatchObject({ file: '/nonexistent.jpg', ok: false, error: { code: 'READ_FAILED' } });
    expect(flag.stderr).not.toMatch(/\n\s+at /);

    const without = await run(process.execPath, [BIN, 'client', '--url', url, fixture.imagePath], { DECKLIST_OCR_API_KEY: '' });
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/error UNAUTHENTICATED/);
  });

  it('stops on SIGTERM sent to the PID npm start gave: exit code 0, port closed', async () => {
    child.kill('SIGTERM');
    const result = await exited;
    expect(result, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/SIGTERM: shutting down/);
    expect(output).toMatch(/\nstopped\n/);
    await expect(fetch(`${url.replace(/\/graphql$/, '')}/health`)).rejects.toThrow();
  });
});

describe('setup mistakes: one line, exit code 78, no stack trace, fast', () => {
  let busy: Server;
  let busyPort = 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'run-test-'));
  const notCsv = path.join(dir, 'cards.csv');
  writeFileSync(notCsv, '\x89PNG\r\n\x1a\n\0\0\0 not a card database');

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  const cases: [string, () => NodeJS.ProcessEnv, string, () => RegExp][] = [
    [
      'a missing card database',
      () => ({ CARDS_PATH: '/nonexistent/cards.csv' }),
      'CARDS_PATH',
      () => /cannot read the card database \/nonexistent\/cards\.csv \(no such file\)/,
    ],
    [
      'a card database that is not a CSV',
      () => ({ CARDS_PATH: notCsv }),
      'CARDS_PATH',
      () => new RegExp(`${notCsv.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a card database`),
    ],
    ['a port in use', () => ({ PORT: String(busyPort) }), 'PORT', () => new RegExp(`port ${busyPort} is already in use on 127\\.0\\.0\\.1`)],
    ['a port that is not a number', () => ({ PORT: 'abc' }), 'PORT', () => /PORT must be a whole number from 0 to 65535, got "abc"/],
    ['a count out of range', () => ({ MAX_FILES: '0' }), 'MAX_FILES', () => /MAX_FILES must be a whole number >= 1, got "0"/],
    ['an on/off setting that is neither', () => ({ GRAPHIQL: 'maybe' }), 'GRAPHIQL', () => /GRAPHIQL must be true or false/],
    [
      'a cache folder that cannot be made',
      () => ({ TESSDATA_CACHE: path.join(notCsv, 'cache') }),
      'TESSDATA_CACHE',
      () => /cannot write to the folder .*\(ENOTDIR\)/,
    ],
  ];

  for (const [what, env, setting, message] of cases) {
    it(`${what}: names ${setting} and the fix`, async () => {
      const result = await run(process.execPath, [ENTRY], { ...LOCAL, ...env() }, 60_000);
      expect(result.code, result.stderr).toBe(78);
      // Fast: settings, port and cache are checked before the OCR models load (well under a second on an
      // idle machine; the bound leaves room for a loaded CI machine).
      expect(result.ms).toBeLessThan(10_000);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^decklist-ocr: setup error \\(${setting}\\): `));
      expect(lines[0]).toMatch(message());
      expect(lines[0]).toMatch(/; fix: \S/);
      // Before any OCR worker starts: no "OCR workers ready" line.
      expect(result.stdout).not.toMatch(/OCR workers ready/);
    });
  }

  it('through npm start too: exit code 78 and the line', async () => {
    const result = await run('npm', ['start'], { ...LOCAL, CARDS_PATH: '/nonexistent/cards.csv' }, 60_000);
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^decklist-ocr: setup error \(CARDS_PATH\): cannot read the card database/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the decklist-ocr command', () => {
  it('npx decklist-ocr ocr --json pipes valid JSON (nothing but the JSON on stdout)', async () => {
    const empty = path.join(mkdtempSync(path.join(tmpdir(), 'run-test-')), 'empty.jpg');
    writeFileSync(empty, '');
    const result = await run('npx', ['--no-install', 'decklist-ocr', 'ocr', '--json', empty, '/nonexistent.jpg'], {}, 120_000);
    expect(result.code, result.stderr).toBe(1);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.map((r: { error: { code: string } }) => r.error.code)).toEqual(['EMPTY_FILE', 'READ_FAILED']);
  });

  it('prints its usage for an unknown command (exit code 2)', async () => {
    const result = await run(process.execPath, [BIN, 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^usage: decklist-ocr <command>/);
  });
});
