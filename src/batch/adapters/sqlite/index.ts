/**
 * The SQLite adapter, the durable default: batches, event logs and queued jobs in
 * `DATA_DIR/batches.sqlite` (better-sqlite3; WAL, `synchronous=FULL`, so a committed event survives a
 * crash or power loss), uploaded bytes as synced files under `DATA_DIR/blobs`. The database is opened in
 * exclusive locking mode: one process owns a DATA_DIR (a second one gets a clear start-up error; the
 * lock goes with the process, also on `kill -9`).
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BatchEvent, NewBatchEvent } from '../../events.js';
import { StoreUnavailableError, type BatchBackend, type BatchStore, type ImageJob, type StoreStats } from '../../ports.js';
import { StoreSetupError } from '../../setup-error.js';
import { applyEvent, cancelState, initialState, stampEvent, type BatchState } from '../../state.js';
import { LiveFollowers } from '../live.js';
import { LocalJobQueue, type JobJournal } from '../local-queue.js';
import { FileBlobStore } from './blobs.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

/** The database file inside DATA_DIR. */
export const DATABASE_FILE = 'batches.sqlite';

interface BatchRow {
  id: string;
  total: number;
  status: BatchState['status'];
  succeeded: number;
  failed: number;
  cancelled: number;
  created_at: number;
  finished_at: number | null;
  last_sequence: number;
  log_bytes: number;
  accepted: number;
}

const toState = (r: BatchRow): BatchState => ({
  id: r.id,
  total: r.total,
  status: r.status,
  succeeded: r.succeeded,
  failed: r.failed,
  cancelled: r.cancelled,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  lastSequence: r.last_sequence,
  logBytes: r.log_bytes,
  accepted: r.accepted === 1,
});

const toRow = (s: BatchState): BatchRow => ({
  id: s.id,
  total: s.total,
  status: s.status,
  succeeded: s.succeeded,
  failed: s.failed,
  cancelled: s.cancelled,
  created_at: s.createdAt,
  finished_at: s.finishedAt,
  last_sequence: s.lastSequence,
  log_bytes: s.logBytes,
  accepted: s.accepted ? 1 : 0,
});

/** Runs a database call; a failure (disk full, I/O error, corruption) becomes STORE_UNAVAILABLE. */
function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('SQLITE_')) throw error;
    const reason = code === 'SQLITE_FULL' ? 'the disk is full' : `${code}: ${(error as Error).message}`;
    throw new StoreUnavailableError(`the batch store could not ${what}: ${reason}`, { cause: error });
  }
}

/**
 * Runs a write without waiting for the disk (`synchronous=NORMAL` for this commit): a crash of the
 * process loses nothing (WAL), and the next commit made with `synchronous=FULL` syncs it too. Used only
 * where such a commit follows before anyone can depend on the write (see the callers).
 */
function lightly<T>(db: Database.Database, fn: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return fn();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/**
 * Opens (creating when needed) the database in `dataDir`, takes its exclusive lock, checks it and brings
 * its schema up to date. Throws {@link StoreSetupError} with the fix when it cannot.
 */
function openDatabase(dataDir: string): Database.Database {
  const file = path.join(dataDir, DATABASE_FILE);
  const setup = (message: string, cause?: unknown) =>
    new StoreSetupError('DATA_DIR', `DATA_DIR=${dataDir}: ${message}`, cause === undefined ? undefined : { cause });
  try {
    mkdirSync(dataDir, { recursive: true });
    if (!statSync(dataDir).isDirectory()) throw new Error('not a directory');
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    throw setup(
      `cannot use it as the data directory (${(error as Error).message}); point DATA_DIR at a writable directory, or set STORE=memory to keep batches in memory only`,
      error,
    );
  }
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw setup(`cannot open ${file} (${(error as Error).message}); check that the file is writable`, error);
  }
  try {
    // Exclusive locking before WAL: no shared-memory index, and the lock stays with this connection.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw setup(`${file} is in use by another process (a second service on the same DATA_DIR); stop it, or give this one its own DATA_DIR`, error);
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw setup(`${file} is not a readable database (${(error as Error).message}); restore it from a backup, or move it away to start empty`, error);
    }
    throw setup(`cannot use ${file} (${code ?? ''} ${(error as Error).message}); check the disk and the file's permissions`, error);
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw setup(
        `${file} has schema version ${version}, written by a newer version of decklist-ocr (this one knows up to ${SCHEMA_VERSION}); run the newer version, or give this one another DATA_DIR`,
      );
    }
    for (let step = version; step < SCHEMA_VERSION; step++) {
      db.transaction(() => {
        MIGRATIONS[step]!(db);
        db.pragma(`user_version = ${step + 1}`);
      })();
    }
  } catch (error) {
    db.close();
    if (error instanceof StoreSetupError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw setup(`${file} is corrupt (${(error as Error).message}); restore it from a backup, or move it away to start empty`, error);
    }
    throw setup(`cannot set up ${file} (${code ?? ''} ${(error as Error).message})`, error);
  }
  return db;
}

