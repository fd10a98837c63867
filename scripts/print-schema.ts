/**
 * `npm run schema`: writes schema.graphql from the Pothos schema (sorted). `--check` exits non-zero when
 * the file is out of date instead of writing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/env.js';
import { printSortedSchema } from '../src/schema/index.js';

const file = path.join(PROJECT_ROOT, 'schema.graphql');
const sdl = printSortedSchema();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== sdl) {
    console.error('schema.graphql is out of date: run `npm run schema`');
    process.exit(1);
  }
  console.log('schema.graphql is up to date');
} else {
  writeFileSync(file, sdl);
  console.log(`wrote ${path.relative(process.cwd(), file) || file}`);
}
