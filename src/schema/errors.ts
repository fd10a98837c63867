import { createGraphQLError } from 'graphql-yoga';
import type { BatchErrorCode } from '../batch/events.js';

/**
 * Codes of request-level GraphQL errors (`extensions.code`) the resolvers raise, besides every BatchError
 * code (`processImage` fails with those). Errors built with yoga's `createGraphQLError` come from the same
 * graphql realm as yoga's, so they reach clients unmasked.
 */
export const REQUEST_ERROR_CODES = [
  'BAD_USER_INPUT',
  'BATCH_NOT_FOUND',
  'BATCH_TOO_LARGE',
  'BAD_MULTIPART_REQUEST',
  'SHUTTING_DOWN',
  'TOO_MANY_FILES',
  /** The batch store failed (disk full, database or DATA_DIR gone): the request may be retried. */
  'STORE_UNAVAILABLE',
] as const;

/** Every code a resolver's error carries: {@link REQUEST_ERROR_CODES} and the BatchError codes. */
export type ServiceErrorCode = (typeof REQUEST_ERROR_CODES)[number] | BatchErrorCode;

export function serviceError(code: ServiceErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return createGraphQLError(message, { extensions: { code, ...extensions } });
}
