/**
 * The thread of a {@link import('./page-estimator.js').PageEstimator}: works out {@link estimatePage} for
 * each raster it is sent (its pixels in shared memory, not copied again) and answers with the estimate.
 */
import { parentPort } from 'node:worker_threads';
import { estimatePage } from './page-estimate.js';
import type { EstimateAnswer, EstimateRequest } from './page-estimator.js';

const port = parentPort;
if (!port) throw new Error('page-estimator-worker runs as a worker thread');
port.on('message', ({ id, pixels, length, ...raster }: EstimateRequest) => {
  let answer: EstimateAnswer;
  try {
    answer = { id, estimate: estimatePage({ ...raster, data: Buffer.from(pixels, 0, length) }) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(answer);
});
port.postMessage({ ready: true } satisfies EstimateAnswer);
