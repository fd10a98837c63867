/**
 * The web page (web/, built by `npm run build:web` into dist/web) served at `/`, same origin as /graphql.
 *
 * Only files that exist in the build folder are served, looked up in a table of the folder's files (so a
 * request path never reaches the file system: no directory traversal). Vite's hashed `/assets/*` files are
 * cached for a year; `index.html` is revalidated every time (ETag). Every other request goes on to yoga.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../env.js';

/** Where `vite build` writes the page (`WEB_ROOT` overrides it). */
const DEFAULT_WEB_ROOT = path.resolve(PROJECT_ROOT, 'dist', 'web');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The page talks to its own origin only; card images come from the database's https URLs. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' https: data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface StaticFile {
  file: string;
  size: number;
  etag: string;
  type: string;
}

function scan(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const url = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(full, url);
      else if (entry.isFile()) {
        const stat = statSync(full);
        const type = CONTENT_TYPES[path.extname(entry.name).toLowerCase()] ?? 'application/octet-stream';
        files.set(url, { file: full, size: stat.size, etag: `"${stat.size.toString(36)}-${Math.round(stat.mtimeMs).toString(36)}"`, type });
      }
    }
  };
  try {
    walk(root, '');
  } catch {
    return new Map();
  }
  return files;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>decklist-ocr</title>
<body style="font:16px system-ui;background:#0b1724;color:#e6eef7;padding:2rem">
<h1>The web page has not been built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm run build</code>, which builds the service too), then reload.</p>
<p>The GraphQL API is at <a style="color:#7cc4ff" href="/graphql">/graphql</a>.</p>`;

/** Answers the request if it is for the page; false to let the next handler (yoga) have it. */
export type WebPage = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A handler of the built page in `root` (re-scanned whenever its index.html changes, so a new build is picked up). */
export function createWebPage(root: string = process.env.WEB_ROOT?.trim() ? path.resolve(process.env.WEB_ROOT) : DEFAULT_WEB_ROOT): WebPage {
  let files: Map<string, StaticFile> = new Map();
  let indexStamp: string | null = null;
  // The build may be made or redone while the service runs: when index.html changes, scan again.
  const table = () => {
    let stamp: string | null;
    try {
      const stat = statSync(path.join(root, 'index.html'));
      stamp = `${stat.size}-${stat.mtimeMs}`;
    } catch {
      stamp = null;
    }
    if (stamp !== indexStamp) {
      files = stamp ? scan(root) : new Map();
      indexStamp = stamp;
    }
    return files;
  };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return false;
    }
    const isPage = pathname === '/' || pathname === '/index.html';
    const found = table();
    const entry = isPage ? found.get('/index.html') : found.get(pathname);
    if (isPage && !entry) {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      return true;
    }
    if (!entry) return false;
    const immutable = pathname.startsWith('/assets/');
    const headers: Record<string, string | number> = {
      'content-type': entry.type,
      'x-content-type-options': 'nosniff',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: entry.etag,
      ...(entry.type.startsWith('text/html') ? PAGE_HEADERS : {}),
    };
    if (req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': entry.size });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    const stream = createReadStream(entry.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
    return true;
  };
}
