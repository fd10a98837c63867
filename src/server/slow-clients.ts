/**
 * Limits on slow or stalled clients, so none holds a connection, an upload slot or memory forever:
 * headers that never finish (Node's `headersTimeout`, answered 408 here), a request body that pauses or
 * drags on, and a response (an event stream) its client stopped reading. Also answers, with a typed JSON
 * error instead of Node's bare text, every request Node's HTTP parser refuses.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { RequestError } from './multipart.js';

/** The slow-client settings (see ServerConfig). */
export interface SlowClientLimits {
  headersTimeoutMs: number;
  uploadIdleTimeoutMs: number;
  uploadTimeoutMs: number;
  writeStallTimeoutMs: number;
}

/** How often Node checks the header and request timers: often enough that a limit holds to within a second. */
export function connectionsCheckingInterval(limits: SlowClientLimits): number {
  return Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)));
}

/** A typed JSON error as a whole raw HTTP/1.1 response (for a socket with no request object). */
function rawErrorResponse(status: number, reason: string, code: string, message: string): string {
  const body = JSON.stringify({ errors: [{ message, extensions: { code, http: { status } } }] });
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}

/**
 * Sets Node's header timer (`headersTimeout`) and, as a last resort above the body timers, its whole-request
 * timer; answers what Node's parser refuses (a malformed request line or header, headers too large, headers
 * too slow) with a typed error and closes the socket.
 */
export function guardServer(server: Server, limits: SlowClientLimits): void {
  // A client that half-closes after its request (it will send no more) still gets its whole answer; by
  // default Node would end the connection at once, cutting a response still being written.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.headersTimeoutMs + limits.uploadTimeoutMs + 5_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!socket.writable || error.code === 'ECONNRESET' || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    let response: string;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      response = rawErrorResponse(408, 'Request Timeout', 'REQUEST_TIMEOUT', `the request was not received within ${limits.headersTimeoutMs} ms`);
    } else if (error.code === 'HPE_HEADER_OVERFLOW') {
      response = rawErrorResponse(431, 'Request Header Fields Too Large', 'BAD_REQUEST', 'the request headers are too large');
    } else {
      const reason = (error as { reason?: string }).reason ?? error.message;
      response = rawErrorResponse(400, 'Bad Request', 'BAD_REQUEST', `malformed HTTP request: ${reason}`);
    }
    socket.end(response);
    setTimeout(() => socket.destroy(), 1_000).unref();
  });
}

/** Whether the request has a body to read (a length above zero, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  return Boolean(req.headers['transfer-encoding']) || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Times the request body: no new byte on the connection for `uploadIdleTimeoutMs`, or a body not complete
 * after `uploadTimeoutMs`, calls `onTimeout` with a 408. (The server holds a body back only briefly: its
 * resolvers read the files as they arrive.) Progress is read from the socket's byte count, so the body is left to its reader untouched.
 */
export function watchBody(req: IncomingMessage, limits: SlowClientLimits, onTimeout: (error: RequestError) => void): void {
  if (!hasBody(req) || req.readableEnded) return;
  const socket = req.socket;
  let bytes = socket.bytesRead;
  let progressAt = performance.now();
  const idle = setInterval(
    () => {
      if (socket.bytesRead !== bytes) {
        bytes = socket.bytesRead;
        progressAt = performance.now();
        return;
      }
      if (performance.now() - progressAt < limits.uploadIdleTimeoutMs) return;
      stop();
      onTimeout(new RequestError(408, 'REQUEST_TIMEOUT', `no part of the request body arrived for ${limits.uploadIdleTimeoutMs} ms`));
    },
    Math.max(50, Math.min(1_000, Math.floor(limits.uploadIdleTimeoutMs / 4))),
  );
  const total = setTimeout(() => {
    stop();
    onTimeout(new RequestError(408, 'REQUEST_TIMEOUT', `the request body was not complete within ${limits.uploadTimeoutMs} ms`));
  }, limits.uploadTimeoutMs);
  const stop = () => {
    clearInterval(idle);
    clearTimeout(total);
  };
  req.once('end', stop);
  req.once('close', stop);
}

