import { hostname } from 'node:os';
import { StoreUnavailableError, type ClusterMember } from '../batch/ports.js';
import { builder } from './builder.js';

interface StoreHealth {
  kind: string;
  durable: boolean;
  storedBytes: number;
  maxStoredBytes: number | null;
}

interface ClusterHealth {
  instances: ClusterMember[];
  ocrWorkers: number;
  readers: number;
}

interface Health {
  status: keyof typeof HEALTH_STATUSES;
  cardsLoaded: number;
  workers: number;
  queueDepth: number;
  inFlight: number;
  batches: number;
  store: StoreHealth;
  cluster: ClusterHealth;
  version: string;
}

const HEALTH_STATUSES = {
  OK: { description: 'Taking work.' },
  SHUTTING_DOWN: { description: 'Finishing the work in flight; new work is refused.' },
  STORE_UNAVAILABLE: { description: 'The batch store (Redis, the database) does not answer: the store figures here are 0, not measured.' },
} as const;

const HealthStatusEnum = builder.enumType('HealthStatus', { values: HEALTH_STATUSES });

const StoreHealthRef = builder.objectRef<StoreHealth>('StoreHealth').implement({
  description: 'Where batches live.',
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description: '`sqlite` (durable, in DATA_DIR), `memory` (lost with the process) or `redis` (shared by every process; REDIS_URL).',
    }),
    durable: t.exposeBoolean('durable', { description: 'True when accepted batches survive a crash or restart.' }),
    storedBytes: t.exposeFloat('storedBytes', { description: 'Bytes held: event logs and uploads waiting to be read.' }),
    maxStoredBytes: t.exposeFloat('maxStoredBytes', { nullable: true, description: 'MAX_STORED_BYTES: past it, new work gets SERVER_BUSY.' }),
  }),
});

const InstanceRef = builder.objectRef<ClusterMember>('Instance').implement({
  description: 'One process of the deployment, as it last announced itself.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'A random id per process start.' }),
    role: t.exposeString('role', { description: '`all` (GraphQL and OCR), `api` (GraphQL only) or `worker` (OCR only): its ROLE.' }),
    ocrWorkers: t.exposeInt('ocrWorkers', { description: 'Chinese OCR workers it runs (the pool that reads names; 0 for an API).' }),
    concurrency: t.exposeInt('concurrency', { description: 'Images it reads at once (0 for an API).' }),
    host: t.exposeString('host'),
    pid: t.exposeInt('pid'),
  }),
});

const ClusterHealthRef = builder.objectRef<ClusterHealth>('ClusterHealth').implement({
  description: 'Every process sharing the store: with Redis, all those heard from in the last few seconds; otherwise this one.',
  fields: (t) => ({
    instances: t.expose('instances', { type: [InstanceRef] }),
    ocrWorkers: t.exposeInt('ocrWorkers', { description: 'Chinese OCR workers across the processes that read images.' }),
    readers: t.exposeInt('readers', { description: 'Processes that read images (ROLE all or worker).' }),
  }),
});

function clusterHealth(members: ClusterMember[] | undefined, local: ClusterMember): ClusterHealth {
  const instances = members ?? [local];
  const readers = instances.filter((m) => m.role !== 'api');
  return { instances, ocrWorkers: readers.reduce((sum, m) => sum + m.ocrWorkers, 0), readers: readers.length };
}

const HealthRef = builder.objectRef<Health>('Health').implement({
  fields: (t) => ({
    status: t.expose('status', { type: HealthStatusEnum }),
    cardsLoaded: t.exposeInt('cardsLoaded', { description: 'Distinct cards in the database.' }),
    workers: t.exposeInt('workers', {
      description: 'Chinese OCR workers of this process (the pool that reads names; 0 for ROLE=api; see `cluster` for all processes).',
    }),
    queueDepth: t.exposeInt('queueDepth', { description: 'Images waiting for the pipeline (with Redis: in the shared queue, for every process).' }),
    inFlight: t.exposeInt('inFlight', { description: 'Images in the pipeline now.' }),
    batches: t.exposeInt('batches', { description: 'Batches held (running and retained).' }),
    store: t.field({ type: StoreHealthRef, resolve: (h) => h.store }),
    cluster: t.field({ type: ClusterHealthRef, resolve: (h) => h.cluster }),
    version: t.exposeString('version'),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    resolve: async (_root, _args, ctx): Promise<Health> => {
      const local: ClusterMember = {
        id: 'this',
        role: ctx.workers > 0 ? 'all' : 'api',
        ocrWorkers: ctx.workers,
        concurrency: ctx.runner.options.concurrency,
        host: hostname(),
        pid: process.pid,
      };
      let figures: { batches: number; storedBytes: number; cluster: ClusterMember[] | undefined } | null = null;
      try {
        figures = { batches: await ctx.runner.size(), storedBytes: await ctx.runner.storedBytes(), cluster: await ctx.runner.cluster() };
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
      }
      return {
        status: ctx.runner.shuttingDown ? 'SHUTTING_DOWN' : figures ? 'OK' : 'STORE_UNAVAILABLE',
        cardsLoaded: ctx.cards.cards.length,
        workers: ctx.workers,
        queueDepth: ctx.runner.queueDepth,
        inFlight: ctx.runner.inFlight,
        batches: figures?.batches ?? 0,
        store: {
          kind: ctx.runner.store.kind,
          durable: ctx.runner.store.durable,
          storedBytes: figures?.storedBytes ?? 0,
          maxStoredBytes: ctx.runner.options.maxStoredBytes ?? null,
        },
        cluster: clusterHealth(figures?.cluster, local),
        version: ctx.version,
      };
    },
  }),
);
