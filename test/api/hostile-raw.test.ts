/**
 * Malformed requests as a broken client or curl sends them: raw bytes on a loopback socket (fetch and
 * FormData refuse to produce them), against the real server in this process (fake pipeline, real card
 * database). Issue 9: a raw control byte or a stray quote in a file name, flipped bytes in
 * Content-Disposition or an odd part Content-Type used to stop the process. Each now gets a typed 400
 * (or, for a part that is only odd, a normal answer), and the service answers `health` after each.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient } from '../../src/client/client.js';
import { HealthQuery } from '../../src/client/operations.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase } from '../../src/pipeline/cards/cards.js';
import type { Service } from '../../src/server/app.js';
import { fakePipeline, PNG } from '../fuzz/fake-pipeline.js';
import { sendRaw, type WireResult } from '../fuzz/wire.js';
import { collect, startService } from './helpers.js';

let service: Service;
let url: string;
let port: number;
let client: ServiceClient;

beforeAll(async () => {
  ({ service, url } = await startService(fakePipeline(await loadCardDatabase(DEFAULT_CARDS_PATH)), { uploadIdleTimeoutMs: 2_000 }));
  port = Number(new URL(url).port);
  client = new ServiceClient({ url });
});
afterAll(async () => {
  client?.dispose();
  await service?.close();
});
afterEach(async () => {
  const { health } = await client.request(HealthQuery);
  expect(health.status).toBe('OK');
});

const B = 'rawboundary';
const OPERATIONS =
  `--${B}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
  `{"query":"mutation ($f: [Upload!]!) { processBatch(files: $f) { id total } }","variables":{"f":[null]}}\r\n` +
  `--${B}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.f.0"]}\r\n`;

/** A one-file processBatch whose file part has `partHeaders` (latin1: every byte as given). */
function withPartHeaders(partHeaders: string): Buffer {
  return Buffer.concat([Buffer.from(`${OPERATIONS}--${B}\r\n${partHeaders}\r\n`, 'latin1'), PNG, Buffer.from(`\r\n--${B}--\r\n`)]);
}

