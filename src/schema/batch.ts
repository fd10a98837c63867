import {
  BATCH_ERROR_CODES,
  BATCH_STATUSES,
  type BatchCompleteEvent,
  type BatchErrorEvent,
  type BatchEvent,
  type BatchProgressEvent,
  type BatchResultEvent,
} from '../batch/events.js';
import { StoreUnavailableError } from '../batch/ports.js';
import { BatchRejectedError, type BatchView } from '../batch/runner.js';
import { PIPELINE_STAGES } from '../pipeline/types.js';
import { builder } from './builder.js';
import { DecklistRef } from './decklist.js';
import { serviceError } from './errors.js';
import { readUpload } from './uploads.js';

const BatchStatusEnum = builder.enumType('BatchStatus', {
  values: BATCH_STATUSES,
});

const BatchStageEnum = builder.enumType('BatchStage', {
  description: 'QUEUED: waiting for the OCR pool; then the pipeline stages in order.',
  values: ['QUEUED', ...PIPELINE_STAGES] as const,
});

const BatchErrorCodeEnum = builder.enumType('BatchErrorCode', {
  description: `Why one image produced no decklist (docs/errors.md has each one's cause and fix): ${BATCH_ERROR_CODES.join(', ')}.`,
  values: BATCH_ERROR_CODES,
});

type ImageEvent = BatchProgressEvent | BatchResultEvent | BatchErrorEvent;
const IMAGE_EVENT_TYPES = { progress: 'BatchProgress', result: 'BatchResult', error: 'BatchError' } as const;

/** The fields every event about one image has, written once. */
const ImageEventRef = builder.interfaceRef<ImageEvent>('ImageEvent').implement({
  description: 'An event about one image of a batch: BatchProgress, BatchResult or BatchError.',
  resolveType: (event): string => IMAGE_EVENT_TYPES[event.kind],
  fields: (t) => ({
    batchId: t.exposeID('batchId'),
    sequence: t.exposeInt('sequence', { description: "The event's place in the batch's log: 1, 2, 3… without a gap." }),
    index: t.exposeInt('index', { description: 'Position of the file in the `files` argument, from 0.' }),
    filename: t.exposeString('filename'),
  }),
});

const BatchProgressRef = builder.objectRef<BatchProgressEvent>('BatchProgress').implement({
  description: 'An image entered a stage.',
  interfaces: [ImageEventRef],
  fields: (t) => ({
    stage: t.expose('stage', { type: BatchStageEnum }),
    completed: t.exposeInt('completed', { description: 'Images of the batch finished so far.' }),
    total: t.exposeInt('total'),
  }),
});

const BatchResultRef = builder.objectRef<BatchResultEvent>('BatchResult').implement({
  description: 'The decklist of one image.',
  interfaces: [ImageEventRef],
  fields: (t) => ({
    decklist: t.expose('decklist', { type: DecklistRef }),
  }),
});

const BatchErrorRef = builder.objectRef<BatchErrorEvent>('BatchError').implement({
  description: 'One image could not be read (or was cancelled: code CANCELLED); the rest of the batch goes on.',
  interfaces: [ImageEventRef],
  fields: (t) => ({
    code: t.expose('code', { type: BatchErrorCodeEnum }),
    message: t.exposeString('message'),
  }),
});

const BatchCompleteRef = builder.objectRef<BatchCompleteEvent>('BatchComplete').implement({
  description: 'The last event of a batch: every image finished (or was cancelled).',
  fields: (t) => ({
    batchId: t.exposeID('batchId'),
    sequence: t.exposeInt('sequence'),
    total: t.exposeInt('total'),
    succeeded: t.exposeInt('succeeded'),
    failed: t.exposeInt('failed'),
    cancelled: t.exposeInt('cancelled'),
    durationMs: t.exposeInt('durationMs'),
  }),
});

const EVENT_TYPES = {
  progress: BatchProgressRef,
  result: BatchResultRef,
  error: BatchErrorRef,
  complete: BatchCompleteRef,
} as const;

const BatchEventUnion = builder.unionType('BatchEvent', {
  types: [BatchProgressRef, BatchResultRef, BatchErrorRef, BatchCompleteRef],
  resolveType: (event: BatchEvent) => EVENT_TYPES[event.kind],
});

const BatchRef = builder.objectRef<BatchView>('Batch').implement({
  description: 'A batch of screenshots being read; kept for the retention time after it finishes.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: BatchStatusEnum, resolve: (b) => b.status }),
    total: t.exposeInt('total'),
    completed: t.exposeInt('completed'),
    succeeded: t.exposeInt('succeeded'),
    failed: t.exposeInt('failed'),
    cancelled: t.exposeInt('cancelled'),
    createdAt: t.string({ description: 'ISO 8601.', resolve: (b) => new Date(b.createdAt).toISOString() }),
    finishedAt: t.string({ nullable: true, resolve: (b) => (b.finishedAt === null ? null : new Date(b.finishedAt).toISOString()) }),
    results: t.field({
      type: [BatchResultRef],
      description: 'Decklists so far, in the order they finished.',
      resolve: (b, _args, ctx) => guarded(ctx.runner.results(b.id)),
    }),
    errors: t.field({
      type: [BatchErrorRef],
      description: 'Images not read so far: failed, or cancelled (code CANCELLED).',
      resolve: (b, _args, ctx) => guarded(ctx.runner.errors(b.id)),
    }),
    events: t.field({
      type: [BatchEventUnion],
      description: 'The event log so far (the same events `batchEvents` streams).',
      args: { after: t.arg.int({ description: 'Only events with a greater sequence number.' }) },
      resolve: (b, args, ctx) => guarded(ctx.runner.events(b.id, args.after ?? 0)),
    }),
  }),
});

