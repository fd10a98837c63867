import { createGraphQLError } from 'graphql-yoga';
import type { BatchErrorCode } from '../batch/events.js';

/**
 * Codes of request-level GraphQL errors (`extensions.code`). Errors built with yoga's `createGraphQLError`
 * come from the same graphql realm as yoga's, so they reach clients unmasked.
 */
export type ServiceErrorCode =
  | 'BAD_USER_INPUT'
  | 'BATCH_NOT_FOUND'
  | 'BAD_MULTIPART_REQUEST'
  | 'SHUTTING_DOWN'
  | 'TOO_MANY_FILES'
  /** The batch store failed (disk full, database or DATA_DIR gone): the request may be retried. */
  | 'STORE_UNAVAILABLE'
  /** Every BatchError code (the pipeline's, derived from PIPELINE_ERROR_CODES, and the upload ones, SERVER_BUSY among them). */
  | BatchErrorCode;

export function serviceError(code: ServiceErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return createGraphQLError(message, { extensions: { code, ...extensions } });
}
