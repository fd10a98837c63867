import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen`: typed documents for the client in src/client from the checked-in schema.graphql
 * (no server needed). Plain query strings (`documentMode: 'string'`) suit fetch and graphql-sse.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/client/**/*.ts', '!src/client/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/client/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        importExtension: '.js',
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        scalars: { Upload: 'File | Blob', ID: 'string' },
      },
    },
  },
  hooks: {},
};

export default config;
