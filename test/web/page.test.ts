/**
 * The web page in a real browser: Debian's headless Chromium driven by playwright-core against the real
 * service (real OCR) on an ephemeral port. Uploads two fixture screenshots and a junk file through the
 * page's file input, then checks what a person sees and gets: decklists, the junk row's error, a correction
 * reaching the text export and deck code, copy and download. Saves screenshots in test-artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { getDeckFromCode } from '@piltoverarchive/riftbound-deck-codes';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtures, type Fixture } from '../../scripts/fixtures.js';
import { PROJECT_ROOT } from '../../src/env.js';
import { createPipeline, type DecklistPipeline } from '../../src/pipeline/pipeline.js';
import { createService, type Service } from '../../src/server/app.js';
import { serverConfigFromEnv } from '../../src/server/config.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const SECTIONS = ['legend', 'mainDeck', 'battlefields', 'runes', 'sideDeck'] as const;

const fixtures: Fixture[] = loadFixtures().slice(0, 2);
let pipeline: DecklistPipeline;
let service: Service;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let batchUrl: string;
const streamBodies: string[] = [];
const streamSockets = new Set<Socket>();

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the web page test needs Debian's chromium ` +
        '(apt-get install -y --no-install-recommends chromium, as .ci/run does), or set CHROMIUM_PATH',
    );
  }
  // Build the page from the current sources, as `npm run build:web` does.
  const { build } = await import('vite');
  await build({ configFile: path.join(PROJECT_ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });

  // Batches here repeat the fixtures (the cancel test needs some still queued): no caches to answer copies.
  pipeline = await createPipeline({ workers: 2, resultCacheEntries: 0, cropCacheEntries: 0 });
  service = createService({ pipeline, config: { ...serverConfigFromEnv({}), host: '127.0.0.1', port: 0 } });
  origin = new URL(await service.listen()).origin;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core starts it with a fresh temporary profile (its own --user-data-dir).
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  // Nothing leaves the machine: card images (https URLs of the database) get a stand-in picture.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 204 }));
  page = await context.newPage();
  // The page's graphql-sse requests (distinct connections: one POST per subscription) and their sockets.
  page.on('request', (req) => {
    if (req.url().endsWith('/graphql/stream') && req.method() === 'POST') streamBodies.push(req.postData() ?? '{}');
  });
  service.server.on('request', (req: IncomingMessage) => {
    if ((req.url ?? '').startsWith('/graphql/stream')) streamSockets.add(req.socket);
  });
  page.on('pageerror', (error) => console.error('page error:', error));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      console.error(`page console ${message.type()} (a cut stream is expected once): ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await pipeline?.close();
});

/** A raw GET (no URL normalisation on the client side, unlike fetch). */
function rawGet(pathname: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: pathname, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Per section: `English name ×quantity` of the label (tiles of one card added up), in display order. */
function expectedDeck(label: Fixture['label']): Record<string, string[]> {
  return Object.fromEntries(
    SECTIONS.map((s) => {
      const sums = new Map<string, number>();
      for (const e of label.sections[s]) sums.set(e.nameEn, (sums.get(e.nameEn) ?? 0) + e.quantity);
      return [s, [...sums].map(([name, q]) => `${name} ×${q}`)];
    }),
  );
}

/** What the page shows of a deck, in the same shape. */
async function shownDeck(file: string): Promise<Record<string, string[]>> {
  return page.locator(`article.deck[data-file="${file}"]`).evaluate(
    (deck, sections) => {
      return Object.fromEntries(
        sections.map((s) => [
          s,
          [...deck.querySelectorAll(`[data-section="${s}"] li.entry`)].map(
            (li) => `${li.querySelector('.name-en')!.textContent} ×${li.querySelector('.qty')!.textContent}`,
          ),
        ]),
      );
    },
    SECTIONS as unknown as string[],
  );
}

const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

describe('serving the page', () => {
  it('serves the built page at / and its assets with content types and cache headers, nothing outside', async () => {
    const index = await rawGet('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("connect-src 'self'");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();
    const asset = await rawGet(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const outside of ['/../package.json', '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/..%2fpackage.json']) {
      const res = await rawGet(outside);
      expect(res.status, outside).not.toBe(200);
      expect(res.body, outside).not.toContain('"decklist-ocr"');
    }
    // GraphQL still answers beside it.
    const health = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { status } }' }),
    });
    expect(await health.json()).toEqual({ data: { health: { status: 'OK' } } });
  });
});

