import { hostname } from 'node:os';
import type { ClusterMember, ClusterRegistry } from '../../ports.js';
import { unavailable } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { ScriptedRedis } from './scripts.js';

/** How often an instance says it is alive; it counts as gone after three missed beats. */
const HEARTBEAT_MS = 2_000;
const GONE_AFTER_MS = 3 * HEARTBEAT_MS;

/**
 * The instances of a deployment: each one writes a heartbeat (a sorted set by time, with what it runs in a
 * hash beside it), and `members` lists those heard from lately, so `health` on any API can say how many OCR
 * workers the whole cluster has.
 */
export class RedisClusterRegistry implements ClusterRegistry {
  private timer: NodeJS.Timeout | null = null;
  private member: ClusterMember | null = null;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: RedisKeys,
  ) {}

  async announce(member: Omit<ClusterMember, 'host' | 'pid' | 'id'> & { id: string }): Promise<void> {
    this.member = { ...member, host: hostname(), pid: process.pid };
    await this.beat();
    this.timer ??= setInterval(() => void this.beat().catch(() => undefined), HEARTBEAT_MS);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    if (!this.member) return;
    const now = Date.now();
    await unavailable(() =>
      this.redis.multi().zadd(this.keys.instances, now, this.member!.id).hset(this.keys.instanceInfo, this.member!.id, JSON.stringify(this.member)).exec(),
    );
  }

  async members(): Promise<ClusterMember[]> {
    const now = Date.now();
    const gone = await unavailable(() => this.redis.zrangebyscore(this.keys.instances, '-inf', now - GONE_AFTER_MS));
    if (gone.length > 0) {
      await unavailable(() =>
        this.redis
          .multi()
          .zrem(this.keys.instances, ...gone)
          .hdel(this.keys.instanceInfo, ...gone)
          .exec(),
      );
    }
    const live = await unavailable(() => this.redis.zrangebyscore(this.keys.instances, now - GONE_AFTER_MS, '+inf'));
    if (live.length === 0) return [];
    const infos = await unavailable(() => this.redis.hmget(this.keys.instanceInfo, ...live));
    return infos.flatMap((info) => (info ? [JSON.parse(info) as ClusterMember] : []));
  }

  async leave(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.member) return;
    const id = this.member.id;
    this.member = null;
    await this.redis
      .multi()
      .zrem(this.keys.instances, id)
      .hdel(this.keys.instanceInfo, id)
      .exec()
      .catch(() => undefined);
  }
}
