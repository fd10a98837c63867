/**
 * A seeded generator of malformed HTTP and GraphQL multipart requests, as raw bytes. The same seed gives
 * the same cases, so any failure can be replayed (`npm run fuzz -- --seed S --count N`).
 *
 * Families: part headers with control, non-ASCII and quote bytes (file name, field name, type), flipped
 * bytes in a part's `Content-Disposition`, odd part types, bodies cut at and around every boundary,
 * flipped bytes anywhere, wrong/missing/huge boundaries, `Content-Length` too short or too long, chunked
 * bodies (good and broken), trailing garbage, bad `operations`/`map` JSON (prototype paths, huge arrays,
 * wrong types), the same ideas against `/graphql/stream`, JSON queries, static files and GraphiQL, and
 * broken request lines, targets and Host headers.
 */

/** One request to send: its bytes, in pieces, and how to send them. */
export interface FuzzCase {
  /** Index in the campaign and the family, for replaying and reports. */
  id: number;
  family: string;
  pieces: Buffer[];
  /** Half-close after sending (else wait with the socket open, as a client expecting an answer). */
  halfClose: boolean;
}

/** mulberry32: small, fast, good enough to pick cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = ReturnType<typeof prng>;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, items: readonly T[]): T => items[int(r, items.length)]!;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const BATCH = 'mutation ($f: [Upload!]!) { processBatch(files: $f) { id total } }';
const IMAGE = 'mutation ($f: Upload!) { processImage(file: $f) { text } }';

/** Bytes that break header parsers: controls, quotes, separators, non-ASCII, invalid UTF-8. */
const NASTY = [
  '\x00',
  '\x01',
  '\x07',
  '\x08',
  '\x0b',
  '\x0c',
  '\x1b',
  '\x7f',
  '\r',
  '\n',
  '\r\n',
  '"',
  '\\"',
  "'",
  ';',
  '=',
  ':',
  '\\',
  '%',
  '%00',
  '%ff',
  '*',
  "''",
  '\u00ff',
  '\u202e',
  '长',
  '🃏',
  '\ufffd',
  ' ',
  '\t',
].map((s) => Buffer.from(s, 'utf8'));
const RAW_BYTES = [0x80, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xfe, 0xff, 0xa0, 0x85];

function nastyBytes(r: Rand): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0, n = 1 + int(r, 4); i < n; i++) {
    parts.push(r() < 0.3 ? Buffer.from([pick(r, RAW_BYTES)]) : pick(r, NASTY));
  }
  return Buffer.concat(parts);
}

/** Replaces a random place of `text` with nasty bytes. */
function spoil(r: Rand, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const at = int(r, bytes.length + 1);
  const cut = r() < 0.5 ? 0 : int(r, 3);
  return Buffer.concat([bytes.subarray(0, at), nastyBytes(r), bytes.subarray(Math.min(bytes.length, at + cut))]);
}

function flip(r: Rand, bytes: Buffer, count: number): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < count && out.length > 0; i++) out[int(r, out.length)] = int(r, 256);
  return out;
}

interface PartSpec {
  headers: Buffer;
  body: Buffer;
}

const field = (name: string, value: string): PartSpec => ({
  headers: Buffer.from(`Content-Disposition: form-data; name="${name}"\r\n`),
  body: Buffer.from(value, 'utf8'),
});

const file = (name: string, filename: string | Buffer, type = 'image/png', body: Buffer = PNG): PartSpec => ({
  headers: Buffer.concat([
    Buffer.from(`Content-Disposition: form-data; name="${name}"; filename="`),
    Buffer.isBuffer(filename) ? filename : Buffer.from(filename, 'utf8'),
    Buffer.from(`"\r\nContent-Type: ${type}\r\n`),
  ]),
  body,
});

function operations(files: number, single = false): PartSpec[] {
  if (single) return [field('operations', JSON.stringify({ query: IMAGE, variables: { f: null } })), field('map', '{"0":["variables.f"]}')];
  return [
    field('operations', JSON.stringify({ query: BATCH, variables: { f: Array.from({ length: files }, () => null) } })),
    field('map', JSON.stringify(Object.fromEntries(Array.from({ length: files }, (_, i) => [String(i), [`variables.f.${i}`]])))),
  ];
}

function assemble(parts: PartSpec[], boundary: string, trailer = '--\r\n'): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) out.push(Buffer.from(`--${boundary}\r\n`), p.headers, Buffer.from('\r\n'), p.body, Buffer.from('\r\n'));
  out.push(Buffer.from(`--${boundary}${trailer}`));
  return Buffer.concat(out);
}

