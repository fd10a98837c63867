import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { loadFixtures, type Fixture } from '../../scripts/fixtures.js';
import type { BatchBackend } from '../../src/batch/ports.js';
import type { BatchEvent } from '../../src/client/client.js';
import type { DecklistFieldsFragment } from '../../src/client/gql/graphql.js';
import { CSRF_HEADER } from '../../src/client/transport.js';
import { createService, type Service, type ServicePipeline } from '../../src/server/app.js';
import { serverConfigFromEnv, type ServerConfig } from '../../src/server/config.js';
import { SECTION_KINDS } from '../../src/pipeline/types.js';

export const fixtures: Fixture[] = loadFixtures();

export function fixtureFile(fixture: Fixture) {
  return { name: path.basename(fixture.imagePath), bytes: readFileSync(fixture.imagePath), type: 'image/jpeg' };
}

/** A service on an ephemeral port with the embedded defaults, overridden for the test. */
export async function startService(
  pipeline: ServicePipeline,
  overrides: Partial<ServerConfig> = {},
  /** Where batches live (default: the memory store, fast). */
  backend?: BatchBackend,
): Promise<{ service: Service; url: string }> {
  const config: ServerConfig = { ...serverConfigFromEnv({}), host: '127.0.0.1', port: 0, ...overrides };
  const service = createService({ pipeline, config, backend });
  const url = await service.listen();
  return { service, url };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Per section: `nameCn ×quantity` of the true deck (tiles of one card added up), in display order. */
export function expectedCards(label: Fixture['label']): Record<string, string[]> {
  return Object.fromEntries(
    SECTION_KINDS.map((s) => {
      const sums = new Map<string, number>();
      for (const e of label.sections[s]) sums.set(e.nameCn, (sums.get(e.nameCn) ?? 0) + e.quantity);
      return [s, [...sums].map(([name, q]) => `${name} ×${q}`)];
    }),
  );
}

export function actualCards(deck: DecklistFieldsFragment): Record<string, string[]> {
  return Object.fromEntries(SECTION_KINDS.map((s) => [s, deck[s].map((e) => `${e.card?.nameCn ?? `UNMATCHED ${e.nameCn}`} ×${e.quantity}`)]));
}

export function expectDecklist(deck: DecklistFieldsFragment, fixture: Fixture): void {
  expect(actualCards(deck)).toEqual(expectedCards(fixture.label));
  expect(deck.metadata.date).toBe(fixture.label.metadata.date);
  expect(deck.metadata.placement).toBe(fixture.label.metadata.placement);
}

/** Sequence numbers must be 1, 2, 3… with one BatchComplete at the end. */
export function expectWellFormed(events: BatchEvent[], batchId: string): void {
  expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
  expect(events.every((e) => e.batchId === batchId)).toBe(true);
  expect(events.filter((e) => e.__typename === 'BatchComplete')).toHaveLength(1);
  expect(events.at(-1)?.__typename).toBe('BatchComplete');
}

/** A raw multipart POST (for the error cases a well-behaved client never sends). */
export async function rawMultipart(
  url: string,
  files: { name: string; bytes: Uint8Array; type: string }[],
  headers: Record<string, string> = { [CSRF_HEADER]: '1' },
): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({ query: 'mutation ($f: [Upload!]!) { processBatch(files: $f) { id total } }', variables: { f: files.map(() => null) } }),
  );
  form.set('map', JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.f.${i}`]]))));
  files.forEach((f, i) => form.set(String(i), new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type }), f.name));
  const response = await fetch(url, { method: 'POST', headers, body: form });
  return { status: response.status, body: (await response.json()) as never };
}
