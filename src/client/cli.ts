/**
 * `decklist-ocr client [--url URL] [--api-key KEY] [--single-connection] [--json] <image>...` (or
 * `npm run -s client -- …`): uploads screenshots as one batch and prints the batch's events as they arrive
 * (graphql-sse), then each decklist in English; with --json, one JSON object per line (each event as the
 * API sends it). URL defaults to $DECKLIST_OCR_URL or http://localhost:4000/graphql; the key to
 * $DECKLIST_OCR_API_KEY (sent as `Authorization: Bearer <key>`). A file that cannot be read is reported
 * (READ_FAILED) and the others are still sent. Exit code 1 when a file was not read (failed or cancelled)
 * or the service refused the batch, 2 for a usage mistake.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isEntryPoint } from '../entry.js';
import { ServiceClient, ServiceError, type UploadFile } from './client.js';

const CLIENT_USAGE = 'usage: decklist-ocr client [--url URL] [--api-key KEY] [--single-connection] [--json] <image>...';

const TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };
/** Runs the command with its arguments (after `client`); resolves with the exit code. */
export async function runClient(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let url = env.DECKLIST_OCR_URL?.trim() || 'http://localhost:4000/graphql';
  let apiKey = env.DECKLIST_OCR_API_KEY?.trim() || null;
  let singleConnection = false;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError();
      return next;
    };
    try {
      if (arg === '--url') url = value();
      else if (arg === '--api-key') apiKey = value();
      else if (arg === '--single-connection') singleConnection = true;
      else if (arg === '--json') json = true;
      else if (arg.startsWith('--')) throw new UsageError();
      else files.push(arg);
    } catch {
      process.stderr.write(`${CLIENT_USAGE}\n`);
      return 2;
    }
  }
  if (files.length === 0) {
    process.stderr.write(`${CLIENT_USAGE}\n`);
    return 2;
  }

  let failed = 0;
  const uploads: UploadFile[] = [];
  for (const file of files) {
    try {
      uploads.push({
        name: path.basename(file),
        bytes: await readFile(file),
        type: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      });
    } catch (error) {
      failed++;
      const message = `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      if (json) console.log(JSON.stringify({ file, ok: false, error: { code: 'READ_FAILED', message } }));
      else console.error(`error READ_FAILED: ${message}`);
    }
  }
  if (uploads.length === 0) return 1;

  const client = new ServiceClient({ url, singleConnection, apiKey });
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
    return 1;
  } finally {
    client.dispose();
  }
  return failed > 0 ? 1 : 0;
}

class UsageError extends Error {}

if (isEntryPoint(import.meta.url)) process.exitCode = await runClient(process.argv.slice(2));
