/**
 * `npm run bench:tilt`: what straightening costs and what it buys, over the labelled screenshots.
 *  - on straight screenshots, the time the page estimates take (palette, tilt, shear and keystone, light;
 *    nothing resampled), median over fixtures × rounds, and what a read waits for them now that they run
 *    on the estimator's thread beside the layout, next to the warm time of a whole straight read;
 *  - the card score (scripts/score.ts) and header fields right per rotation angle (canvas grown, corners
 *    filled white or black alternately), and per variant family: sheared, keystoned, moiré, photo-like.
 * TILT_ANGLES="-8,-3,2" picks the angles.
 */
import { readFileSync } from 'node:fs';
import { decodeImage } from '../src/pipeline/decode/decode.js';
import { createPipeline } from '../src/pipeline/pipeline.js';
import { estimatePage } from '../src/pipeline/decode/page-estimate.js';
import { PipelineProfile } from '../src/pipeline/profile.js';
import { median } from './baseline.js';
import { loadFixtures } from './fixtures.js';
import { scoreDecklist } from './score.js';
import { keystoned, moire, photoLike, rotated, sheared } from '../test/helpers/images.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ANGLES = (process.env.TILT_ANGLES ?? '0,0.5,-1,1,-2,2,-3,3,-5,5,-8,8,-10,10').split(',').map(Number);
const fixtures = loadFixtures();
const images = fixtures.map((f) => readFileSync(f.imagePath));
const MAX_PIXELS = 50_000_000;

// 1. Time on straight screenshots: the page estimates (whether to straighten, whether the light is even) as
// worked out on the decoded raster, and what a read waits for them now that they run on the estimator's
// thread beside the layout (the profile's row for it).
const estimates: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const bytes of images) {
    const img = await decodeImage(bytes, { maxPixels: MAX_PIXELS });
    const t = performance.now();
    const estimate = estimatePage(img);
    estimates.push(performance.now() - t);
    if (estimate.straightening || estimate.unevenLight) throw new Error('a straight, evenly lit fixture was to be resampled');
  }
}

// Caches off: the warm-up read would answer the first screenshot again from memory.
const pipeline = await createPipeline({ workers: 2, resultCacheEntries: 0, cropCacheEntries: 0 });
await pipeline.process(images[0]!);
const whole: number[] = [];
const profile = new PipelineProfile();
for (const bytes of images) {
  const t = performance.now();
  await pipeline.process(bytes, { profile });
  whole.push(performance.now() - t);
}
const waited = [...profile.entries].find(([key]) => key.startsWith('straighten + even light estimates'))?.[1];
console.log(
  `straight screenshots: the page estimates take ${median(estimates).toFixed(1)} ms (median of ${estimates.length}, ` +
    `max ${Math.max(...estimates).toFixed(1)} ms), on the estimator's thread beside the layout; a ${median(whole).toFixed(0)} ms read ` +
    `waits ${waited ? (waited.ms / waited.calls).toFixed(1) : '?'} ms for them after its layout (mean of ${waited?.calls ?? 0})`,
);

async function family(name: string, make: (bytes: Buffer, i: number) => Promise<Buffer>) {
  let cards = 0;
  let meta = 0;
  const times: number[] = [];
  const misses: string[] = [];
  for (const [i, f] of fixtures.entries()) {
    const bytes = await make(images[i]!, i);
    const t = performance.now();
    try {
      const deck = await pipeline.process(bytes);
      const s = scoreDecklist(deck, f.label);
      cards += s.cards;
      meta += s.metadata;
      misses.push(...s.diffs.map((d) => `${f.name.slice(11, 26)} ${d}`));
    } catch (error) {
      misses.push(`${f.name.slice(11, 26)} ${(error as Error).message}`);
    }
    times.push(performance.now() - t);
  }
  const n = fixtures.length;
  console.log(
    `${name.padEnd(28)} cards ${((100 * cards) / n).toFixed(1).padStart(5)} %  metadata ${((100 * meta) / n).toFixed(1).padStart(5)} %  ` +
      `median ${median(times).toFixed(0)} ms${misses.length ? `\n    ${misses.join('\n    ')}` : ''}`,
  );
}

for (const deg of ANGLES) {
  await family(`rotated ${deg}°`, (b, i) => (deg === 0 ? Promise.resolve(b) : rotated(b, deg, { fill: i % 2 ? '#000000' : '#ffffff' })));
}
if (process.env.TILT_FAMILIES !== '0') {
  for (const shear of [-0.03, 0.05]) await family(`sheared ${shear}`, (b) => sheared(b, shear));
  for (const k of [0.05, -0.05, 0.08]) await family(`keystone ${k}`, (b) => keystoned(b, k));
  await family('keystone 0.05 + 3°, moiré', async (b) => rotated(await moire(await keystoned(b, 0.05), 0.08), 3, { fill: '#1a1410' }));
  for (const [strength, period] of [
    [0.08, 7],
    [0.15, 5],
  ] as const)
    await family(`moiré ${strength} / ${period} px`, (b) => moire(b, strength, period));
  const photos: [string, Parameters<typeof photoLike>[1]][] = [
    ['photo 800 px blur 1 JPEG 50', { width: 800, blur: 1, quality: 50 }],
    ['photo darker 25 %', { brightness: 0.75, quality: 70 }],
    ['photo brighter 25 %', { brightness: 1.25, quality: 70 }],
    ['photo washed out', { saturation: 0.6, quality: 70 }],
    ['photo uneven light', { vignette: 0.7, quality: 70 }],
    ['photo lamp spot, 60 % far', { vignette: 0.6, lamp: 'spot', quality: 70 }],
    ['photo uneven, washed, 800 px', { vignette: 0.7, saturation: 0.7, width: 800, blur: 0.8, quality: 60 }],
    ['photo uneven and darker', { vignette: 0.7, brightness: 0.8, quality: 70 }],
    ['photo dark border', { border: 60, quality: 70 }],
    ['photo all + 3° in a border', { width: 800, blur: 1, brightness: 0.85, saturation: 0.8, vignette: 0.8, border: 50, rotate: 3, quality: 50 }],
  ];
  for (const [name, o] of photos) await family(name, (b) => photoLike(b, o));
}
await pipeline.close();
