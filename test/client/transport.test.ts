/**
 * src/client/transport.ts, the wire protocol the Node client and the page share, without a server: the
 * GraphQL multipart request's parts, reading a response into data or a ServiceError, and following a
 * batch over a scripted graphql-sse client that drops, so it resumes with `after` (also through
 * ServiceClient.batchEvents).
 */
import { NetworkError, type Client, type RequestParams, type Sink } from 'graphql-sse';
import { describe, expect, it } from 'vitest';
import { ServiceClient } from '../../src/client/client.js';
import {
  CSRF_HEADER,
  followBatch,
  isTransient,
  multipartForm,
  REQUEST_HEADERS,
  ServiceError,
  STREAM_PATH,
  streamUrlOf,
  TOKEN_HEADER_KEY,
  unwrapResponse,
  type BatchEvent,
} from '../../src/client/transport.js';

describe('protocol constants', () => {
  it('names the paths and headers once', () => {
    expect(STREAM_PATH).toBe('/graphql/stream');
    expect(streamUrlOf('http://h:1/graphql/')).toBe('http://h:1/graphql/stream');
    expect(CSRF_HEADER).toBe('x-graphql-yoga-csrf');
    expect(TOKEN_HEADER_KEY).toBe('x-graphql-event-stream-token');
    expect(REQUEST_HEADERS).toEqual(expect.arrayContaining([CSRF_HEADER, TOKEN_HEADER_KEY, 'authorization']));
  });
});

describe('multipartForm (GraphQL multipart request spec)', () => {
  const a = { name: 'a.png', blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }) };
  const b = { name: 'b.jpg', blob: new Blob([new Uint8Array([4])], { type: 'image/jpeg' }) };

  it('a list variable: operations with nulls, a map to variables.files.<i>, then the files in order', async () => {
    const form = multipartForm('mutation($files: [Upload!]!) { x }', 'files', [a, b], true);
    expect([...form.keys()]).toEqual(['operations', 'map', '0', '1']);
    expect(JSON.parse(form.get('operations') as string)).toEqual({ query: 'mutation($files: [Upload!]!) { x }', variables: { files: [null, null] } });
    expect(JSON.parse(form.get('map') as string)).toEqual({ 0: ['variables.files.0'], 1: ['variables.files.1'] });
    const first = form.get('0') as File;
    expect([first.name, first.type, [...new Uint8Array(await first.arrayBuffer())]]).toEqual(['a.png', 'image/png', [1, 2, 3]]);
    expect((form.get('1') as File).name).toBe('b.jpg');
  });

  it('a single file variable: null and variables.file', () => {
    const form = multipartForm('mutation($file: Upload!) { x }', 'file', [a], false);
    expect(JSON.parse(form.get('operations') as string).variables).toEqual({ file: null });
    expect(JSON.parse(form.get('map') as string)).toEqual({ 0: ['variables.file'] });
  });
});

describe('unwrapResponse', () => {
  it('returns data', () => {
    expect(unwrapResponse(200, '{"data":{"ok":true}}')).toEqual({ ok: true });
  });

  it('throws the GraphQL errors as a ServiceError with the first code and the HTTP status', () => {
    const body = { errors: [{ message: 'no key', extensions: { code: 'UNAUTHENTICATED' } }, { message: 'second' }] };
    const error = (() => {
      try {
        unwrapResponse(401, JSON.stringify(body));
      } catch (e) {
        return e;
      }
    })() as ServiceError;
    expect(error).toBeInstanceOf(ServiceError);
    expect([error.name, error.message, error.code, error.status]).toEqual(['ServiceError', 'no key; second', 'UNAUTHENTICATED', 401]);
    expect(error.errors).toEqual(body.errors);
  });

  it('a body that is not JSON, or neither data nor errors, is a ServiceError too', () => {
    expect(() => unwrapResponse(502, '<html>Bad Gateway</html>')).toThrow(/HTTP 502: <html>Bad Gateway/);
    expect(() => unwrapResponse(500, '{}')).toThrow(new ServiceError([], 500));
  });
});

// ---- following a batch over a scripted graphql-sse client ----

const progress = (sequence: number) => ({ __typename: 'BatchProgress', batchId: 'b', sequence }) as unknown as BatchEvent;
const complete = (sequence: number) => ({ __typename: 'BatchComplete', batchId: 'b', sequence }) as unknown as BatchEvent;
type Step = (sink: Sink) => void;
const events =
  (...list: BatchEvent[]): Step =>
  (sink) =>
    list.forEach((e) => sink.next({ data: { batchEvents: e } }));

/** Subscription n runs script[n] (then nothing); records each subscription's variables. */
function scripted(...script: Step[][]) {
  const variables: Record<string, unknown>[] = [];
  const sse = {
    subscribe(request: RequestParams, sink: Sink) {
      const steps = script[variables.length] ?? [];
      variables.push(request.variables ?? {});
      setTimeout(() => steps.forEach((step) => step(sink)));
      return () => {};
    },
  };
  return { sse, variables };
}