/** Bytes the socket has handed to the kernel: written, less what waits in Node's and libuv's queues. */
function flushedBytes(socket: Socket): number {
  const queued = (socket as Socket & { _handle?: { writeQueueSize?: number } | null })._handle?.writeQueueSize ?? 0;
  return socket.bytesWritten - socket.writableLength - queued;
}

/**
 * Closes the response when its client stops reading: once a write is refused (the buffers are full), the
 * client must take some of it at least every `stallMs`, or the connection is destroyed, which ends that
 * one response (one subscription) and nothing else. A client reading slowly but steadily (a large page
 * over a slow link) is not cut: any progress restarts the clock.
 */
export function watchWriteStall(res: ServerResponse, stallMs: number): void {
  let timer: NodeJS.Timeout | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const watch = () => {
    const socket = res.socket;
    if (timer || !socket || res.destroyed) return;
    let flushed = flushedBytes(socket);
    let progressAt = performance.now();
    timer = setInterval(
      () => {
        if (res.destroyed || socket.destroyed) return stop();
        const now = flushedBytes(socket);
        if (now !== flushed) {
          flushed = now;
          progressAt = performance.now();
        }
        if (!res.writableNeedDrain && socket.writableLength === 0) return stop();
        if (performance.now() - progressAt >= stallMs) {
          stop();
          res.destroy();
        }
      },
      Math.max(25, Math.min(1_000, Math.floor(stallMs / 4))),
    );
    timer.unref();
  };
  const write = res.write.bind(res) as (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;
  // Node sees a write's progress only once the whole write is done, so a large chunk (GraphiQL's page is
  // one write of several MB) goes out a piece at a time, each once the one before has reached the kernel:
  // a client reading it steadily is seen to progress. Writes and the end that come meanwhile wait their turn.
  let queue: (() => void)[] | null = null;
  const writeInPieces = (bytes: Uint8Array, callback?: (error?: Error | null) => void) => {
    queue = [];
    let at = 0;
    const next = (error?: Error | null) => {
      if (error || res.destroyed) {
        queue = null;
        return callback?.(error);
      }
      if (at >= bytes.length) {
        const waiting = queue ?? [];
        queue = null;
        callback?.();
        for (const op of waiting) op();
        return;
      }
      const piece = bytes.subarray(at, at + WRITE_PIECE_BYTES);
      at += piece.length;
      if (!write(piece, undefined, next)) watch();
    };
    next();
  };
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    if (typeof encoding === 'function') [encoding, callback] = [undefined, encoding];
    if (queue) {
      queue.push(() => void res.write(chunk as string, encoding as BufferEncoding, callback as () => void));
      return false;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, (encoding as BufferEncoding | undefined) ?? 'utf8') : chunk;
    if (bytes instanceof Uint8Array && bytes.length > WRITE_PIECE_BYTES) {
      writeInPieces(bytes, callback as (error?: Error | null) => void);
      return false;
    }
    const ok = write(chunk, encoding, callback);
    if (!ok) watch();
    return ok;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
    if (typeof chunk === 'function') [chunk, callback] = [undefined, chunk];
    if (typeof encoding === 'function') [encoding, callback] = [undefined, encoding];
    if (chunk !== undefined && chunk !== null) {
      if (!res.headersSent && !res.hasHeader('content-length') && !res.hasHeader('transfer-encoding')) {
        res.setHeader(
          'content-length',
          typeof chunk === 'string' ? Buffer.byteLength(chunk, (encoding as BufferEncoding | undefined) ?? 'utf8') : (chunk as Uint8Array).length,
        );
      }
      res.write(chunk as string, encoding as BufferEncoding);
    }
    if (queue) queue.push(() => void end(callback));
    else end(callback);
    return res;
  }) as ServerResponse['end'];
  res.once('close', stop);
}

/** Largest piece a response is written in (see watchWriteStall). */
const WRITE_PIECE_BYTES = 64 * 1024;
