import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';

// biome-ignore lint/suspicious/noExplicitAny: the plugin serves a yoga of any context
type AnyYoga = YogaServerInstance<any, any>;
type Enveloped = ReturnType<AnyYoga['getEnveloped']>;

/** Yoga's own marker for the HTTP status of an error; a stream result carries none. */
function withoutHttpStatus(error: GraphQLError): GraphQLError {
  if (!error.extensions?.['http']) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/** A parse or validation failure as a GraphQL error; anything else is internal and says nothing more. */
function asGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError('Unexpected error.');
}

/** Stands in for a document that failed, so the handler goes on to execution, where the errors are answered. */
const PLACEHOLDER: DocumentNode = parse('query { __typename }');

/**
 * One stream operation's parse and validate, with failures held back and answered as its result. The
 * graphql-sse plugin throws on a syntax error (HTTP 500) and hands validation errors to the handler in a
 * shape it does not take (an opaque 400 "Unable to detect operation AST"): a client never learns what
 * was wrong. Yoga's own parse and validation (with its caches and GraphQL Armor's limits) still run
 * unchanged; only their errors are routed to the result.
 */
function reportingDocumentErrors(enveloped: Enveloped): Enveloped {
  let errors: readonly GraphQLError[] | null = null;
  const failed = () => ({ data: null, errors: errors!.map(withoutHttpStatus) });
  return {
    ...enveloped,
    parse: (source, options) => {
      try {
        return enveloped.parse(source, options);
      } catch (error) {
        errors = [asGraphQLError(error)];
        return PLACEHOLDER;
      }
    },
    validate: (schema, document, ...rest) => {
      if (errors) return [];
      let found: readonly GraphQLError[];
      try {
        found = enveloped.validate(schema, document, ...rest);
      } catch (error) {
        // A validation rule may throw its error rather than report it (GraphQL Armor does, past a limit).
        found = [asGraphQLError(error)];
      }
      if (found.length === 0) return found;
      errors = found;
      return [];
    },
    execute: (args) => (errors ? failed() : enveloped.execute(args)),
    subscribe: (args) => (errors ? failed() : enveloped.subscribe(args)),
  };
}

/**
 * `@graphql-yoga/plugin-graphql-sse` at `endpoint`, with a document that does not parse or validate
 * (a typo, a depth or token limit) answered as a GraphQL result on the stream — `{ data: null, errors }`
 * then complete, in both distinct-connections and single-connection mode — as `/graphql` answers it.
 */
export function useGraphQLStream(endpoint: string): Plugin {
  const plugin = useGraphQLSSE({ endpoint });
  return {
    ...plugin,
    onYogaInit({ yoga }) {
      const reporting: AnyYoga = Object.create(yoga, {
        getEnveloped: { value: (...args: Parameters<AnyYoga['getEnveloped']>) => reportingDocumentErrors(yoga.getEnveloped(...args)) },
      });
      plugin.onYogaInit?.({ yoga: reporting });
    },
  } as Plugin;
}