function follow(sse: Pick<Client, 'subscribe'>, options: Parameters<typeof followBatch>[3] = {}) {
  return new Promise<{ seen: number[]; reconnects: number[]; fatal: Error | null }>((resolve) => {
    const seen: number[] = [];
    const reconnects: number[] = [];
    followBatch(
      sse,
      'b',
      {
        onEvent(e) {
          seen.push(e.sequence);
          if (e.__typename === 'BatchComplete') resolve({ seen, reconnects, fatal: null });
        },
        onReconnecting: (attempt) => reconnects.push(attempt),
        onFatal: (fatal) => resolve({ seen, reconnects, fatal }),
      },
      { delayMs: () => 1, ...options },
    );
  });
}

describe('followBatch', () => {
  it('resumes a dropped stream after the last sequence seen, skipping repeats, until BatchComplete', async () => {
    const { sse, variables } = scripted(
      [events(progress(1), progress(2)), (sink) => sink.error(new Error('socket hang up'))],
      [(sink) => sink.complete()], // ended without BatchComplete: resume again
      [events(progress(2), progress(3), complete(4))],
    );
    const result = await follow(sse, { withCandidates: true });
    expect(result).toEqual({ seen: [1, 2, 3, 4], reconnects: [1, 2], fatal: null });
    expect(variables).toEqual([
      { batchId: 'b', after: 0, withCandidates: true },
      { batchId: 'b', after: 2, withCandidates: true },
      { batchId: 'b', after: 2, withCandidates: true },
    ]);
  });

  it('starts after `after`; a GraphQL error ends it with a ServiceError', async () => {
    const { sse, variables } = scripted([(sink) => sink.next({ errors: [{ message: 'no such batch', extensions: { code: 'BATCH_NOT_FOUND' } }] as never })]);
    const { fatal } = await follow(sse, { after: 7 });
    expect(variables).toEqual([{ batchId: 'b', after: 7 }]);
    expect(fatal).toBeInstanceOf(ServiceError);
    expect((fatal as ServiceError).code).toBe('BATCH_NOT_FOUND');
  });

  it('gives up after maxAttempts drops in a row, or at once on an error that is not retryable', async () => {
    const drop: Step = (sink) => sink.error(new Error('refused'));
    const limited = await follow(scripted([drop], [drop], [drop]).sse, { maxAttempts: 2 });
    expect([limited.reconnects, limited.fatal?.message]).toEqual([[1, 2], 'refused']);

    const unauthorized = new NetworkError({ ok: false, status: 401, statusText: 'Unauthorized' });
    expect([isTransient(unauthorized), isTransient(new NetworkError({ ok: false, status: 503, statusText: '' })), isTransient(new Error('x'))]).toEqual([
      false,
      true,
      true,
    ]);
    const refused = await follow(scripted([(sink) => sink.error(unauthorized)]).sse, { retryable: isTransient });
    expect([refused.reconnects, refused.fatal]).toEqual([[], unauthorized]);
  });
});

describe('ServiceClient.batchEvents', () => {
  function clientWith(sse: Pick<Client, 'subscribe'>, resumeAttempts?: number): ServiceClient {
    const client = new ServiceClient({
      url: 'http://127.0.0.1:9/graphql',
      resumeDelayMs: () => 1,
      ...(resumeAttempts !== undefined ? { resumeAttempts } : {}),
    });
    (client as unknown as { sse: unknown }).sse = { ...sse, dispose() {} };
    return client;
  }
  const collect = async (it: AsyncIterable<BatchEvent>) => {
    const out: number[] = [];
    for await (const e of it) out.push(e.sequence);
    return out;
  };

  it('resumes a dropped stream with `after`, as the page does', async () => {
    const { sse, variables } = scripted([events(progress(3)), (sink) => sink.error(new Error('reset'))], [events(progress(4), complete(5))]);
    expect(await collect(clientWith(sse).batchEvents('b', 2))).toEqual([3, 4, 5]);
    expect(variables.map((v) => v.after)).toEqual([2, 3]);
  });

  it('ends where the service ends the stream (after past the last event), without resuming', async () => {
    const { sse, variables } = scripted([(sink) => sink.complete()]);
    expect(await collect(clientWith(sse).batchEvents('b', 9))).toEqual([]);
    expect(variables).toEqual([{ batchId: 'b', after: 9 }]);
  });

  it('throws the last error when resuming is off (resumeAttempts: 0)', async () => {
    const { sse } = scripted([events(progress(1)), (sink) => sink.error(new Error('gone'))]);
    const seen: number[] = [];
    const error = await (async () => {
      for await (const e of clientWith(sse, 0).batchEvents('b')) seen.push(e.sequence);
    })().catch((e: unknown) => e);
    expect([seen, (error as Error).message]).toEqual([[1], 'gone']);
  });
});
