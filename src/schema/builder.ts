import SchemaBuilder from '@pothos/core';
import { GraphQLUpload, type FileUpload } from 'graphql-upload-minimal';
import type { ServiceContext } from './context.js';

export interface SchemaTypes {
  Context: ServiceContext;
  /** Fields are non-null unless marked `nullable: true`: the schema says exactly what can be missing. */
  DefaultFieldNullability: false;
  Scalars: {
    /** A file of a GraphQL multipart request: its value in a resolver is a promise of the upload. */
    Upload: { Input: Promise<FileUpload>; Output: never };
  };
}

/** The one Pothos builder; every file of src/schema adds its types to it (see index.ts). */
export const builder = new SchemaBuilder<SchemaTypes>({ defaultFieldNullability: false });

builder.addScalarType('Upload', GraphQLUpload, {});

builder.queryType({ description: 'Card data, batches, and the state of the service.' });
builder.mutationType({ description: 'Reading screenshots.' });
builder.subscriptionType({ description: 'Live events of a batch (served over graphql-sse at /graphql/stream).' });
