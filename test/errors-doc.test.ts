/**
 * docs/errors.md holds: each of its code tables lists exactly the codes the code base can produce in that
 * place (its own lists, and the enums of schema.graphql, which test/schema.test.ts keeps equal to the code).
 * A new code without a line in the docs fails here, and so does a line for a code that no longer exists.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BATCH_ERROR_CODES } from '../src/batch/events.js';
import { BATCH_REJECTED_CODES } from '../src/batch/runner.js';
import { CLI_ERROR_CODES } from '../src/cli/ocr.js';
import { PROJECT_ROOT } from '../src/env.js';
import { VALIDATION_PROBLEM_CODES, WARNING_CODES } from '../src/pipeline/types.js';
import { REQUEST_ERROR_CODES } from '../src/schema/errors.js';
import { HTTP_ERROR_CODES } from '../src/server/http.js';
import { OPERATION_LIMIT_CODES } from '../src/server/plugins.js';

const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'errors.md'), 'utf8');
const schema = buildSchema(readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));

/** yoga's own codes for a document that does not parse or validate. */
const YOGA_CODES = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'];

/** The codes in the first column of the table after `<!-- codes: name -->`. */
function documented(name: string): string[] {
  const start = doc.indexOf(`<!-- codes: ${name} -->`);
  expect(start, `docs/errors.md has no table marked <!-- codes: ${name} -->`).toBeGreaterThanOrEqual(0);
  const lines = doc.slice(start).split('\n').slice(1);
  const table = lines.slice(
    0,
    lines.findIndex((l, i) => i > 0 && !l.startsWith('|')),
  );
  return table.slice(2).map((row) => {
    const code = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/.exec(row)?.[1];
    expect(code, `row without a code in the ${name} table: ${row}`).toBeTruthy();
    return code!;
  });
}

function enumValues(name: string): string[] {
  return (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);
}

const sorted = (codes: readonly string[]) => [...new Set(codes)].sort();

describe('docs/errors.md', () => {
  it('lists every file error code: the pipeline and upload codes, the schema enum BatchErrorCode', () => {
    expect(sorted(documented('batch-error'))).toEqual(sorted(BATCH_ERROR_CODES));
    expect(sorted(documented('batch-error'))).toEqual(sorted(enumValues('BatchErrorCode')));
    expect(documented('batch-error')).toContain('EMPTY_FILE');
  });

  it('lists every request-level GraphQL error code (resolvers, refusals, operation limits, yoga)', () => {
    expect(sorted(documented('request'))).toEqual(sorted([...REQUEST_ERROR_CODES, ...BATCH_REJECTED_CODES, ...OPERATION_LIMIT_CODES, ...YOGA_CODES]));
  });

  it('lists every code the HTTP layer answers with', () => {
    expect(sorted(documented('http'))).toEqual(sorted(HTTP_ERROR_CODES));
  });

  it("lists the command line's own codes", () => {
    expect(sorted(documented('cli'))).toEqual(sorted(CLI_ERROR_CODES));
  });

  it('lists every warning code (NO_DECK_CODE included) and deck-building problem code, as in the schema', () => {
    expect(sorted(documented('warning'))).toEqual(sorted(WARNING_CODES));
    expect(sorted(documented('warning'))).toEqual(sorted(enumValues('WarningCode')));
    expect(documented('warning')).toContain('NO_DECK_CODE');
    expect(sorted(documented('validation'))).toEqual(sorted(VALIDATION_PROBLEM_CODES));
    expect(sorted(documented('validation'))).toEqual(sorted(enumValues('ValidationProblemCode')));
  });

  it('gives the HTTP status of each request and HTTP error as a number', () => {
    for (const name of ['request', 'http']) {
      const start = doc.indexOf(`<!-- codes: ${name} -->`);
      const rows = doc
        .slice(start)
        .split('\n')
        .slice(3)
        .filter((_l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('|')));
      for (const row of rows) expect(row.split('|')[2]?.trim(), row).toMatch(/^\d{3}\b/);
    }
  });
});