async function post(body: Buffer, contentType = `multipart/form-data; boundary=${B}`, length = body.length): Promise<WireResult> {
  const head = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\nx-graphql-yoga-csrf: 1\r\nContent-Length: ${length}\r\n\r\n`;
  return sendRaw([Buffer.concat([Buffer.from(head, 'latin1'), body])], { port, timeoutMs: 10_000 });
}

type Body = { data?: { processBatch?: { id: string; total: number } } | null; errors?: { message: string; extensions: { code: string } }[] };
const json = (result: WireResult) => JSON.parse(result.body!.toString('utf8')) as Body;

function expectRefused(result: WireResult, status: number, code: string, message: RegExp) {
  expect(result.outcome).toBe('response');
  expect(result.status).toBe(status);
  const error = json(result).errors?.[0];
  expect(error?.extensions.code).toBe(code);
  expect(error?.message).toMatch(message);
}

const NOT_WELL_FORMED = /^malformed multipart request: a part's headers are not well formed .*\(Malformed part header\)$/;

describe('part headers a broken client sends: 400 BAD_MULTIPART_REQUEST, the process goes on', () => {
  const cases: [string, string][] = [
    ['raw control bytes in the file name', 'Content-Disposition: form-data; name="0"; filename="a\x01\x07\x1bb.png"\r\nContent-Type: image/png\r\n'],
    ['a NUL in the file name', 'Content-Disposition: form-data; name="0"; filename="a\x00b.png"\r\nContent-Type: image/png\r\n'],
    ['a bare CR in the file name', 'Content-Disposition: form-data; name="0"; filename="a\rb.png"\r\nContent-Type: image/png\r\n'],
    ['a flipped byte in Content-Disposition', 'Content-Disposition\x00 form-data; name="0"; filename="a.png"\r\nContent-Type: image/png\r\n'],
    ['a control byte in the part Content-Type', 'Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: ;;;\x7f\r\n'],
  ];
  for (const [name, headers] of cases) {
    it(name, async () => expectRefused(await post(withPartHeaders(headers)), 400, 'BAD_MULTIPART_REQUEST', NOT_WELL_FORMED));
  }

  it('a stray quote in the file name: the part is not a file, so the file the map names is missing', async () => {
    const result = await post(withPartHeaders('Content-Disposition: form-data; name="0"; filename="a"b.png"\r\nContent-Type: image/png\r\n'));
    expectRefused(result, 400, 'BAD_MULTIPART_REQUEST', /names a file for files\[0\] that the request does not contain; no batch was created/);
  });

  it('odd but parseable parts are read as usual: a multipart/mixed part type, raw non-UTF-8 bytes in the name', async () => {
    for (const headers of [
      'Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: multipart/mixed; boundary=x\r\n',
      'Content-Disposition: form-data; name="0"; filename="a\xff\xfe.png"\r\nContent-Type: image/png\r\n',
    ]) {
      const result = await post(withPartHeaders(headers));
      expect(result.status).toBe(200);
      const batch = json(result).data!.processBatch!;
      const events = await collect(client.batchEvents(batch.id));
      expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', total: 1, succeeded: 1 });
      const filename = events.find((e) => e.__typename === 'BatchResult')?.filename;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this test looks for
      expect(filename).not.toMatch(/[\x00-\x1f\x7f]/);
    }
  });
});

describe('broken bodies and boundaries: 400 BAD_MULTIPART_REQUEST', () => {
  const whole = withPartHeaders('Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: image/png\r\n');

  it('a body cut inside a file (Content-Length says so)', async () => {
    const cut = whole.subarray(0, whole.length - 20);
    expectRefused(await post(cut), 400, 'BAD_MULTIPART_REQUEST', /the body ended in the middle of a file|the body ended before the closing boundary/);
  });

  it('a body cut inside a part header', async () => {
    const cut = whole.subarray(0, whole.indexOf('filename'));
    expectRefused(await post(cut), 400, 'BAD_MULTIPART_REQUEST', /not well formed|ended before the closing boundary/);
  });

  it('a boundary that is not the one in the body', async () => {
    expectRefused(await post(whole, 'multipart/form-data; boundary=other'), 400, 'BAD_MULTIPART_REQUEST', /Missing multipart field 'operations'/);
  });

  it('no boundary at all', async () => {
    expectRefused(await post(whole, 'multipart/form-data'), 400, 'BAD_MULTIPART_REQUEST', /the Content-Type names no boundary/);
  });

  it('a body that stops inside a file, short of its Content-Length: 408 once no byte has come for the idle limit', async () => {
    expectRefused(
      await post(whole.subarray(0, whole.length - 20), undefined, whole.length),
      408,
      'REQUEST_TIMEOUT',
      /no part of the request body arrived for 2000 ms/,
    );
  });

  it('map paths into prototypes are refused and pollute nothing', async () => {
    for (const path of ['__proto__.polluted', 'variables.__proto__.polluted', 'constructor.prototype.polluted', 'variables.f.length']) {
      const body = Buffer.from(whole.toString('latin1').replace('{"0":["variables.f.0"]}', JSON.stringify({ 0: [path] })), 'latin1');
      expectRefused(await post(body), 400, 'BAD_MULTIPART_REQUEST', /Invalid object path for the 'map' multipart field/);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('broken request lines and hosts: 400 BAD_REQUEST', () => {
  const cases: [string, string, RegExp][] = [
    ['an absolute target that is not a URL', 'GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', /malformed/],
    ['a target that is not a path', 'GET graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', /malformed (HTTP request|request target)/],
    ['a Host that is not a host', 'GET /graphql HTTP/1.1\r\nHost: [::1\r\n\r\n', /malformed request target or Host header/],
    ['no Host', 'GET /graphql HTTP/1.1\r\n\r\n', /the Host header is missing/],
    ['a control byte in the target', 'GET /gr\x01aphql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', /malformed HTTP request/],
  ];
  for (const [name, request, message] of cases) {
    it(name, async () => {
      const result = await sendRaw([Buffer.from(request, 'latin1')], { port, timeoutMs: 5_000 });
      expectRefused(result, 400, 'BAD_REQUEST', message);
    });
  }
});
