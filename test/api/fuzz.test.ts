/**
 * The fuzz campaign in CI: 400 generated malformed requests (fixed seed), sent as raw bytes over loopback
 * sockets to the real service in a child process (fake pipeline: the test is about the HTTP layer). The
 * same process must answer `health` after every 10 requests, every request must get a well-formed answer
 * (a typed JSON error or a valid result) or a closed socket within the bound, RSS and open descriptors
 * must stay bounded, and a normal batch must still work afterwards. `npm run fuzz` runs longer campaigns.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServiceClient } from '../../src/client/client.js';
import { runCampaign, startFuzzServer, type FuzzServer } from '../fuzz/campaign.js';
import { PNG } from '../fuzz/fake-pipeline.js';
import { collect } from './helpers.js';

const SEED = 20261201;
const COUNT = 400;

let server: FuzzServer;
beforeAll(async () => {
  server = await startFuzzServer();
});
afterAll(async () => {
  await server?.stop();
});

it(`answers ${COUNT} malformed requests (seed ${SEED}) without stopping, each with a typed error, a result or a closed socket`, {
  timeout: 60_000,
}, async () => {
  const pid = server.pid;
  const report = await runCampaign({ server, seed: SEED, count: COUNT, concurrency: 8, timeoutMs: 8_000, healthEvery: 10 });
  expect(report.failures, server.stderr.join('')).toEqual([]);
  expect(report.requests).toBe(COUNT);
  expect(report.healthChecks).toBe(COUNT / 10);
  expect(report.alive).toBe(true);
  expect(server.child.exitCode).toBeNull();
  expect(server.pid).toBe(pid);
  // Bounded: every answer within the bound, memory and descriptors back near where they started.
  expect(report.slowestMs).toBeLessThan(8_000);
  expect(report.peakRssKiB).toBeLessThan(400 * 1024);
  expect(report.after.fds).toBeLessThanOrEqual(report.before.fds + 4);
  // The campaign reached the multipart parser's refusals, the size and time limits and the request-line checks.
  for (const code of ['BAD_MULTIPART_REQUEST', 'BAD_REQUEST', 'TOO_MANY_FILES', 'REQUEST_TIMEOUT']) expect(report.codes[code] ?? 0, code).toBeGreaterThan(0);
  expect(report.statuses['200'] ?? 0).toBeGreaterThan(20);
});

it('still reads a normal batch after the campaign', async () => {
  const client = new ServiceClient({ url: server.url });
  try {
    const batch = await client.processBatch([
      { name: 'deck.png', bytes: Buffer.concat([PNG, Buffer.alloc(100)]), type: 'image/png' },
      { name: 'notes.png', bytes: Buffer.from('not an image'), type: 'image/png' },
    ]);
    const events = await collect(client.batchEvents(batch.id));
    expect(events.at(-1)).toMatchObject({ __typename: 'BatchComplete', total: 2, succeeded: 1, failed: 1 });
  } finally {
    client.dispose();
  }
});
