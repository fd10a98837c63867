/**
 * `npm run ocr -- [--json] <image>...`: reads decklist screenshots and prints each decklist in English,
 * or (with --json) one JSON array with one element per input, in input order. Exits non-zero if any
 * image failed; a failed image never stops the others.
 */
import { readFile } from 'node:fs/promises';
import { isPipelineError } from '../pipeline/errors.js';
import { formatDecklistText } from '../pipeline/format.js';
import { createPipeline } from '../pipeline/pipeline.js';
import type { Decklist } from '../pipeline/types.js';

export type CliResult =
  | { file: string; ok: true; decklist: Decklist }
  | { file: string; ok: false; error: { code: string; message: string } };

function usage(): never {
  console.error('usage: npm run ocr -- [--json] <image>...');
  process.exit(2);
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const files = args.filter((a) => a !== '--json');
if (files.length === 0 || files.some((f) => f.startsWith('--'))) usage();

const pipeline = await createPipeline();
const results: CliResult[] = [];
try {
  // Every image is queued at once: the worker pool keeps both cores busy across images.
  const settled = await Promise.all(
    files.map(async (file): Promise<CliResult> => {
      try {
        const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw Object.assign(new Error(`cannot read ${file}: ${error.code ?? error.message}`), { code: 'READ_FAILED' });
        });
        return { file, ok: true, decklist: await pipeline.process(bytes) };
      } catch (error) {
        const code = isPipelineError(error) ? error.code : ((error as { code?: string }).code ?? 'INTERNAL');
        return { file, ok: false, error: { code, message: (error as Error).message } };
      }
    }),
  );
  results.push(...settled);
} finally {
  await pipeline.close();
}

if (json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  for (const r of results) {
    process.stdout.write(`== ${r.file}\n`);
    if (!r.ok) {
      process.stdout.write(`error ${r.error.code}: ${r.error.message}\n\n`);
      continue;
    }
    process.stdout.write(formatDecklistText(r.decklist));
    const champion = r.decklist.chosenChampion;
    if (champion) process.stdout.write(`\nChosen champion: ${champion.nameEn} (${champion.code})\n`);
    const { problems } = r.decklist.validation;
    if (problems.length > 0) process.stdout.write(`\nProblems:\n${problems.map((p) => `- ${p.message}`).join('\n')}\n`);
    if (r.decklist.warnings.length > 0) {
      process.stdout.write(`\nWarnings:\n${r.decklist.warnings.map((w) => `- ${w.message}`).join('\n')}\n`);
    }
    process.stdout.write('\n');
  }
}
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
