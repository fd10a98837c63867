import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule, type ExecutionResult } from 'graphql';
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

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** false: introspection queries fail validation, and "Did you mean …?" suggestions are removed. */
  introspection: boolean;
}

/**
 * Limits on what one operation may ask for (GraphQL Armor): depth, cost, aliases, tokens, directives.
 * A query over a limit fails validation with a GraphQL error (HTTP 400) before anything runs.
 * Without introspection, `__schema`/`__type` fail validation too.
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
      costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
      maxAliases: { n: limits.maxAliases },
      maxTokens: { n: limits.maxTokens },
      maxDirectives: { n: limits.maxDirectives },
      blockFieldSuggestion: { enabled: !limits.introspection },
    }) as Plugin,
  ];
  if (!limits.introspection) {
    plugins.push({
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    });
  }
  return plugins;
}
