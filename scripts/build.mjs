#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` builds): compiles the service with tsc
 * (tsconfig.build.json: src → dist/src) and bundles the web page with Vite (web → dist/web).
 * Plain JavaScript, so building needs no TypeScript runtime. `npm start` then runs `node dist/src/main.js`.
 *   --if-possible  skip quietly (exit 0) where the dev dependencies are not installed (`npm ci --omit=dev`)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const started = performance.now();

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  if (process.argv.includes('--if-possible')) {
    console.log('build skipped: typescript is not installed (production install); dist/ is used as it is');
    process.exit(0);
  }
  console.error('cannot build: typescript is not installed (run `npm ci` with dev dependencies)');
  process.exit(1);
}

// A clean output folder: no compiled file outlives its source.
rmSync(path.join(root, 'dist', 'src'), { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build failed: tsc reported errors');
  process.exit(compiled.status ?? 1);
}
// The package's `bin` is run directly (`npx decklist-ocr`): tsc keeps its #! line but not an executable mode.
chmodSync(path.join(root, 'dist', 'src', 'cli', 'main.js'), 0o755);
console.log(`service compiled to dist/src (${Math.round(performance.now() - started)} ms)`);

const vite = await import('vite');
await vite.build({ configFile: path.join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
if (!existsSync(path.join(root, 'dist', 'web', 'index.html'))) {
  console.error('build failed: the web page was not written to dist/web');
  process.exit(1);
}
console.log(`web page bundled to dist/web; build done in ${Math.round(performance.now() - started)} ms`);
