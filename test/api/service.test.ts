/**
 * The service end to end: a real server on an ephemeral port, real multipart uploads (fetch/FormData),
 * the real graphql-sse client in both modes, and real OCR on the labelled fixture screenshots.
 */
import { getDeckFromCode } from '@piltoverarchive/riftbound-deck-codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient, ServiceError, type BatchEvent } from '../../src/client/client.js';
import { BatchQuery, CancelBatchMutation, CardsQuery, HealthQuery } from '../../src/client/operations.js';
import { createPipeline, type DecklistPipeline } from '../../src/pipeline/pipeline.js';
import type { Service } from '../../src/server/app.js';
import { collect, expectDecklist, expectWellFormed, fixtureFile, fixtures, rawMultipart, startService } from './helpers.js';

const MAX_FILE_BYTES = 1_500_000;
const MAX_FILES = 8;
const MAX_REQUEST_BYTES = 12_000_000;

let pipeline: DecklistPipeline;
let service: Service;
let url: string;
let distinct: ServiceClient;
let single: ServiceClient;

beforeAll(async () => {
  pipeline = await createPipeline({ workers: 2 });
  ({ service, url } = await startService(pipeline, {
    maxFileBytes: MAX_FILE_BYTES,
    maxFiles: MAX_FILES,
    maxRequestBytes: MAX_REQUEST_BYTES,
  }));
  distinct = new ServiceClient({ url });
  single = new ServiceClient({ url, singleConnection: true });
});

afterAll(async () => {
  distinct?.dispose();
  single?.dispose();
  await service?.close();
  await pipeline?.close();
});

/** Junk: a text file, and a "JPEG" over the per-file byte limit. */
const junkText = { name: 'notes.txt', bytes: Buffer.from('these are not the screenshots you are looking for\n'), type: 'text/plain' };
const oversize = {
  name: 'huge.jpg',
  bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(MAX_FILE_BYTES + 500_000, 7)]),
  type: 'image/jpeg',
};

describe('processBatch with fixture screenshots and junk', () => {
  let batchId: string;
  let liveDistinct: BatchEvent[];
  let liveSingle: BatchEvent[];
  const files = [...fixtures.map(fixtureFile), junkText, oversize];

  beforeAll(async () => {
    const started = performance.now();
    const batch = await distinct.processBatch(files);
    const acceptedMs = performance.now() - started;
    expect(batch.total).toBe(files.length);
    expect(acceptedMs).toBeLessThan(5_000);
    batchId = batch.id;
    // Two subscribers at once, one per graphql-sse mode, joining while the batch runs.
    [liveDistinct, liveSingle] = await Promise.all([collect(distinct.batchEvents(batchId)), collect(single.batchEvents(batchId))]);
  });

  it('returns a UUID and streams progress, a decklist per screenshot, typed errors and the counts', () => {
    expect(batchId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const events = liveDistinct;
    expectWellFormed(events, batchId);

    // Every screenshot: QUEUED, the four stages in order, then its result.
    fixtures.forEach((fixture, index) => {
      const mine = events.filter((e) => 'index' in e && e.index === index);
      expect(mine.map((e) => (e.__typename === 'BatchProgress' ? e.stage : e.__typename))).toEqual([
        'QUEUED',
        'DECODING',
        'LAYOUT',
        'READING',
        'MATCHING',
        'BatchResult',
      ]);
      const result = mine.at(-1)!;
      if (result.__typename !== 'BatchResult') throw new Error('expected a result');
      expect(result.filename).toBe(files[index]!.name);
      expectDecklist(result.decklist, fixture);
      expect(result.decklist.text).toContain('Main Deck (40)');
      expect(result.decklist.validation.valid).toBe(true);
    });

    const errors = events.filter((e) => e.__typename === 'BatchError');
    expect(errors.map((e) => [e.index, e.filename, e.code])).toEqual([
      [fixtures.length, 'notes.txt', 'UNSUPPORTED_TYPE'],
      [fixtures.length + 1, 'huge.jpg', 'FILE_TOO_LARGE'],
    ]);
    for (const e of errors) expect(e.message.length).toBeGreaterThan(10);

    const complete = events.at(-1)!;
    if (complete.__typename !== 'BatchComplete') throw new Error('expected BatchComplete last');
    expect(complete).toMatchObject({ total: files.length, succeeded: fixtures.length, failed: 2, cancelled: 0 });
    expect(complete.durationMs).toBeGreaterThan(0);

    // `completed` counts finished images and never goes down.
    const completed = events.flatMap((e) => (e.__typename === 'BatchProgress' ? [e.completed] : []));
    expect(completed).toEqual([...completed].sort((a, b) => a - b));
  });

  it('gives both graphql-sse modes the identical sequence', () => {
    expect(liveSingle).toEqual(liveDistinct);
  });

  it('replays the whole batch to a subscriber that joins after the end', async () => {
    expect(await collect(distinct.batchEvents(batchId))).toEqual(liveDistinct);
    expect(await collect(single.batchEvents(batchId))).toEqual(liveDistinct);
  });

  it('resumes after a sequence number with no gap and no duplicate', async () => {
    for (const after of [1, 7, liveDistinct.length - 1, liveDistinct.length]) {
      const resumed = await collect(distinct.batchEvents(batchId, after));
      // A subscriber past the last event still learns the batch is over: the stream just ends.
      expect(resumed).toEqual(liveDistinct.slice(after));
    }
  });

  it('answers the batch query with status, counts, results and errors', async () => {
    const { batch } = await distinct.request(BatchQuery, { id: batchId });
    expect(batch).toMatchObject({ id: batchId, status: 'COMPLETED', total: files.length, completed: files.length });
    expect(batch!.results.map((r) => r.index).sort()).toEqual(fixtures.map((_, i) => i));
    expect(batch!.errors.map((e) => e.code)).toEqual(['UNSUPPORTED_TYPE', 'FILE_TOO_LARGE']);
    // cancelBatch on a finished batch changes nothing.
    const { cancelBatch } = await distinct.request(CancelBatchMutation, { id: batchId });
    expect(cancelBatch.status).toBe('COMPLETED');
  });

  it('gives each decklist a Piltover Archive deck code with the labelled cards', async () => {
    for (const [index, fixture] of fixtures.entries()) {
      const result = liveDistinct.find((e) => e.__typename === 'BatchResult' && e.index === index);
      if (result?.__typename !== 'BatchResult') throw new Error('missing result');
      const decoded = getDeckFromCode(result.decklist.deckCode!);
      const code = (nameCn: string) => pipeline.cards.byNameCn(nameCn)!.code;
      const count = (entries: { nameCn: string; quantity: number }[]) => {
        const m = new Map<string, number>();
        for (const e of entries) m.set(code(e.nameCn), (m.get(code(e.nameCn)) ?? 0) + e.quantity);
        return Object.fromEntries([...m].sort());
      };
      const s = fixture.label.sections;
      const asMap = (deck: { cardCode: string; count: number }[]) => Object.fromEntries(deck.map((c) => [c.cardCode, c.count]).sort());
      expect(asMap(decoded.mainDeck)).toEqual(count([...s.legend, ...s.mainDeck, ...s.battlefields, ...s.runes]));
      expect(asMap(decoded.sideboard)).toEqual(count(s.sideDeck));
      expect(decoded.chosenChampion).toBe(code(s.mainDeck[0]!.nameCn));
    }
  });
});

describe('processImage', () => {
  it('answers one screenshot with its decklist', async () => {
    const fixture = fixtures[0]!;
    const deck = await distinct.processImage(fixtureFile(fixture));
    expectDecklist(deck, fixture);
    expect(deck.deckCode).toMatch(/^[A-Z2-7]+$/);
  });

  it('answers a bad file with a GraphQL error carrying its code', async () => {
    const error = await distinct.processImage({ name: 'junk.png', bytes: Buffer.from('PNG? no.'), type: 'image/png' }).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.code).toBe('INVALID_IMAGE');
    expect(error.message).toMatch(/not a JPEG, PNG or WebP/);
  });
});

