/**
 * `decklist-ocr ocr [--json] <image>...` (or `npm run -s ocr -- …`): reads decklist screenshots in this
 * process and prints each decklist in English, or (with --json) one JSON array with one element per input,
 * in input order. Only the output goes to stdout, so `--json … > out.json` is valid JSON. Exit code 1 if any
 * image failed (a failed image never stops the others), 2 for a usage mistake, 78 for a setup mistake.
 */
import { readFile } from 'node:fs/promises';
import { deckCodeFor } from '../decklist/deck-code.js';
import { isEntryPoint } from '../entry.js';
import { isPipelineError, type PipelineErrorCode } from '../pipeline/errors.js';
import { formatDecklistText } from '../decklist/format.js';
import { createPipeline, type DecklistPipeline } from '../pipeline/pipeline.js';
import type { Decklist } from '../pipeline/types.js';
import { exitOnSetupError } from '../setup-error.js';

/** A decklist as the API's `Decklist` type has it: the pipeline's fields plus `text` and `deckCode`. */
export type CliDecklist = Decklist & { text: string; deckCode: string | null };

/**
 * Error codes only the command line has: a local file it could not open, an unexpected failure. Every other
 * code is the API's (EMPTY_FILE and the pipeline's codes).
 */
export const CLI_ERROR_CODES = ['READ_FAILED', 'INTERNAL'] as const;

/** Every code a file's `error.code` can have in the CLI's output. */
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number] | PipelineErrorCode | 'EMPTY_FILE';

export type CliResult = { file: string; ok: true; decklist: CliDecklist } | { file: string; ok: false; error: { code: CliErrorCode; message: string } };

const OCR_USAGE = 'usage: decklist-ocr ocr [--json] <image>...';

/** The decklist with the fields the API adds (`text`, `deckCode`). */
function withApiFields(decklist: Decklist): CliDecklist {
  return { ...decklist, text: formatDecklistText(decklist), deckCode: deckCodeFor(decklist) };
}

/** Reads one file: its bytes, or its result when it cannot be read at all (READ_FAILED) or is empty (EMPTY_FILE, as in the API). */
async function readInput(file: string): Promise<Buffer | CliResult> {
  try {
    const bytes = await readFile(file);
    return bytes.length > 0 ? bytes : { file, ok: false, error: { code: 'EMPTY_FILE', message: `${file} is empty` } };
  } catch (error) {
    return {
      file,
      ok: false,
      error: { code: 'READ_FAILED', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` },
    };
  }
}

/** Reads the decklist of one file's bytes; a failure is its result with the pipeline's code. */
async function readDecklistOf(file: string, bytes: Buffer, pipeline: DecklistPipeline): Promise<CliResult> {
  try {
    return { file, ok: true, decklist: withApiFields(await pipeline.process(bytes)) };
  } catch (error) {
    const code: CliErrorCode = isPipelineError(error) ? error.code : 'INTERNAL';
    return { file, ok: false, error: { code, message: (error as Error).message } };
  }
}

/** The text form of one result, as a person reads it. */
function formatResult(r: CliResult): string {
  if (!r.ok) return `== ${r.file}\nerror ${r.error.code}: ${r.error.message}\n\n`;
  let out = `== ${r.file}\n${r.decklist.text}`;
  const champion = r.decklist.chosenChampion;
  if (champion) out += `\nChosen champion: ${champion.nameEn} (${champion.code})\n`;
  if (r.decklist.deckCode) out += `Deck code: ${r.decklist.deckCode}\n`;
  const { problems } = r.decklist.validation;
  if (problems.length > 0) out += `\nProblems:\n${problems.map((p) => `- ${p.message}`).join('\n')}\n`;
  if (r.decklist.warnings.length > 0) out += `\nWarnings:\n${r.decklist.warnings.map((w) => `- ${w.message}`).join('\n')}\n`;
  return `${out}\n`;
}

/** Runs the command with its arguments (after `ocr`); resolves with the exit code. */
export async function runOcr(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  if (files.length === 0 || files.some((f) => f.startsWith('--'))) {
    process.stderr.write(`${OCR_USAGE}\n`);
    return 2;
  }
  const inputs = await Promise.all(files.map(readInput));
  let results = inputs.filter((input): input is CliResult => !Buffer.isBuffer(input));
  // The OCR workers start only when there is something to read.
  if (results.length < files.length) {
    const pipeline = await exitOnSetupError(() => createPipeline());
    try {
      // Every image is queued at once: the worker pool keeps every core busy across images.
      results = await Promise.all(inputs.map((input, i) => (Buffer.isBuffer(input) ? readDecklistOf(files[i]!, input, pipeline) : input)));
    } finally {
      await pipeline.close();
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else for (const r of results) process.stdout.write(formatResult(r));
  return results.every((r) => r.ok) ? 0 : 1;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runOcr(process.argv.slice(2));
