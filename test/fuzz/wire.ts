/**
 * Raw HTTP/1.1 over a loopback socket: sends bytes exactly as given (no client library in between, which
 * would refuse to produce most malformed requests) and reads back what the server answers.
 */
import net from 'node:net';

/** What came back for one request. */
export interface WireResult {
  /** `response`: a complete first response (or the headers of an event stream); `closed`: the socket closed first; `timeout`: nothing complete in time. */
  outcome: 'response' | 'closed' | 'timeout';
  status?: number;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Every byte received. */
  raw: Buffer;
  /** Milliseconds from connect to the outcome. */
  ms: number;
  /** Why the bytes received are not a well-formed HTTP response (when they are not). */
  malformed?: string;
}

interface Parsed {
  complete: boolean;
  status?: number;
  headers?: Record<string, string>;
  body?: Buffer;
  malformed?: string;
}

function decodeChunked(data: Buffer): Buffer | null {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(data.toString('latin1', at, eol).split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size');
    if (size === 0) return data.indexOf('\r\n', eol + 2) >= 0 ? Buffer.concat(out) : null;
    if (data.length < eol + 2 + size + 2) return null;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** Parses the first final (non-1xx) response in `raw`; `closed` says no more bytes will come. */
export function parseResponse(raw: Buffer, closed: boolean, headRequest = false): Parsed {
  let start = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', start);
    if (end < 0) return raw.length > start ? { complete: false, malformed: closed ? 'incomplete response head' : undefined } : { complete: false };
    const lines = raw.toString('latin1', start, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*$/.exec(lines[0]!);
    if (!m) return { complete: true, malformed: `bad status line ${JSON.stringify(lines[0]!.slice(0, 80))}` };
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) return { complete: true, status, malformed: `bad header line ${JSON.stringify(line.slice(0, 80))}` };
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (status >= 100 && status < 200) {
      start = end + 4;
      continue;
    }
    const rest = raw.subarray(end + 4);
    if (status === 204 || status === 304 || headRequest) return { complete: true, status, headers, body: Buffer.alloc(0) };
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      let body: Buffer | null;
      try {
        body = decodeChunked(rest);
      } catch (error) {
        return { complete: true, status, headers, malformed: (error as Error).message };
      }
      if (body) return { complete: true, status, headers, body };
      if (headers['content-type']?.startsWith('text/event-stream')) return { complete: true, status, headers, body: rest };
      return { complete: false, status, headers, malformed: closed ? 'chunked body cut short' : undefined };
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (!Number.isInteger(length) || length < 0) return { complete: true, status, headers, malformed: 'bad content-length' };
      if (rest.length >= length) return { complete: true, status, headers, body: rest.subarray(0, length) };
      return { complete: false, status, headers, malformed: closed ? 'body shorter than content-length' : undefined };
    }
    if (headers['content-type']?.startsWith('text/event-stream')) return { complete: true, status, headers, body: rest };
    return closed ? { complete: true, status, headers, body: rest } : { complete: false, status, headers };
  }
}

export interface SendOptions {
  host?: string;
  port: number;
  /** Give up after this long without a complete response. */
  timeoutMs: number;
  /** Half-close the socket once everything is sent (the client says it will send no more). */
  halfClose?: boolean;
  /** Send the pieces this many ms apart. */
  gapMs?: number;
}

/** Sends `pieces` on a fresh connection and resolves with the first response (or how it ended). */
export function sendRaw(pieces: Buffer[], options: SendOptions): Promise<WireResult> {
  const started = performance.now();
  const headRequest = pieces[0]?.subarray(0, 5).toString('latin1') === 'HEAD ';
  return new Promise((resolve) => {
    const socket = net.connect({ host: options.host ?? '127.0.0.1', port: options.port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (outcome: WireResult['outcome'] | null) => {
      if (done) return;
      const raw = Buffer.concat(chunks);
      const parsed = parseResponse(raw, outcome !== null, headRequest);
      if (outcome === null && !parsed.complete) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const ms = Math.round(performance.now() - started);
      if (parsed.complete || parsed.status !== undefined) {
        resolve({
          outcome: parsed.complete ? 'response' : (outcome ?? 'closed'),
          status: parsed.status,
          headers: parsed.headers,
          body: parsed.body,
          raw,
          ms,
          malformed: parsed.malformed,
        });
      } else resolve({ outcome: outcome ?? 'closed', raw, ms, malformed: parsed.malformed });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs);
    let received = 0;
    let needed = 0; // bytes before a complete response can be there (known once the head is in)
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < needed) return; // a large body still arriving: do not parse it again and again
      const head = parseResponse(Buffer.concat(chunks), false, headRequest);
      const length = Number(head.headers?.['content-length']);
      if (!head.complete && Number.isInteger(length)) needed = Buffer.concat(chunks).indexOf('\r\n\r\n') + 4 + length;
      finish(null);
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('closed'));
    socket.once('connect', async () => {
      for (const [i, piece] of pieces.entries()) {
        if (done || socket.destroyed) return;
        if (i > 0 && options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
        if (done || socket.destroyed) return;
        socket.write(piece);
      }
      if (options.halfClose && !done && !socket.destroyed) socket.end();
    });
  });
}
