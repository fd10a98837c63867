import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CSRF_HEADER } from '../client/transport.js';
import { readMultipart, RequestError, type MultipartRequest } from './multipart.js';

export interface UploadGateOptions {
  graphqlPath: string;
  streamPath: string;
  maxFileBytes: number;
  maxFiles: number;
  maxRequestBytes: number;
  corsOrigins: string[];
  /** When set, every request to the GraphQL paths needs `Authorization: Bearer <apiKey>`. */
  apiKey: string | null;
  /** Bounds multipart requests being read at once; `tryStart` answers why not, or null and counts one. */
  uploads: { tryStart(): 'SERVER_BUSY' | 'SHUTTING_DOWN' | null; done(): void; max: number };
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The optional API key: with `apiKey` set, every request to /graphql and /graphql/stream (queries,
 * uploads, event streams, GraphiQL) must carry `Authorization: Bearer <key>`, else 401 with a
 * GraphQL-shaped error. CORS preflights (OPTIONS) and yoga's `GET /health` stay open. Compared in
 * constant time (over SHA-256 digests, so the length of the key does not leak either).
 */
export function authorize(req: IncomingMessage, res: ServerResponse, options: UploadGateOptions): boolean {
  if (!options.apiKey || req.method === 'OPTIONS') return true;
  const path = (req.url ?? '/').split('?')[0]!;
  if (path !== options.graphqlPath && path !== options.streamPath) return true;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match && timingSafeEqual(digest(match[1]!), digest(options.apiKey))) return true;
  sendError(req, res, options, {
    status: 401,
    code: 'UNAUTHENTICATED',
    message: match ? 'the API key is wrong' : 'an API key is required: send the header Authorization: Bearer <key>',
    headers: { 'www-authenticate': 'Bearer realm="decklist-ocr"' },
  });
  return false;
}

/** CORS headers for a response written before yoga runs (yoga adds its own to everything else). */
function corsHeaders(req: IncomingMessage, allowed: string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || allowed.length === 0) return {};
  if (allowed.includes('*')) return { 'access-control-allow-origin': '*' };
  if (allowed.includes(origin)) {
    return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
  }
  return {};
}

/**
 * Answers with a GraphQL-shaped error, then closes the connection. The request body may still be
 * arriving. By default the answer waits until the body has been read through (and thrown away): a
 * client still writing its upload would otherwise see a reset connection instead of the answer. With
 * `early` (a body too large to read), the answer goes out at once and the rest is drained up to the
 * request bound, after which the connection is cut.
 */
/** `extensions.code` of the errors the HTTP layer answers itself, before GraphQL runs (docs/errors.md). */
export const HTTP_ERROR_CODES = [
  'UNAUTHENTICATED',
  'CSRF_HEADER_MISSING',
  'NOT_FOUND',
  'REQUEST_TOO_LARGE',
  'TOO_MANY_FILES',
  'BAD_MULTIPART_REQUEST',
  'SERVER_BUSY',
  'SHUTTING_DOWN',
  'INTERNAL_SERVER_ERROR',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** An error answered before yoga runs: its HTTP status, code and message, and what else goes with it. */
export interface HttpError {
  status: number;
  code: HttpErrorCode;
  message: string;
  /** Extra response headers (`retry-after`, `www-authenticate`). */
  headers?: Record<string, string>;
  /** Extra fields of the error's `extensions`. */
  extensions?: Record<string, unknown>;
  /** Answer at once, without first reading (a bounded part of) the request body. */
  early?: boolean;
}

export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  options: Pick<UploadGateOptions, 'corsOrigins' | 'maxRequestBytes'>,
  { status, code, message, headers = {}, extensions = {}, early = false }: HttpError,
): void {
  const respond = () => {
    if (res.headersSent || res.destroyed) return;
    const body = JSON.stringify({ errors: [{ message, extensions: { code, ...extensions, http: { status } } }] });
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
      ...headers,
      ...corsHeaders(req, options.corsOrigins),
    });
    res.end(body);
  };
  if (req.readableEnded) {
    respond();
    return;
  }
  let drained = 0;
  const timer = setTimeout(
    () => {
      respond();
      req.destroy();
    },
    early ? 0 : 30_000,
  );
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > options.maxRequestBytes) {
      respond();
      req.destroy();
    }
  });
  req.once('end', () => {
    clearTimeout(timer);
    respond();
  });
  for (const event of ['error', 'close'] as const) {
    req.once(event, () => {
      clearTimeout(timer);
      respond();
    });
  }
  if (early) {
    clearTimeout(timer);
    respond();
  }
  req.resume();
}

