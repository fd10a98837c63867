import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * A `.traineddata` file is a table of components (tesseract's `TessdataType`): an int32 count, one int64
 * offset per component (-1 when absent), then the components back to back in that order. The `4.0.0`
 * Chinese model carries the legacy engine's classifier (a 40 MB `inttemp` of its 44 MB) beside an LSTM
 * of under 2 MB; the pool runs the LSTM engine only, which never reads the legacy parts, yet every worker
 * would hold the whole file in its WASM heap (~270 MiB RSS per Chinese worker instead of ~90).
 */

/** Components the LSTM engine reads (indices of tesseract's `TessdataType`). */
const LSTM_COMPONENTS = new Set([
  0, // lang config
  1, // unicharset (models of the 4.00 format keep the LSTM's character set here)
  2, // unicharambigs
  17, // lstm
  18, // lstm-punc-dawg
  19, // lstm-word-dawg
  20, // lstm-number-dawg
  21, // lstm-unicharset
  22, // lstm-recoder
  23, // version
]);

/** Byte ranges of the components present in a traineddata file, by component index. */
export function traineddataComponents(data: Buffer): Map<number, { start: number; end: number }> {
  if (data.length < 4) throw new Error('not a traineddata file: too short');
  const count = data.readInt32LE(0);
  const tableEnd = 4 + 8 * count;
  if (count < 1 || count > 64 || tableEnd > data.length) throw new Error(`not a traineddata file: ${count} components`);
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) offsets.push(Number(data.readBigInt64LE(4 + 8 * i)));
  const out = new Map<number, { start: number; end: number }>();
  for (let i = 0; i < count; i++) {
    const start = offsets[i]!;
    if (start < 0) continue;
    // A component ends where the next present one starts, the last one at the end of the file.
    const next = offsets.slice(i + 1).find((o) => o >= 0);
    const end = next ?? data.length;
    if (start < tableEnd || end < start || end > data.length) throw new Error(`not a traineddata file: component ${i} is out of bounds`);
    out.set(i, { start, end });
  }
  return out;
}

/** The same model with only the components the LSTM engine reads (gzip-compressed input is accepted). */
export function lstmOnlyTraineddata(input: Buffer): Buffer {
  const data = input[0] === 0x1f && input[1] === 0x8b ? gunzipSync(input) : input;
  const components = traineddataComponents(data);
  if (!components.has(17)) throw new Error('the model has no LSTM component');
  const count = data.readInt32LE(0);
  const table = Buffer.alloc(4 + 8 * count);
  table.writeInt32LE(count, 0);
  const parts: Buffer[] = [table];
  let offset = table.length;
  for (let i = 0; i < count; i++) {
    const range = components.get(i);
    if (!range || !LSTM_COMPONENTS.has(i)) {
      table.writeBigInt64LE(-1n, 4 + 8 * i);
      continue;
    }
    table.writeBigInt64LE(BigInt(offset), 4 + 8 * i);
    parts.push(data.subarray(range.start, range.end));
    offset += range.end - range.start;
  }
  return Buffer.concat(parts);
}

const prepared = new Map<string, Promise<string>>();

/**
 * Writes the LSTM-only copy of `<sourceDir>/<lang>.traineddata.gz` to `<targetDir>/<lang>.traineddata`
 * once (an existing copy is reused; written under a temporary name and renamed, so a process killed
 * mid-write leaves no half file) and returns `targetDir`. Concurrent callers share one preparation.
 */
export function prepareLstmModel(lang: string, sourceDir: string, targetDir: string): Promise<string> {
  const target = path.join(targetDir, `${lang}.traineddata`);
  let pending = prepared.get(target);
  if (!pending) {
    pending = (async () => {
      const existing = await stat(target).catch(() => null);
      if (existing?.isFile() && existing.size > 0) return targetDir;
      await mkdir(targetDir, { recursive: true });
      const model = lstmOnlyTraineddata(await readFile(path.join(sourceDir, `${lang}.traineddata.gz`)));
      const temporary = `${target}.${randomUUID()}.tmp`;
      await writeFile(temporary, model);
      await rename(temporary, target);
      return targetDir;
    })();
    // A failure is not remembered: the next worker start tries again.
    pending.catch(() => prepared.delete(target));
    prepared.set(target, pending);
  }
  return pending;
}
