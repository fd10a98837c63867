import type { FileUpload } from 'graphql-upload-minimal';
import type { UPLOAD_ERROR_CODES } from '../batch/events.js';

export type UploadErrorCode = (typeof UPLOAD_ERROR_CODES)[number];

export type ReadUpload =
  | { ok: true; filename: string; bytes: Buffer }
  | { ok: false; filename: string; code: UploadErrorCode; message: string; missing?: boolean };

/** Longest file name echoed back, in user-perceived characters (graphemes). */
export const MAX_FILENAME_LENGTH = 120;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The name a file is reported under. File names are never used as paths (nothing is written to disk):
 * they are only echoed in events and messages, and made safe to show and to use as one path segment:
 * `/` and `\` become `_`; control characters, bidirectional overrides and line separators become U+FFFD;
 * names longer than {@link MAX_FILENAME_LENGTH} graphemes are cut (keeping a short extension) with `…`;
 * an empty name, or one of only dots, becomes `fallback`. Emoji and CJK are kept as they are.
 */
function safeFilename(raw: string | null | undefined, fallback: string): string {
  let name = (raw ?? '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd').normalize('NFC');
  name = name.replace(/[\\/]/g, '_');
  // Cc: C0/C1 controls; Zl/Zp: line breaks; Cf except ZWJ (emoji sequences): bidi overrides, invisible marks.
  name = name.replace(/[\p{Cc}\p{Zl}\p{Zp}]|(?!\u200d)\p{Cf}/gu, '\ufffd').trim();
  if (/^[.\s]*$/.test(name)) return fallback;
  const parts = [...graphemes.segment(name)].map((s) => s.segment);
  if (parts.length <= MAX_FILENAME_LENGTH) return name;
  const ext = /\.[\p{L}\p{N}]{1,8}$/u.exec(name)?.[0] ?? '';
  return `${parts.slice(0, MAX_FILENAME_LENGTH - 1 - ext.length).join('')}…${ext}`;
}

/** JPEG, PNG or WebP by their first bytes. */
function looksLikeImage(bytes: Buffer): boolean {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return true;
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
}

const mediaType = (mimetype: string) => (mimetype ?? '').split(';')[0]!.trim().toLowerCase();

/** A declared type that can hold a screenshot (or says nothing about it). */
function imageLikeType(mimetype: string): boolean {
  const type = mediaType(mimetype);
  return type === '' || type.startsWith('image/') || type === 'application/octet-stream';
}

/**
 * Reads one upload to the end (the stream is the live request: read files one after another, never all
 * at once). Anything wrong with the file comes back as a typed failure, never thrown: a bad file must
 * not fail its batch.
 */
export async function readUpload(upload: Promise<FileUpload>, maxBytes: number, fallbackName: string): Promise<ReadUpload> {
  let file: FileUpload;
  try {
    file = await upload;
  } catch (error) {
    const message = (error as Error).message;
    // The multipart map named a file the request did not carry: the request itself is broken.
    const missing = /file missing/i.test(message);
    return { ok: false, filename: fallbackName, code: 'UPLOAD_FAILED', message: `the upload failed: ${message}`, missing };
  }
  const filename = safeFilename(file.filename, fallbackName);
  const tooLarge = (): ReadUpload => ({
    ok: false,
    filename,
    code: 'FILE_TOO_LARGE',
    message: `${filename} is larger than the limit of ${maxBytes} bytes`,
  });
  let stream: NodeJS.ReadableStream & { truncated?: boolean };
  try {
    stream = file.createReadStream();
  } catch (error) {
    // graphql-upload-minimal throws its 413 here when the limit was hit before we asked for the stream.
    if ((error as { status?: number }).status === 413) return tooLarge();
    return { ok: false, filename, code: 'UPLOAD_FAILED', message: `the upload failed: ${(error as Error).message}` };
  }
  if (mediaType(file.mimetype) === 'image/svg+xml') {
    // Never parsed: drain the bytes, keep none.
    stream.resume();
    await new Promise((resolve) => {
      stream.once('end', resolve);
      stream.once('error', resolve);
    });
    return { ok: false, filename, code: 'UNSUPPORTED_TYPE', message: `${filename} is an SVG: only JPEG, PNG or WebP screenshots are read` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      size += buf.length;
      // Past the limit, keep draining (the request must be read through) but keep nothing.
      if (size <= maxBytes) chunks.push(buf);
    }
  } catch (error) {
    return { ok: false, filename, code: 'UPLOAD_FAILED', message: `the upload failed: ${(error as Error).message}` };
  }
  // At the limit busboy just ends the stream early; `truncated` tells it from a complete file.
  if (size > maxBytes || stream.truncated) return tooLarge();
  if (size === 0) return { ok: false, filename, code: 'EMPTY_FILE', message: `${filename} is empty` };
  const bytes = Buffer.concat(chunks, size);
  if (!looksLikeImage(bytes) && !imageLikeType(file.mimetype)) {
    return {
      ok: false,
      filename,
      code: 'UNSUPPORTED_TYPE',
      message: `${filename} is ${file.mimetype}, not an image (JPEG, PNG or WebP screenshots are read)`,
    };
  }
  return { ok: true, filename, bytes };
}
