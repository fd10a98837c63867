/**
 * Serving the metrics over HTTP: {@link serveMetrics} inside a server that answers other paths too (the
 * GraphQL server), {@link startMetricsServer} for a process with no other port (an OCR worker).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/**
 * Answers `GET /metrics` (and `HEAD`) with the registry's text in Prometheus' exposition format; 500
 * with the reason when collecting fails. Returns false, touching nothing, for any other request.
 */
export function serveMetrics(req: IncomingMessage, res: ServerResponse, registry: Registry, path: string = METRICS_PATH): boolean {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.url ?? '/').split('?')[0] !== path) return false;
  registry.metrics().then(
    (text) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
    (error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const text = `collecting the metrics failed: ${(error as Error)?.message ?? String(error)}\n`;
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
  );
  return true;
}

export interface MetricsServerOptions {
  /** Port to listen on (0 picks a free one). */
  port: number;
  /** Address to listen on (default `localhost`; `0.0.0.0` for a scraper on another machine). */
  host?: string;
  /** What to serve (`createMetrics().registry`). */
  registry: Registry;
}

/** A listening metrics server. */
export interface MetricsServer {
  readonly server: Server;
  /** The port it listens on (the one picked, for port 0). */
  readonly port: number;
  /** The metrics URL, e.g. `http://localhost:9464/metrics`. */
  readonly url: string;
  /** Stops listening and closes its connections. */
  close(): Promise<void>;
}

/**
 * An HTTP server that answers only `GET /metrics` (and `HEAD`), 404 otherwise: Prometheus' endpoint for
 * a process that has no GraphQL port (`ROLE=worker`). Resolves once it listens; rejects when it cannot
 * (e.g. the port is in use).
 */
export async function startMetricsServer({ port, host = 'localhost', registry }: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (serveMetrics(req, res, registry)) return;
    const text = `not found: this server answers only GET ${METRICS_PATH}\n`;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? 'localhost' : host;
  return {
    server,
    port: bound,
    url: `http://${shown}:${bound}${METRICS_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
