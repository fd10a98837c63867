/**
 * Slow clients against the real server (fake pipeline, real card database; raw loopback sockets and a
 * real graphql-sse client): headers sent a line at a time, an upload trickled or stopped halfway, and a
 * subscriber that stops reading. Each gets its typed 408 or is dropped, within the configured limit,
 * without holding an upload slot and without hurting anyone else.
 */
import net from 'node:net';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient } from '../../src/client/client.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase, type CardDatabase } from '../../src/pipeline/cards/cards.js';
import type { Service } from '../../src/server/app.js';
import { fakePipeline, PNG } from '../fuzz/fake-pipeline.js';
import { sendRaw, type WireResult } from '../fuzz/wire.js';
import { startService } from './helpers.js';

const LIMITS = { headersTimeoutMs: 1_000, uploadIdleTimeoutMs: 1_000, uploadTimeoutMs: 3_000, writeStallTimeoutMs: 1_000 };

let cards: CardDatabase;
let service: Service;
let url: string;
let port: number;
let client: ServiceClient;

beforeAll(async () => {
  cards = await loadCardDatabase(DEFAULT_CARDS_PATH);
  // One upload at a time: a slow upload that kept its slot would block the next one.
  ({ service, url } = await startService(fakePipeline(cards, 1, 500_000), { ...LIMITS, maxConcurrentUploads: 1 }));
  port = Number(new URL(url).port);
  client = new ServiceClient({ url });
});
afterAll(async () => {
  client?.dispose();
  await service?.close();
});

const BOUNDARY = 'slowclient';
function uploadRequest(): { head: Buffer; body: Buffer } {
  const body = Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
        `{"query":"mutation ($f: [Upload!]!) { processBatch(files: $f) { id } }","variables":{"f":[null]}}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f.0"]}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="deck.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    PNG,
    Buffer.alloc(2_000, 1),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  const head = Buffer.from(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
      `x-graphql-yoga-csrf: 1\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  return { head, body };
}

function errorOf(result: WireResult): { message: string; extensions: { code: string } } {
  return (JSON.parse(result.body!.toString('utf8')) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]!;
}

async function expectHealthy() {
  const { health } = await client.request((await import('../../src/client/operations.js')).HealthQuery);
  expect(health.status).toBe('OK');
}

describe('slow requests: a typed 408 within the limit', () => {
  it('headers sent a line at a time (slowloris): 408 REQUEST_TIMEOUT once HEADERS_TIMEOUT_MS is over', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => Buffer.from(`X-Slow-${i}: x\r\n`));
    const result = await sendRaw([Buffer.from('GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n'), ...lines], { port, timeoutMs: 10_000, gapMs: 100 });
    expect(result.outcome).toBe('response');
    expect(result.status).toBe(408);
    expect(errorOf(result)).toMatchObject({ extensions: { code: 'REQUEST_TIMEOUT' } });
    // Node checks the header timer every 250 ms here (a quarter of the limit).
    expect(result.ms).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
    expect(result.ms).toBeLessThan(LIMITS.headersTimeoutMs + 1_500);
    await expectHealthy();
  });

  it('an upload trickled a byte at a time: 408 once UPLOAD_TIMEOUT_MS is over, the batch dropped, the slot freed', async () => {
    const before = service.runner.size;
    const { head, body } = uploadRequest();
    const bytes = [...body].map((b) => Buffer.from([b]));
    const pending = sendRaw([head, ...bytes], { port, timeoutMs: 10_000, gapMs: 5 });
    // Meanwhile the service answers others.
    await new Promise((r) => setTimeout(r, 500));
    await expectHealthy();
    const result = await pending;
    expect(result.status).toBe(408);
    expect(errorOf(result)).toEqual({
      message: `the request body was not complete within ${LIMITS.uploadTimeoutMs} ms`,
      extensions: { code: 'REQUEST_TIMEOUT', http: { status: 408 } },
    });
    expect(result.ms).toBeGreaterThanOrEqual(LIMITS.uploadTimeoutMs - 50);
    expect(result.ms).toBeLessThan(LIMITS.uploadTimeoutMs + 1_500);
    expect(service.runner.size).toBe(before);
    // The only upload slot is free again.
    const batch = await client.processBatch([{ name: 'deck.png', bytes: PNG, type: 'image/png' }]);
    expect(batch.total).toBe(1);
  });

  it('an upload that stops halfway: 408 once UPLOAD_IDLE_TIMEOUT_MS passes without a byte', async () => {
    const before = service.runner.size;
    const { head, body } = uploadRequest();
    const result = await sendRaw([Buffer.concat([head, body.subarray(0, body.length - 500)])], { port, timeoutMs: 10_000 });
    expect(result.status).toBe(408);
    expect(errorOf(result)).toMatchObject({
      message: `no part of the request body arrived for ${LIMITS.uploadIdleTimeoutMs} ms`,
      extensions: { code: 'REQUEST_TIMEOUT' },
    });
    expect(result.ms).toBeGreaterThanOrEqual(LIMITS.uploadIdleTimeoutMs - 50);
    expect(result.ms).toBeLessThan(LIMITS.uploadIdleTimeoutMs + 1_500);
    expect(service.runner.size).toBe(before);
    const batch = await client.processBatch([{ name: 'deck.png', bytes: PNG, type: 'image/png' }]);
    expect(batch.total).toBe(1);
  });

  it('a JSON body that stops halfway: 408 too', async () => {
    const json = '{"query":"{ health { status } }"}';
    const result = await sendRaw(
      [
        Buffer.from(
          `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json.slice(0, 10)}`,
        ),
      ],
      { port, timeoutMs: 10_000 },
    );
    expect(result.status).toBe(408);
    expect(errorOf(result).extensions.code).toBe('REQUEST_TIMEOUT');
  });
});

