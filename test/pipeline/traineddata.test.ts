/**
 * The LSTM-only model copy: the legacy components go, the LSTM ones stay byte for byte, and a real worker
 * on the copy reads real crops exactly as one on the shipped model does (same text, same confidence).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createWorker, OEM, PSM } from 'tesseract.js';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/pipeline/decode/decode.js';
import { greyCrop } from '../../src/pipeline/image/raster.js';
import { findLayout } from '../../src/pipeline/layout/layout.js';
import { langPath } from '../../src/pipeline/ocr/ocr-pool.js';
import { lstmOnlyTraineddata, prepareLstmModel, traineddataComponents } from '../../src/pipeline/ocr/traineddata.js';
import { loadFixtures } from '../../scripts/fixtures.js';

const shipped = gunzipSync(readFileSync(path.join(langPath('chi_sim'), 'chi_sim.traineddata.gz')));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'traineddata-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lstmOnlyTraineddata', () => {
  it('keeps every LSTM component byte for byte and drops the legacy classifier', () => {
    const copy = lstmOnlyTraineddata(shipped);
    const before = traineddataComponents(shipped);
    const after = traineddataComponents(copy);
    expect(before.has(3)).toBe(true); // inttemp, the legacy classifier
    expect(after.has(3)).toBe(false);
    expect(after.has(13)).toBe(false); // shapetable
    for (const index of [0, 1, 17, 19, 23]) {
      const a = before.get(index)!;
      const b = after.get(index)!;
      expect(b, `component ${index}`).toBeDefined();
      expect(copy.subarray(b.start, b.end).equals(shipped.subarray(a.start, a.end))).toBe(true);
    }
    expect(copy.length).toBeLessThan(shipped.length / 10);
  });

  it('takes the gzip-compressed file as shipped', () => {
    const gz = readFileSync(path.join(langPath('chi_sim'), 'chi_sim.traineddata.gz'));
    expect(lstmOnlyTraineddata(gz).equals(lstmOnlyTraineddata(shipped))).toBe(true);
  });

  it('rejects what is not a traineddata file', () => {
    expect(() => lstmOnlyTraineddata(Buffer.from('hello'))).toThrow(/not a traineddata file/);
    const noLstm = Buffer.alloc(4 + 8 * 24 + 10);
    noLstm.writeInt32LE(24, 0);
    for (let i = 0; i < 24; i++) noLstm.writeBigInt64LE(i === 0 ? BigInt(4 + 8 * 24) : -1n, 4 + 8 * i);
    expect(() => lstmOnlyTraineddata(noLstm)).toThrow(/no LSTM component/);
    const outOfBounds = Buffer.from(noLstm);
    outOfBounds.writeBigInt64LE(10_000n, 4);
    expect(() => lstmOnlyTraineddata(outOfBounds)).toThrow(/out of bounds/);
  });
});

describe('prepareLstmModel', () => {
  it('writes the copy once and shares it between concurrent callers', async () => {
    const target = path.join(scratch, 'chi');
    const dirs = await Promise.all([1, 2, 3].map(() => prepareLstmModel('chi_sim', langPath('chi_sim'), target)));
    expect(new Set(dirs)).toEqual(new Set([target]));
    const file = path.join(target, 'chi_sim.traineddata');
    expect(readFileSync(file).equals(lstmOnlyTraineddata(shipped))).toBe(true);
    expect(statSync(file).size).toBeLessThan(5_000_000);
  });

  it('reads real crops exactly as the shipped model does', async () => {
    const fixture = loadFixtures()[0]!;
    const img = await decodeImage(readFileSync(fixture.imagePath), { maxPixels: 40_000_000 });
    const layout = findLayout(img);
    const boxes = [...layout.header.lines.flat(), ...layout.sections.flatMap((s) => s.tiles.flatMap((t) => t.lines))];
    expect(boxes.length).toBeGreaterThan(20);
    const dir = await prepareLstmModel('chi_sim', langPath('chi_sim'), path.join(scratch, 'same'));
    const full = await createWorker('chi_sim', OEM.LSTM_ONLY, { langPath: langPath('chi_sim'), cachePath: path.join(scratch, 'full'), gzip: true });
    const lstm = await createWorker('chi_sim', OEM.LSTM_ONLY, { langPath: dir, cachePath: dir, cacheMethod: 'readOnly', gzip: false });
    try {
      for (const box of boxes) {
        for (const mode of [PSM.SINGLE_LINE, PSM.RAW_LINE]) {
          const crop = greyCrop(img, box, { pad: 12 });
          const params = { tessedit_pageseg_mode: mode, user_defined_dpi: '144' } as never;
          const a = (await full.recognize(crop, params)).data;
          const b = (await lstm.recognize(crop, params)).data;
          expect([b.text, b.confidence]).toEqual([a.text, a.confidence]);
        }
      }
    } finally {
      await Promise.all([full.terminate(), lstm.terminate()]);
    }
  }, 120_000);
});
