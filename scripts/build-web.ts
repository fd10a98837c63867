/**
 * `npm run build:web` (and `prestart`): bundles the page in web/ into dist/web with Vite. Where Vite is not
 * installed (a production install, `npm ci --omit=dev`) an existing build is used as it is.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';

const out = path.join(PROJECT_ROOT, 'dist', 'web', 'index.html');
let vite: typeof import('vite') | null = null;
try {
  vite = await import('vite');
} catch {
  vite = null;
}
if (!vite) {
  if (existsSync(out)) {
    console.log('vite is not installed (production install): serving the existing build in dist/web');
    process.exit(0);
  }
  console.error('cannot build the web page: vite is not installed (run `npm ci` with dev dependencies)');
  process.exit(1);
}
await vite.build({ configFile: path.join(PROJECT_ROOT, 'web', 'vite.config.ts'), logLevel: process.argv.includes('--quiet') ? 'warn' : 'info' });
