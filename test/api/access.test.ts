/**
 * Access: the optional API key (on queries, uploads and both graphql-sse modes), unguessable batch ids,
 * CORS closed by default, production mode (masked errors, no GraphiQL, no introspection). These are
 * about the HTTP layer: the pipeline is a fast fake with the real card database; HTTP, multipart and
 * graphql-sse are real.
 */
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceClient } from '../../src/client/client.js';
import { BatchEventsSubscription } from '../../src/client/operations.js';
import { CSRF_HEADER } from '../../src/client/transport.js';
import { DEFAULT_CARDS_PATH } from '../../src/pipeline/config.js';
import { loadCardDatabase, type CardDatabase } from '../../src/pipeline/cards/cards.js';
import { PIPELINE_STAGES } from '../../src/pipeline/types.js';
import type { Service, ServicePipeline } from '../../src/server/app.js';
import { serverConfigFromEnv, type ServerConfig } from '../../src/server/config.js';
import { rawMultipart, startService } from './helpers.js';
import { emptyDecklist } from '../fuzz/fake-pipeline.js';

const deck = emptyDecklist();

let cards: CardDatabase;
const services: Service[] = [];
beforeAll(async () => {
  cards = await loadCardDatabase(DEFAULT_CARDS_PATH);
});
afterAll(async () => {
  for (const s of services) await s.close();
});

function fakePipeline(cardsOverride?: CardDatabase): ServicePipeline {
  return {
    cards: cardsOverride ?? cards,
    workers: 1,
    async process(_bytes, options = {}) {
      for (const stage of PIPELINE_STAGES) options.onStage?.(stage);
      return deck;
    },
  };
}

async function start(config: Partial<ServerConfig>, pipeline = fakePipeline()) {
  const { service, url } = await startService(pipeline, config);
  services.push(service);
  return { service, url };
}

const png = { name: 'a.png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]), type: 'image/png' };

async function query(url: string, text: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query: text }),
  });
  const raw = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: the tests read whatever shape the server answered
  return { status: response.status, headers: response.headers, raw, body: JSON.parse(raw) as { data?: any; errors?: any[] } };
}

