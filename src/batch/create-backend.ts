import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { createMemoryBackend } from './adapters/memory/index.js';
import { createSqliteBackend } from './adapters/sqlite/index.js';
import type { BatchBackend } from './ports.js';
import { StoreSetupError } from './setup-error.js';

/** Where batches live: the settings `STORE`, `DATA_DIR`, `MAX_STORED_BYTES`. */
export interface StoreSettings {
  /** `STORE`: `sqlite` (default; durable, in DATA_DIR) or `memory` (lost with the process). */
  kind: 'sqlite' | 'memory';
  /** `DATA_DIR`: the SQLite adapter's directory (default `./data` under the project root). */
  dataDir: string;
  /** `MAX_STORED_BYTES`: bytes of event logs and waiting uploads held (default 2 GiB); past it, SERVER_BUSY. */
  maxStoredBytes: number;
}

/** The default DATA_DIR: `data/` in the project root (git-ignored). */
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, 'data');

/** Reads the store settings; throws {@link StoreSetupError} on a bad value. */
export function storeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const kind = (env.STORE?.trim() || 'sqlite').toLowerCase();
  if (kind !== 'sqlite' && kind !== 'memory') {
    throw new StoreSetupError('STORE', `STORE must be sqlite (the default, durable) or memory, got "${env.STORE}"`);
  }
  const rawMax = env.MAX_STORED_BYTES?.trim();
  const maxStoredBytes = rawMax ? Number(rawMax) : 2 * 1024 ** 3;
  if (!Number.isInteger(maxStoredBytes) || maxStoredBytes < 1) {
    throw new StoreSetupError('MAX_STORED_BYTES', `MAX_STORED_BYTES must be an integer >= 1, got "${env.MAX_STORED_BYTES}"`);
  }
  return { kind, dataDir: env.DATA_DIR?.trim() ? path.resolve(env.DATA_DIR) : DEFAULT_DATA_DIR, maxStoredBytes };
}

/** The adapter the settings name, with a job queue handing out `concurrency` images at once. */
export function createBackend(settings: StoreSettings, concurrency: number): BatchBackend {
  return settings.kind === 'memory' ? createMemoryBackend({ concurrency }) : createSqliteBackend({ dataDir: settings.dataDir, concurrency });
}
