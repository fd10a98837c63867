import { builder } from './builder.js';

interface StoreHealth {
  kind: string;
  durable: boolean;
  storedBytes: number;
  maxStoredBytes: number | null;
}

interface Health {
  status: 'OK' | 'SHUTTING_DOWN';
  cardsLoaded: number;
  workers: number;
  queueDepth: number;
  inFlight: number;
  batches: number;
  store: StoreHealth;
  version: string;
}

const HealthStatusEnum = builder.enumType('HealthStatus', { values: ['OK', 'SHUTTING_DOWN'] as const });

const StoreHealthRef = builder.objectRef<StoreHealth>('StoreHealth').implement({
  description: 'Where batches live.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: '`sqlite` (durable, in DATA_DIR) or `memory` (lost with the process): the STORE setting.' }),
    durable: t.exposeBoolean('durable', { description: 'True when accepted batches survive a crash or restart.' }),
    storedBytes: t.exposeFloat('storedBytes', { description: 'Bytes held: event logs and uploads waiting to be read.' }),
    maxStoredBytes: t.exposeFloat('maxStoredBytes', { nullable: true, description: 'MAX_STORED_BYTES: past it, new work gets SERVER_BUSY.' }),
  }),
});

const HealthRef = builder.objectRef<Health>('Health').implement({
  fields: (t) => ({
    status: t.expose('status', { type: HealthStatusEnum }),
    cardsLoaded: t.exposeInt('cardsLoaded', { description: 'Distinct cards in the database.' }),
    workers: t.exposeInt('workers', { description: 'OCR workers of the shared pool.' }),
    queueDepth: t.exposeInt('queueDepth', { description: 'Images waiting for the pipeline.' }),
    inFlight: t.exposeInt('inFlight', { description: 'Images in the pipeline now.' }),
    batches: t.exposeInt('batches', { description: 'Batches held (running and retained).' }),
    store: t.field({ type: StoreHealthRef, resolve: (h) => h.store }),
    version: t.exposeString('version'),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    resolve: async (_root, _args, ctx): Promise<Health> => ({
      status: ctx.runner.shuttingDown ? ('SHUTTING_DOWN' as const) : ('OK' as const),
      cardsLoaded: ctx.cards.cards.length,
      workers: ctx.workers,
      queueDepth: ctx.runner.queueDepth,
      inFlight: ctx.runner.inFlight,
      batches: await ctx.runner.size(),
      store: {
        kind: ctx.runner.store.kind,
        durable: ctx.runner.store.durable,
        storedBytes: await ctx.runner.storedBytes(),
        maxStoredBytes: ctx.runner.options.maxStoredBytes ?? null,
      },
      version: ctx.version,
    }),
  }),
);
