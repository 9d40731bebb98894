// The fixture server: a pure function of the request URL (servers/recipe.ts). It binds
// loopback only; browsers reach it through the virtual-origin proxy, which calls it in
// process and is the witness of what each probe sent and got.
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server, ServerResponse } from 'node:http';
import getPort from 'get-port';
import { isCorsPreflightRequest } from '../oracle/index.ts';
import { assetBody } from './assets.ts';
import { parseWireResponse, RecipeError, type WireRecipe, type WireResponse } from './recipe.ts';
import { pairsFromRaw } from './redact.ts';

export interface FixtureServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** The same app as a request handler, for the proxy to call in-process. */
  app: express.Express;
  close(): Promise<void>;
}

function send(res: ServerResponse, recipe: WireRecipe): void {
  const raw: string[] = [];
  for (const [name, value] of recipe.headers) raw.push(name, value);
  if (recipe.location !== null) raw.push('Location', recipe.location);
  // Cache-Control keeps the browser's HTTP cache out of every case; it is a
  // CORS-safelisted response header, so it never changes what a page can read.
  if (!recipe.headers.some(([n]) => n.toLowerCase() === 'cache-control')) raw.push('Cache-Control', 'no-store');
  const asset = recipe.asset ? assetBody(recipe.asset) : null;
  if (asset && !recipe.omitContentType && !recipe.headers.some(([n]) => n.toLowerCase() === 'content-type')) raw.push('Content-Type', asset.contentType);
  res.writeHead(recipe.status, raw);
  res.end(asset ? asset.bytes : recipe.body);
}

function createFixtureApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req, res) => {
    let wire: WireResponse;
    try {
      wire = parseWireResponse(new URL(req.originalUrl, 'http://fixture.invalid').searchParams);
    } catch (err) {
      if (!(err instanceof RecipeError)) throw err;
      res.writeHead(400, ['Content-Type', 'text/plain', 'Access-Control-Allow-Origin', '*']);
      res.end(`bad fixture recipe: ${err.message}`);
      return;
    }
    if (isCorsPreflightRequest(req.method, pairsFromRaw(req.rawHeaders))) {
      send(res, wire.preflight ?? { status: 404, headers: [], body: 'no preflight handling', asset: null, omitContentType: false, location: null });
      return;
    }
    send(res, wire.actual);
  });
  return app;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const app = createFixtureApp();
  const port = await getPort({ host: '127.0.0.1' });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.keepAliveTimeout = 30_000;
  const addr = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
