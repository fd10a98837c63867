import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen`: typed documents for the client in src/client and the web page in web/src from the checked-in schema.graphql
 * (no server needed). Plain query strings (`documentMode: 'string'`) suit fetch and graphql-sse.
 */
const typedDocuments = {
  documentMode: 'string',
  importExtension: '.js',
  useTypeImports: true,
  enumsAsTypes: true,
  avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
  // A browser uploads File or Blob.
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
    // The web page (web/, bundled by Vite): its own operations, the same settings.
    'web/src/gql/': {
      documents: ['web/src/**/*.ts', '!web/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typedDocuments,
    },
  },
  hooks: {},
};

export default config;