interface Head {
  method?: string;
  target?: string;
  version?: string;
  headers: [string, string | Buffer][];
}

function head({ method = 'POST', target = '/graphql', version = 'HTTP/1.1', headers }: Head): Buffer {
  const lines: Buffer[] = [Buffer.from(`${method} ${target} ${version}\r\n`)];
  for (const [k, v] of headers) lines.push(Buffer.concat([Buffer.from(`${k}: `), Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1'), Buffer.from('\r\n')]));
  lines.push(Buffer.from('\r\n'));
  return Buffer.concat(lines);
}

function chunked(r: Rand, body: Buffer, broken: boolean): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const size = Math.min(body.length - at, 1 + int(r, 400));
    out.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'));
    at += size;
  }
  out.push(Buffer.from('0\r\n\r\n'));
  let bytes: Buffer = Buffer.concat(out);
  if (broken) {
    bytes = pick(r, [
      () => flip(r, bytes, 1 + int(r, 3)),
      () => bytes.subarray(0, int(r, bytes.length)),
      () => Buffer.concat([Buffer.from('zz\r\n'), bytes]),
      () => Buffer.concat([Buffer.from('fffffffffffffff\r\n'), bytes]),
      () => Buffer.concat([bytes.subarray(0, bytes.length - 5), Buffer.from('1;ext="\x01"\r\nx\r\n0\r\n\r\n')]),
    ])();
  }
  return bytes;
}

/** The usual multipart headers for `body` under `boundary`. */
function multipartHead(boundary: string, length: number | 'chunked', extra: [string, string | Buffer][] = [], target = '/graphql'): Buffer {
  return head({
    target,
    headers: [
      ['Host', '127.0.0.1'],
      ['Content-Type', `multipart/form-data; boundary=${boundary}`],
      ['x-graphql-yoga-csrf', '1'],
      length === 'chunked' ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(length)],
      ...extra,
    ],
  });
}

const boundaryOf = (r: Rand) => `fuzz${Math.floor(r() * 1e12).toString(36)}`;

/** A well-formed batch request of `n` files whose parts `mutate` may change. */
function batchParts(r: Rand, n = 1 + int(r, 3)): PartSpec[] {
  return [...operations(n), ...Array.from({ length: n }, (_, i) => file(String(i), `deck-${i}.png`))];
}

type Family = (r: Rand) => { pieces: Buffer[]; halfClose?: boolean };

/** Sends `body` under the given head, whole, half-closed sometimes. */
const whole = (r: Rand, headBytes: Buffer, body: Buffer) => ({ pieces: [Buffer.concat([headBytes, body])], halfClose: r() < 0.3 });