/** Batches and event logs in SQLite. */
class SqliteBatchStore implements BatchStore {
  private readonly live = new LiveFollowers();
  private readonly q;
  private readonly appendTx: (batchId: string, event: NewBatchEvent) => BatchEvent | null;

  constructor(private readonly db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO batches (id, total, status, succeeded, failed, cancelled, created_at, finished_at, last_sequence, log_bytes, accepted)
         VALUES (@id, @total, @status, @succeeded, @failed, @cancelled, @created_at, @finished_at, @last_sequence, @log_bytes, @accepted)`,
      ),
      update: db.prepare(
        `UPDATE batches SET status = @status, succeeded = @succeeded, failed = @failed, cancelled = @cancelled,
         finished_at = @finished_at, last_sequence = @last_sequence, log_bytes = @log_bytes, accepted = @accepted WHERE id = @id`,
      ),
      get: db.prepare<[string], BatchRow>('SELECT * FROM batches WHERE id = ?'),
      addEvent: db.prepare('INSERT INTO events (batch_id, sequence, payload) VALUES (?, ?, ?)'),
      events: db.prepare<[string, number], { payload: string }>('SELECT payload FROM events WHERE batch_id = ? AND sequence > ? ORDER BY sequence'),
      unfinished: db.prepare<[], BatchRow>('SELECT * FROM batches WHERE finished_at IS NULL ORDER BY created_at'),
      finished: db.prepare<[number], BatchRow>('SELECT * FROM batches WHERE finished_at IS NOT NULL AND finished_at <= ? ORDER BY finished_at'),
      deleteEvents: db.prepare('DELETE FROM events WHERE batch_id = ?'),
      deleteBatch: db.prepare('DELETE FROM batches WHERE id = ?'),
      stats: db.prepare<[], { batches: number; images: number | null; bytes: number | null }>(
        'SELECT COUNT(*) AS batches, SUM(total) AS images, SUM(log_bytes) AS bytes FROM batches',
      ),
    };
    this.appendTx = db.transaction((batchId: string, event: NewBatchEvent) => {
      const row = this.q.get.get(batchId);
      if (!row || row.finished_at !== null) return null;
      const state = toState(row);
      const stored = stampEvent(state, event);
      const payload = JSON.stringify(stored);
      this.q.addEvent.run(batchId, stored.sequence, payload);
      this.q.update.run(toRow(applyEvent(state, stored, Date.now(), Buffer.byteLength(payload))));
      return stored;
    });
  }

  async create(id: string, total: number, now: number): Promise<BatchState> {
    const state = initialState(id, total, now);
    guard('create a batch', () => this.q.insert.run(toRow(state)));
    return state;
  }

  async accept(id: string): Promise<void> {
    guard('accept a batch', () => {
      const row = this.q.get.get(id);
      if (row) this.q.update.run({ ...row, accepted: 1 });
    });
  }

  async get(id: string): Promise<BatchState | undefined> {
    const row = guard('read a batch', () => this.q.get.get(id));
    return row ? toState(row) : undefined;
  }

  async append(batchId: string, event: NewBatchEvent): Promise<BatchEvent | null> {
    // Events of a batch not yet accepted are seen by no one (its id is not given out before `accept`,
    // whose synced commit makes them durable): they need not wait for the disk one by one.
    const accepted = guard('read a batch', () => this.q.get.get(batchId)?.accepted !== 0);
    const stored = guard('store an event', () => (accepted ? this.appendTx(batchId, event) : lightly(this.db, () => this.appendTx(batchId, event))));
    if (stored) this.live.publish(stored);
    return stored;
  }

  private read(batchId: string, after: number): BatchEvent[] {
    return guard('read events', () => this.q.events.all(batchId, after).map((r) => JSON.parse(r.payload) as BatchEvent));
  }

  async events(batchId: string, after = 0): Promise<BatchEvent[]> {
    return this.read(batchId, after);
  }

  async follow(batchId: string, after = 0): Promise<AsyncIterableIterator<BatchEvent> | undefined> {
    const row = guard('read a batch', () => this.q.get.get(batchId));
    if (!row) return undefined;
    return this.live.follow(batchId, row.total, after, row.finished_at !== null, () => this.read(batchId, after));
  }

  async subscribers(batchId: string): Promise<number> {
    return this.live.count(batchId);
  }

  async cancel(batchId: string): Promise<BatchState | undefined> {
    return guard('cancel a batch', () => {
      const row = this.q.get.get(batchId);
      if (!row) return undefined;
      const state = cancelState(toState(row));
      this.q.update.run(toRow(state));
      return state;
    });
  }

  async unfinished(): Promise<BatchState[]> {
    return guard('list batches', () => this.q.unfinished.all().map(toState));
  }

  async finished(before = Number.MAX_SAFE_INTEGER): Promise<BatchState[]> {
    return guard('list batches', () => this.q.finished.all(before).map(toState));
  }

  async delete(batchId: string): Promise<void> {
    guard('delete a batch', () =>
      this.db.transaction(() => {
        this.q.deleteEvents.run(batchId);
        this.q.deleteBatch.run(batchId);
      })(),
    );
    this.live.end(batchId);
  }

  async stats(): Promise<StoreStats> {
    const row = guard('count batches', () => this.q.stats.get()!);
    return { batches: row.batches, images: row.images ?? 0, storedBytes: row.bytes ?? 0 };
  }

  endStreams(): void {
    this.live.end();
  }

  async close(): Promise<void> {
    this.live.end();
  }
}

/** Queued images in the `jobs` table: a job leaves it when its image is finished or dropped. */
function sqliteJournal(db: Database.Database): JobJournal {
  const add = db.prepare(
    'INSERT OR REPLACE INTO jobs (batch_id, idx, filename, blob_key, bytes, attempts) VALUES (@batchId, @index, @filename, @blobKey, @bytes, @attempts)',
  );
  const started = db.prepare('UPDATE jobs SET attempts = attempts + 1 WHERE batch_id = ? AND idx = ?');
  const remove = db.prepare('DELETE FROM jobs WHERE batch_id = ? AND idx = ?');
  const load = db.prepare<[], ImageJob>('SELECT batch_id AS batchId, idx AS "index", filename, blob_key AS blobKey, bytes, attempts FROM jobs ORDER BY id');
  const acceptedBatch = db.prepare<[string], { accepted: number }>('SELECT accepted FROM batches WHERE id = ?');
  return {
    // A job of a batch being uploaded is made durable by the batch's accept (a synced commit) before
    // its id is given out. An attempt's count is synced by the image's next event; a lost removal only
    // means the job is handed out once more and found finished (its attempt count was synced before).
    add: (job) =>
      guard('queue an image', () => {
        const run = () => add.run({ ...job, attempts: job.attempts ?? 0 });
        return acceptedBatch.get(job.batchId)?.accepted === 1 ? run() : lightly(db, run);
      }),
    started: (job) => guard('start an image', () => lightly(db, () => started.run(job.batchId, job.index))),
    remove: (job) => guard('finish an image', () => lightly(db, () => remove.run(job.batchId, job.index))),
    load: () => guard('load the queue', () => load.all()),
  };
}

/** The durable backend in `dataDir`; throws {@link StoreSetupError} when it cannot start. */
export function createSqliteBackend(options: { dataDir: string; concurrency: number }): BatchBackend {
  const dataDir = path.resolve(options.dataDir);
  const db = openDatabase(dataDir);
  let blobs: FileBlobStore;
  try {
    blobs = new FileBlobStore(path.join(dataDir, 'blobs'));
  } catch (error) {
    db.close();
    throw new StoreSetupError(
      'DATA_DIR',
      `DATA_DIR=${dataDir}: cannot use ${path.join(dataDir, 'blobs')} for uploads (${(error as Error).message}); it must be a writable directory`,
      { cause: error },
    );
  }
  // Uploads of batches no longer in the database (the process stopped while deleting one) go now.
  const known = db.prepare<[string], { id: string }>('SELECT id FROM batches WHERE id = ?');
  for (const id of blobs.batchIds()) if (!known.get(id)) void blobs.deleteBatch(id);
  const store = new SqliteBatchStore(db);
  const queue = new LocalJobQueue(options.concurrency, sqliteJournal(db));
  let closed = false;
  return {
    info: { kind: 'sqlite', durable: true, shared: false, location: dataDir },
    store,
    queue,
    blobs,
    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
      await store.close();
      db.close();
    },
  };
}
