/**
 * `npm run load [-- --batches 20 --images 5 --late 2 --timeout 300]`: a bounded load run on loopback.
 *
 * Starts the service (`src/main.ts`, PORT=0, HOST=127.0.0.1; the environment's settings apply), then at
 * once uploads `--batches` batches of `--images` fixture screenshots each. Every batch gets two live
 * subscribers from the moment its id is known (one graphql-sse distinct-connections client, one
 * single-connection client), one subscriber that joins after its first result with `after`, and
 * `--late` subscribers that join after it completed (full replay, and resume from the middle).
 * A client answered SERVER_BUSY waits the hinted time and retries (at most 10 times).
 *
 * Prints events delivered vs expected per subscriber (every subscriber must see exactly the batch's log
 * from its starting point, in order), results vs files, p50/p95 of the time to the first result and per
 * image, the server's peak RSS, and errors. Exits 1 when anything was lost, duplicated or out of order.
 * It stops by itself: the whole run is bounded by `--timeout` seconds, after which the server is killed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceClient, ServiceError, type BatchEvent, type UploadFile } from '../src/client/client.js';
import { pipelineConfigFromEnv } from '../src/pipeline/config.js';
import { PROJECT_ROOT } from '../src/env.js';
import { serverConfigFromEnv } from '../src/server/config.js';
import { loadFixtures } from './fixtures.js';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
}

const BATCHES = Math.min(option('--batches', 20), 100);
const IMAGES = Math.min(option('--images', 5), 50);
const LATE = Math.min(option('--late', 2), 10);
const TIMEOUT_S = Math.min(option('--timeout', 300), 1800);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (v: number) => `${Math.round(v)} ms`;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function procStatus(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

// --- the server, on loopback only -----------------------------------------------------------------
const started = performance.now();
// Batches go where the environment says (STORE, default sqlite): a fresh temporary DATA_DIR unless DATA_DIR is set.
const ownDataDir = process.env.DATA_DIR ? null : mkdtempSync(path.join(os.tmpdir(), 'decklist-load-'));
process.on('exit', () => {
  if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
});
const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'main.ts')], {
  cwd: PROJECT_ROOT,
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const killer = setTimeout(() => {
  console.error(`load run exceeded ${TIMEOUT_S} s: stopping`);
  child.kill('SIGKILL');
  process.exit(2);
}, TIMEOUT_S * 1000);
killer.unref();

let serverOut = '';
const url = await new Promise<string>((resolve, reject) => {
  child.stdout!.on('data', (d: Buffer) => {
    serverOut += d;
    const m = /listening on (\S+)/.exec(serverOut);
    if (m) resolve(m[1]!);
  });
  child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${serverOut}`)));
});
if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):/.test(url)) throw new Error(`not a loopback URL: ${url}`);
const baselineRss = procStatus(child.pid!, 'VmRSS');
console.log(`server ready in ${ms(performance.now() - started)} at ${url} (RSS ${baselineRss?.toFixed(0)} MiB at rest)`);

let sampledPeak = 0;
const sampler = setInterval(() => {
  sampledPeak = Math.max(sampledPeak, procStatus(child.pid!, 'VmRSS') ?? 0);
}, 100);

// --- the clients ------------------------------------------------------------------------------------
const fixtures = loadFixtures();
const filesFor = (batch: number): UploadFile[] =>
  Array.from({ length: IMAGES }, (_, i) => {
    const f = fixtures[(batch + i) % fixtures.length]!;
    return { name: `b${batch}-${i}-${path.basename(f.imagePath)}`, bytes: readFileSync(f.imagePath), type: 'image/jpeg' };
  });

const distinct = new ServiceClient({ url });
const single = new ServiceClient({ url, singleConnection: true });

interface Subscriber {
  batch: number;
  batchId: string;
  kind: string;
  after: number;
  events: BatchEvent[];
  error?: string;
}
interface BatchRun {
  batch: number;
  id: string;
  uploadStarted: number;
  accepted: number;
  firstResult: number | null;
  resultTimes: number[];
  imageTimes: number[];
  busyRetries: number;
  subscribers: Subscriber[];
  log: BatchEvent[];
}

const errors: string[] = [];
let busyRetries = 0;

async function follow(client: ServiceClient, sub: Subscriber, onEvent?: (e: BatchEvent) => void): Promise<void> {
  try {
    for await (const event of client.batchEvents(sub.batchId, sub.after || undefined)) {
      sub.events.push(event);
      onEvent?.(event);
    }
  } catch (error) {
    sub.error = (error as Error).message;
    errors.push(`batch ${sub.batch} ${sub.kind}: ${sub.error}`);
  }
}

async function runBatch(batch: number): Promise<BatchRun> {
  const files = filesFor(batch);
  const uploadStarted = performance.now();
  let id = '';
  let retries = 0;
  for (;;) {
    try {
      id = (await distinct.processBatch(files)).id;
      break;
    } catch (error) {
      const busy = error instanceof ServiceError && error.code === 'SERVER_BUSY' && retries < 10;
      if (!busy) throw error;
      retries++;
      busyRetries++;
      const hint = Number(error.errors[0]?.extensions?.retryAfterSeconds ?? 1);
      await sleep(hint * 1000 * (0.5 + Math.random()));
    }
  }
  const accepted = performance.now();
  const run: BatchRun = {
    batch,
    id,
    uploadStarted,
    accepted,
    firstResult: null,
    resultTimes: [],
    imageTimes: [],
    busyRetries: retries,
    subscribers: [],
    log: [],
  };
  const decodingAt = new Map<number, number>();
  const sub = (kind: string, after = 0): Subscriber => {
    const s: Subscriber = { batch, batchId: id, kind, after, events: [] };
    run.subscribers.push(s);
    return s;
  };
  let midJoined: Promise<void> | null = null;
  const live = [
    follow(distinct, sub('live distinct'), (e) => {
      const now = performance.now();
      if (e.__typename === 'BatchProgress' && e.stage === 'DECODING') decodingAt.set(e.index, now);
      if (e.__typename === 'BatchResult') {
        run.firstResult ??= now - uploadStarted;
        run.resultTimes.push(now - uploadStarted);
        run.imageTimes.push(now - (decodingAt.get(e.index) ?? now));
        // A subscriber joining mid-stream, resuming after the event it was told about.
        midJoined ??= follow(single, sub('mid-stream after', e.sequence));
      }
    }),
    follow(single, sub('live single-connection')),
  ];
  await Promise.all(live);
  if (midJoined) await midJoined;
  // Late subscribers, after the end: the full replay, and a resume from the middle.
  const full = sub('late replay');
  await follow(distinct, full);
  run.log = full.events;
  for (let i = 1; i < LATE; i++) await follow(i % 2 ? single : distinct, sub(`late after ${Math.floor(run.log.length / 2)}`, Math.floor(run.log.length / 2)));
  return run;
}

console.log(`load: ${BATCHES} concurrent batches × ${IMAGES} screenshots, 2 live + 1 mid-stream + ${LATE} late subscribers each`);
const t0 = performance.now();
const settled = await Promise.allSettled(Array.from({ length: BATCHES }, (_, b) => runBatch(b)));
const wall = performance.now() - t0;
clearInterval(sampler);
const runs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
for (const s of settled) if (s.status === 'rejected') errors.push(`batch failed: ${(s.reason as Error).message}`);

// --- checks -------------------------------------------------------------------------------------------
let delivered = 0;
let expected = 0;
let mismatched = 0;
let results = 0;
let fileErrors = 0;
const codes = new Map<string, number>();
for (const run of runs) {
  const log = run.log;
  const wellFormed = log.length > 0 && log.every((e, i) => e.sequence === i + 1) && log.at(-1)?.__typename === 'BatchComplete';
  if (!wellFormed) {
    mismatched++;
    errors.push(`batch ${run.batch}: replayed log is not 1..N ending in BatchComplete`);
  }
  for (const s of run.subscribers) {
    const want = log.filter((e) => e.sequence > s.after);
    delivered += s.events.length;
    expected += want.length;
    if (JSON.stringify(s.events) !== JSON.stringify(want)) {
      mismatched++;
      errors.push(`batch ${run.batch} ${s.kind}: ${s.events.length} events, expected ${want.length} (or order differs)`);
    }
  }
  for (const e of log) {
    if (e.__typename === 'BatchResult') results++;
    if (e.__typename === 'BatchError') {
      fileErrors++;
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    }
  }
}
const subscribers = runs.reduce((n, r) => n + r.subscribers.length, 0);
const firsts = runs.flatMap((r) => (r.firstResult === null ? [] : [r.firstResult]));
const accepts = runs.map((r) => r.accepted - r.uploadStarted);
const perImage = runs.flatMap((r) => r.imageTimes);
const latency = runs.flatMap((r) => r.resultTimes);
const hwm = procStatus(child.pid!, 'VmHWM');

// --- stop the server ----------------------------------------------------------------------------------
distinct.dispose();
single.dispose();
child.kill('SIGTERM');
const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
clearTimeout(killer);

const files = BATCHES * IMAGES;
console.log('');
console.log(`wall time                  ${(wall / 1000).toFixed(1)} s for ${files} screenshots (${(files / (wall / 1000)).toFixed(2)} images/s)`);
console.log(`subscribers                ${subscribers} (${runs.length} batches)`);
console.log(
  `events delivered/expected  ${delivered} / ${expected}  (${mismatched === 0 ? 'every subscriber: exact, in order' : `${mismatched} subscribers differ`})`,
);
console.log(
  `results + errors / files   ${results} + ${fileErrors} / ${files}${codes.size ? `  (${[...codes].map(([c, n]) => `${c} ×${n}`).join(', ')})` : ''}`,
);
console.log(`SERVER_BUSY retries        ${busyRetries}`);
console.log(`batch id after upload      p50 ${ms(percentile(accepts, 50))}  p95 ${ms(percentile(accepts, 95))}`);
console.log(`first result (from upload) p50 ${ms(percentile(firsts, 50))}  p95 ${ms(percentile(firsts, 95))}`);
console.log(`per image (DECODING→result) p50 ${ms(percentile(perImage, 50))}  p95 ${ms(percentile(perImage, 95))}`);
console.log(`each result (from upload)  p50 ${ms(percentile(latency, 50))}  p95 ${ms(percentile(latency, 95))}`);
console.log(
  `server peak RSS            ${hwm?.toFixed(0)} MiB (VmHWM; sampled VmRSS peak ${sampledPeak.toFixed(0)} MiB; ${baselineRss?.toFixed(0)} MiB at rest)`,
);
console.log(`server exit on SIGTERM     ${exitCode}`);

// The bound of docs/limits.md, from the same settings the server read (its environment is ours).
const MiB = 1024 * 1024;
const server = serverConfigFromEnv();
const pipe = pipelineConfigFromEnv();
const perImageInPipeline = (3 * Math.min(pipe.maxPixels, 1080 * 4400)) / MiB + 30; // raster at 1080 px wide + crops and codec buffers
const bound =
  (baselineRss ?? 0) +
  pipe.maxConcurrentImages * perImageInPipeline +
  server.maxQueuedBytes / MiB +
  (server.maxConcurrentUploads * server.maxFileBytes) / MiB +
  (server.maxHeldImages * 80 * 1024) / MiB;
console.log(
  `RSS bound (docs/limits.md) ${bound.toFixed(0)} MiB = ${baselineRss?.toFixed(0)} at rest + ${pipe.maxConcurrentImages} images in the pipeline × ${perImageInPipeline.toFixed(0)}` +
    ` + MAX_QUEUED_BYTES ${(server.maxQueuedBytes / MiB).toFixed(0)} + ${server.maxConcurrentUploads} uploads × ${(server.maxFileBytes / MiB).toFixed(0)}` +
    ` + ${server.maxHeldImages} held results × 80 KB`,
);
if (hwm !== null && hwm > bound) errors.push(`peak RSS ${hwm.toFixed(0)} MiB is over the bound ${bound.toFixed(0)} MiB`);

console.log(`errors                     ${errors.length === 0 ? 'none' : ''}`);
for (const e of errors.slice(0, 20)) console.log(`  ${e}`);

const ok = errors.length === 0 && mismatched === 0 && delivered === expected && results + fileErrors === files && exitCode === 0;
process.exit(ok ? 0 : 1);
