import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule, type ExecutionResult, type GraphQLError } from 'graphql';
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

/** `extensions.code` of each operation limit's refusal. */
export const OPERATION_LIMIT_CODES = [
  'MAX_DEPTH_EXCEEDED',
  'MAX_COST_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
] as const;
export type OperationLimitCode = (typeof OPERATION_LIMIT_CODES)[number];

/** Armor's `onReject` hook: gives the refusal its `extensions.code` (Armor alone sets none). */
function refuseWith(code: OperationLimitCode) {
  return {
    onReject: [
      (_context: unknown, error: GraphQLError) => {
        (error.extensions as Record<string, unknown>).code = code;
      },
    ],
  };
}

/**
 * A refusal of an operation limit is HTTP 400 whatever the `accept` header. (Yoga marks parse and
 * validation errors as GraphQL-over-HTTP "spec" errors: 400 for `application/graphql-response+json`, but
 * 200 for `application/json`; here the status is made unconditional, just before the response is built.)
 */
function useOperationLimitStatus(): Plugin {
  const codes: readonly string[] = OPERATION_LIMIT_CODES;
  return {
    onResultProcess({ result }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        if (!one || typeof one !== 'object' || !('errors' in one)) continue;
        for (const error of (one as ExecutionResult).errors ?? []) {
          const extensions = error.extensions as Record<string, unknown> | undefined;
          if (extensions && codes.includes(extensions.code as string)) extensions.http = { status: 400 };
        }
      }
    },
  };
}

/**
 * Limits on what one operation may ask for (GraphQL Armor): depth, cost, aliases, tokens, directives.
 * A query over a limit is refused before anything runs: HTTP 400, `extensions.code` MAX_*_EXCEEDED.
 * Without introspection, `__schema`/`__type` fail validation too.
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...refuseWith('MAX_DEPTH_EXCEEDED') },
      costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...refuseWith('MAX_COST_EXCEEDED') },
      maxAliases: { n: limits.maxAliases, ...refuseWith('MAX_ALIASES_EXCEEDED') },
      maxTokens: { n: limits.maxTokens, ...refuseWith('MAX_TOKENS_EXCEEDED') },
      maxDirectives: { n: limits.maxDirectives, ...refuseWith('MAX_DIRECTIVES_EXCEEDED') },
      blockFieldSuggestion: { enabled: !limits.introspection },
    }) as Plugin,
    useOperationLimitStatus(),
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
