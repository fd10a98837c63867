/**
 * A small typed client of the service: multipart uploads with fetch/FormData (GraphQL multipart request
 * spec), queries over JSON, and `batchEvents` over graphql-sse. Every type comes from src/client/gql,
 * generated from schema.graphql by `npm run codegen`.
 */
import { createClient, type Client } from 'graphql-sse';
import type { TypedDocumentString } from './gql/graphql.js';
import {
  BatchEventsSubscription,
  ProcessBatchMutation,
  ProcessImageMutation,
} from './operations.js';
import type {
  BatchEventsSubscription as BatchEventsResult,
  ProcessBatchMutation as ProcessBatchResult,
  ProcessImageMutation as ProcessImageResult,
} from './gql/graphql.js';

export type BatchEvent = BatchEventsResult['batchEvents'];
export type AcceptedBatch = ProcessBatchResult['processBatch'];
export type ClientDecklist = ProcessImageResult['processImage'];

/** A file to upload: its name, bytes and (optional) media type. */
export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  type?: string;
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A request the service answered with GraphQL errors (or an HTTP error before GraphQL ran). */
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

export interface ServiceClientOptions {
  /** The GraphQL endpoint, e.g. `http://localhost:4000/graphql`; the stream is at `<url>/stream`. */
  url: string;
  /** graphql-sse single-connection mode (one event stream for every subscription). */
  singleConnection?: boolean;
  /** The service's `API_KEY`: sent as `Authorization: Bearer <key>` on every request and stream. */
  apiKey?: string | null;
}

/** The CSRF header every multipart request must carry. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

async function readResponse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: GraphQLResponse<T>;
  try {
    body = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new ServiceError([{ message: text.slice(0, 200) || response.statusText }], response.status);
  }
  if (body.errors?.length || !body.data) throw new ServiceError(body.errors ?? [], response.status);
  return body.data;
}

export class ServiceClient {
  readonly url: string;
  readonly streamUrl: string;
  private sse: Client | null = null;

  constructor(private readonly options: ServiceClientOptions) {
    this.url = options.url.replace(/\/$/, '');
    this.streamUrl = `${this.url}/stream`;
  }

  /** The Authorization header when an API key is set. */
  private auth(): Record<string, string> {
    return this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
  }

  /** Runs a query or mutation without files. */
  async request<R, V>(document: TypedDocumentString<R, V>, variables?: V): Promise<R> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...this.auth() },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    return readResponse<R>(response);
  }

  /**
   * Runs an operation with files (GraphQL multipart request): `files` fill the variable `name`
   * (a list variable when `list` is true).
   */
  async upload<R, V>(document: TypedDocumentString<R, V>, variable: string, files: UploadFile[], list: boolean): Promise<R> {
    const form = new FormData();
    const nulls = list ? files.map(() => null) : null;
    form.set('operations', JSON.stringify({ query: document.toString(), variables: { [variable]: nulls } }));
    form.set(
      'map',
      JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [list ? `variables.${variable}.${i}` : `variables.${variable}`]]))),
    );
    files.forEach((file, i) => {
      form.set(String(i), new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? 'application/octet-stream' }), file.name);
    });
    const response = await fetch(this.url, { method: 'POST', headers: { [CSRF_HEADER]: '1', ...this.auth() }, body: form });
    return readResponse<R>(response);
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
    this.sse ??= createClient({
      url: this.streamUrl,
      singleConnection: this.options.singleConnection ?? false,
      retryAttempts: 0,
      // A function, not an object: graphql-sse writes the single connection's token into the object it gets,
      // and a shared object would carry an old token into the next connection (409 Conflict).
      headers: () => this.auth(),
    });
    return this.sse;
  }

  /**
   * The events of a batch, replayed from `after` then live; ends after `BatchComplete`. A GraphQL
   * error (unknown batch) is thrown as a {@link ServiceError}.
   */
  async *batchEvents(batchId: string, after?: number): AsyncGenerator<BatchEvent> {
    const results = this.sseClient().iterate<BatchEventsResult>({
      query: BatchEventsSubscription.toString(),
      variables: { batchId, ...(after !== undefined ? { after } : {}) },
    });
    for await (const result of results) {
      if (result.errors?.length) throw new ServiceError(result.errors as unknown as GraphQLErrorShape[], 200);
      if (result.data) yield result.data.batchEvents;
    }
  }

  /** Closes the graphql-sse client (its single connection, if any). */
  dispose(): void {
    this.sse?.dispose();
    this.sse = null;
  }
}
