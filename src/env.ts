import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError } from './setup-error.js';

/** The nearest folder at or above `start` that holds a package.json. */
export function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/**
 * The project root (the folder holding package.json), searched upward from this file: the same from
 * `src/env.ts` (tsx, tests) and from the compiled `dist/src/env.js`.
 */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The integer setting `name` (unset or blank: `fallback`). Anything else than a whole number in
 * [min, max] is a {@link SetupError} naming the setting.
 */
export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!/^\s*[+-]?\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new SetupError(`${name} must be a whole number ${range}, got "${raw}"`, {
      setting: name,
      fix: `set ${name} to a whole number ${range}, or unset it for the default (${fallback})`,
    });
  }
  return value;
}

/** The boolean setting `name`: true/false, 1/0, yes/no, on/off (unset or blank: `fallback`); else a SetupError. */
export function boolFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new SetupError(`${name} must be true or false, got "${env[name]}"`, {
    setting: name,
    fix: `set ${name} to true or false, or unset it for the default (${fallback})`,
  });
}
