/**
 * The Lua scripts of the Redis adapter: each change of a batch is one script, so it is atomic across every
 * process that shares the Redis. The state rules themselves stay in TypeScript (`state.ts`): a change is
 * computed there from the state read with its version, and the script writes it only when the version is
 * still the same (compare-and-set; on a conflict the caller reads again and retries).
 */
import type { Redis } from 'ioredis';

/** create: KEYS batch, stats, unfinished · ARGV state JSON, id, createdAt, total → 1, or 0 when it exists. */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'v', 1)
redis.call('HINCRBY', KEYS[2], 'batches', 1)
redis.call('HINCRBY', KEYS[2], 'images', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
return 1`;

/** setState: KEYS batch · ARGV expected version, state JSON → 1, 0 on a conflict, -1 when gone. */
const SET_STATE = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[2], 'v', tonumber(v) + 1)
return 1`;

/**
 * append: KEYS batch, log, ended, stats, unfinished, finished · ARGV expected version, state JSON, event
 * JSON, sequence, image index ('' unless a result or error), bytes, finishedAt ('' unless BatchComplete),
 * batch id, channel → 1 stored, 0 conflict, -1 batch gone, -2 the image already ended (dropped).
 */
const APPEND = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[1] then return 0 end
if ARGV[5] ~= '' and redis.call('SADD', KEYS[3], ARGV[5]) == 0 then return -2 end
redis.call('XADD', KEYS[2], ARGV[4] .. '-0', 'e', ARGV[3])
redis.call('HSET', KEYS[1], 's', ARGV[2], 'v', tonumber(v) + 1)
redis.call('HINCRBY', KEYS[4], 'logBytes', ARGV[6])
if ARGV[7] ~= '' then
  redis.call('ZREM', KEYS[5], ARGV[8])
  redis.call('ZADD', KEYS[6], ARGV[7], ARGV[8])
end
redis.call('PUBLISH', ARGV[9], ARGV[3])
return 1`;

/** delete: KEYS batch, log, ended, stats, unfinished, finished · ARGV id, channel → 1, or 0 when gone. */
const DELETE = `
local s = redis.call('HGET', KEYS[1], 's')
if not s then return 0 end
local state = cjson.decode(s)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HINCRBY', KEYS[4], 'batches', -1)
redis.call('HINCRBY', KEYS[4], 'images', string.format('%d', 0 - state.total))
redis.call('HINCRBY', KEYS[4], 'logBytes', string.format('%d', 0 - state.logBytes))
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
redis.call('PUBLISH', ARGV[2], 'deleted')
return 1`;

/** putBlob: KEYS blob, sizes, stats, batch's blob set · ARGV key, bytes, ttl ms → 1. */
const PUT_BLOB = `
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('HINCRBY', KEYS[3], 'blobBytes', -tonumber(old)) end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], string.len(ARGV[2]))
redis.call('HINCRBY', KEYS[3], 'blobBytes', string.len(ARGV[2]))
redis.call('SADD', KEYS[4], ARGV[1])
return 1`;

/** deleteBlob: KEYS blob, sizes, stats, batch's blob set · ARGV key → 1, or 0 when gone. */
const DELETE_BLOB = `
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], ARGV[1])
local old = redis.call('HGET', KEYS[2], ARGV[1])
if not old then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], 'blobBytes', -tonumber(old))
return 1`;

/** queueJob: KEYS queued jobs, stats, batch's job set · ARGV job id, bytes, index → counted once. */
const QUEUE_JOB = `
redis.call('SADD', KEYS[3], ARGV[3])
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('HINCRBY', KEYS[2], 'queuedBytes', ARGV[2]) end
return 1`;

/** takeJob: KEYS queued jobs, stats · ARGV job id → uncounts its bytes once (handed out or dropped). */
const TAKE_JOB = `
local b = redis.call('HGET', KEYS[1], ARGV[1])
if not b then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[2], 'queuedBytes', -tonumber(b))
return 1`;

/** The scripts as commands of a connection. */
export interface ScriptCommands {
  dlCreate(batch: string, stats: string, unfinished: string, state: string, id: string, createdAt: number, total: number): Promise<number>;
  dlSetState(batch: string, version: string, state: string): Promise<number>;
  dlAppend(...args: (string | number)[]): Promise<number>;
  dlDelete(batch: string, log: string, ended: string, stats: string, unfinished: string, finished: string, id: string, channel: string): Promise<number>;
  dlPutBlob(blob: string, sizes: string, stats: string, set: string, key: string, bytes: Buffer, ttlMs: number): Promise<number>;
  dlDeleteBlob(blob: string, sizes: string, stats: string, set: string, key: string): Promise<number>;
  dlQueueJob(queued: string, stats: string, jobs: string, jobId: string, bytes: number, index: number): Promise<number>;
  dlTakeJob(queued: string, stats: string, jobId: string): Promise<number>;
}

/** A connection with the scripts defined (EVALSHA, loaded on first use). */
export type ScriptedRedis = Redis & ScriptCommands;

/** Defines the adapter's scripts on a connection. */
export function defineScripts(redis: Redis): ScriptedRedis {
  redis.defineCommand('dlCreate', { numberOfKeys: 3, lua: CREATE });
  redis.defineCommand('dlSetState', { numberOfKeys: 1, lua: SET_STATE });
  redis.defineCommand('dlAppend', { numberOfKeys: 6, lua: APPEND });
  redis.defineCommand('dlDelete', { numberOfKeys: 6, lua: DELETE });
  redis.defineCommand('dlPutBlob', { numberOfKeys: 4, lua: PUT_BLOB });
  redis.defineCommand('dlDeleteBlob', { numberOfKeys: 4, lua: DELETE_BLOB });
  redis.defineCommand('dlQueueJob', { numberOfKeys: 3, lua: QUEUE_JOB });
  redis.defineCommand('dlTakeJob', { numberOfKeys: 2, lua: TAKE_JOB });
  return redis as ScriptedRedis;
}
