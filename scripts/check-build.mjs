#!/usr/bin/env node
/**
 * `prestart`: `npm start` runs the compiled service (dist/src/main.js). Without a build it says so in one
 * line and exits 78 (a setup mistake, like the service's own); a build older than src/ or web/ gets a
 * one-line warning (the service still starts, from the old build).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './newest-mtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'src', 'main.js');

let built;
try {
  built = statSync(entry).mtimeMs;
} catch {
  process.stderr.write('decklist-ocr: setup error (build): dist/src/main.js does not exist; fix: run `npm run build` (`npm ci` builds too)\n');
  process.exit(78);
}
const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'web')));
if (sources > built) {
  process.stderr.write('decklist-ocr: warning: src/ or web/ changed after the last build; run `npm run build` to serve the changes\n');
}
