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

const STATUS_CODES: Record<number, [string, string]> = {
  404: ['NOT_FOUND', 'nothing is served at this path'],
  405: ['METHOD_NOT_ALLOWED', 'this method is not allowed here'],
  406: ['NOT_ACCEPTABLE', 'none of the accepted response types can be served'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json, multipart/form-data (uploads) or a GET query string'],
};

type ErrorList = { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] };

/** The error response with `code` (and the status) added to every error that has none. */
function typedErrorBody(status: number, statusText: string, parsed: ErrorList | null): string {
  const [code, message] = STATUS_CODES[status] ?? ['BAD_REQUEST', statusText || 'the request was refused'];
  if (!Array.isArray(parsed?.errors) || parsed.errors.length === 0) {
    return JSON.stringify({ errors: [{ message, extensions: { code, http: { status } } }] });
  }
  const errors = parsed.errors.map((e) => ({
    ...e,
    message: typeof e?.message === 'string' ? e.message : message,
    extensions: { ...e?.extensions, code: typeof e?.extensions?.['code'] === 'string' ? e.extensions['code'] : code },
  }));
  return JSON.stringify({ ...parsed, errors });
}

/**
 * Yoga and the graphql-sse handler answer some requests with a bare status and no body (415 for an unknown
 * Content-Type, 404 for an unknown path) or with errors that carry no code ("Missing query", "Stream not
 * found", a JSON syntax error). Those become the service's typed GraphQL-shaped errors, like every other
 * refusal: each error gets an `extensions.code` (BAD_REQUEST, or NOT_FOUND, METHOD_NOT_ALLOWED,
 * NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE by status).
 */
export function useTypedErrorResponses(): Plugin {
  return {
    async onResponse({ request, response, setResponse }) {
      if (response.status < 400 || request.method === 'HEAD') return;
      const type = response.headers.get('content-type') ?? '';
      if (type.startsWith('text/event-stream') || type.startsWith('text/html')) return;
      let parsed: ErrorList | null = null;
      if (type.includes('json')) {
        try {
          parsed = JSON.parse(await response.clone().text()) as ErrorList;
        } catch {
          parsed = null;
        }
        if (Array.isArray(parsed?.errors) && parsed.errors.every((e) => typeof e?.extensions?.['code'] === 'string')) return;
      }
      const headers = new Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      headers.delete('content-length');
      setResponse(new Response(typedErrorBody(response.status, response.statusText, parsed), { status: response.status, headers }));
    },
  };
}
