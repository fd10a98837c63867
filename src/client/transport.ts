/**
 * The service's wire protocol in one place, for the server (src/server), the Node client (client.ts) and the
 * web page (web/src) — as graphql-sse keeps its protocol constants in one `common.ts`: the paths, the header
 * names, the error a client throws and how it reads a response, the GraphQL multipart request, and following a
 * batch's events with resume by `after`. Browser-safe: no Node module (Vite bundles it into the page).
 */
import { createClient, NetworkError, TOKEN_HEADER_KEY, TOKEN_QUERY_KEY, type Client } from 'graphql-sse';
import type { BatchEventsSubscription as BatchEventsResult } from './gql/graphql.js';
import { BatchEventsSubscription } from './operations.js';

/** Queries, mutations and uploads. */
export const GRAPHQL_PATH = '/graphql';
/** graphql-sse subscriptions (`batchEvents`). */
export const STREAM_PATH = `${GRAPHQL_PATH}/stream`;
/** The header a multipart request must carry (any value): a browser cannot add it to a cross-site form post. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';
/** graphql-sse's single-connection reservation token: a header, or a query parameter of a GET stream. */
export { TOKEN_HEADER_KEY, TOKEN_QUERY_KEY };
/** The headers a browser may send cross-origin (CORS `allowedHeaders`). */
export const REQUEST_HEADERS = ['content-type', 'accept', 'authorization', CSRF_HEADER, TOKEN_HEADER_KEY, 'last-event-id'] as const;

/** The stream URL of a GraphQL endpoint URL (`…/graphql` → `…/graphql/stream`). */
export function streamUrlOf(graphqlUrl: string): string {
  return `${graphqlUrl.replace(/\/$/, '')}/stream`;
}

/** `Authorization: Bearer <key>` when the service was started with `API_KEY`. */
export function authHeaders(apiKey: string | null | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * A request the service answered with GraphQL errors (or an HTTP error before GraphQL ran, or none at all:
 * `status` 0 when the request did not reach the service).
 */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly errors: GraphQLErrorShape[],
    readonly status: number,
  ) {
    super(errors.map((e) => e.message).join('; ') || `HTTP ${status}`);
  }

  /** `extensions.code` of the first error. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** The `data` of a GraphQL response body, or a {@link ServiceError} for its errors (or a body that is not JSON). */
export function unwrapResponse<R>(status: number, text: string): R {
  let body: { data?: R | null; errors?: GraphQLErrorShape[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ServiceError([{ message: `the service answered HTTP ${status}: ${text.slice(0, 200)}` }], status);
  }
  if (body.errors?.length || !body.data) throw new ServiceError(body.errors ?? [], status);
  return body.data;
}

/** Runs a query or mutation without files (JSON over POST). */
export async function postGraphQL<R>(url: string, query: string, variables: unknown, headers: Record<string, string> = {}): Promise<R> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return unwrapResponse<R>(response.status, await response.text());
}

/** One file of an upload: its bytes (a page's File is a Blob) and name. */
export interface UploadPart {
  name: string;
  blob: Blob;
}

/**
 * A GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec): `operations`
 * with `null` where the files go, `map` from each file field (`0`, `1`, …) to its variable path, then the files.
 * The files fill the variable `variable`: a list (`variables.files.0`, …) when `list`, else one file.
 * Send it with the {@link CSRF_HEADER}.
 */
export function multipartForm(query: string, variable: string, files: readonly UploadPart[], list: boolean): FormData {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables: { [variable]: list ? files.map(() => null) : null } }));
  const map = Object.fromEntries(files.map((_, i) => [String(i), [list ? `variables.${variable}.${i}` : `variables.${variable}`]]));
  form.set('map', JSON.stringify(map));
  for (const [i, file] of files.entries()) form.set(String(i), file.blob, file.name);
  return form;
}

export interface StreamClientOptions {
  /** The stream URL (`…/graphql/stream`). */
  url: string;
  /** graphql-sse single-connection mode (one event stream for every subscription). */
  singleConnection?: boolean;
  /** The headers of every stream request (called for each: see below). */
  headers: () => Record<string, string>;
}

/** A graphql-sse client for {@link followBatch}. */
export function createStreamClient(options: StreamClientOptions): Client {
  return createClient({
    url: options.url,
    singleConnection: options.singleConnection ?? false,
    // No built-in retries: a retry would re-subscribe from the start; followBatch resumes with `after`.
    retryAttempts: 0,
    // A function, not an object: graphql-sse writes the single connection's token into the object it gets,
    // and a shared object would carry an old token into the next connection (409 Conflict).
    headers: () => options.headers(),
  });
}

