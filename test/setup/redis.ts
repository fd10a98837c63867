/**
 * Vitest global setup: the Redis tests need a Redis at REDIS_URL (default redis://127.0.0.1:6379). Where
 * none answers there, start Debian's `redis-server` on a free loopback port, without persistence, for this
 * run, and point REDIS_URL at it (test workers and the services they start inherit it); it stops with the
 * run. Without a Redis and without `redis-server`, say so once: the Redis tests then fail on connecting.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../helpers/net.js';

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export default async function setup(): Promise<(() => void) | undefined> {
  const url = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  if (await answers(url)) {
    process.env.REDIS_URL = url;
    return undefined;
  }
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'decklist-test-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const failed = new Promise<boolean>((resolve) => child.once('error', () => resolve(true)));
  const own = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await Promise.race([failed, new Promise<boolean>((r) => setTimeout(() => r(false), 100))])) break;
    if (await answers(own)) {
      process.env.REDIS_URL = own;
      console.log(`no Redis answered at ${url}: the tests use their own redis-server on ${own}`);
      return () => {
        child.kill();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  }
  child.kill();
  rmSync(dir, { recursive: true, force: true });
  console.warn(`no Redis answers at ${url} and redis-server could not be started: the Redis tests will fail (install Debian's redis-server, or set REDIS_URL)`);
  return undefined;
}
