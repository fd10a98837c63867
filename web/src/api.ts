/**
 * The page's only way to the service: GraphQL over fetch/XHR at /graphql (multipart for uploads, with the
 * CSRF header) and graphql-sse at /graphql/stream for `batchEvents`. The wire protocol (paths, headers,
 * errors, multipart, resume with `after`) is src/client/transport.ts and the operations src/client/operations.ts,
 * shared with the Node client; every type comes from src/client/gql.
 */
import type { Client } from 'graphql-sse';
import type { ProcessBatchMutation, TypedDocumentString } from '../../src/client/gql/graphql.js';
import { ProcessBatchMutation as ProcessBatch } from '../../src/client/operations.js';
import {
  authHeaders as bearer,
  createStreamClient,
  CSRF_HEADER,
  followBatch as follow,
  GRAPHQL_PATH,
  multipartForm,
  postGraphQL,
  ServiceError,
  streamUrlOf,
  unwrapResponse,
  type FollowHandlers,
} from '../../src/client/transport.js';

export { ServiceError, type BatchEvent, type FollowHandlers } from '../../src/client/transport.js';

const GRAPHQL_URL = new URL(GRAPHQL_PATH, location.href).href;
const STREAM_URL = streamUrlOf(GRAPHQL_URL);

export type AcceptedBatch = ProcessBatchMutation['processBatch'];

/** A service started with `API_KEY` wants `Authorization: Bearer <key>`: asked once, kept for the tab. */
const KEY_STORE = 'decklist-ocr-api-key';
function authHeaders(): Record<string, string> {
  return bearer(sessionStorage.getItem(KEY_STORE));
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
  return withApiKey(() => postGraphQL<R>(GRAPHQL_URL, document.toString(), variables, authHeaders()));
}

/**
 * `processBatch` as a GraphQL multipart request. XHR rather than fetch, for upload progress.
 */
export function uploadBatch(files: readonly File[], onProgress: (fraction: number) => void): Promise<AcceptedBatch> {
  return withApiKey(() => uploadOnce(files, onProgress));
}

function uploadOnce(files: readonly File[], onProgress: (fraction: number) => void): Promise<AcceptedBatch> {
  const form = multipartForm(
    ProcessBatch.toString(),
    'files',
    files.map((file) => ({ name: file.name, blob: file })),
    true,
  );
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
        resolve(unwrapResponse<ProcessBatchMutation>(xhr.status, xhr.responseText).processBatch);
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ServiceError([{ message: 'the upload did not reach the service (network error)' }], 0));
    xhr.send(form);
  });
}

let sse: Client | null = null;
function sseClient(): Client {
  sse ??= createStreamClient({ url: STREAM_URL, headers: authHeaders });
  return sse;
}

/**
 * Follows a batch until its `BatchComplete` (with each entry's candidates, for the correction picker):
 * transport.ts's followBatch, reconnecting without end. Returns a function that stops following.
 */
export function followBatch(batchId: string, handlers: FollowHandlers, after = 0): () => void {
  return follow(sseClient(), batchId, handlers, { after, withCandidates: true });
}
