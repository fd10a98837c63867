/**
 * The GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec) parsed
 * over busboy, in place of graphql-upload-minimal's `processRequest`.
 *
 * Why not `processRequest`: it listens for the parser's `'error'` only once and then destroys the parser,
 * whose `_destroy` reports a second error ("Unexpected end of form") to no listener, so one malformed part
 * header (a raw control byte or a stray quote in a file name) became an uncaught exception that stopped
 * the process. Here every stream on the upload path (the request, the parser, each file stream) has its
 * error listener for its whole life, every failure settles the request once, with a typed
 * {@link RequestError}, and file streams left half-read are destroyed or drained.
 *
 * What resolvers see is unchanged: graphql-upload-minimal's `Upload` (so its `Upload` scalar resolves it)
 * with `{ filename, mimetype, encoding, fieldName, createReadStream() }`; a file over the size limit ends
 * early with `truncated` set; a file the map names but the request lacks rejects with "File missing in the
 * request."
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy, { type Busboy } from 'busboy';
import { Upload, type FileUpload } from 'graphql-upload-minimal';

/** A request refused before or while it is read: HTTP status, typed code and a message for the client. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Bounds of one multipart request. */
export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles: number;
  /** Bytes of the `operations` or `map` field. */
  maxFieldBytes: number;
  /** Called once, with the first failure, whenever it happens (before or after the operations are in). */
  onFailure?: (error: RequestError) => void;
}

/** A multipart request being read: its operations once `operations` and `map` are in, and a way to stop it. */
export interface MultipartRequest {
  /** The operations with an `Upload` wherever the map points; rejects with a {@link RequestError}. */
  operations: Promise<unknown>;
  /** Stops reading: pending uploads reject with `error`, half-read files are destroyed. Later calls do nothing. */
  fail(error: RequestError): void;
  /** Reads the rest of the request and throws it away (files nobody asked for, after the answer). */
  discardRest(): void;
  /** The first failure, if any. */
  readonly failure: RequestError | null;
}

const SPEC = 'see https://github.com/jaydenseric/graphql-multipart-request-spec';
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Paths a map may hold in all: each is a walk through the operations. */
const MAX_MAP_PATHS = 1_000;

/** graphql-upload-minimal's Upload with the settle methods its typings leave out. */
type SettableUpload = Upload & { resolve(file: FileUpload): void; reject(error: unknown): void };

const bad = (message: string) => new RequestError(400, 'BAD_MULTIPART_REQUEST', message);
const noop = () => {};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Puts `value` at the dot-separated `path` of `operations`. Only own properties are walked, and the last
 * one must already be there (the spec's `null` placeholder): a path can neither reach a prototype nor add
 * properties. Returns false when the path is not a placeholder of the operations.
 */
function setAtPath(operations: unknown, path: string, value: unknown): boolean {
  const keys = path.split('.');
  if (keys.some((k) => k === '' || FORBIDDEN_KEYS.has(k))) return false;
  let target: unknown = operations;
  for (const key of keys.slice(0, -1)) {
    if (typeof target !== 'object' || target === null || !Object.hasOwn(target, key)) return false;
    target = (target as Record<string, unknown>)[key];
  }
  const last = keys.at(-1)!;
  if (typeof target !== 'object' || target === null || !Object.hasOwn(target, last)) return false;
  if (Array.isArray(target) && !/^(0|[1-9]\d*)$/.test(last)) return false;
  (target as Record<string, unknown>)[last] = value;
  return true;
}

function parseJson(field: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw bad(`Invalid JSON in the '${field}' multipart field (${SPEC}).`);
  }
}

/** The `map` field applied to the operations: one `Upload` per file field name. */
function applyMap(operations: unknown, value: string, maxFiles: number): Map<string, SettableUpload> {
  const parsed = parseJson('map', value);
  if (!isPlainObject(parsed)) throw bad(`Invalid type for the 'map' multipart field: an object is expected (${SPEC}).`);
  const entries = Object.entries(parsed);
  if (entries.length > maxFiles) throw new RequestError(413, 'TOO_MANY_FILES', `too many files: at most ${maxFiles} per request`);
  const uploads = new Map<string, SettableUpload>();
  let paths = 0;
  for (const [key, list] of entries) {
    if (!Array.isArray(list) || list.length === 0) {
      throw bad(`Invalid type for the 'map' multipart field entry key '${key}': a non-empty array of paths is expected (${SPEC}).`);
    }
    paths += list.length;
    if (paths > MAX_MAP_PATHS) throw bad(`the 'map' multipart field holds more than ${MAX_MAP_PATHS} paths`);
    const upload = new Upload() as SettableUpload;
    uploads.set(key, upload);
    for (const [index, path] of list.entries()) {
      if (typeof path !== 'string' || !setAtPath(operations, path, upload)) {
        const shown = typeof path === 'string' ? `'${path.slice(0, 200)}'` : `of type ${path === null ? 'null' : typeof path}`;
        throw bad(`Invalid object path for the 'map' multipart field entry key '${key}' array index '${index}' value ${shown} (${SPEC}).`);
      }
    }
  }
  return uploads;
}

/** busboy's terse parse errors, said so a client can tell what to fix. */
const EXPLAINED: Record<string, string> = {
  'Malformed part header': "a part's headers are not well formed (a raw control character, CR or LF, or bytes that are not a header line)",
  'Unexpected end of form': 'the body ended before the closing boundary',
  'Unexpected end of file': 'the body ended in the middle of a file',
  'Multipart: Boundary not found': 'the Content-Type names no boundary',
  'Malformed content type': 'the Content-Type header is not well formed',
};

