/**
 * `npm run bench:api [-- --url URL] [--images N] [--runs R] [--redis] [--workers W] [--source]`: drives the service
 * like a client. Uploads a batch of N fixture screenshots (the labelled ones, repeated) and follows it over
 * graphql-sse: time until the batch id comes back, time from then to the first BatchResult, time for the
 * whole batch, and the server's peak RSS. Without --url it starts its own server, PORT=0, and stops it after:
 * the compiled service `npm start` runs (`dist/src/main.js`, built first when missing or older than `src/`;
 * `--source` runs `src/main.ts` under tsx instead, whose loader costs ~70 MiB of RSS); with --url it measures that server (RSS then unknown). Its own server keeps batches where
 * the environment says (`STORE`, default sqlite) in a fresh temporary DATA_DIR, removed after (unless
 * DATA_DIR is set), and the disk used per batch is printed.
 *
 * `--redis` measures twice in one run, the embedded store and then Redis (REDIS_URL, default
 * redis://127.0.0.1:6379, under a fresh key prefix deleted after), and prints Redis's per-image and
 * first-result times as ratios of the embedded ones. With `--workers W` the Redis deployment is one
 * ROLE=api process and W ROLE=worker processes instead of one ROLE=all (throughput with more workers).
 * After its own server stopped it measures the yardsticks (plain whole-page recognize, the pipeline's warm
 * time per screenshot) and prints the service's ratios to them (`--no-baseline` skips this).
 *
 * The batch repeats the fixtures, which the service's caches would answer from memory: its own servers run
 * with both caches off (RESULT_CACHE_ENTRIES=0, OCR_CROP_CACHE_ENTRIES=0) unless `--caches` is given.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ServiceClient, type UploadFile } from '../src/client/client.js';
import { PROJECT_ROOT } from '../src/env.js';
import { median, sideBySideMs } from './baseline.js';
import { newestMtime } from './newest-mtime.mjs';
import { loadFixtures } from './fixtures.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const images = Number(option('--images') ?? 10);
const runs = Number(option('--runs') ?? 2);
const givenUrl = option('--url');
const withRedis = process.argv.includes('--redis');
const workerProcesses = Number(option('--workers') ?? 0);
const fromSource = process.argv.includes('--source');
const redisUrl = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const dirBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
    0,
  );

function peakRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** The compiled service, built first when there is none or `src/` changed after it was built. */
function compiledEntry(): string {
  const entry = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
  if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime(path.join(PROJECT_ROOT, 'src'))) {
    console.log('building the service (dist/ is missing or older than src/)');
    execFileSync(process.execPath, [path.join('scripts', 'build.mjs')], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  }
  return entry;
}