describe('a subscriber that stops reading', () => {
  it('is dropped after WRITE_STALL_TIMEOUT_MS; another subscriber of the same batch gets every event', async () => {
    // 40 results of ~500 KB each: far more than the socket buffers of a reader that stopped.
    const files = Array.from({ length: 40 }, (_, i) => ({ name: `${i}.png`, bytes: PNG, type: 'image/png' }));
    const batch = await client.processBatch(files);
    const query = `subscription { batchEvents(batchId: "${batch.id}") { __typename ... on BatchResult { decklist { metadata { deckName } } } } }`;

    // The stalled one: a raw GET in graphql-sse's distinct-connections mode, never read after the first bytes.
    const stalled = net.connect({ host: '127.0.0.1', port });
    let received = 0;
    let closedAt = 0;
    stalled.on('error', () => {});
    stalled.on('close', () => (closedAt = performance.now()));
    stalled.once('data', (chunk: Buffer) => {
      received += chunk.length;
      stalled.pause();
    });
    stalled.write(`GET /graphql/stream?query=${encodeURIComponent(query)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);

    // The other one reads everything.
    const sse = createClient({ url: `${url}/stream`, retryAttempts: 0 });
    const events: { __typename: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      sse.subscribe<{ batchEvents: { __typename: string } }>(
        { query },
        { next: (r) => void events.push(r.data!.batchEvents), error: reject, complete: resolve },
      );
    });
    sse.dispose();
    expect(events.filter((e) => e.__typename === 'BatchResult')).toHaveLength(40);
    expect(events.at(-1)?.__typename).toBe('BatchComplete');

    // Give the stall timer its time, then read what is left: the connection was cut before the end.
    const started = performance.now();
    await new Promise((r) => setTimeout(r, LIMITS.writeStallTimeoutMs + 1_500));
    let rest = '';
    stalled.on('data', (chunk: Buffer) => {
      received += chunk.length;
      rest = (rest + chunk.toString('latin1')).slice(-200);
    });
    stalled.resume();
    await new Promise<void>((resolve) => (stalled.destroyed || closedAt ? resolve() : stalled.once('close', () => resolve())));
    expect(closedAt - started).toBeLessThan(LIMITS.writeStallTimeoutMs + 5_000);
    expect(received).toBeLessThan(40 * 500_000);
    expect(rest).not.toContain('event: complete');
    await expectHealthy();
  });

  it('a client reading a large page slowly but steadily is not cut', async () => {
    // GraphiQL is one self-contained page of several MB: read 1 MiB every 250 ms (so it takes seconds).
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const chunks: Buffer[] = [];
    let burst = 0;
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      burst += c.length;
      if (burst >= 1024 * 1024) socket.pause();
    });
    socket.write('GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n');
    const started = performance.now();
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const bursts = setInterval(() => {
      burst = 0;
      socket.resume();
    }, 250);
    await ended;
    clearInterval(bursts);
    const raw = Buffer.concat(chunks);
    const headEnd = raw.indexOf('\r\n\r\n');
    const length = Number(/content-length: (\d+)/i.exec(raw.subarray(0, headEnd).toString('latin1'))?.[1]);
    expect(raw.subarray(0, 15).toString()).toBe('HTTP/1.1 200 OK');
    expect(length).toBeGreaterThan(1_000_000);
    expect(raw.length - headEnd - 4).toBe(length);
    // It did take longer than the stall limit: the limit is about progress, not about the whole response.
    expect(performance.now() - started).toBeGreaterThan(LIMITS.writeStallTimeoutMs);
  });

  it('a client that half-closes after its request still gets the whole of a large page', async () => {
    const result = await sendRaw([Buffer.from('GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n')], {
      port,
      timeoutMs: 20_000,
      halfClose: true,
    });
    expect(result.outcome).toBe('response');
    expect(result.status).toBe(200);
    expect(result.malformed).toBeUndefined();
    expect(result.body!.length).toBe(Number(result.headers!['content-length']));
    expect(result.body!.length).toBeGreaterThan(1_000_000);
  });
});
