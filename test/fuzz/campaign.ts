/**
 * A fuzz campaign against the service in a child process: generated requests sent as raw bytes, each
 * answer judged, the same process checked with a `health` query every few requests, its RSS and open file
 * descriptors read from /proc before and after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/env.js';
import { generateCase, type FuzzCase } from './generator.js';
import { sendRaw, type WireResult } from './wire.js';
import { childEnv } from '../helpers/env.js';

/** The fuzz server (server.ts) running in a child process. */
export interface FuzzServer {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** What the child wrote on stderr (a crash's stack ends up here). */
  stderr: string[];
  stop(): Promise<void>;
}

/** Settings the campaign's server runs with: short body timers, so requests that never end are answered quickly. */
export const FUZZ_SERVER_ENV: Record<string, string> = {
  HEADERS_TIMEOUT_MS: '2000',
  UPLOAD_IDLE_TIMEOUT_MS: '1000',
  UPLOAD_TIMEOUT_MS: '10000',
  WRITE_STALL_TIMEOUT_MS: '5000',
  BATCH_RETENTION_SECONDS: '30',
};

/** Starts test/fuzz/server.ts (fake pipeline, real everything else) on a free loopback port. */
export async function startFuzzServer(env: Record<string, string> = {}): Promise<FuzzServer> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/fuzz/server.ts'], {
    cwd: PROJECT_ROOT,
    env: childEnv({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...FUZZ_SERVER_ENV, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fuzz server exited (${code}): ${stderr.join('')}`)));
  });
  const { url, pid } = JSON.parse(first) as { url: string; pid: number };
  return {
    url,
    pid,
    port: Number(new URL(url).port),
    child,
    stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/** RSS now and at its peak (VmHWM), in KiB, and open file descriptors of a process (Linux /proc). */
export function processStats(pid: number): { rssKiB: number; peakKiB: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: kib('VmRSS'), peakKiB: kib('VmHWM'), fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** The server's heap after a full garbage collection, in KiB (asked with SIGUSR2; NaN when it does not answer). */
export async function heapAfterGc(server: FuzzServer): Promise<number> {
  const seen = server.stderr.length;
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    const line = server.stderr
      .slice(seen)
      .join('')
      .match(/heap (\{.*\})/);
    if (line) {
      server.stderr.splice(seen); // not a crash report
      return (JSON.parse(line[1]!) as { heapUsedKiB: number }).heapUsedKiB;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return NaN;
}

/** Asks the server for `health`; true when it answers OK. */
export async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { status } }' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { data?: { health?: { status?: string } } };
    return body.data?.health?.status === 'OK';
  } catch {
    return false;
  }
}

type ErrorBody = { errors?: { message?: unknown; extensions?: { code?: unknown } }[]; data?: unknown };

/**
 * Why an answer is not acceptable, or null when it is. Acceptable: a closed socket (nothing or a whole
 * response before it); a well-formed HTTP response that is an error with the GraphQL shape and a typed
 * `extensions.code` (4xx; 503 only for SERVER_BUSY and SHUTTING_DOWN), or a result (JSON `data`, an event
 * stream, a page). Never a 500, a malformed response, or silence past the bound.
 */
export function judge(c: FuzzCase, result: WireResult): string | null {
  if (result.malformed) return `malformed response: ${result.malformed}`;
  if (result.status === undefined) {
    if (result.outcome === 'timeout') return `no answer within ${result.ms} ms`;
    return null; // closed socket
  }
  const type = result.headers?.['content-type'] ?? '';
  if (result.outcome === 'timeout' && !type.startsWith('text/event-stream')) return `answer incomplete after ${result.ms} ms`;
  const isHead = c.pieces[0]?.subarray(0, 5).toString('latin1') === 'HEAD ';
  const status = result.status;
  if (status >= 200 && status < 400) {
    // A page, an event stream, or a graphql-sse reservation token (text/plain).
    if (isHead || status === 204 || status === 304 || /^text\/(event-stream|html|plain)/.test(type)) return null;
    if (result.body?.length === 0) return null; // yoga's liveness answer at /health
    if (type.includes('json')) {
      try {
        const body = JSON.parse(result.body!.toString('utf8')) as ErrorBody;
        return 'data' in body || Array.isArray(body.errors) ? null : 'a JSON result with neither data nor errors';
      } catch {
        return 'a success response whose JSON does not parse';
      }
    }
    return static200(result) ? null : `status ${status} with content-type ${JSON.stringify(type)}`;
  }
  if (isHead) return null; // no body to judge
  if (type.startsWith('text/html')) return null; // the web page (503 while it is not built)
  let body: ErrorBody;
  try {
    // An error as an event stream (the client accepted only that): its first `data:` line.
    const text = result.body!.toString('utf8');
    body = JSON.parse(type.startsWith('text/event-stream') ? (/^data: (.*)$/m.exec(text)?.[1] ?? '') : text) as ErrorBody;
  } catch {
    return `status ${status} without a JSON error body: ${JSON.stringify(result.body?.toString('utf8').slice(0, 120))}`;
  }
  const error = body.errors?.[0];
  if (typeof error?.message !== 'string') return `status ${status}: no GraphQL error`;
  const code = error.extensions?.code;
  if (typeof code !== 'string') return `status ${status}: untyped error ${JSON.stringify(error.message.slice(0, 120))}`;
  if (status >= 500 && !(status === 503 && (code === 'SERVER_BUSY' || code === 'SHUTTING_DOWN')))
    return `status ${status} ${code}: ${error.message.slice(0, 160)}`;
  return null;
}

/** A static file of the web page (any type). */
function static200(result: WireResult): boolean {
  return result.status === 200 && Boolean(result.headers?.['etag']);
}

export interface CampaignOptions {
  server: FuzzServer;
  seed: number;
  count: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Bound on the time to an answer or a closed socket (default 8000 ms). */
  timeoutMs?: number;
  /** A `health` check after every this many requests (default 25). */
  healthEvery?: number;
  /** Called every `healthEvery` requests. */
  onProgress?: (done: number) => void;
}

export interface Failure {
  seed: number;
  id: number;
  family: string;
  reason: string;
}

export interface CampaignReport {
  seed: number;
  requests: number;
  failures: Failure[];
  /** Responses by HTTP status ("closed" for a socket closed without one). */
  statuses: Record<string, number>;
  /** Error codes seen, with counts. */
  codes: Record<string, number>;
  healthChecks: number;
  durationMs: number;
  slowestMs: number;
  before: { rssKiB: number; fds: number; heapKiB: number };
  after: { rssKiB: number; fds: number; heapKiB: number };
  peakRssKiB: number;
  /** The server process is the same one, alive, at the end. */
  alive: boolean;
}

/** Runs `count` cases of `seed` against the server; a crash stops the campaign and is reported as a failure. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const { server, seed, count, concurrency = 8, timeoutMs = 8_000, healthEvery = 25 } = options;
  const heapBefore = await heapAfterGc(server);
  const started = performance.now();
  const before = processStats(server.pid);
  const failures: Failure[] = [];
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  let slowestMs = 0;
  let healthChecks = 0;
  let next = 0;
  let done = 0;
  let dead = false;
  const alive = () => server.child.exitCode === null && server.child.signalCode === null;

  const worker = async () => {
    while (!dead && next < count) {
      const id = next++;
      const c = generateCase(seed, id);
      const result = await sendRaw(c.pieces, { port: server.port, timeoutMs, halfClose: c.halfClose });
      slowestMs = Math.max(slowestMs, result.ms);
      const key = result.status === undefined ? result.outcome : String(result.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      const code = errorCode(result);
      if (code) codes[code] = (codes[code] ?? 0) + 1;
      const reason = judge(c, result);
      if (reason) failures.push({ seed, id, family: c.family, reason });
      done++;
      if (done % healthEvery === 0) {
        options.onProgress?.(done);
        healthChecks++;
        if (!alive() || !(await healthy(server.url))) {
          dead = true;
          failures.push({ seed, id, family: c.family, reason: `the server stopped answering health after request ${id} (${alive() ? 'alive' : 'exited'})` });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ok = alive() && (await healthy(server.url));
  if (!ok && !dead) failures.push({ seed, id: count - 1, family: '-', reason: 'the server did not answer health at the end' });
  // Let connections the server is still closing finish before counting descriptors.
  await new Promise((r) => setTimeout(r, 1_500));
  const after = ok ? processStats(server.pid) : { rssKiB: NaN, peakKiB: NaN, fds: NaN };
  const heapAfter = ok ? await heapAfterGc(server) : NaN;
  return {
    seed,
    requests: done,
    failures,
    statuses,
    codes,
    healthChecks,
    durationMs: Math.round(performance.now() - started),
    slowestMs,
    before: { rssKiB: before.rssKiB, fds: before.fds, heapKiB: heapBefore },
    after: { rssKiB: after.rssKiB, fds: after.fds, heapKiB: heapAfter },
    peakRssKiB: after.peakKiB,
    alive: ok,
  };
}

function errorCode(result: WireResult): string | null {
  if (!result.body || !result.headers?.['content-type']?.includes('json')) return null;
  try {
    const code = (JSON.parse(result.body.toString('utf8')) as ErrorBody).errors?.[0]?.extensions?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
