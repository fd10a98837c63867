import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * A subscription whose `subscribe` throws (an unknown batch) yields `{ errors }` without `data`. The
 * graphql-sse handler only treats results with a `data` key as results, and answers anything else with an
 * opaque 400 "Unable to detect operation AST". Adding `data: null` lets the real error reach the client.
 */
export function useSubscriptionErrorsAsResults(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result) && !('data' in result)) {
            setResult({ ...(result as ExecutionResult), data: null });
          }
        },
      };
    },
  };
}
