import type { FileUpload } from 'graphql-upload-minimal';
import type { UPLOAD_ERROR_CODES } from '../batch/events.js';

export type UploadErrorCode = (typeof UPLOAD_ERROR_CODES)[number];

export type ReadUpload =
  | { ok: true; filename: string; bytes: Buffer }
  | { ok: false; filename: string; code: UploadErrorCode; message: string };

/** JPEG, PNG or WebP by their first bytes. */
function looksLikeImage(bytes: Buffer): boolean {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return true;
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
}

/** A declared type that can hold a screenshot (or says nothing about it). */
function imageLikeType(mimetype: string): boolean {
  const type = mimetype.split(';')[0]!.trim().toLowerCase();
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
    return { ok: false, filename: fallbackName, code: 'UPLOAD_FAILED', message: `the upload failed: ${(error as Error).message}` };
  }
  const filename = file.filename || fallbackName;
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