function isMultipart(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/**
 * Answers a request that failed while its body was being read, at once and with its typed error (before
 * any answer GraphQL would give: yoga skips a response that has ended). A 408 or 413 then closes the
 * connection (the client is too slow, or sends too much); any other error reads the rest of the body
 * and throws it away (bounded by the size limit and the body timers), so the client sees the answer
 * rather than a reset connection.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, options: Pick<UploadGateOptions, 'corsOrigins'>, error: RequestError): void {
  const cut = error.status === 408 || error.status === 413;
  if (res.headersSent || res.destroyed) {
    if (cut) req.destroy();
    return;
  }
  const { status, code, message } = error;
  const body = JSON.stringify({ errors: [{ message, extensions: { code, http: { status } } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(cut ? { connection: 'close' } : {}),
    ...corsHeaders(req, options.corsOrigins),
  });
  res.end(body);
  if (cut) res.once('finish', () => setTimeout(() => req.destroy(), 250).unref());
  else req.resume();
}

const inProgress = new WeakMap<IncomingMessage, MultipartRequest>();

/** Stops reading the multipart request `req` (if it is one) with `error`, and answers it. */
export function abortRequest(req: IncomingMessage, res: ServerResponse, options: Pick<UploadGateOptions, 'corsOrigins'>, error: RequestError): void {
  const multipart = inProgress.get(req);
  if (multipart) multipart.fail(error);
  else refuse(req, res, options, error);
}

/**
 * Reads a GraphQL multipart request (multipart.ts) in front of yoga: checks the CSRF header and the total
 * size first, then puts the operations (with their Upload promises) on `req.body` for yoga. The file
 * bytes are still on the wire when this returns: resolvers read them. Any failure of the request (a
 * malformed part, too large, too slow, cut off) is answered at once with its typed error. Returns false
 * when it already answered the request.
 */
export async function handleMultipart(req: IncomingMessage, res: ServerResponse, options: UploadGateOptions): Promise<boolean> {
  if (req.method !== 'POST' || !isMultipart(req)) return true;
  const path = (req.url ?? '/').split('?')[0];
  if (path !== options.graphqlPath) {
    sendError(req, res, options, { status: 404, code: 'NOT_FOUND', message: `uploads go to ${options.graphqlPath}` });
    return false;
  }
  if (!req.headers[CSRF_HEADER]) {
    sendError(req, res, options, { status: 403, code: 'CSRF_HEADER_MISSING', message: `multipart requests must carry the ${CSRF_HEADER} header (any value)` });
    return false;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxRequestBytes) {
    sendError(req, res, options, {
      status: 413,
      code: 'REQUEST_TOO_LARGE',
      message: `the request is ${declared} bytes: at most ${options.maxRequestBytes}`,
      early: true,
    });
    return false;
  }
  const refused = options.uploads.tryStart();
  if (refused === 'SHUTTING_DOWN') {
    sendError(req, res, options, {
      status: 503,
      code: refused,
      message: 'the server is shutting down: it takes no new work; try another instance or later',
      headers: { 'retry-after': '30' },
    });
    return false;
  }
  if (refused === 'SERVER_BUSY') {
    sendError(req, res, options, {
      status: 503,
      code: refused,
      message: `the server is busy: ${options.uploads.max} uploads are being read; retry in a few seconds`,
      headers: { 'retry-after': '2' },
      extensions: { retryAfterSeconds: 2 },
    });
    return false;
  }
  // Counted until the response is finished (the resolver reads the files while the request arrives).
  res.once('close', () => options.uploads.done());
  let multipart: MultipartRequest;
  try {
    multipart = readMultipart(req, {
      maxFileBytes: options.maxFileBytes,
      maxFiles: options.maxFiles,
      maxFieldBytes: 1024 * 1024,
      onFailure: (error) => refuse(req, res, options, error),
    });
  } catch (error) {
    refuse(req, res, options, error as RequestError);
    return false;
  }
  inProgress.set(req, multipart);
  // Without a trustworthy length (chunked), count: past the bound, 413 and the connection is cut.
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > options.maxRequestBytes) {
      multipart.fail(new RequestError(413, 'REQUEST_TOO_LARGE', `the request is larger than ${options.maxRequestBytes} bytes`));
    }
  });
  // Once answered, files the resolvers left unread are read through and thrown away.
  res.once('finish', () => multipart.discardRest());
  try {
    (req as IncomingMessage & { body?: unknown }).body = await multipart.operations;
  } catch {
    return false; // answered by onFailure
  }
  // The body is parsed: yoga must not measure it again (its own 25 MB limit would refuse a legal batch).
  delete req.headers['content-length'];
  return true;
}

/**
 * Why the request line or Host header cannot make a URL (the request is then refused with 400
 * BAD_REQUEST before any handler parses it), or null when they can.
 */
export function checkTarget(req: IncomingMessage): string | null {
  const target = req.url ?? '';
  // Node's own check would answer a bare 400; this one answers the typed error.
  if (req.httpVersion === '1.1' && req.headers.host === undefined) return 'the Host header is missing';
  if (!target.startsWith('/') && !/^https?:\/\//i.test(target) && !(target === '*' && req.method === 'OPTIONS')) {
    return `malformed request target: ${JSON.stringify(target.slice(0, 100))}`;
  }
  try {
    new URL(target === '*' ? '/' : target, `http://${req.headers.host || 'localhost'}`);
    return null;
  } catch {
    return `malformed request target or Host header: ${JSON.stringify(`${req.headers.host ?? ''} ${target}`.slice(0, 100))}`;
  }
}
