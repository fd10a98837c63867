/**
 * A small typed client of the service: multipart uploads with fetch/FormData (GraphQL multipart request
 * spec), queries over JSON, and `batchEvents` over graphql-sse, resumed with `after` when the stream drops.
 * The wire protocol (paths, headers, errors, multipart, resume) is transport.ts, shared with the web page;
 * every type comes from src/client/gql, generated from schema.graphql by `npm run codegen`.
 */
import type { Client } from 'graphql-sse';
import type { TypedDocumentString } from './gql/graphql.js';
import type { ProcessBatchMutation as ProcessBatchResult, ProcessImageMutation as ProcessImageResult } from './gql/graphql.js';
import { ProcessBatchMutation, ProcessImageMutation } from './operations.js';
import {
  authHeaders,
  createStreamClient,
  CSRF_HEADER,
  followBatch,
  isTransient,
  multipartForm,
  postGraphQL,
  streamUrlOf,
  unwrapResponse,
  type BatchEvent,
} from './transport.js';

export { CSRF_HEADER, ServiceError, type BatchEvent, type GraphQLErrorShape } from './transport.js';
export type AcceptedBatch = ProcessBatchResult['processBatch'];
export type ClientDecklist = ProcessImageResult['processImage'];

/** A file to upload: its name, bytes and (optional) media type. */
export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  type?: string;
}

export interface ServiceClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`; the stream is at `<url>/stream`. */
  url: string;
  /** graphql-sse single-connection mode (one event stream for every subscription). */
  singleConnection?: boolean;
  /** The service's `API_KEY`: sent as `Authorization: Bearer <key>` on every request and stream. */
  apiKey?: string | null;
  /**
   * How many times in a row `batchEvents` resubscribes with `after` when its stream drops (a transport error)
   * before `BatchComplete` (backing off 0.4 s, 0.8 s, … as the page does) before it throws; default 5, 0 to throw at
   * once. An HTTP 4xx answer to the stream (a refused key) is thrown without another try.
   */
  resumeAttempts?: number;
  /** The wait before resume `attempt` (1, 2, …); transport.ts's `resumeDelayMs` by default. */
  resumeDelayMs?: (attempt: number) => number;
}

export class ServiceClient {
  readonly url: string;
  readonly streamUrl: string;
  private sse: Client | null = null;

  constructor(private readonly options: ServiceClientOptions) {
    this.url = options.url.replace(/\/$/, '');
    this.streamUrl = streamUrlOf(this.url);
  }

  /** The Authorization header when an API key is set. */
  private auth(): Record<string, string> {
    return authHeaders(this.options.apiKey);
  }

  /** Runs a query or mutation without files. */
  async request<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
    return postGraphQL<R>(this.url, document.toString(), variables, this.auth());
  }

  /**
   * Runs an operation with files (GraphQL multipart request): `files` fill the variable `name`
   * (a list variable when `list` is true).
   */
  async upload<R, V>(document: TypedDocumentString<R, V>, variable: string, files: UploadFile[], list: boolean): Promise<R> {
    const parts = files.map((file) => ({
      name: file.name,
      blob: new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? 'application/octet-stream' }),
    }));
    const body = multipartForm(document.toString(), variable, parts, list);
    const response = await fetch(this.url, { method: 'POST', headers: { [CSRF_HEADER]: '1', ...this.auth() }, body });
    return unwrapResponse<R>(response.status, await response.text());
  }

  /** Uploads screenshots as one batch; resolves as soon as the service accepted them. */
  async processBatch(files: UploadFile[]): Promise<AcceptedBatch> {
    return (await this.upload(ProcessBatchMutation, 'files', files, true)).processBatch;
  }

  /** Reads one screenshot synchronously. */
  async processImage(file: UploadFile): Promise<ClientDecklist> {
    return (await this.upload(ProcessImageMutation, 'file', [file], false)).processImage;
  }

  private sseClient(): Client {
    this.sse ??= createStreamClient({ url: this.streamUrl, singleConnection: this.options.singleConnection ?? false, headers: () => this.auth() });
    return this.sse;
  }

  /**
   * The events of a batch, replayed from `after` then live; ends after `BatchComplete` (or when the service
   * ends the stream). A dropped stream (a transport error) is resumed after the last event seen
   * (`resumeAttempts`), so no event is lost or repeated. A GraphQL error (unknown batch) is thrown as a
   * {@link ServiceError}; a stream that could not be resumed, as its last error.
   */
  async *batchEvents(batchId: string, after?: number): AsyncGenerator<BatchEvent> {
    const queue: BatchEvent[] = [];
    let failure: Error | null = null;
    let ended = false;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    const stop = followBatch(
      this.sseClient(),
      batchId,
      {
        onEvent: (event) => {
          queue.push(event);
          if (event.__typename === 'BatchComplete') ended = true;
          notify();
        },
        onReconnecting: () => {},
        onFatal: (error) => {
          failure = error;
          notify();
        },
        onEnded: () => {
          ended = true;
          notify();
        },
      },
      {
        ...(after !== undefined ? { after } : {}),
        maxAttempts: this.options.resumeAttempts ?? 5,
        retryable: isTransient,
        // The server ended the stream itself (e.g. `after` was past the last event): the events end there.
        resumeWhenEnded: false,
        ...(this.options.resumeDelayMs ? { delayMs: this.options.resumeDelayMs } : {}),
      },
    );
    try {
      for (;;) {
        const event = queue.shift();
        if (event) {
          yield event;
          continue;
        }
        if (failure) throw failure;
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      stop();
    }
  }

  /** Closes the graphql-sse client (its single connection, if any). */
  dispose(): void {
    this.sse?.dispose();
    this.sse = null;
  }
}
