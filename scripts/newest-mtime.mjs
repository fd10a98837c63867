/**
 * The newest modification time under a folder: how `prestart` (check-build.mjs) and `npm run bench:api`
 * tell a build older than its sources.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Newest modification time (ms) of the files under `dir`; 0 when it does not exist.
 * @param {string} dir
 * @returns {number}
 */
export function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (e.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
