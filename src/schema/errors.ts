import { createGraphQLError } from 'graphql-yoga';
import type { PipelineErrorCode } from '../pipeline/errors.js';

/**
 * Codes of request-level GraphQL errors (`extensions.code`). Errors built with yoga's `createGraphQLError`
 * come from the same graphql realm as yoga's, so they reach clients unmasked.
 */
export type ServiceErrorCode =
  | 'BAD_USER_INPUT'
  | 'BATCH_NOT_FOUND'
  | 'BUSY'
  | 'SHUTTING_DOWN'
  | 'TOO_MANY_FILES'
  | PipelineErrorCode
  | 'FILE_TOO_LARGE'
  | 'UNSUPPORTED_TYPE'
  | 'EMPTY_FILE'
  | 'UPLOAD_FAILED';

export function serviceError(code: ServiceErrorCode, message: string) {
  return createGraphQLError(message, { extensions: { code } });
}
