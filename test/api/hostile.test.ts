/**
 * Hostile and broken input through the real HTTP server (real multipart, real graphql-sse client, real
 * OCR where a decklist is read). Per file: a typed BatchError while the rest of the batch succeeds.
 * Per request: a clear GraphQL error and no batch. After every test the service answers `health`.
 */
import { request as httpRequest } from 'node:http';
import { readdirSync } from 'node:fs';
import { createClient } from 'graphql-sse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/env.js';
import { ServiceClient, type BatchEvent } from '../../src/client/client.js';
import { HealthQuery } from '../../src/client/operations.js';
import { createPipeline, type DecklistPipeline } from '../../src/pipeline/pipeline.js';
import type { Service } from '../../src/server/app.js';
import { MAX_FILENAME_LENGTH } from '../../src/schema/uploads.js';
import { notADecklist, pngHeaderClaiming } from '../helpers/images.js';
import { collect, expectDecklist, expectWellFormed, fixtures } from './helpers.js';
import { startService } from './helpers.js';
import {
  animatedGif,
  batchParts,
  corruptPng,
  html,
  multipartBody,
  svg,
  tiff,
  tinyPng,
  truncatedJpeg,
  unknownSetScreenshot,
  type Part,
} from './hostile-inputs.js';
import { readFileSync } from 'node:fs';

const MAX_FILES = 20;
const MAX_FILE_BYTES = 3_000_000;
const MAX_REQUEST_BYTES = 30_000_000;

let pipeline: DecklistPipeline;
let service: Service;
let url: string;
let client: ServiceClient;

beforeAll(async () => {
  pipeline = await createPipeline({ workers: 2 });
  ({ service, url } = await startService(pipeline, { maxFiles: MAX_FILES, maxFileBytes: MAX_FILE_BYTES, maxRequestBytes: MAX_REQUEST_BYTES }));
  client = new ServiceClient({ url });
});

afterAll(async () => {
  client?.dispose();
  await service?.close();
  await pipeline?.close();
});

// After every hostile input the service still answers normally.
afterEach(async () => {
  const { health } = await client.request(HealthQuery);
  expect(health.status).toBe('OK');
  expect(health.cardsLoaded).toBe(pipeline.cards.cards.length);
});

type GraphQLBody = { data?: unknown; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[] };