const FAMILIES: Record<string, Family> = {
  /** Control, non-ASCII and quote bytes in a file name, field name or part type, sent raw. */
  partHeaderBytes(r) {
    const b = boundaryOf(r);
    const parts = batchParts(r);
    const i = 2 + int(r, parts.length - 2);
    const where = int(r, 4);
    const name = String(i - 2);
    if (where === 0) parts[i] = file(name, spoil(r, `deck ${i}.png`));
    else if (where === 1) parts[i] = { ...parts[i]!, headers: spoil(r, `Content-Disposition: form-data; name="${name}"; filename="a.png"\r\n`) };
    else if (where === 2)
      parts[i] = {
        ...parts[i]!,
        headers: Buffer.concat([
          Buffer.from(`Content-Disposition: form-data; name="${name}"; filename="a.png"\r\nContent-Type: `),
          nastyBytes(r),
          Buffer.from('\r\n'),
        ]),
      };
    else parts[int(r, 2)] = { ...parts[0]!, headers: spoil(r, `Content-Disposition: form-data; name="${int(r, 2) ? 'map' : 'operations'}"\r\n`) };
    const body = assemble(parts, b);
    return whole(r, multipartHead(b, body.length), body);
  },
  /** Flipped bytes in one part's Content-Disposition. */
  flippedDisposition(r) {
    const b = boundaryOf(r);
    const parts = batchParts(r);
    const i = int(r, parts.length);
    parts[i] = { ...parts[i]!, headers: flip(r, parts[i]!.headers, 1 + int(r, 4)) };
    const body = assemble(parts, b);
    return whole(r, multipartHead(b, body.length), body);
  },
  /** Odd part types and part header shapes. */
  oddPartHeaders(r) {
    const b = boundaryOf(r);
    const parts = batchParts(r, 1);
    const variants = [
      'Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: multipart/mixed; boundary=inner\r\n',
      'Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: \r\n',
      'Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: image/png; charset="\r\n',
      'Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: ;;;==;\r\n',
      `Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: image/png; ${'a=b; '.repeat(500)}\r\n`,
      'Content-Disposition: form-data; name="0"; filename*=utf-8\'\'%ZZ%00\r\n',
      'Content-Disposition: form-data; name="0"; filename*=x-unknown\'\'%e4%b8\r\n',
      'Content-Disposition: form-data; name="0"; filename="a.png"; filename="b.png"\r\n',
      'Content-Disposition: attachment; name="0"; filename="a.png"\r\n',
      'Content-Disposition: form-data\r\n',
      'Content-Disposition: form-data; name=0; filename=a.png\r\n',
      'Content-Type: image/png\r\n',
      'no colon here\r\n',
      ': empty name\r\n',
      `X-Long: ${'a'.repeat(20_000)}\r\n`,
      Array.from({ length: 40 }, (_, k) => `X-H${k}: v\r\n`).join('') + 'Content-Disposition: form-data; name="0"; filename="a.png"\r\n',
      'Content-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Transfer-Encoding: base64\r\n',
      'Content-Disposition: form-data; name="0"; filename="a.png"\n',
    ];
    parts[2] = { ...parts[2]!, headers: Buffer.from(pick(r, variants), 'utf8') };
    const body = assemble(parts, b);
    return whole(r, multipartHead(b, body.length), body);
  },
  /** The body cut at or around a boundary, with Content-Length telling the truth, too much, or chunked. */
  cutBody(r) {
    const b = boundaryOf(r);
    const body = assemble(batchParts(r), b);
    const marks: number[] = [];
    for (let at = body.indexOf(`--${b}`); at >= 0; at = body.indexOf(`--${b}`, at + 1)) marks.push(at);
    const mark = pick(r, marks) + int(r, b.length + 8) - 2;
    const cut = body.subarray(0, Math.max(0, Math.min(body.length, mark)));
    const mode = int(r, 3);
    if (mode === 0) return whole(r, multipartHead(b, cut.length), cut);
    if (mode === 1) return { pieces: [Buffer.concat([multipartHead(b, body.length), cut])], halfClose: r() < 0.5 };
    return { pieces: [Buffer.concat([multipartHead(b, 'chunked'), chunked(r, cut, false)])], halfClose: r() < 0.3 };
  },
  /** Flipped bytes anywhere in the body. */
  flippedBody(r) {
    const b = boundaryOf(r);
    const body = flip(r, assemble(batchParts(r), b), 1 + int(r, 6));
    return whole(r, multipartHead(b, body.length), body);
  },
  /** Wrong, missing, quoted, empty or huge boundaries. */
  boundaries(r) {
    const b = boundaryOf(r);
    const body = assemble(batchParts(r), b);
    const type = pick(r, [
      'multipart/form-data; boundary=other',
      'multipart/form-data',
      'multipart/form-data;',
      'multipart/form-data; boundary=',
      'multipart/form-data; boundary=""',
      `multipart/form-data; boundary="${b}`,
      `multipart/form-data; boundary=${'x'.repeat(5_000)}`,
      `multipart/form-data; boundary=${b}; boundary=${b}x`,
      `multipart/form-data; boundary=${b}\x01`,
      'multipart/form-data; boundary=\u00ff\u00fe',
      'multipart/mixed; boundary=' + b,
      'multipart/form-data ; boundary = ' + b,
      'MULTIPART/FORM-DATA; BOUNDARY=' + b,
    ]);
    const bytes = type.includes('x'.repeat(100)) ? assemble(batchParts(r), 'x'.repeat(5_000)) : body;
    return whole(
      r,
      head({
        headers: [
          ['Host', 'h'],
          ['Content-Type', Buffer.from(type, 'latin1')],
          ['x-graphql-yoga-csrf', '1'],
          ['Content-Length', String(bytes.length)],
        ],
      }),
      bytes,
    );
  },
  /** Content-Length too short (the rest reads as a next request) or too long (the body never ends). */
  contentLength(r) {
    const b = boundaryOf(r);
    const body = assemble(batchParts(r), b);
    const length = pick(r, [0, 1, int(r, body.length), body.length + 1 + int(r, 1000), body.length * 2]);
    return { pieces: [Buffer.concat([multipartHead(b, length), body])], halfClose: r() < 0.5 };
  },
  /** Chunked transfer, good and broken. */
  chunkedBody(r) {
    const b = boundaryOf(r);
    const body = assemble(batchParts(r), b);
    return { pieces: [Buffer.concat([multipartHead(b, 'chunked'), chunked(r, body, r() < 0.7)])], halfClose: r() < 0.3 };
  },
  /** Garbage after the closing boundary, or a second closing boundary. */
  trailingGarbage(r) {
    const b = boundaryOf(r);
    const trailer = pick(r, ['--\r\ngarbage\x00\xff', '--', '--\r\n--' + b + '--\r\n', '\r\n', '--\r\n' + 'x'.repeat(5_000), '-\r\n']);
    const body = Buffer.concat([assemble(batchParts(r), b, trailer), r() < 0.5 ? nastyBytes(r) : Buffer.alloc(0)]);
    return whole(r, multipartHead(b, body.length), body);
  },
  /** Bad operations and map JSON: prototype paths, huge arrays, wrong types, missing, misordered, twice. */
  badJson(r) {
    const b = boundaryOf(r);
    const ops = JSON.stringify({ query: BATCH, variables: { f: [null] } });
    const f = file('0', 'a.png');
    const variants: PartSpec[][] = [
      [field('operations', ops), field('map', '{"0":["__proto__.polluted"]}'), f],
      [field('operations', ops), field('map', '{"0":["variables.__proto__.polluted"]}'), f],
      [field('operations', ops), field('map', '{"0":["constructor.prototype.polluted"]}'), f],
      [field('operations', ops), field('map', '{"__proto__":["variables.f.0"]}'), f],
      [field('operations', ops), field('map', '{"0":["variables.f.length"]}'), f],
      [field('operations', ops), field('map', '{"0":["query"]}'), f],
      [field('operations', ops), field('map', '{"0":["query.length"]}'), f],
      [field('operations', ops), field('map', '{"0":["variables.f.0.x.y"]}'), f],
      [field('operations', ops), field('map', '{"0":["variables.f.99999999"]}'), f],
      [field('operations', ops), field('map', `{"0":[${'"variables.f.0",'.repeat(5_000)}"variables.f.0"]}`), f],
      [field('operations', ops), field('map', JSON.stringify(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [String(i), ['variables.f.0']])))), f],
      [field('operations', ops), field('map', '{"0":[1]}'), f],
      [field('operations', ops), field('map', '{"0":[]}'), f],
      [field('operations', ops), field('map', '{"0":[null]}'), f],
      [field('operations', ops), field('map', 'null'), f],
      [field('operations', ops), field('map', '"x"'), f],
      [field('operations', ops), field('map', '[' + '['.repeat(5_000)), f],
      [field('operations', ops), field('map', '{"0":["variables.f.0"],"0":["variables.f.0"]}'), f],
      [field('operations', '{"__proto__":{"query":"{ health { status } }"}}'), field('map', '{}')],
      [
        field('operations', JSON.stringify({ query: BATCH, variables: { f: Array.from({ length: 100_000 }, () => null) } })),
        field('map', '{"0":["variables.f.0"]}'),
        f,
      ],
      [field('operations', '[' + '['.repeat(50_000)), field('map', '{}')],
      [field('operations', '1'), field('map', '{}')],
      [field('operations', 'null'), field('map', '{}')],
      [field('operations', '"q"'), field('map', '{}')],
      [field('operations', JSON.stringify([{ query: '{ health { status } }' }, { query: '{ health { status } }' }])), field('map', '{}')],
      [field('operations', JSON.stringify({ query: 42, variables: 'x' })), field('map', '{}')],
      [field('operations', JSON.stringify({ query: BATCH, variables: { f: 'x' } })), field('map', '{"0":["variables.f"]}'), f],
      [field('map', '{"0":["variables.f.0"]}'), field('operations', ops), f],
      [f, field('operations', ops), field('map', '{"0":["variables.f.0"]}')],
      [field('operations', ops), field('operations', ops), field('map', '{"0":["variables.f.0"]}'), f],
      [field('operations', ops), field('map', '{"0":["variables.f.0"]}'), field('map', '{"0":["variables.f.0"]}'), f],
      [field('operations', ops), field('map', '{"0":["variables.f.0"]}'), f, f],
      [field('operations', ops), field('map', '{"0":["variables.f.0"]}'), file('9', 'x.png')],
      [field('operations', ops), field('map', '{"0":["variables.f.0"]}'), field('0', 'not a file')],
      [field('operations', 'x'.repeat(1_100_000)), field('map', '{}')],
      [],
    ];
    const body = assemble(pick(r, variants), b);
    return whole(r, multipartHead(b, body.length), body);
  },
  /** More files than allowed, many tiny parts, or an empty multipart body. */
  manyParts(r) {
    const b = boundaryOf(r);
    const n = pick(r, [60, 200, 2_000]);
    const parts = r() < 0.5 ? batchParts(r, n) : [...operations(1), ...Array.from({ length: n }, (_, i) => field(`x${i}`, 'y'))];
    const body = assemble(parts, b);
    return whole(r, multipartHead(b, body.length), body);
  },
  /** Multipart and malformed requests against the event stream endpoint. */
  stream(r) {
    const b = boundaryOf(r);
    const sub = 'subscription { batchEvents(batchId: "nope") { __typename } }';
    const choices = [
      () => {
        const body = assemble(batchParts(r), b);
        return multipartHead(b, body.length, [], '/graphql/stream').toString('latin1') + body.toString('latin1');
      },
      () => `GET /graphql/stream?query=${encodeURIComponent(sub)} HTTP/1.1\r\nHost: h\r\nAccept: text/event-stream\r\n\r\n`,
      () => `GET /graphql/stream?query=%zz%ff HTTP/1.1\r\nHost: h\r\nAccept: text/event-stream\r\n\r\n`,
      () => `GET /graphql/stream?query=${'%7B'.repeat(2_000)} HTTP/1.1\r\nHost: h\r\nAccept: text/event-stream\r\n\r\n`,
      () => `PUT /graphql/stream HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n`,
      () => `GET /graphql/stream?token=${'\x01'} HTTP/1.1\r\nHost: h\r\nAccept: text/event-stream\r\n\r\n`,
      () => `GET /graphql/stream HTTP/1.1\r\nHost: h\r\nx-graphql-event-stream-token: nope\r\nAccept: text/event-stream\r\n\r\n`,
      () => `POST /graphql/stream HTTP/1.1\r\nHost: h\r\nx-graphql-event-stream-token: nope\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n{`,
      () => {
        const j = spoil(r, JSON.stringify({ query: sub })).toString('latin1');
        return `POST /graphql/stream HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: ${Buffer.byteLength(j, 'latin1')}\r\n\r\n${j}`;
      },
      () => `POST /graphql/stream HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: 20\r\n\r\n{"query":`,
      () => `DELETE /graphql/stream?operationId=\x7f HTTP/1.1\r\nHost: h\r\n\r\n`,
    ];
    return { pieces: [Buffer.from(pick(r, choices)(), 'latin1')], halfClose: r() < 0.3 };
  },
  /** JSON queries, broken and odd. */
  json(r) {
    const bodies = [
      spoil(r, JSON.stringify({ query: '{ health { status } }' })),
      Buffer.from('['.repeat(100_000)),
      Buffer.from(JSON.stringify({ query: '{ health { status } }', variables: { __proto__: { x: 1 } } })),
      Buffer.from('{"query":"{ health { status } }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"x"}}}'),
      Buffer.from(JSON.stringify({ query: `{ ${'health { status } '.repeat(3)} }`, operationName: 7 })),
      Buffer.from(JSON.stringify({ query: 'query { cards(search: "\u0000\ud800", first: 99999999) { nameEn } }' })),
      flip(r, Buffer.from(JSON.stringify({ query: 'mutation { cancelBatch(id: "x") { id } }' })), 2),
      Buffer.alloc(0),
    ];
    const body = pick(r, bodies);
    const type = pick(r, [
      'application/json',
      'application/json; charset=utf-16',
      'text/plain',
      'application/graphql+json',
      'application/x-www-form-urlencoded',
      '',
    ]);
    return whole(
      r,
      head({
        headers: [
          ['Host', 'h'],
          ['Content-Type', type],
          ['Content-Length', String(body.length)],
        ],
      }),
      body,
    );
  },
  /** Static files, GraphiQL and odd GET targets. */
  pages(r) {
    const target = pick(r, [
      '/',
      '/index.html',
      '/assets/../../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/%ff',
      '/graphql',
      '/graphql?query=%7Bhealth%7Bstatus%7D%7D',
      '/health',
      '/nope',
      '/graphql?query=' + '{'.repeat(3_000),
      '/%',
      '/%zz',
      '//graphql',
      '/graphql#x',
    ]);
    const accept = pick(r, ['text/html', '*/*', 'application/json', 'text/event-stream', '']);
    return {
      pieces: [
        head({
          method: pick(r, ['GET', 'HEAD', 'OPTIONS']),
          target,
          headers: [
            ['Host', 'h'],
            ['Accept', accept],
            ['Origin', pick(r, ['http://evil', 'null', ''])],
          ],
        }),
      ],
      halfClose: r() < 0.3,
    };
  },
  /** Broken request lines, targets, Host headers and header blocks. */
  requestLine(r) {
    const choices: (() => Buffer)[] = [
      () => Buffer.from(`GET http://[::1 HTTP/1.1\r\nHost: h\r\n\r\n`),
      () => Buffer.from(`GET graphql HTTP/1.1\r\nHost: h\r\n\r\n`),
      () => Buffer.from(`GET * HTTP/1.1\r\nHost: h\r\n\r\n`),
      () => Buffer.from(`OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n`),
      () => Buffer.from(`GET http://h:99999/graphql HTTP/1.1\r\nHost: h\r\n\r\n`),
      () => Buffer.from(`CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: h\r\n\r\n`),
      () => Buffer.from(`GET /graphql HTTP/1.1\r\nHost: [::1\r\n\r\n`),
      () => Buffer.from(`GET /graphql HTTP/1.1\r\nHost: a b\r\n\r\n`),
      () => Buffer.from(`GET /graphql HTTP/1.1\r\nHost: h:port\r\n\r\n`),
      () => Buffer.from(`GET /graphql HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n`),
      () => Buffer.from(`GET /graphql HTTP/1.1\r\n\r\n`),
      () => Buffer.from(`GET /graphql HTTP/1.0\r\n\r\n`),
      () => Buffer.from(`GET /graphql\r\n\r\n`),
      () => Buffer.from(`GET /graphql HTTP/9.9\r\nHost: h\r\n\r\n`),
      () => Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
      () => Buffer.from(`G\x00T / HTTP/1.1\r\nHost: h\r\n\r\n`),
      () => Buffer.concat([Buffer.from('GET /'), nastyBytes(r), Buffer.from(' HTTP/1.1\r\nHost: h\r\n\r\n')]),
      () => Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nHost: h\r\nX-A: '), nastyBytes(r), Buffer.from('\r\n\r\n')]),
      () => Buffer.from(`GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
      () => Buffer.from(`POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello`),
      () => Buffer.from(`POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n`),
      () => Buffer.from(`POST /graphql HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`),
      () => Buffer.from(`POST /graphql HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`),
      () =>
        Buffer.from(
          `POST /graphql HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 33\r\n\r\n{"query":"{ health { status } }"}`,
        ),
      () => Buffer.from(`GET / HTTP/1.1\r\nHost: h\r\n folded: header\r\n\r\n`),
      () => flip(r, Buffer.from(`GET /graphql?query=%7Bhealth%7Bstatus%7D%7D HTTP/1.1\r\nHost: h\r\nAccept: application/json\r\n\r\n`), 1 + int(r, 3)),
      () => Buffer.from(Array.from({ length: 1 + int(r, 200) }, () => int(r, 256))),
    ];
    return { pieces: [pick(r, choices)()], halfClose: r() < 0.4 };
  },
  /** A good batch, sent in a few pieces: the service must still work normally between hostile requests. */
  goodBatch(r) {
    const b = boundaryOf(r);
    const body = assemble(batchParts(r), b);
    const bytes = Buffer.concat([multipartHead(b, body.length), body]);
    const at = int(r, bytes.length);
    return { pieces: [bytes.subarray(0, at), bytes.subarray(at)], halfClose: false };
  },
};

/** The family names, in the order cases cycle through them. */
export const FAMILY_NAMES = Object.keys(FAMILIES);

/** Case `id` of the campaign with `seed`: the same pair always gives the same bytes. */
export function generateCase(seed: number, id: number): FuzzCase {
  const r = prng((seed * 0x9e3779b1) ^ (id * 0x85ebca6b));
  const family = FAMILY_NAMES[int(r, FAMILY_NAMES.length)]!;
  const { pieces, halfClose = false } = FAMILIES[family]!(r);
  return { id, family, pieces, halfClose };
}
