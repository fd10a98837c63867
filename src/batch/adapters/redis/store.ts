/**
 * The batch store on Redis: each batch a hash (state JSON and version), its event log a Redis Stream whose
 * entry IDs are the sequence numbers (`XRANGE` replays from any `after`), changes as Lua scripts
 * (compare-and-set on the version, see `scripts.ts`). Live events reach followers in every process by
 * pub/sub on the batch's channel (one subscriber connection per process, whatever the number of followers),
 * and a follower fills any gap from the stream, so a message lost while Redis reconnects costs nothing.
 */
import { Repeater } from '@repeaterjs/repeater';
import type { Redis } from 'ioredis';
import type { BatchEvent, NewBatchEvent } from '../../events.js';
import type { BatchStore, StoreStats } from '../../ports.js';
import { applyEvent, cancelState, initialState, stampEvent, type BatchState } from '../../state.js';
import type { RedisKeys } from './keys.js';
import { unavailable } from './connection.js';
import type { ScriptedRedis } from './scripts.js';

/** How often a follower also reads the stream itself (pub/sub is the fast path; this is the safety net). */
const FOLLOW_POLL_MS = 1_000;
/** Tries of a compare-and-set change before giving up (each conflict means another process changed the batch). */
const MAX_TRIES = 100;

interface Listener {
  deliver(event: BatchEvent | 'deleted'): void;
  end(): void;
}

const sizeOf = (json: string) => Buffer.byteLength(json);

