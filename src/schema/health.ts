import { builder } from './builder.js';

interface Health {
  status: 'OK' | 'SHUTTING_DOWN';
  cardsLoaded: number;
  workers: number;
  queueDepth: number;
  inFlight: number;
  batches: number;
  version: string;
}

const HealthStatusEnum = builder.enumType('HealthStatus', { values: ['OK', 'SHUTTING_DOWN'] as const });

const HealthRef = builder.objectRef<Health>('Health').implement({
  fields: (t) => ({
    status: t.expose('status', { type: HealthStatusEnum }),
    cardsLoaded: t.exposeInt('cardsLoaded', { description: 'Distinct cards in the database.' }),
    workers: t.exposeInt('workers', { description: 'OCR workers of the shared pool.' }),
    queueDepth: t.exposeInt('queueDepth', { description: 'Images waiting for the pipeline.' }),
    inFlight: t.exposeInt('inFlight', { description: 'Images in the pipeline now.' }),
    batches: t.exposeInt('batches', { description: 'Batches held in memory (running and retained).' }),
    version: t.exposeString('version'),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    resolve: (_root, _args, ctx): Health => ({
      status: ctx.runner.shuttingDown ? ('SHUTTING_DOWN' as const) : ('OK' as const),
      cardsLoaded: ctx.cards.cards.length,
      workers: ctx.workers,
      queueDepth: ctx.runner.queueDepth,
      inFlight: ctx.runner.inFlight,
      batches: ctx.runner.size,
      version: ctx.version,
    }),
  }),
);
