/**
 * The page estimator's thread: the same estimates as worked out in-thread (a screenshot needs nothing, a
 * tilted copy straightening, an unevenly lit one its light evened), no wait for a thread that is starting
 * or busy, and an answer even when the thread dies with a request in it.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { estimatePage } from '../../src/pipeline/decode/page-estimate.js';
import { PageEstimator } from '../../src/pipeline/decode/page-estimator.js';
import { loadFixtures } from '../../scripts/fixtures.js';
import { photoLike, rotated } from '../helpers/images.js';

const bytes = readFileSync(loadFixtures()[0]!.imagePath);
const decode = (b: Buffer) => decodeImage(b, { maxPixels: 50_000_000 });
const straight = await decode(bytes);
const tilted = await decode(await rotated(bytes, 3));
const uneven = await decode(await photoLike(bytes, { vignette: 0.7 }));

let estimator: PageEstimator | undefined;
const threadOf = (e: PageEstimator) => (e as unknown as { worker: { terminate(): Promise<number> } | null }).worker;
afterEach(async () => {
  await estimator?.close();
  estimator = undefined;
});

describe('PageEstimator', () => {
  it('answers on its thread what the estimate gives in-thread', async () => {
    estimator = PageEstimator.start();
    expect(await estimator.ready).toBe(true);
    const answers = [];
    for (const img of [straight, tilted, uneven]) answers.push(await estimator.estimate(img));
    const [a, b, c] = answers;
    expect(a).toEqual({ straightening: null, unevenLight: false });
    expect(b!.straightening?.angle).toBeCloseTo(3, 0);
    expect(b).toEqual(estimatePage(tilted));
    expect(c).toEqual({ straightening: null, unevenLight: true });
    expect(estimator.counts).toEqual({ onThread: 3, inThread: 0 });
  });

  it('never waits for the thread: before it is up, and while it is busy, the estimate is worked out here', async () => {
    estimator = PageEstimator.start();
    expect(await estimator.estimate(tilted)).toEqual(estimatePage(tilted)); // asked before the thread is up
    expect(estimator.counts).toEqual({ onThread: 0, inThread: 1 });
    await estimator.ready;
    const [a, b] = await Promise.all([estimator.estimate(uneven), estimator.estimate(straight)]);
    expect(a).toEqual({ straightening: null, unevenLight: true });
    expect(b).toEqual({ straightening: null, unevenLight: false });
    expect(estimator.counts).toEqual({ onThread: 1, inThread: 2 });
  });

  it('still answers a request it holds when it is closed, and afterwards in-thread', async () => {
    estimator = PageEstimator.start();
    await estimator.ready;
    const answer = estimator.estimate(tilted);
    await estimator.close();
    expect(await answer).toEqual(estimatePage(tilted));
    expect(await estimator.estimate(straight)).toEqual({ straightening: null, unevenLight: false });
    expect(estimator.counts).toEqual({ onThread: 0, inThread: 2 });
  });

  it('still answers when its thread dies with the request in it, and from then on in-thread', async () => {
    estimator = PageEstimator.start();
    await estimator.ready;
    const answer = estimator.estimate(tilted);
    await threadOf(estimator)!.terminate();
    expect(await answer).toEqual(estimatePage(tilted));
    expect(threadOf(estimator)).toBeNull();
    expect(await estimator.estimate(straight)).toEqual({ straightening: null, unevenLight: false });
    expect(estimator.counts).toEqual({ onThread: 0, inThread: 2 });
  });
});
