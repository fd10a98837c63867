import type { Database } from 'better-sqlite3';

/**
 * The schema, as numbered steps; `PRAGMA user_version` holds the last step applied. A database at an
 * older version is brought forward at start (each step in its own transaction); one from a newer version
 * of the service is refused. Steps are only ever appended, never edited.
 */
export const MIGRATIONS: readonly ((db: Database) => void)[] = [
  // 1: batches, their event logs, and the queued images.
  (db) =>
    db.exec(`
      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        total INTEGER NOT NULL,
        status TEXT NOT NULL,
        succeeded INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        cancelled INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        finished_at INTEGER,
        last_sequence INTEGER NOT NULL,
        log_bytes INTEGER NOT NULL,
        accepted INTEGER NOT NULL
      );
      CREATE INDEX batches_finished_at ON batches (finished_at);
      CREATE TABLE events (
        batch_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (batch_id, sequence)
      ) WITHOUT ROWID;
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        filename TEXT NOT NULL,
        blob_key TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        UNIQUE (batch_id, idx)
      );
    `),
  // 2: how often a job was handed out (a job that keeps stopping the process is failed, not retried forever).
  (db) => db.exec(`ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;`),
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