describe('the page in Chromium', () => {
  it('uploads screenshots and junk, survives a dropped stream, shows each decklist and the junk row error', async () => {
    const started = performance.now();
    await page.goto(`${origin}/`);
    expect(await page.locator('h1').textContent()).toBe('Decklist OCR');
    await page.setInputFiles('#files', [
      ...fixtures.map((f) => ({ name: path.basename(f.imagePath), mimeType: 'image/jpeg', buffer: readFileSync(f.imagePath) })),
      { name: 'junk.txt', mimeType: 'text/plain', buffer: Buffer.from('not a screenshot\n') },
    ]);
    // Cut the page's event stream mid-batch: it must resume with `after` and lose or repeat nothing.
    await page.waitForFunction(() => Number(document.body.dataset.events ?? 0) >= 2, undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => document.body.dataset.batch), 'the batch finished before the cut').not.toBe('complete');
    expect(streamSockets.size).toBeGreaterThan(0);
    for (const socket of streamSockets) socket.destroy();
    await page.waitForSelector('body[data-batch="complete"]', { timeout: 90_000 });
    const counts = await page.evaluate(() => [document.body.dataset.events, document.body.dataset.lastSequence]);
    expect(counts[0]).toBe(counts[1]);
    const resumedAfter = streamBodies.map((b) => (JSON.parse(b) as { variables: { after?: number } }).variables.after ?? 0);
    expect(resumedAfter[0]).toBe(0);
    expect(resumedAfter.length).toBeGreaterThan(1);
    expect(resumedAfter.at(-1)).toBeGreaterThan(1);
    // The shared BatchEvents subscription, with each entry's candidates for the correction picker.
    expect(streamBodies.map((b) => (JSON.parse(b) as { variables: { withCandidates?: boolean } }).variables.withCandidates)).toEqual(
      streamBodies.map(() => true),
    );
    console.log(`batch finished on the page in ${Math.round(performance.now() - started)} ms`);
    batchUrl = page.url();
    expect(batchUrl).toMatch(/\?batch=[0-9a-f-]{36}$/);

    expect(await page.locator('#overall-text').textContent()).toMatch(/^Finished: 2 read, 1 failed/);
    for (const fixture of fixtures) {
      const file = path.basename(fixture.imagePath);
      expect(await shownDeck(file), file).toEqual(expectedDeck(fixture.label));
      const deck = page.locator(`article.deck[data-file="${file}"]`);
      expect(await deck.locator('h2').textContent()).toBe(fixture.label.metadata.deckName);
      expect(await deck.locator('.placement').textContent()).toBe(`#${fixture.label.metadata.placement}`);
      expect(await page.locator(`[data-row="${file}"]`).getAttribute('data-state')).toBe('DONE');
    }
    const junk = page.locator('[data-row="junk.txt"]');
    expect(await junk.getAttribute('data-state')).toBe('ERROR');
    expect(await junk.locator('.row-error').textContent()).toMatch(/^[A-Z_]+ .+/);
  });

  it('fixes an entry with the keyboard: the text export and deck code follow, copy and download give them', async () => {
    const file = path.basename(fixtures[0]!.imagePath);
    const deck = page.locator(`article.deck[data-file="${file}"]`);
    const textBefore = (await deck.locator('pre.deck-text').textContent())!;
    const codeBefore = (await deck.locator('code.deck-code').textContent())!;
    const entry = deck.locator('[data-section="mainDeck"] li.entry').first();
    const qty = (await entry.locator('.qty').textContent())!;
    const oldName = (await entry.locator('.name-en').textContent())!;
    expect(textBefore).toContain(`\n${qty} ${oldName}\n`);
    // The first main-deck card is the chosen champion: marked, and in the deck code.
    expect(await entry.locator('.champ').count()).toBe(1);
    expect(getDeckFromCode(codeBefore).chosenChampion).toBeDefined();

    // Keyboard only: focus the entry's button, open the editor, search, pick the first result.
    await entry.locator('button.fix').focus();
    await page.keyboard.press('Enter');
    const search = deck.locator('.editor input[type="search"]');
    expect(await isFocused(search)).toBe(true);
    await page.keyboard.type('Blast of Power');
    const picked = deck.locator('.editor label + ul.picks button.pick').first();
    await picked.waitFor();
    const newName = (await picked.locator('.pick-name').textContent())!;
    const newCode = (await picked.getAttribute('data-code'))!;
    expect(newName).not.toBe(oldName);
    await search.focus();
    await page.keyboard.press('Tab');
    expect(await isFocused(picked)).toBe(true);
    await page.keyboard.press('Enter');

    const textAfter = (await deck.locator('pre.deck-text').textContent())!;
    expect(textAfter).toBe(textBefore.replace(`\n${qty} ${oldName}\n`, `\n${qty} ${newName}\n`));
    const codeAfter = (await deck.locator('code.deck-code').textContent())!;
    expect(codeAfter).not.toBe(codeBefore);
    const decoded = getDeckFromCode(codeAfter);
    expect(decoded.mainDeck.find((c) => c.cardCode === newCode)?.count).toBeGreaterThanOrEqual(Number(qty));
    // A spell first in the main deck is no champion: the mark goes, the rule says so, the code has none.
    expect(decoded.chosenChampion).toBeUndefined();
    expect(await deck.locator('[data-section="mainDeck"] li.entry').first().locator('.champ').count()).toBe(0);
    expect(await deck.locator('.notices .problem').allTextContents()).toContainEqual(expect.stringContaining('must be a champion unit'));
    expect(await deck.locator('[data-section="mainDeck"] li.entry').first().locator('.name-en').textContent()).toBe(newName);
    // Focus comes back to the corrected entry.
    expect(await isFocused(deck.locator('[data-section="mainDeck"] li.entry').first().locator('button.fix'))).toBe(true);

    // Copy text, copy deck code: what lands on the clipboard.
    await deck.locator('button[data-action="copy-text"]').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(textAfter);
    await deck.locator('button[data-action="copy-code"]').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(codeAfter);

    // Download JSON: the corrected decklist.
    const [download] = await Promise.all([page.waitForEvent('download'), deck.locator('button[data-action="download"]').click()]);
    expect(download.suggestedFilename()).toBe(file.replace(/\.jpg$/, '.json'));
    const json = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(json.file).toBe(file);
    expect(json.decklist.text).toBe(textAfter);
    expect(json.decklist.deckCode).toBe(codeAfter);
    expect(json.decklist.mainDeck[0].card.nameEn).toBe(newName);

    // Download all: both decklists and the junk file's error.
    const [all] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-action="download-all"]').click()]);
    const list = JSON.parse(readFileSync((await all.path())!, 'utf8')) as { file: string; ok: boolean; error?: { code: string } }[];
    expect(list.map((r) => [r.file, r.ok])).toEqual([...fixtures.map((f) => [path.basename(f.imagePath), true]), ['junk.txt', false]]);

    await page
      .locator('details.export')
      .first()
      .evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.locator('#toast').evaluate((t) => t.classList.remove('show'));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'page.png'), fullPage: true });
  });

  it('shows the batch again on reload (replay) and reads well at phone width', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.emulateMedia({ reducedMotion: 'reduce' });
    await phone.goto(batchUrl);
    await phone.waitForSelector('body[data-batch="complete"]', { timeout: 30_000 });
    expect(await phone.locator('article.deck').count()).toBe(2);
    expect(await phone.locator('[data-row="junk.txt"] .row-error').count()).toBe(1);
    // Nothing wider than the screen.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'page-phone.png'), fullPage: false });
    await phone.close();
  });
});