function explain(message: string): string {
  return EXPLAINED[message] ? `${EXPLAINED[message]} (${message})` : message;
}

/** A busboy parser for the request, or the typed error its headers deserve. */
function createParser(req: IncomingMessage, limits: MultipartLimits): Busboy {
  try {
    return busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { fieldSize: limits.maxFieldBytes, fields: 2, fileSize: limits.maxFileBytes, files: limits.maxFiles, headerPairs: 16 },
    });
  } catch (error) {
    throw bad(`malformed multipart request: ${explain((error as Error).message)}`);
  }
}

/**
 * Starts reading the multipart request `req`. The request is piped into busboy here; the file bytes are
 * read as resolvers consume the uploads' streams. Throws a {@link RequestError} when the headers alone are
 * unusable (no boundary, not multipart/form-data).
 */
export function readMultipart(req: IncomingMessage, limits: MultipartLimits): MultipartRequest {
  const parser = createParser(req, limits);
  let resolveOperations!: (value: unknown) => void;
  let rejectOperations!: (error: RequestError) => void;
  const operationsPromise = new Promise<unknown>((resolve, reject) => {
    resolveOperations = resolve;
    rejectOperations = reject;
  });
  operationsPromise.catch(noop);

  let operations: unknown;
  let uploads: Map<string, SettableUpload> | null = null;
  let failure: RequestError | null = null;
  const fileStreams = new Set<Readable>();

  const fail = (error: RequestError) => {
    if (failure) return;
    failure = error;
    rejectOperations(error);
    if (uploads) for (const upload of uploads.values()) if (!upload.file) upload.reject(error);
    for (const stream of fileStreams) if (!stream.readableEnded) stream.destroy(error);
    fileStreams.clear();
    req.unpipe(parser);
    parser.destroy();
    limits.onFailure?.(error);
  };

  /** Set once answered: a file part that arrives after the answer is thrown away as it comes. */
  let discarding = false;
  const discardRest = () => {
    discarding = true;
    for (const stream of fileStreams) stream.resume();
    if (failure) req.resume();
  };

  parser.on('error', (error: Error) => fail(bad(`malformed multipart request: ${explain(error.message)}`)));
  req.on('error', noop); // an aborted request: 'close' below says so

  parser.on('field', (name, value, info) => {
    if (failure) return;
    if (info.valueTruncated) {
      return fail(new RequestError(413, 'REQUEST_TOO_LARGE', `the '${name}' multipart field is larger than ${limits.maxFieldBytes} bytes`));
    }
    try {
      if (name === 'operations') {
        if (operations !== undefined) throw bad(`the 'operations' multipart field appears twice (${SPEC}).`);
        const parsed = parseJson('operations', value);
        if (typeof parsed !== 'object' || parsed === null) throw bad(`Invalid type for the 'operations' multipart field (${SPEC}).`);
        operations = parsed;
      } else if (name === 'map') {
        if (operations === undefined) throw bad(`Misordered multipart fields; 'map' should follow 'operations' (${SPEC}).`);
        if (uploads) throw bad(`the 'map' multipart field appears twice (${SPEC}).`);
        uploads = applyMap(operations, value, limits.maxFiles);
        resolveOperations(operations);
      }
    } catch (error) {
      fail(error instanceof RequestError ? error : bad((error as Error).message));
    }
  });

  parser.on('file', (name, stream, info) => {
    stream.on('error', noop); // reported through fail() or the reader's own iteration
    const upload = uploads?.get(name);
    if (failure || !uploads || !upload || upload.file) {
      stream.resume();
      if (!uploads && !failure) fail(bad(`Misordered multipart fields; files should follow 'map' (${SPEC}).`));
      return;
    }
    fileStreams.add(stream);
    stream.once('end', () => fileStreams.delete(stream));
    // The resolver answered before this part came (the store refused the batch): nobody will read it, and a
    // request left half-read would leave its keep-alive connection stuck, then reset under the client's next request.
    if (discarding) stream.resume();
    let taken = false;
    const file: FileUpload = {
      fieldName: name,
      filename: info.filename ?? '',
      mimetype: info.mimeType,
      encoding: info.encoding,
      createReadStream: () => {
        if (taken) throw new Error('createReadStream() may be called once per upload');
        taken = true;
        return stream as unknown as ReturnType<FileUpload['createReadStream']>;
      },
    };
    upload.resolve(file);
  });

  parser.on('filesLimit', () => fail(new RequestError(413, 'TOO_MANY_FILES', `too many files: at most ${limits.maxFiles} per request`)));

  // Every part has been seen once the request has been read through (busboy parses each chunk as it is
  // written), even while a file stream still waits for its reader: a file the map names but the request
  // lacks is reported then, not when the parser closes (which waits for every file to be read).
  const formEnded = () => {
    if (failure) return;
    if (operations === undefined) return fail(bad(`Missing multipart field 'operations' (${SPEC}).`));
    if (!uploads) return fail(bad(`Missing multipart field 'map' (${SPEC}).`));
    for (const upload of uploads.values()) if (!upload.file) upload.reject(new Error('File missing in the request.'));
  };
  req.once('end', formEnded);
  parser.on('close', formEnded);

  req.on('close', () => {
    if (!req.readableEnded) fail(bad('the connection was closed before the request was complete'));
  });

  req.pipe(parser);
  return {
    operations: operationsPromise,
    fail,
    discardRest,
    get failure() {
      return failure;
    },
  };
}
