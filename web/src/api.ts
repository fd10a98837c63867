/**
 * The page's only way to the service: GraphQL over fetch/XHR at /graphql (multipart for uploads, with the
 * CSRF header) and graphql-sse at /graphql/stream for `batchEvents`. Every type comes from web/src/gql.
 */
import { createClient, type Client } from 'graphql-sse';
import type { TypedDocumentString, WebBatchEventsSubscription, WebProcessBatchMutation } from './gql/graphql.js';
import { WebBatchEvents, WebProcessBatch } from './operations.js';

export const GRAPHQL_URL = new URL('/graphql', location.href).href;
export const STREAM_URL = new URL('/graphql/stream', location.href).href;
const CSRF_HEADER = 'x-graphql-yoga-csrf';

export type BatchEvent = WebBatchEventsSubscription['batchEvents'];
export type AcceptedBatch = WebProcessBatchMutation['processBatch'];

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

export class ServiceError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function unwrap<R>(status: number, text: string): R {
  let body: { data?: R | null; errors?: GraphQLError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ServiceError(`the service answered HTTP ${status}: ${text.slice(0, 160)}`);
  }
  if (body.errors?.length || !body.data) {
    const first = body.errors?.[0];
    throw new ServiceError(body.errors?.map((e) => e.message).join('; ') || `HTTP ${status}`, first?.extensions?.code);
  }
  return body.data;
}

/** A service started with `API_KEY` wants `Authorization: Bearer <key>`: asked once, kept for the tab. */
const KEY_STORE = 'decklist-ocr-api-key';
function authHeaders(): Record<string, string> {
  const key = sessionStorage.getItem(KEY_STORE);
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function withApiKey<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ServiceError) || error.code !== 'UNAUTHENTICATED') throw error;
    const key = window.prompt(`${error.message}\n\nThis service needs an API key:`)?.trim();
    if (!key) throw error;
    sessionStorage.setItem(KEY_STORE, key);
    return run();
  }
}

/** A query or mutation without files. */
export function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  return withApiKey(() => requestOnce(document, variables));
}

async function requestOnce<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  return unwrap<R>(response.status, await response.text());
}

/**
 * `processBatch` as a GraphQL multipart request. XHR rather than fetch, for upload progress.
 */
export function uploadBatch(files: readonly File[], onProgress: (fraction: number) => void): Promise<AcceptedBatch> {
  return withApiKey(() => uploadOnce(files, onProgress));
}

function uploadOnce(files: readonly File[], onProgress: (fraction: number) => void): Promise<AcceptedBatch> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: WebProcessBatch.toString(), variables: { files: files.map(() => null) } }));
  form.set('map', JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.files.${i}`]]))));
  files.forEach((file, i) => form.set(String(i), file, file.name));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', GRAPHQL_URL);
    xhr.setRequestHeader(CSRF_HEADER, '1');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      try {
        resolve(unwrap<WebProcessBatchMutation>(xhr.status, xhr.responseText).processBatch);
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ServiceError('the upload did not reach the service (network error)'));
    xhr.send(form);
  });
}

let sse: Client | null = null;
function sseClient(): Client {
  // No built-in retries: a retry would re-subscribe from the start; followBatch resumes with `after`.
  sse ??= createClient({ url: STREAM_URL, retryAttempts: 0, headers: authHeaders });
  return sse;
}

export interface FollowHandlers {
  onEvent(event: BatchEvent): void;
  /** The connection dropped; `attempt` counts the reconnections so far. */
  onReconnecting(attempt: number): void;
  onFatal(error: ServiceError): void;
}

/**
 * Follows a batch until its `BatchComplete`: replay of every stored event, then live ones. A dropped
 * connection resubscribes with `after` = the last sequence seen (backing off), so no event is lost or seen
 * twice. A GraphQL error (unknown or evicted batch) ends it. Returns a function that stops following.
 */
export function followBatch(batchId: string, handlers: FollowHandlers, after = 0): () => void {
  let last = after;
  let stopped = false;
  let attempt = 0;
  let unsubscribe: (() => void) | null = null;
  let done = false;

  const connect = () => {
    if (stopped || done) return;
    unsubscribe = sseClient().subscribe<WebBatchEventsSubscription>(
      { query: WebBatchEvents.toString(), variables: { batchId, after: last } },
      {
        next(result) {
          if (result.errors?.length) {
            done = true;
            const err = result.errors[0] as GraphQLError;
            handlers.onFatal(new ServiceError(result.errors.map((e) => e.message).join('; '), err.extensions?.code));
            return;
          }
          const event = result.data?.batchEvents;
          if (!event || event.sequence <= last) return;
          last = event.sequence;
          attempt = 0;
          if (event.__typename === 'BatchComplete') done = true;
          handlers.onEvent(event);
        },
        error() {
          if (stopped || done) return;
          attempt += 1;
          handlers.onReconnecting(attempt);
          setTimeout(connect, Math.min(8_000, 400 * 2 ** Math.min(attempt - 1, 5)));
        },
        complete() {
          // The stream ended without BatchComplete (server shutting down, proxy timeout): resume.
          if (!stopped && !done) {
            attempt += 1;
            handlers.onReconnecting(attempt);
            setTimeout(connect, Math.min(8_000, 400 * 2 ** Math.min(attempt - 1, 5)));
          }
        },
      },
    );
  };
  connect();
  return () => {
    stopped = true;
    unsubscribe?.();
  };
}