describe('API key', () => {
  const KEY = 'k3y-with-enough-entropy-0123456789';
  const auth = { authorization: `Bearer ${KEY}` };
  let url: string;
  beforeAll(async () => {
    ({ url } = await start({ apiKey: KEY }));
  });

  it('answers 401 with a GraphQL-shaped error without the key or with a wrong one', async () => {
    const missing = await query(url, '{ health { status } }');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body.errors?.[0]).toMatchObject({
      message: 'an API key is required: send the header Authorization: Bearer <key>',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    for (const header of [`Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, 'Bearer ', KEY, `Basic ${KEY}`]) {
      const wrong = await query(url, '{ health { status } }', { authorization: header });
      expect(wrong.status, header).toBe(401);
      expect(wrong.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves queries and uploads with the key, refuses uploads without it (before CSRF or parsing)', async () => {
    expect((await query(url, '{ health { status } }', auth)).body.data.health.status).toBe('OK');
    const refused = await rawMultipart(url, [png], {});
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const accepted = await rawMultipart(url, [png], { [CSRF_HEADER]: '1', ...auth });
    expect(accepted.status).toBe(200);
    expect((accepted.body.data as { processBatch: { total: number } }).processBatch.total).toBe(1);
  });

  it('guards the graphql-sse stream in both modes', async () => {
    const accepted = await rawMultipart(url, [png], { [CSRF_HEADER]: '1', ...auth });
    const batchId = (accepted.body.data as { processBatch: { id: string } }).processBatch.id;
    for (const singleConnection of [false, true]) {
      const subscribe = async (headers: Record<string, string>) => {
        const sse = createClient({ url: `${url}/stream`, singleConnection, retryAttempts: 0, headers });
        try {
          const seen: string[] = [];
          for await (const result of sse.iterate<{ batchEvents: { __typename: string } }>({
            query: BatchEventsSubscription.toString(),
            variables: { batchId },
          })) {
            seen.push(result.data?.batchEvents.__typename ?? 'none');
          }
          return seen;
        } finally {
          sse.dispose();
        }
      };
      const events = await subscribe(auth);
      expect(events.at(-1), `singleConnection ${singleConnection}`).toBe('BatchComplete');
      const error = await subscribe({}).catch((e: unknown) => e);
      expect(error, `singleConnection ${singleConnection}`).toBeInstanceOf(Error);
      expect(String((error as Error).message ?? error)).toMatch(/401|Unauthorized|API key/i);
    }
  });

  it('the typed client sends the key (apiKey) on uploads, queries and streams, twice in a row in both modes', async () => {
    for (const singleConnection of [false, true]) {
      const client = new ServiceClient({ url, singleConnection, apiKey: KEY });
      try {
        for (let round = 0; round < 2; round++) {
          const batch = await client.processBatch([{ name: 'a.png', bytes: png.bytes, type: 'image/png' }]);
          const events = [];
          for await (const event of client.batchEvents(batch.id)) events.push(event);
          expect(events.at(-1), `singleConnection ${singleConnection}, round ${round}`).toMatchObject({ __typename: 'BatchComplete', succeeded: 1 });
        }
      } finally {
        client.dispose();
      }
    }
    const keyless = new ServiceClient({ url });
    const refused = await keyless.processBatch([{ name: 'a.png', bytes: png.bytes, type: 'image/png' }]).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('UNAUTHENTICATED');
  });

  it('leaves CORS preflights and GET /health open', async () => {
    const health = await fetch(url.replace(/\/graphql$/, '/health'));
    expect(health.status).toBe(200);
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'http://x.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).not.toBe(401);
  });
});

describe('batch ids', () => {
  it('are random v4 UUIDs (122 random bits from crypto.randomUUID), never sequential', async () => {
    const { url } = await start({});
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { body } = await rawMultipart(url, [png]);
      ids.push((body.data as { processBatch: { id: string } }).processBatch.id);
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // No two ids share a long prefix, as counters or timestamps would.
    const prefixes = new Set(ids.map((id) => id.slice(0, 6)));
    expect(prefixes.size).toBeGreaterThan(17);
  });
});

describe('CORS by default', () => {
  it('sends no CORS headers to any origin: browsers allow same-origin only', async () => {
    const { url } = await start({ corsOrigins: serverConfigFromEnv({}).corsOrigins });
    expect(serverConfigFromEnv({}).corsOrigins).toEqual([]);
    for (const path of ['/graphql', '/graphql/stream']) {
      const preflight = await fetch(url.replace(/\/graphql$/, path), {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
      });
      await preflight.arrayBuffer();
      expect(preflight.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const result = await query(url, '{ health { status } }', { origin: 'http://evil.example' });
    expect(result.headers.get('access-control-allow-origin')).toBeNull();
    expect(result.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('production mode', () => {
  /** A card database whose list throws an internal error (with a detail that must not leak). */
  const brokenCards = () =>
    new Proxy({} as CardDatabase, {
      get(_target, prop) {
        if (prop === 'cards') throw new Error('internal detail: /srv/secret/cards.csv is locked');
        return Reflect.get(cards, prop);
      },
    });

  it('NODE_ENV=production turns GraphiQL and introspection off by default; the flags turn them back on', () => {
    const prod = serverConfigFromEnv({ NODE_ENV: 'production' });
    expect(prod).toMatchObject({ production: true, graphiql: false, introspection: false });
    expect(serverConfigFromEnv({})).toMatchObject({ production: false, graphiql: true, introspection: true });
    expect(serverConfigFromEnv({ NODE_ENV: 'production', GRAPHIQL: 'true', INTROSPECTION: 'true' })).toMatchObject({
      graphiql: true,
      introspection: true,
    });
    expect(serverConfigFromEnv({ API_KEY: ' abc ' }).apiKey).toBe('abc');
  });

  it('masks internal errors, serves no GraphiQL, refuses introspection and hides field suggestions', async () => {
    const { url } = await start(serverConfigFromEnv({ NODE_ENV: 'production' }), fakePipeline(brokenCards()));
    const broken = await query(url, '{ health { status cardsLoaded } }');
    expect(broken.body.errors?.[0]?.message).toBe('Unexpected error.');
    expect(broken.raw).not.toMatch(/secret|locked|stack/);

    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);

    const introspection = await query(url, '{ __schema { types { name } } }');
    expect(introspection.body.data ?? null).toBeNull();
    expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);

    const typo = await query(url, '{ helth { status } }');
    expect(typo.body.errors?.[0]?.message).toMatch(/Cannot query field "helth"/);
    expect(typo.raw).not.toMatch(/Did you mean/);
  });

  it('outside production the same error carries its detail, GraphiQL and introspection are on', async () => {
    const { url } = await start({}, fakePipeline(brokenCards()));
    const broken = await query(url, '{ health { status cardsLoaded } }');
    expect(broken.body.errors?.[0]?.message).toBe('Unexpected error.');
    expect(broken.raw).toMatch(/secret\/cards\.csv is locked/);
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/graphiql/i);
    const introspection = await query(url, '{ __schema { queryType { name } } }');
    expect(introspection.body.data.__schema.queryType.name).toBe('Query');
    const typo = await query(url, '{ helth { status } }');
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "health"/);
  });
});

describe('the typed client still works against a keyless default server', () => {
  it('uploads and streams', async () => {
    const { url } = await start({});
    const client = new ServiceClient({ url });
    try {
      const batch = await client.processBatch([png]);
      const seen: string[] = [];
      for await (const event of client.batchEvents(batch.id)) seen.push(event.__typename);
      expect(seen.at(-1)).toBe('BatchComplete');
    } finally {
      client.dispose();
    }
  });
});
