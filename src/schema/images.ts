import { isPipelineError } from '../pipeline/errors.js';
import { BatchRejectedError, failureOf } from '../batch/runner.js';
import { StoreUnavailableError } from '../batch/ports.js';
import { rejectedError, storeError } from './batch.js';
import { builder } from './builder.js';
import { DecklistRef } from './decklist.js';
import { serviceError } from './errors.js';
import { readUpload } from './uploads.js';

builder.mutationField('processImage', (t) =>
  t.field({
    type: DecklistRef,
    description:
      'Reads one screenshot and answers with its decklist. A failure is a GraphQL error whose `extensions.code` is one of the BatchErrorCode values.',
    args: { file: t.arg({ type: 'Upload', required: true }) },
    resolve: async (_root, args, ctx) => {
      const read = await readUpload(args.file, ctx.limits.maxFileBytes, 'file');
      if (!read.ok) throw serviceError(read.code, read.message);
      try {
        return await ctx.runner.processImage(read.bytes);
      } catch (error) {
        if (error instanceof BatchRejectedError) throw rejectedError(error);
        if (isPipelineError(error)) throw serviceError(error.code, error.message);
        if (error instanceof StoreUnavailableError) throw storeError(error);
        const failure = failureOf(error);
        throw serviceError(failure.code, failure.message);
      }
    },
  }),
);
