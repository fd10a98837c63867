/**
 * `npm run client -- [--url URL] [--single-connection] [--json] <image>...`: uploads screenshots as one
 * batch and prints the batch's events as they arrive (graphql-sse), then each decklist in English.
 * URL defaults to $DECKLIST_OCR_URL or http://localhost:4000/graphql. Exits non-zero when a file was not read
 * (failed or cancelled).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ServiceClient, ServiceError, type UploadFile } from './client.js';

function usage(): never {
  console.error('usage: npm run client -- [--url URL] [--single-connection] [--json] <image>...');
  process.exit(2);
}

const args = process.argv.slice(2);
let url = process.env.DECKLIST_OCR_URL ?? 'http://localhost:4000/graphql';
let singleConnection = false;
let json = false;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--url') url = args[++i] ?? usage();
  else if (arg === '--single-connection') singleConnection = true;
  else if (arg === '--json') json = true;
  else if (arg.startsWith('--')) usage();
  else files.push(arg);
}
if (files.length === 0) usage();

const TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };
const uploads: UploadFile[] = await Promise.all(
  files.map(async (file) => ({
    name: path.basename(file),
    bytes: await readFile(file),
    type: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
  })),
);

const client = new ServiceClient({ url, singleConnection });
let failed = 0;
try {
  const started = performance.now();
  const batch = await client.processBatch(uploads);
  const ms = () => `${String(Math.round(performance.now() - started)).padStart(6)} ms`;
  if (!json) console.log(`${ms()}  batch ${batch.id}: ${batch.total} file(s) accepted`);
  for await (const event of client.batchEvents(batch.id)) {
    if (json) {
      console.log(JSON.stringify(event));
      if (event.__typename === 'BatchError') failed++;
      continue;
    }
    switch (event.__typename) {
      case 'BatchProgress':
        console.log(`${ms()}  #${event.sequence} [${event.index}] ${event.filename}: ${event.stage} (${event.completed}/${event.total} done)`);
        break;
      case 'BatchResult': {
        const d = event.decklist;
        console.log(`${ms()}  #${event.sequence} [${event.index}] ${event.filename}: decklist${d.validation.valid ? '' : ' (with problems)'}`);
        console.log(`\n${d.text}`);
        if (d.chosenChampion) console.log(`Chosen champion: ${d.chosenChampion.nameEn} (${d.chosenChampion.code})`);
        if (d.deckCode) console.log(`Deck code: ${d.deckCode}`);
        for (const p of d.validation.problems) console.log(`Problem ${p.code}: ${p.message}`);
        for (const w of d.warnings) console.log(`Warning ${w.code}: ${w.message}`);
        console.log('');
        break;
      }
      case 'BatchError':
        failed++;
        console.log(`${ms()}  #${event.sequence} [${event.index}] ${event.filename}: error ${event.code}: ${event.message}`);
        break;
      case 'BatchComplete':
        console.log(
          `${ms()}  #${event.sequence} complete: ${event.succeeded} read, ${event.failed} failed, ${event.cancelled} cancelled of ${event.total} in ${event.durationMs} ms`,
        );
        break;
    }
  }
} catch (error) {
  if (error instanceof ServiceError) console.error(`error${error.code ? ` ${error.code}` : ''}: ${error.message}`);
  else console.error(`error: ${(error as Error).message} (is the service running at ${url}?)`);
  process.exitCode = 1;
} finally {
  client.dispose();
}
if (failed > 0) process.exitCode = 1;
