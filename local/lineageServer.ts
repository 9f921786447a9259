// The local lineage page: a small node:http server beside serverless offline (which owns PORT), on LINEAGE_PORT
// (3001 by default). It serves web/ (the page), cytoscape and cytoscape-dagre from node_modules (no CDN), and
// GET /lineage/graph.json, the graph read from Atlas with the server's credentials: the browser needs none.
//
//   GET /lineage              the page (web/index.html)
//   GET /lineage/graph.json   { nodes, edges, counts, atlas, generatedAt } or 502 { error } when Atlas fails
//   GET /lineage/<file>       web/app.js, web/style.css; /lineage/vendor/* the graph libraries
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtlasClient, type AtlasClientOptions } from '../lib/atlas/index.js';
import { readLineageGraph } from './lineageGraph.js';

export interface LineageServer {
  /** http://127.0.0.1:<port>/lineage */
  url: string;
  port: number;
  close(): Promise<void>;
}

const WEB_DIR = new URL('../web/', import.meta.url);
const MODULES = new URL('../node_modules/', import.meta.url);

/** Every file the server hands out, by path: nothing else on disk is reachable. */
const FILES: Readonly<Record<string, URL>> = {
  '/lineage': new URL('index.html', WEB_DIR),
  '/lineage/': new URL('index.html', WEB_DIR),
  '/lineage/app.js': new URL('app.js', WEB_DIR),
  '/lineage/style.css': new URL('style.css', WEB_DIR),
  '/lineage/vendor/cytoscape.min.js': new URL('cytoscape/dist/cytoscape.min.js', MODULES),
  '/lineage/vendor/cytoscape-dagre.min.js': new URL('cytoscape-dagre/dist/cytoscape-dagre.min.js', MODULES),
};

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const send = (response: http.ServerResponse, status: number, type: string, body: string | Buffer): void => {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(body);
};

export const startLineageServer = async (options: {
  atlas: AtlasClientOptions;
  port?: number;
  /** With the local emulator: POST /atlas/outage makes it answer 503 to everything, DELETE ends the outage. */
  setAtlasOutage?: (on: boolean) => void;
}): Promise<LineageServer> => {
  const atlas = new AtlasClient(options.atlas);
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    void (async () => {
      if (path === '/atlas/outage' && options.setAtlasOutage !== undefined && (request.method === 'POST' || request.method === 'DELETE')) {
        options.setAtlasOutage(request.method === 'POST');
        return send(response, 200, 'application/json', JSON.stringify({ atlasOutage: request.method === 'POST' }));
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'GET only\n');
      if (path === '/') {
        response.writeHead(302, { location: '/lineage' });
        return response.end();
      }
      if (path === '/lineage/graph.json') {
        try {
          const graph = await readLineageGraph(atlas);
          return send(response, 200, 'application/json', JSON.stringify({ ...graph, atlas: options.atlas.baseUrl, generatedAt: new Date().toISOString() }));
        } catch (error) {
          return send(response, 502, 'application/json', JSON.stringify({ error: `reading Atlas at ${options.atlas.baseUrl} failed: ${(error as Error).message}` }));
        }
      }
      const file = FILES[path];
      if (file === undefined) return send(response, 404, 'text/plain', 'not found\n');
      return send(response, 200, TYPES[extname(fileURLToPath(file))] ?? 'application/octet-stream', await readFile(file));
    })().catch((error: unknown) => send(response, 500, 'text/plain', `${(error as Error).message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/lineage`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