async function post(parts: Part[], headers: Record<string, string> = { 'x-graphql-yoga-csrf': '1' }) {
  const { body, contentType } = multipartBody(parts);
  const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': contentType }, body: new Uint8Array(body) });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

async function postJson(payload: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

const fixture = fixtures[1]!;
const good = () => ({ filename: 'good.jpg', type: 'image/jpeg', bytes: readFileSync(fixture.imagePath) });

describe('hostile files in one batch: each its own typed error, the rest succeeds', () => {
  let events: BatchEvent[];
  let batchId: string;
  const byIndex = (index: number) => events.filter((e) => 'index' in e && e.index === index).at(-1)!;
  const expectError = (index: number, code: string, message: RegExp) => {
    const event = byIndex(index);
    expect(event.__typename).toBe('BatchError');
    if (event.__typename !== 'BatchError') return;
    expect(event.code).toBe(code);
    expect(event.message).toMatch(message);
  };

  beforeAll(async () => {
    const files = [
      good(),
      { filename: 'zero.jpg', type: 'image/jpeg', bytes: new Uint8Array(0) },
      { filename: 'page.jpg', type: 'image/jpeg', bytes: html },
      { filename: 'page2.jpg', type: 'text/html', bytes: html },
      { filename: 'half.jpg', type: 'image/jpeg', bytes: truncatedJpeg(fixture) },
      { filename: 'broken.png', type: 'image/png', bytes: await corruptPng() },
      { filename: 'bomb.png', type: 'image/png', bytes: pngHeaderClaiming(20_000, 20_000) },
      { filename: 'deck.svg', type: 'image/svg+xml', bytes: svg },
      { filename: 'deck-svg.png', type: 'image/png', bytes: svg },
      { filename: 'anim.gif', type: 'image/gif', bytes: await animatedGif() },
      { filename: 'scan.tiff', type: 'image/tiff', bytes: await tiff() },
      { filename: 'tiny.png', type: 'image/png', bytes: await tinyPng() },
      { filename: 'holiday.jpg', type: 'image/jpeg', bytes: await notADecklist() },
      { filename: 'unknown-set.jpg', type: 'image/jpeg', bytes: (await unknownSetScreenshot(fixtures[0]!)).bytes },
    ];
    const { status, body } = await post(batchParts(files));
    expect(status, JSON.stringify(body)).toBe(200);
    const batch = (body.data as { processBatch: { id: string; total: number } }).processBatch;
    expect(batch.total).toBe(files.length);
    batchId = batch.id;
    events = await collect(client.batchEvents(batchId));
  });

  it('reads the good screenshot and completes with the counts', () => {
    expectWellFormed(events, batchId);
    const result = byIndex(0);
    if (result.__typename !== 'BatchResult') throw new Error(`expected a result, got ${JSON.stringify(result)}`);
    expectDecklist(result.decklist, fixture);
    expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', total: 14, succeeded: 2, failed: 12, cancelled: 0 });
  });

  it('zero bytes: EMPTY_FILE', () => expectError(1, 'EMPTY_FILE', /zero\.jpg is empty/));
  it('HTML named .jpg (declared image/jpeg): INVALID_IMAGE', () => expectError(2, 'INVALID_IMAGE', /not a JPEG, PNG or WebP/));
  it('HTML named .jpg (declared text/html): UNSUPPORTED_TYPE', () => expectError(3, 'UNSUPPORTED_TYPE', /text\/html, not an image/));
  it('truncated JPEG: INVALID_IMAGE', () => expectError(4, 'INVALID_IMAGE', /JPEG .*(truncated|corrupt)/));
  it('corrupt PNG: INVALID_IMAGE', () => expectError(5, 'INVALID_IMAGE', /PNG .*(truncated|corrupt)/));
  it('decompression bomb (20000×20000 declared): IMAGE_TOO_LARGE from the header', () => expectError(6, 'IMAGE_TOO_LARGE', /20000×20000 px \(400\.0 MP\)/));
  it('SVG declared image/svg+xml: refused by the upload layer, never parsed', () => expectError(7, 'UNSUPPORTED_TYPE', /is an SVG/));
  it('SVG declared image/png: refused by the sniffer before any decoder', () => expectError(8, 'UNSUPPORTED_FORMAT', /SVG images are not accepted/));
  it('animated GIF: UNSUPPORTED_FORMAT', () => expectError(9, 'UNSUPPORTED_FORMAT', /GIF images are not accepted/));
  it('TIFF: UNSUPPORTED_FORMAT', () => expectError(10, 'UNSUPPORTED_FORMAT', /TIFF images are not accepted/));
  it('10×10 px: IMAGE_TOO_SMALL', () => expectError(11, 'IMAGE_TOO_SMALL', /10×10 px, too small/));
  it('a photo that is not a decklist: NOT_A_DECKLIST', () => expectError(12, 'NOT_A_DECKLIST', /.{10,}/));

  it('a decklist from an unknown set: entries come back unmatched (card null), never a wrong card', () => {
    const result = byIndex(13);
    if (result.__typename !== 'BatchResult') throw new Error(`expected a result, got ${JSON.stringify(result)}`);
    const deck = result.decklist;
    const entries = [...deck.legend, ...deck.mainDeck, ...deck.battlefields, ...deck.runes, ...deck.sideDeck];
    expect(entries.length).toBeGreaterThan(15);
    expect(entries.filter((e) => e.card !== null).map((e) => e.nameCn)).toEqual([]);
    expect(deck.deckCode).toBeNull();
    expect(deck.text).toContain('[unmatched');
  });
});

describe('hostile file names: echoed safely, never used as paths', () => {
  it('replaces separators and control characters, keeps emoji, cuts long names', async () => {
    const before = readdirSync(PROJECT_ROOT).sort();
    const names: { filename: string; encoded?: boolean }[] = [
      { filename: '../../../../tmp/evil.png' },
      { filename: '..\\..\\windows\\win.ini', encoded: true },
      { filename: '..' },
      { filename: 'ctl\x01\x07\x1b[31m\u202egnp.exe\u2028.png', encoded: true },
      { filename: `${'长'.repeat(1000)}.png` },
      { filename: '🃏 卡组 👨‍👩‍👧‍👦.png' },
    ];
    const tiny = await tinyPng();
    const { body } = await post(batchParts(names.map((n) => ({ ...n, type: 'image/png', bytes: tiny }))));
    const id = (body.data as { processBatch: { id: string } }).processBatch.id;
    const events = await collect(client.batchEvents(id));
    const echoed = names.map((_, i) => events.find((e) => e.__typename === 'BatchError' && e.index === i));
    const filenames = echoed.map((e) => (e?.__typename === 'BatchError' ? e.filename : null));
    // Directories are dropped by the multipart parser; what is left of a path never holds a separator.
    expect(filenames.slice(0, 4)).toEqual(['evil.png', 'win.ini', 'file-2', 'ctl\ufffd\ufffd\ufffd[31m\ufffdgnp.exe\ufffd.png']);
    expect(filenames[4]).toMatch(/^长+…\.png$/);
    expect([...new Intl.Segmenter().segment(filenames[4]!)].length).toBe(MAX_FILENAME_LENGTH);
    expect(filenames[5]).toBe('🃏 卡组 👨‍👩‍👧‍👦.png');
    for (const e of echoed) {
      expect(e?.__typename).toBe('BatchError');
      if (e?.__typename !== 'BatchError') continue;
      expect(e.code).toBe('IMAGE_TOO_SMALL');
      expect(e.filename).not.toMatch(/[\\/\p{Cc}]/u);
    }
    // Nothing was written anywhere a name pointed at.
    expect(readdirSync(PROJECT_ROOT).sort()).toEqual(before);
  });
});

describe('broken requests: a clear error and no batch', () => {
  let batchesBefore: number;
  beforeAll(async () => {
    batchesBefore = await service.runner.size();
  });
  afterEach(async () => {
    expect(await service.runner.size()).toBe(batchesBefore);
  });

  it('an empty file list: BAD_USER_INPUT', async () => {
    const { body } = await post(batchParts([]));
    expect(body.errors?.[0]).toMatchObject({ message: 'processBatch needs at least one file', extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.data).toBeNull();
  });

  it('more files than the limit: 413 TOO_MANY_FILES', async () => {
    const tiny = await tinyPng();
    const files = Array.from({ length: MAX_FILES + 1 }, (_, i) => ({ filename: `${i}.png`, type: 'image/png', bytes: tiny }));
    const { status, body } = await post(batchParts(files));
    expect(status).toBe(413);
    expect(body.errors?.[0]).toMatchObject({ message: `too many files: at most ${MAX_FILES} per request`, extensions: { code: 'TOO_MANY_FILES' } });
  });

  it('over the size limit with a Content-Length: 413 before the body is read', async () => {
    const declared = MAX_REQUEST_BYTES * 4;
    const { status, body, sent } = await new Promise<{ status: number; body: GraphQLBody; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'content-length': declared, 'x-graphql-yoga-csrf': '1' },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as GraphQLBody, sent }));
      });
      req.on('error', reject);
      // Send only the first 64 KiB of the announced body, then wait for the answer.
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      req.write(chunk);
      sent += chunk.length;
    });
    expect(status).toBe(413);
    expect(body.errors?.[0]?.extensions?.code).toBe('REQUEST_TOO_LARGE');
    expect(body.errors?.[0]?.message).toBe(`the request is ${declared} bytes: at most ${MAX_REQUEST_BYTES}`);
    expect(sent).toBeLessThan(declared / 100);
  });

  it('over the size limit without a Content-Length (chunked): the connection is cut at the limit', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'transfer-encoding': 'chunked', 'x-graphql-yoga-csrf': '1' },
      });
      req.on('response', (res) => resolve(`status ${res.statusCode}`));
      req.on('error', () => resolve('cut'));
      const head = `--xyz\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: 'mutation ($f: [Upload!]!) { processBatch(files: $f) { id } }', variables: { f: [null] } })}\r\n--xyz\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f.0"]}\r\n--xyz\r\nContent-Disposition: form-data; name="0"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
      req.write(head);
      const chunk = Buffer.alloc(1024 * 1024, 0xff);
      let written = 0;
      const pump = () => {
        while (written < MAX_REQUEST_BYTES * 2) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('\r\n--xyz--\r\n');
      };
      pump();
    });
    expect(['cut', 'status 413']).toContain(outcome);
    // The batch its resolver had opened is gone with the request.
    for (let i = 0; i < 50 && (await service.runner.size()) !== batchesBefore; i++) await new Promise((r) => setTimeout(r, 20));
  });

  it('multipart without a map: 400 BAD_MULTIPART_REQUEST', async () => {
    const [operations, , file] = batchParts([good()]);
    const { status, body } = await post([operations!, file!]);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_MULTIPART_REQUEST');
    expect(body.errors?.[0]?.message).toMatch(/'map'/);
  });

  it('multipart with a malformed map: 400 BAD_MULTIPART_REQUEST', async () => {
    const [operations, , file] = batchParts([good()]);
    for (const map of ['{"0": ["variables.f.0"', '["variables.f.0"]', '{"0": "variables.f.0"}']) {
      const { status, body } = await post([operations!, { name: 'map', value: map }, file!]);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_MULTIPART_REQUEST');
      expect(body.errors?.[0]?.message).toMatch(/'map' multipart field/);
    }
  });

  it('a map naming a file the request does not carry: BAD_MULTIPART_REQUEST, no batch', async () => {
    const tiny = await tinyPng();
    const parts = batchParts([
      { filename: 'a.png', type: 'image/png', bytes: tiny },
      { filename: 'b.png', type: 'image/png', bytes: tiny },
    ]);
    const { body } = await post(parts.slice(0, 3)); // operations, map, file 0 — file 1 never comes
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_MULTIPART_REQUEST' } });
    expect(body.errors?.[0]?.message).toMatch(/names a file for files\[1\] that the request does not contain/);
  });

  it('a map pointing outside the operations: 400 BAD_MULTIPART_REQUEST', async () => {
    const tiny = await tinyPng();
    const [operations, , file] = batchParts([{ filename: 'a.png', type: 'image/png', bytes: tiny }]);
    const { status, body } = await post([operations!, { name: 'map', value: '{"0":["variables.g.0"]}' }, file!]);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_MULTIPART_REQUEST');
    expect(body.errors?.[0]?.message).toMatch(/Invalid object path for the 'map' multipart field .* 'variables\.g\.0'/);
  });

  it('a map leaving a file variable empty: a GraphQL error naming the variable', async () => {
    const tiny = await tinyPng();
    const [operations, , file] = batchParts([
      { filename: 'a.png', type: 'image/png', bytes: tiny },
      { filename: 'b.png', type: 'image/png', bytes: tiny },
    ]);
    const { body } = await post([operations!, { name: 'map', value: '{"0":["variables.f.0"]}' }, file!]);
    expect(body.errors?.[0]?.message).toMatch(/Variable "\$f" got invalid value null at "f\[1\]"/);
  });

  it('no CSRF header: 403 CSRF_HEADER_MISSING', async () => {
    const { status, body } = await post(batchParts([good()]), {});
    expect(status).toBe(403);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'CSRF_HEADER_MISSING' } });
    expect(body.errors?.[0]?.message).toMatch(/x-graphql-yoga-csrf/);
  });
});

describe('abusive operations (GraphQL Armor and yoga)', () => {
  it('refuses a query deeper than the limit', async () => {
    const deep = `{ health { ${'... on Health { '.repeat(20)} status ${'} '.repeat(20)} } }`;
    const { status, body } = await postJson({ query: deep });
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toMatch(/depth limit of 16 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('refuses a query over the cost limit', async () => {
    const fields =
      'nameCn quantity confidence card { cardNumber nameEn nameCn type cost } candidates { score card { cardNumber nameEn } } ocrText { name } tiles { x y }';
    const query = `query { ${Array.from({ length: 14 }, (_, i) => `b${i}: batch(id: "x") { events { ...E } results { ...E } }`).join(' ')} }
      fragment E on BatchResult { decklist { legend { ...D } mainDeck { ...D } battlefields { ...D } runes { ...D } sideDeck { ...D } } }
      fragment D on DeckEntry { ${fields} }`;
    const { status, body } = await postJson({ query });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/cost limit of 50000 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('MAX_COST_EXCEEDED');
  });

  it('refuses too many aliases', async () => {
    const query = `{ ${Array.from({ length: 16 }, (_, i) => `h${i}: health { status }`).join(' ')} }`;
    const { status, body } = await postJson({ query });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/aliases limit of 15 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('MAX_ALIASES_EXCEEDED');
  });

  it('refuses too many tokens and too many directives', async () => {
    const tokens = await postJson({ query: `{ health { ${'status '.repeat(1200)} } }` });
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors?.[0]?.message).toMatch(/token limit of 1000 exceeded/i);
    expect(tokens.body.errors?.[0]?.extensions?.code).toBe('MAX_TOKENS_EXCEEDED');
    const directives = await postJson({ query: `{ health { status ${'@include(if: true) '.repeat(11)} } }` });
    expect(directives.status).toBe(400);
    expect(directives.body.errors?.[0]?.message).toMatch(/directives limit of 10 exceeded/i);
    expect(directives.body.errors?.[0]?.extensions?.code).toBe('MAX_DIRECTIVES_EXCEEDED');
    // The same 400 for a client that asks for the GraphQL-over-HTTP media type.
    const strict = await postJson(
      { query: `{ ${Array.from({ length: 16 }, (_, i) => `h${i}: health { status }`).join(' ')} }` },
      { accept: 'application/graphql-response+json' },
    );
    expect(strict.status).toBe(400);
    expect(strict.body.errors?.[0]?.extensions?.code).toBe('MAX_ALIASES_EXCEEDED');
  });

  it('answers a stream document that does not parse, validate or keep to a limit with its GraphQL error, in both modes', async () => {
    // Every refusal carries its code: yoga's for syntax and schema, MAX_*_EXCEEDED for the operation limits.
    const cases: [string, RegExp, string][] = [
      ['subscription {', /^Syntax Error: Expected Name/, 'GRAPHQL_PARSE_FAILED'],
      ['subscription { batchEvents(batchId: "x") { nope } }', /Cannot query field "nope" on type "BatchEvent"/, 'GRAPHQL_VALIDATION_FAILED'],
      [`subscription { batchEvents(batchId: "x") { ${'__typename '.repeat(1200)} } }`, /token limit of 1000 exceeded/i, 'MAX_TOKENS_EXCEEDED'],
      [
        `subscription { batchEvents(batchId: "x") { ${'... on BatchComplete { '.repeat(20)} total ${'} '.repeat(20)} } }`,
        /depth limit of 16 exceeded/i,
        'MAX_DEPTH_EXCEEDED',
      ],
      [
        `subscription { batchEvents(batchId: "x") { ...on BatchResult { decklist { ${'... on Decklist { '.repeat(20)} text ${'} '.repeat(20)} } } } }`,
        /cost limit of 50000 exceeded/i,
        'MAX_COST_EXCEEDED',
      ],
    ];
    for (const singleConnection of [false, true]) {
      const sse = createClient({ url: url.replace(/\/graphql$/, '/graphql/stream'), singleConnection, retryAttempts: 0 });
      try {
        // Twice each: the second time the document comes from yoga's parse/validation caches.
        for (const [query, message, code] of [...cases, ...cases]) {
          const results = await new Promise<{ data?: unknown; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[]>(
            (resolve, reject) => {
              const out: never[] = [];
              sse.subscribe(
                { query },
                { next: (r) => out.push(r as never), error: (e) => reject(new Error(`${query.slice(0, 60)}: ${String(e)}`)), complete: () => resolve(out) },
              );
            },
          );
          expect(results, `${singleConnection ? 'single' : 'distinct'}: ${query.slice(0, 40)}`).toHaveLength(1);
          expect(results[0]!.data).toBeNull();
          expect(results[0]!.errors?.[0]?.message).toMatch(message);
          expect(results[0]!.errors?.[0]?.extensions?.['code']).toBe(code);
        }
      } finally {
        sse.dispose();
      }
    }
  });

  it('refuses batched operations (a JSON array)', async () => {
    const { status, body } = await postJson(Array.from({ length: 50 }, () => ({ query: '{ health { status } }' })));
    expect(status).toBeGreaterThanOrEqual(400);
    expect(body.errors?.[0]?.message).toMatch(/batching is not supported|invalid/i);
  });
});