/** SERVER_BUSY carries `extensions.retryAfterSeconds`; SHUTTING_DOWN and BATCH_TOO_LARGE (final: split the batch) do not. */
export function rejectedError(error: BatchRejectedError) {
  return serviceError(error.code, error.message, error.retryAfterSeconds === null ? {} : { retryAfterSeconds: error.retryAfterSeconds });
}

/** STORE_UNAVAILABLE: the batch store failed (disk full, I/O error); the request may be retried. */
export function storeError(error: StoreUnavailableError) {
  return serviceError('STORE_UNAVAILABLE', error.message);
}

function rejected(error: unknown): never {
  if (error instanceof BatchRejectedError) throw rejectedError(error);
  if (error instanceof StoreUnavailableError) throw storeError(error);
  throw error;
}

/** The value, with a store failure answered as STORE_UNAVAILABLE. */
async function guarded<T>(value: Promise<T>): Promise<T> {
  try {
    return await value;
  } catch (error) {
    rejected(error);
  }
}

function batchNotFound(id: string) {
  return serviceError('BATCH_NOT_FOUND', `no batch ${id} (unknown, or evicted after the retention time)`);
}

builder.queryField('batch', (t) =>
  t.field({
    type: BatchRef,
    nullable: true,
    description: 'A batch by id; null when unknown or evicted.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => (await guarded(ctx.runner.get(String(args.id)))) ?? null,
  }),
);

builder.mutationFields((t) => ({
  processBatch: t.field({
    type: BatchRef,
    description:
      "Reads the uploads one after another, queues every image on the shared OCR pool and returns the batch at once. A bad file becomes that file's BatchError; it never fails the batch.",
    args: { files: t.arg({ type: ['Upload'], required: true }) },
    resolve: async (_root, args, ctx) => {
      const files = args.files;
      if (files.length === 0) throw serviceError('BAD_USER_INPUT', 'processBatch needs at least one file');
      if (files.length > ctx.limits.maxFiles) {
        throw serviceError('TOO_MANY_FILES', `${files.length} files: at most ${ctx.limits.maxFiles} per batch`);
      }
      const batch = await guarded(ctx.runner.createBatch(files.length));
      for (const [index, upload] of files.entries()) {
        const read = await readUpload(upload, ctx.limits.maxFileBytes, `file-${index}`);
        try {
          if (read.ok) await ctx.runner.addImage(batch.id, index, read.filename, read.bytes);
          else if (read.code !== 'UPLOAD_FAILED') await ctx.runner.rejectImage(batch.id, index, read.filename, read.code, read.message);
        } catch (error) {
          // The store failed (disk full, I/O): no batch, the client may send it again.
          await ctx.runner.discard(batch.id).catch(() => undefined);
          rejected(error);
        }
        if (!read.ok && read.code === 'UPLOAD_FAILED') {
          // The request itself broke (a file named in the map never came, the connection was cut or
          // went past the size limit): no batch at all; the client may not even be there to hear it.
          await ctx.runner.discard(batch.id);
          throw serviceError(
            'BAD_MULTIPART_REQUEST',
            read.missing
              ? `the multipart map names a file for files[${index}] that the request does not contain; no batch was created`
              : `files[${index}] could not be read (${read.message}); no batch was created`,
            // The request is broken, not the operation: answered with HTTP 400, like the parser's refusals.
            { http: { status: 400 } },
          );
        }
      }
      // Every upload is stored and queued: from here a restart resumes the batch.
      await guarded(ctx.runner.accept(batch.id));
      return (await guarded(ctx.runner.get(batch.id))) ?? batch;
    },
  }),
  cancelBatch: t.field({
    type: BatchRef,
    description: 'Drops the images of the batch still waiting; images already being read finish and report.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const batch = await guarded(ctx.runner.cancel(String(args.id)));
      if (!batch) throw batchNotFound(String(args.id));
      return batch;
    },
  }),
}));

builder.subscriptionField('batchEvents', (t) =>
  t.field({
    type: BatchEventUnion,
    description: 'Every stored event with `sequence > after` (all by default), then live ones with no gap and no duplicate; ends after BatchComplete.',
    args: {
      batchId: t.arg.id({ required: true }),
      after: t.arg.int({ description: 'Resume after this sequence number.' }),
    },
    subscribe: async (_root, args, ctx) => {
      const events = await guarded(ctx.runner.subscribe(String(args.batchId), args.after ?? 0));
      if (!events) throw batchNotFound(String(args.batchId));
      return events;
    },
    resolve: (event) => event,
  }),
);