export type BatchEvent = BatchEventsResult['batchEvents'];

export interface FollowHandlers {
  onEvent(event: BatchEvent): void;
  /** The connection dropped; `attempt` counts the reconnections since the last event. */
  onReconnecting(attempt: number): void;
  /** A GraphQL error (unknown or evicted batch, refused key) as a {@link ServiceError}, or the last transport
   * error once `maxAttempts` reconnections failed. Nothing follows. */
  onFatal(error: Error): void;
  /** With `resumeWhenEnded: false`: the server ended the stream before `BatchComplete`. Nothing follows. */
  onEnded?(): void;
}

export interface FollowOptions {
  /** Resume after this sequence number (0: from the first event). */
  after?: number;
  /** Ask for each entry's `candidates`. */
  withCandidates?: boolean;
  /** Reconnections in a row (without an event between) before giving up; unlimited by default. */
  maxAttempts?: number;
  /** The wait before reconnection `attempt` (1, 2, …); {@link resumeDelayMs} by default. */
  delayMs?: (attempt: number) => number;
  /**
   * A stream the server ends (graphql-sse `complete`) before `BatchComplete`: resumed like a dropped one
   * (the default: a server shutting down, a proxy timeout), or the end (`onEnded`; e.g. `after` was already
   * past the batch's last event).
   */
  resumeWhenEnded?: boolean;
  /** Whether a transport error is worth a reconnection; every one by default (see {@link isTransient}). */
  retryable?: (error: unknown) => boolean;
}

/**
 * A stream error a reconnection may cure: anything but an HTTP 4xx answer (a refused key, a bad request),
 * where 408, 409 (a stale single-connection token) and 429 are worth another try.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof NetworkError) || !error.response) return true;
  const { status } = error.response;
  return status < 400 || status >= 500 || status === 408 || status === 409 || status === 429;
}

/** 0.4 s, 0.8 s, 1.6 s … up to 8 s. */
export function resumeDelayMs(attempt: number): number {
  return Math.min(8_000, 400 * 2 ** Math.min(attempt - 1, 5));
}

/**
 * Follows a batch until its `BatchComplete`: replay of every stored event after `after`, then live ones. A
 * dropped connection (a transport error, or by default a stream the server ends before `BatchComplete`)
 * resubscribes with `after` = the last sequence seen, backing off, so no event is lost or seen twice. A
 * GraphQL error ends it. Returns a function that stops following.
 */
export function followBatch(sse: Pick<Client, 'subscribe'>, batchId: string, handlers: FollowHandlers, options: FollowOptions = {}): () => void {
  const { maxAttempts = Infinity, delayMs = resumeDelayMs, retryable = () => true, resumeWhenEnded = true } = options;
  let last = options.after ?? 0;
  let stopped = false;
  let done = false;
  let attempt = 0;
  let unsubscribe: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const fatal = (error: Error) => {
    done = true;
    handlers.onFatal(error);
  };
  const dropped = (error: unknown) => {
    if (stopped || done) return;
    if (attempt >= maxAttempts || (error !== undefined && !retryable(error))) {
      fatal(error instanceof Error ? error : new Error(error === undefined ? 'the event stream ended before BatchComplete' : String(error)));
      return;
    }
    attempt += 1;
    handlers.onReconnecting(attempt);
    timer = setTimeout(connect, delayMs(attempt));
  };
  const connect = () => {
    if (stopped || done) return;
    const variables = { batchId, after: last, ...(options.withCandidates ? { withCandidates: true } : {}) };
    unsubscribe = sse.subscribe<BatchEventsResult>(
      { query: BatchEventsSubscription.toString(), variables },
      {
        next(result) {
          if (done) return;
          if (result.errors?.length) {
            fatal(new ServiceError(result.errors as unknown as GraphQLErrorShape[], 200));
            return;
          }
          const event = result.data?.batchEvents;
          if (!event || event.sequence <= last) return;
          last = event.sequence;
          attempt = 0;
          if (event.__typename === 'BatchComplete') done = true;
          handlers.onEvent(event);
        },
        error: dropped,
        complete() {
          if (stopped || done) return;
          if (resumeWhenEnded) return dropped(undefined);
          done = true;
          handlers.onEnded?.();
        },
      },
    );
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe?.();
  };
}
