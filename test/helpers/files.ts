import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Newest modification time under `dir` (0 when empty): tests that run the build compare it with dist/. */
export function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return t;
}
