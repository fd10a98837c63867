/**
 * `npm run bench:api [-- --url URL] [--images N] [--runs R]`: drives the service like a client. Uploads a
 * batch of N fixture screenshots (the labelled ones, repeated) and follows it over graphql-sse:
 * time until the batch id comes back, time from then to the first BatchResult, time for the whole batch,
 * and the server's peak RSS. Without --url it starts its own server (`src/main.ts`, PORT=0) and stops it
 * after; with --url it measures that server (RSS then unknown). Its own server keeps batches where the
 * environment says (`STORE`, default sqlite) in a fresh temporary DATA_DIR, removed after (unless
 * DATA_DIR is set), and the disk used per batch is printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { PROJECT_ROOT } from '../src/config.js';
import { ServiceClient, type UploadFile } from '../src/client/client.js';
import { loadFixtures } from './fixtures.js';
import path from 'node:path';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const images = Number(option('--images') ?? 10);
const runs = Number(option('--runs') ?? 2);
let url = option('--url');
let child: ChildProcess | null = null;
const ownDataDir = !url && !process.env.DATA_DIR ? mkdtempSync(path.join(os.tmpdir(), 'decklist-bench-api-')) : null;
const dataDir = url ? null : (process.env.DATA_DIR ?? ownDataDir);
const store = process.env.STORE?.trim() || 'sqlite';
const dirBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);

function peakRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

if (!url) {
  const started = performance.now();
  child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...(dataDir ? { DATA_DIR: dataDir } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child!.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
  console.log(`server started in ${Math.round(performance.now() - started)} ms at ${url}`);
}

const fixtures = loadFixtures();
const files: UploadFile[] = Array.from({ length: images }, (_, i) => {
  const f = fixtures[i % fixtures.length]!;
  return { name: `${i}-${path.basename(f.imagePath)}`, bytes: readFileSync(f.imagePath), type: 'image/jpeg' };
});
const megabytes = files.reduce((n, f) => n + f.bytes.length, 0) / 1e6;

const client = new ServiceClient({ url });
const rows: { run: number; accepted: number; firstResult: number; whole: number; ok: number; failed: number }[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    const t0 = performance.now();
    const batch = await client.processBatch(files);
    const accepted = performance.now() - t0;
    let firstResult = NaN;
    let ok = 0;
    let failed = 0;
    for await (const event of client.batchEvents(batch.id)) {
      if (event.__typename === 'BatchResult') {
        ok++;
        if (Number.isNaN(firstResult)) firstResult = performance.now() - t0 - accepted;
      }
      if (event.__typename === 'BatchError') failed++;
    }
    rows.push({ run, accepted, firstResult, whole: performance.now() - t0, ok, failed });
  }
} finally {
  client.dispose();
}

const rss = child?.pid ? peakRssMiB(child.pid) : null;
console.log(`batch of ${images} screenshots (${megabytes.toFixed(1)} MB) per run`);
console.log('run | batch id after | first result after id | whole batch | read | failed');
for (const r of rows) {
  console.log(
    `${r.run}   | ${r.accepted.toFixed(0).padStart(8)} ms | ${r.firstResult.toFixed(0).padStart(14)} ms | ${(r.whole / 1000).toFixed(2).padStart(8)} s | ${r.ok} | ${r.failed}`,
  );
}
console.log(`server peak RSS: ${rss === null ? 'unknown (not started by this script)' : `${rss} MiB`}`);
if (dataDir && store === 'sqlite') {
  console.log(`store: sqlite in ${dataDir}; disk per batch ${(dirBytes(dataDir) / runs / 1e6).toFixed(2)} MB (database, WAL, uploads left)`);
} else if (!url) console.log(`store: ${store}`);

if (child) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child!.once('exit', resolve));
}
if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
