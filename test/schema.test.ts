/** The checked-in schema.graphql and generated client code are what the code produces. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, printSchema, lexicographicSortSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.js';
import { PROJECT_ROOT } from '../src/env.js';
import { printSortedSchema, schema } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('is up to date with the Pothos schema (run `npm run schema`)', () => {
    const checkedIn = readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8');
    expect(checkedIn).toBe(printSortedSchema());
  });

  it('has the contract names clients use', () => {
    const sdl = printSchema(lexicographicSortSchema(schema));
    const parsed = buildSchema(sdl);
    const fields = (type: string) => Object.keys((parsed.getType(type) as { getFields(): object }).getFields()).sort();
    expect(fields('Mutation')).toEqual(['cancelBatch', 'processBatch', 'processImage']);
    expect(fields('Subscription')).toEqual(['batchEvents']);
    expect(fields('Query')).toEqual(['batch', 'card', 'cards', 'health']);
    expect(fields('BatchComplete')).toEqual(['batchId', 'cancelled', 'durationMs', 'failed', 'sequence', 'succeeded', 'total']);
    expect(sdl).toContain('union BatchEvent = BatchComplete | BatchError | BatchProgress | BatchResult');
    const signature = (type: 'Mutation' | 'Subscription', name: string) => {
      const field = (type === 'Mutation' ? parsed.getMutationType() : parsed.getSubscriptionType())!.getFields()[name]!;
      return `${name}(${field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')}): ${String(field.type)}`;
    };
    expect(signature('Subscription', 'batchEvents')).toBe('batchEvents(after: Int, batchId: ID!): BatchEvent!');
    expect(signature('Mutation', 'processBatch')).toBe('processBatch(files: [Upload!]!): Batch!');
    expect(signature('Mutation', 'processImage')).toBe('processImage(file: Upload!): Decklist!');
  });
});

describe('generated client code', () => {
  it('is what `npm run codegen` produces from schema.graphql', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: PROJECT_ROOT, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const file = path.resolve(PROJECT_ROOT, output.filename);
      expect(readFileSync(file, 'utf8'), output.filename).toBe(output.content);
    }
  });
});
