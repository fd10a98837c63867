/**
 * `npm run fuzz -- [--count N] [--seed S] [--concurrency C]`: a fuzz campaign against the service (fake
 * pipeline, real HTTP layer) in a child process. Prints the figures, and the seed and case of every
 * failure; `--seed S --case N` replays case N (numbered from 0) and prints what was sent and answered.
 * Exits 1 on any failure.
 */
import { FAMILY_NAMES, generateCase } from './generator.js';
import { judge, runCampaign, startFuzzServer } from './campaign.js';
import { sendRaw } from './wire.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
  return value;
}

const count = arg('count', 25_000);
const seed = arg('seed', Math.floor(Math.random() * 1_000_000));
const concurrency = arg('concurrency', 8);
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

if (process.argv.includes('--case')) {
  // Replay one case: print what was sent and what came back.
  const c = generateCase(seed, arg('case', 0));
  const server = await startFuzzServer();
  const result = await sendRaw(c.pieces, { port: server.port, timeoutMs: 8_000, halfClose: c.halfClose });
  await server.stop();
  console.log(`case ${c.id} of seed ${seed} (${c.family}, ${c.halfClose ? 'half-closed' : 'open'}):`);
  console.log(JSON.stringify(Buffer.concat(c.pieces).toString('latin1').slice(0, 4000)));
  console.log(`${result.outcome} after ${result.ms} ms: ${judge(c, result) ?? 'acceptable'}`);
  console.log(result.raw.toString('utf8').slice(0, 2000));
  if (server.stderr.length) console.log(`server stderr:\n${server.stderr.join('').slice(-4000)}`);
  process.exit(0);
}

console.log(`fuzz: ${count} requests, seed ${seed}, ${concurrency} at once, families: ${FAMILY_NAMES.join(', ')}`);
const server = await startFuzzServer();
let report: Awaited<ReturnType<typeof runCampaign>>;
try {
  report = await runCampaign({
    server,
    seed,
    count,
    concurrency,
    healthEvery: 25,
    onProgress: (done) => {
      if (done % 1000 === 0) console.log(`  ${done} requests`);
    },
  });
} finally {
  await server.stop();
}
console.log(`requests      ${report.requests}`);
console.log(`failures      ${report.failures.length}`);
console.log(`duration      ${(report.durationMs / 1000).toFixed(1)} s (slowest answer ${report.slowestMs} ms)`);
console.log(`health checks ${report.healthChecks}, server alive at the end: ${report.alive}`);
console.log(`RSS           ${mib(report.before.rssKiB)} before, ${mib(report.after.rssKiB)} after, peak ${mib(report.peakRssKiB)}`);
console.log(`heap after GC ${mib(report.before.heapKiB)} before, ${mib(report.after.heapKiB)} after`);
console.log(`open fds      ${report.before.fds} before, ${report.after.fds} after`);
console.log(`statuses      ${JSON.stringify(report.statuses)}`);
console.log(`error codes   ${JSON.stringify(report.codes)}`);
for (const f of report.failures.slice(0, 50)) console.log(`FAIL seed ${f.seed} case ${f.id} (${f.family}): ${f.reason}`);
if (server.stderr.length) console.log(`server stderr:\n${server.stderr.join('').slice(-4000)}`);
process.exit(report.failures.length > 0 ? 1 : 0);