/** Starts the service with `env`; resolves with the child and the line's URL once `ready` matches. */
async function startProcess(env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, serverCommand, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${out}`)));
  });
  return { child, url };
}

// Built (when needed) before any start-up is timed.
const serverCommand = givenUrl ? [] : fromSource ? ['--import', 'tsx', path.join('src', 'main.ts')] : [compiledEntry()];
const fixtures = loadFixtures();
const files: UploadFile[] = Array.from({ length: images }, (_, i) => {
  const f = fixtures[i % fixtures.length]!;
  return { name: `${i}-${path.basename(f.imagePath)}`, bytes: readFileSync(f.imagePath), type: 'image/jpeg' };
});
const megabytes = files.reduce((n, f) => n + f.bytes.length, 0) / 1e6;

interface Row {
  run: number;
  accepted: number;
  firstResult: number;
  whole: number;
  ok: number;
  failed: number;
}

async function measure(url: string): Promise<Row[]> {
  const client = new ServiceClient({ url });
  const rows: Row[] = [];
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
  return rows;
}

function print(label: string, rows: Row[], rss: (number | null)[]): void {
  console.log(`\n${label}: batch of ${images} screenshots (${megabytes.toFixed(1)} MB) per run`);
  console.log('run | batch id after | first result after id | whole batch | per image | read | failed');
  for (const r of rows) {
    console.log(
      `${r.run}   | ${r.accepted.toFixed(0).padStart(8)} ms | ${r.firstResult.toFixed(0).padStart(14)} ms | ${(r.whole / 1000).toFixed(2).padStart(8)} s | ${(r.whole / images).toFixed(0).padStart(5)} ms | ${r.ok} | ${r.failed}`,
    );
  }
  const shown = rss.map((m) => (m === null ? 'unknown' : `${m} MiB`)).join(' + ');
  console.log(`peak RSS: ${rss.length === 0 ? 'unknown (not started by this script)' : shown}`);
}

/** Runs the benchmark against processes started with `envs` (the first one serves GraphQL). */
async function deployment(label: string, envs: NodeJS.ProcessEnv[]): Promise<Row[]> {
  const started = performance.now();
  const [api, ...rest] = envs;
  const processes = [await startProcess(api!, /listening on (\S+)/), ...(await Promise.all(rest.map((env) => startProcess(env, /metrics at (\S+)/))))];
  console.log(`${label}: ${processes.length} process(es) started in ${Math.round(performance.now() - started)} ms at ${processes[0]!.url}`);
  try {
    const rows = await measure(processes[0]!.url);
    print(
      label,
      rows,
      processes.map((p) => peakRssMiB(p.child.pid!)),
    );
    return rows;
  } finally {
    for (const { child } of processes) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    }
  }
}

/**
 * The three ratios of issue 14, each against yardsticks measured here, after the server stopped: the first
 * batch's first result after its id over one plain whole-page recognize, the service's time per image over
 * the pipeline's own (as the CLI reads), and that over plain recognize.
 */
async function printRatios(service: Row[]): Promise<void> {
  const distinct = fixtures.map((f) => readFileSync(f.imagePath));
  const yardsticks = await sideBySideMs(distinct, 2);
  const plain = median(yardsticks.whole);
  const cli = median(yardsticks.perImage);
  const servicePerImage = median(service.map((r) => r.whole / images));
  console.log(
    `\nyardsticks (this run, after the server stopped): plain whole-page recognize ${plain.toFixed(0)} ms, CLI warm per screenshot ${cli.toFixed(0)} ms`,
  );
  console.log(`first result of the first batch after start-up / plain recognize: ${(service[0]!.firstResult / plain).toFixed(3)}×`);
  console.log(`service per image / CLI per image:                              ${(servicePerImage / cli).toFixed(3)}×`);
  console.log(`CLI per image / plain recognize:                                ${(cli / plain).toFixed(3)}×`);
}

if (givenUrl) {
  print(`server at ${givenUrl}`, await measure(givenUrl), []);
} else {
  const ownDataDir = !process.env.DATA_DIR ? mkdtempSync(path.join(os.tmpdir(), 'decklist-bench-api-')) : null;
  const dataDir = process.env.DATA_DIR ?? ownDataDir!;
  const store = process.env.STORE?.trim() || 'sqlite';
  const caches: NodeJS.ProcessEnv = process.argv.includes('--caches') ? {} : { RESULT_CACHE_ENTRIES: '0', OCR_CROP_CACHE_ENTRIES: '0' };
  console.log(process.argv.includes('--caches') ? 'caches: on (repeated screenshots are answered from memory)' : 'caches: off (every screenshot is read)');
  const embeddedEnv: NodeJS.ProcessEnv = { DATA_DIR: dataDir, REDIS_URL: '', ...caches };
  try {
    const embedded = await deployment(`embedded (${store})`, [embeddedEnv]);
    if (store === 'sqlite')
      console.log(`store: sqlite in ${dataDir}; disk per batch ${(dirBytes(dataDir) / runs / 1e6).toFixed(2)} MB (database, WAL, uploads left)`);
    if (!process.argv.includes('--no-baseline')) await printRatios(embedded);
    if (withRedis) {
      const prefix = `decklist-bench-${randomBytes(4).toString('hex')}`;
      const redisEnv: NodeJS.ProcessEnv = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, STORE: '', ...caches };
      const envs =
        workerProcesses > 0
          ? [{ ...redisEnv, ROLE: 'api' }, ...Array.from({ length: workerProcesses }, () => ({ ...redisEnv, ROLE: 'worker' }))]
          : [{ ...redisEnv, ROLE: 'all' }];
      const label = workerProcesses > 0 ? `redis (1 api + ${workerProcesses} worker process(es))` : 'redis (ROLE=all)';
      let redis: Row[];
      try {
        redis = await deployment(label, envs);
      } finally {
        const client = new Redis(redisUrl);
        const keys = await client.keys(`${prefix}:*`);
        if (keys.length > 0) await client.del(...keys);
        client.disconnect();
      }
      const perImage = median(redis.map((r) => r.whole)) / median(embedded.map((r) => r.whole));
      const first = median(redis.map((r) => r.firstResult)) / median(embedded.map((r) => r.firstResult));
      const firstFromUpload = median(redis.map((r) => r.accepted + r.firstResult)) / median(embedded.map((r) => r.accepted + r.firstResult));
      console.log(
        `\nredis / embedded (medians over ${runs} runs): per-image time ${perImage.toFixed(3)}×, first result ${firstFromUpload.toFixed(3)}× counted from the upload's start (${first.toFixed(3)}× from the batch id, which an API without OCR answers sooner)`,
      );
    }
  } finally {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
  }
}
