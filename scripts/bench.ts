/**
 * `npm run bench`: start-up time, warm seconds per screenshot (median over the fixtures, one image at a
 * time, after worker start-up), throughput with every fixture queued at once, peak RSS, and the same
 * screenshots read by a plain whole-page `worker.recognize()` for comparison.
 */
import { readFile } from 'node:fs/promises';
import { pipelineConfigFromEnv } from '../src/pipeline/config.js';
import { PipelineProfile } from '../src/pipeline/profile.js';
import { median, sideBySideMs } from './baseline.js';
import { loadFixtures } from './fixtures.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

const images = await Promise.all(loadFixtures().map((f) => readFile(f.imagePath)));
const config = pipelineConfigFromEnv();

const profile = new PipelineProfile();
// Baseline: one plain whole-page recognize per screenshot, same Chinese model, one worker, each read beside
// the pipeline's reading of the same screenshot.
const { startupMs: startup, perImage, whole, batchMs, pipelinePeakRss } = await sideBySideMs(images, ROUNDS, profile);

console.log(`fixtures                      ${images.length} screenshots, ${config.workers} Chinese + ${config.digitWorkers} digit OCR workers`);
console.log(`start-up (db + workers)       ${seconds(startup)}`);
console.log(
  `warm per screenshot (median)  ${seconds(median(perImage))}   (min ${seconds(Math.min(...perImage))}, max ${seconds(Math.max(...perImage))}, n=${perImage.length})`,
);
console.log(`${images.length * 2} screenshots queued at once  ${seconds(batchMs)}  = ${seconds(batchMs / (images.length * 2))} per screenshot`);
console.log(`whole-page recognize (median) ${seconds(median(whole))}   (plain worker.recognize(), each beside the pipeline's read, n=${whole.length})`);
console.log(`peak RSS (pipeline)           ${mib(pipelinePeakRss)}   (default worker counts; the whole run: ${mib(process.resourceUsage().maxRSS * 1024)})`);
console.log(`CLI / plain recognize         ${(median(perImage) / median(whole)).toFixed(3)}×   (warm per screenshot over whole-page recognize, this run)`);

// Where the warm time goes: stages on the wall clock, OCR calls by their time on a worker (they overlap:
// several workers read at once, so the OCR rows add up to more than the READING stage's wall time).
const n = perImage.length;
console.log(`\nprofile, per screenshot (mean over ${n} warm reads)`);
console.log('stage / OCR purpose          calls      ms');
for (const [key, { calls, ms }] of profile.entries) {
  console.log(`${key.padEnd(28)} ${(calls / n).toFixed(1).padStart(5)} ${(ms / n).toFixed(1).padStart(7)}`);
}
const ocrRows = [...profile.entries].filter(([key]) => key.startsWith('ocr:'));
const ocrCalls = ocrRows.reduce((sum, [, e]) => sum + e.calls, 0);
const ocrMs = ocrRows.reduce((sum, [, e]) => sum + e.ms, 0);
console.log(`${'OCR, all purposes'.padEnd(28)} ${(ocrCalls / n).toFixed(1).padStart(5)} ${(ocrMs / n).toFixed(1).padStart(7)}   (worker time)`);