describe('limits and bad requests', () => {
  it('refuses more files than allowed with 413 TOO_MANY_FILES', async () => {
    const files = Array.from({ length: MAX_FILES + 1 }, (_, i) => ({ name: `${i}.png`, bytes: Buffer.from('x'), type: 'image/png' }));
    const { status, body } = await rawMultipart(url, files);
    expect(status).toBe(413);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_FILES');
  });

  it('refuses a request over the total size with 413 REQUEST_TOO_LARGE', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ name: `${i}.jpg`, bytes: Buffer.alloc(MAX_REQUEST_BYTES / 5, 1), type: 'image/jpeg' }));
    const { status, body } = await rawMultipart(url, files);
    expect(status).toBe(413);
    expect(body.errors?.[0]?.extensions?.code).toBe('REQUEST_TOO_LARGE');
  });

  it('refuses a multipart request without the CSRF header with 403', async () => {
    const { status, body } = await rawMultipart(url, [fixtureFile(fixtures[0]!)], {});
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions?.code).toBe('CSRF_HEADER_MISSING');
    expect(await service.runner.size()).toBeGreaterThan(0); // and the service is still fine:
    const { health } = await distinct.request(HealthQuery);
    expect(health.status).toBe('OK');
  });

  it('reports an unknown batch id to the client with the real message, in both modes', async () => {
    for (const client of [distinct, single]) {
      const error = await collect(client.batchEvents('00000000-0000-4000-8000-000000000000')).catch((e) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect(error.message).toMatch(/no batch 00000000-0000-4000-8000-000000000000/);
    }
    expect((await distinct.request(BatchQuery, { id: 'nope' })).batch).toBeNull();
    const cancel = await distinct.request(CancelBatchMutation, { id: 'nope' }).catch((e) => e);
    expect(cancel.code).toBe('BATCH_NOT_FOUND');
  });
});

describe('queries', () => {
  it('reports health', async () => {
    const { health } = await distinct.request(HealthQuery);
    expect(health).toMatchObject({ status: 'OK', workers: 2, queueDepth: 0, inFlight: 0 });
    expect(health.cardsLoaded).toBe(pipeline.cards.cards.length);
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('searches cards in Chinese and English, fuzzily', async () => {
    const names = async (search: string) => (await distinct.request(CardsQuery, { search, first: 3 })).cards.map((c) => c.nameEn);
    expect((await names('易, 锋芒毕现'))[0]).toBe('Yi, Honed');
    expect((await names('jinx'))[0]).toMatch(/^Jinx/);
    expect((await names('Jinx Demolitionst'))[0]).toBe('Jinx, Demolitionist');
    expect(await names('OGN-007')).toEqual(['Fury Rune']);
    expect(await names('qqqqqqqq')).toEqual([]);
  });
});
