import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen`: typed documents from the checked-in schema.graphql (no server needed) into src/client/gql,
 * for the one set of operations in src/client/operations.ts that the Node client and the web page (web/src) share.
 * Plain query strings (`documentMode: 'string'`) suit fetch and graphql-sse.
 */
const typedDocuments = {
  documentMode: 'string',
  importExtension: '.js',
  useTypeImports: true,
  enumsAsTypes: true,
  avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
  // Uploads are File or Blob (the page's File, the Node client's Blob).
  scalars: { Upload: 'File | Blob', ID: 'string' },
} as const;

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'src/client/gql/': {
      documents: ['src/client/**/*.ts', '!src/client/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typedDocuments,
    },
  },
  hooks: {},
};

export default config;