export class RedisBatchStore implements BatchStore {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly redis: ScriptedRedis,
    /** A connection in subscriber mode (pub/sub only). */
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      const batchId = channel.slice(this.keys.channel('').length);
      const set = this.listeners.get(batchId);
      if (!set) return;
      let payload: BatchEvent | 'deleted';
      try {
        payload = message === 'deleted' ? 'deleted' : (JSON.parse(message) as BatchEvent);
      } catch {
        return;
      }
      for (const listener of [...set]) listener.deliver(payload);
    });
  }

  private async read(id: string): Promise<{ state: BatchState; version: string } | undefined> {
    const [s, v] = await unavailable(() => this.redis.hmget(this.keys.batch(id), 's', 'v'));
    return s && v ? { state: JSON.parse(s) as BatchState, version: v } : undefined;
  }

  /** Applies `change` to the stored state with compare-and-set; undefined when the batch is gone. */
  private async change(id: string, change: (state: BatchState) => BatchState): Promise<BatchState | undefined> {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const current = await this.read(id);
      if (!current) return undefined;
      const next = change(current.state);
      const done = await unavailable(() => this.redis.dlSetState(this.keys.batch(id), current.version, JSON.stringify(next)));
      if (done === 1) return next;
      if (done === -1) return undefined;
    }
    throw new Error(`batch ${id} changed ${MAX_TRIES} times under one update`);
  }

  async create(id: string, total: number, now: number): Promise<BatchState> {
    const state = initialState(id, total, now);
    const made = await unavailable(() =>
      this.redis.dlCreate(this.keys.batch(id), this.keys.stats, this.keys.unfinished, JSON.stringify(state), id, now, total),
    );
    if (made !== 1) throw new Error(`batch ${id} exists`);
    return state;
  }

  async accept(id: string): Promise<void> {
    await this.change(id, (state) => ({ ...state, accepted: true }));
  }

  async get(id: string): Promise<BatchState | undefined> {
    return (await this.read(id))?.state;
  }

  async append(batchId: string, event: NewBatchEvent): Promise<BatchEvent | null> {
    const k = this.keys;
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const current = await this.read(batchId);
      if (!current || current.state.finishedAt !== null) return null;
      const stored = stampEvent(current.state, event);
      const json = JSON.stringify(stored);
      const now = Date.now();
      const next = applyEvent(current.state, stored, now, sizeOf(json));
      const index = stored.kind === 'result' || stored.kind === 'error' ? String(stored.index) : '';
      const result = await unavailable(() =>
        this.redis.dlAppend(
          k.batch(batchId),
          k.log(batchId),
          k.ended(batchId),
          k.stats,
          k.unfinished,
          k.finished,
          current.version,
          JSON.stringify(next),
          json,
          stored.sequence,
          index,
          sizeOf(json),
          next.finishedAt === null ? '' : String(next.finishedAt),
          batchId,
          k.channel(batchId),
        ),
      );
      if (result === 1) return stored;
      if (result === -1 || result === -2) return null; // gone, or the image already has its result (first wins)
    }
    throw new Error(`batch ${batchId} changed ${MAX_TRIES} times under one append`);
  }

  async events(batchId: string, after = 0): Promise<BatchEvent[]> {
    const entries = await unavailable(() => this.redis.xrange(this.keys.log(batchId), after > 0 ? `(${after}-0` : '-', '+'));
    return entries.map(([, fields]) => JSON.parse(fields[1]!) as BatchEvent);
  }

  async follow(batchId: string, after = 0): Promise<AsyncIterableIterator<BatchEvent> | undefined> {
    const state = await this.get(batchId);
    if (!state) return undefined;
    const finished = state.finishedAt !== null;
    return new Repeater<BatchEvent>(async (push, stop) => {
      let last = after;
      let ended = false;
      const finish = () => {
        ended = true;
        stop();
      };
      // Every delivery goes through one chain, so events are pushed in order, each once.
      let chain: Promise<void> = Promise.resolve();
      const emit = async (event: BatchEvent) => {
        if (event.sequence <= last) return;
        last = event.sequence;
        await push(event);
        if (event.kind === 'complete') finish();
      };
      /** Reads the stream after the last event pushed (runs only inside the chain). */
      const fill = async () => {
        if (ended) return;
        for (const event of await this.events(batchId, last)) await emit(event);
      };
      const catchUp = () => {
        chain = chain.then(fill).catch(() => undefined); // Redis away: the next poll tries again
        return chain;
      };
      const listener: Listener = {
        deliver: (payload) => {
          if (payload === 'deleted') {
            chain = chain.then(finish);
            return;
          }
          chain = chain
            .then(() => {
              if (ended) return;
              if (payload.sequence === last + 1) return emit(payload);
              if (payload.sequence > last + 1) return fill(); // a message was missed: the stream has it
            })
            .catch(() => undefined);
        },
        end: finish,
      };
      if (!finished) await this.listen(batchId, listener).catch(() => undefined);
      await catchUp();
      if (finished) {
        finish();
        return;
      }
      const poll = setInterval(() => {
        void catchUp().then(async () => {
          if (!ended && !(await this.get(batchId).catch(() => state))) finish();
        });
      }, FOLLOW_POLL_MS);
      await stop;
      ended = true;
      clearInterval(poll);
      await this.unlisten(batchId, listener).catch(() => undefined);
    });
  }

  private async listen(batchId: string, listener: Listener): Promise<void> {
    let set = this.listeners.get(batchId);
    if (!set) {
      set = new Set();
      this.listeners.set(batchId, set);
      set.add(listener);
      await this.subscriber.subscribe(this.keys.channel(batchId));
    } else set.add(listener);
  }

  private async unlisten(batchId: string, listener: Listener): Promise<void> {
    const set = this.listeners.get(batchId);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) {
      this.listeners.delete(batchId);
      await this.subscriber.unsubscribe(this.keys.channel(batchId));
    }
  }

  async subscribers(batchId: string): Promise<number> {
    return this.listeners.get(batchId)?.size ?? 0;
  }

  async cancel(batchId: string): Promise<BatchState | undefined> {
    return this.change(batchId, cancelState);
  }

  private async states(ids: string[]): Promise<BatchState[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.batch(id), 's');
    const replies = (await unavailable(() => pipeline.exec())) ?? [];
    return replies.flatMap(([, s]) => (typeof s === 'string' ? [JSON.parse(s) as BatchState] : []));
  }

  async unfinished(): Promise<BatchState[]> {
    const ids = await unavailable(() => this.redis.zrange(this.keys.unfinished, 0, -1));
    return (await this.states(ids)).filter((s) => s.finishedAt === null);
  }

  async finished(before = Number.POSITIVE_INFINITY): Promise<BatchState[]> {
    const max = Number.isFinite(before) ? String(before) : '+inf';
    const ids = await unavailable(() => this.redis.zrangebyscore(this.keys.finished, '-inf', max));
    return this.states(ids);
  }

  async delete(batchId: string): Promise<void> {
    const k = this.keys;
    await unavailable(() =>
      this.redis.dlDelete(k.batch(batchId), k.log(batchId), k.ended(batchId), k.stats, k.unfinished, k.finished, batchId, k.channel(batchId)),
    );
    for (const listener of [...(this.listeners.get(batchId) ?? [])]) listener.end();
  }

  async stats(): Promise<StoreStats> {
    const [batches, images, logBytes] = await unavailable(() => this.redis.hmget(this.keys.stats, 'batches', 'images', 'logBytes'));
    return { batches: Number(batches ?? 0), images: Number(images ?? 0), storedBytes: Number(logBytes ?? 0) };
  }

  endStreams(): void {
    for (const set of this.listeners.values()) for (const listener of [...set]) listener.end();
  }

  async close(): Promise<void> {
    this.endStreams();
  }
}
