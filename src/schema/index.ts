import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './cards.js';
import './decklist.js';
import './batch.js';
import './images.js';
import './health.js';

export type { ServiceContext, UploadLimits } from './context.js';

/** The whole schema, built once from every file of src/schema. */
export const schema: GraphQLSchema = builder.toSchema();

/** SDL as checked in as schema.graphql: sorted, so it only changes when the schema does. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