describe('cancelling a batch on the page', () => {
  it('stops the queued screenshots: their rows say Cancelled, the ones being read still finish', async () => {
    const tab = await context.newPage();
    await tab.goto(`${origin}/`);
    const files = [0, 1, 2].flatMap((copy) =>
      fixtures.map((f) => ({ name: `${copy}-${path.basename(f.imagePath)}`, mimeType: 'image/jpeg', buffer: readFileSync(f.imagePath) })),
    );
    await tab.setInputFiles('#files', files);
    const cancel = tab.locator('button[data-action="cancel"]');
    await cancel.click({ timeout: 30_000 });
    await tab.waitForSelector('body[data-batch="complete"]', { timeout: 60_000 });
    const states = await tab.locator('li.row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.state));
    expect(states).toHaveLength(files.length);
    const cancelled = states.filter((s) => s === 'CANCELLED').length;
    const read = states.filter((s) => s === 'DONE').length;
    // Two images are read at a time: the ones started before the click finish, the queued ones are cancelled.
    expect(cancelled).toBeGreaterThan(0);
    expect(read + cancelled).toBe(files.length);
    expect(await tab.locator('#overall-text').textContent()).toMatch(new RegExp(`^Finished: ${read} read, 0 failed, ${cancelled} cancelled`));
    expect(await tab.locator('article.deck').count()).toBe(read);
    expect(await cancel.count()).toBe(0);
    await tab.close();
  });
});

describe('GraphiQL in Chromium', () => {
  it('runs the default query with nothing fetched from outside the server', async () => {
    const graphiql = await context.newPage();
    const outside: string[] = [];
    graphiql.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) outside.push(url);
    });
    const response = await graphiql.goto(`${origin}/graphql`);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    await graphiql.locator('.graphiql-execute-button').click({ timeout: 30_000 });
    await expect.poll(() => graphiql.locator('.graphiql-response').textContent(), { timeout: 30_000 }).toMatch(/"cardsLoaded":\s*[1-9]\d*/);
    expect(await graphiql.locator('.graphiql-response').textContent()).toMatch(/"status":\s*"OK"/);
    expect(outside).toEqual([]);
    await graphiql.close();
  });
});

describe('a service with an API key', () => {
  it('asks for the key once and sends it with every request', async () => {
    const locked = createService({ pipeline, config: { ...serverConfigFromEnv({}), host: '127.0.0.1', port: 0, apiKey: 'sesame' } });
    const lockedOrigin = new URL(await locked.listen()).origin;
    const tab = await context.newPage();
    const asked: string[] = [];
    tab.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept('sesame');
    });
    try {
      await tab.goto(`${lockedOrigin}/?batch=00000000-0000-4000-8000-000000000000`);
      await tab.waitForSelector('.notice.error');
      expect(await tab.locator('.notice.error').textContent()).toMatch(/is not known to the service/);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toMatch(/API key/);
    } finally {
      await tab.close();
      await locked.close();
    }
  });
});
