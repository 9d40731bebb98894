// The fixture server: a pure function of the request URL (servers/recipe.ts) plus a
// per-token observation log. It binds loopback only; browsers reach it through the
// virtual-origin proxy, so the Host header names the virtual origin.
import express, { type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import getPort from 'get-port';
import { ObservationLog } from './observations.ts';
import { parseWireResponse, RecipeError, TOKEN_PARAM, type WireRecipe } from './recipe.ts';

export interface FixtureServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  log: ObservationLog;
  /** The same app as a request handler, for the proxy to call in-process. */
  app: express.Express;
  close(): Promise<void>;
}

function queryOf(req: Request): URLSearchParams {
  return new URL(req.originalUrl, 'http://fixture.invalid').searchParams;
}

function facts(req: Request, marker?: number) {
  const path = req.originalUrl;
  return {
    host: req.headers.host ?? '',
    method: req.method,
    path,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    ...(marker !== undefined ? { marker } : {}),
  };
}

function send(res: Response, recipe: WireRecipe): void {
  const raw: string[] = [];
  for (const [name, value] of recipe.headers) raw.push(name, value);
  if (recipe.location !== null) raw.push('Location', recipe.location);
  // Cache-Control keeps the browser's HTTP cache out of every case; it is a
  // CORS-safelisted response header, so it never changes what a page can read.
  if (!recipe.headers.some(([n]) => n.toLowerCase() === 'cache-control')) raw.push('Cache-Control', 'no-store');
  res.writeHead(recipe.status, raw);
  res.end(recipe.body);
}

export function createFixtureApp(log: ObservationLog): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  app.get('/__cc/state', (req, res) => {
    const tokens = queryOf(req).getAll(TOKEN_PARAM);
    res.json(Object.fromEntries(tokens.map((t) => [t, log.get(t)])));
  });
  app.post('/__cc/state', express.json({ limit: '10mb' }), (req, res) => {
    const body: unknown = req.body;
    const tokens =
      body && typeof body === 'object' && 'tokens' in body && Array.isArray(body.tokens)
        ? body.tokens.filter((t: unknown): t is string => typeof t === 'string')
        : null;
    if (!tokens) {
      res.status(400).json({ error: 'body must be {"tokens": ["<token>", ...]}' });
      return;
    }
    res.json(log.take(tokens));
  });
  // Separates the requests of one case into steps (preflight-cache cases send the same
  // URL more than once); a no-cors GET, so it never needs a preflight itself.
  app.get('/__cc/mark', (req, res) => {
    const q = queryOf(req);
    const token = q.get(TOKEN_PARAM);
    if (token) log.record(token, facts(req, Number(q.get('step') ?? 0)));
    res.writeHead(204, ['Access-Control-Allow-Origin', '*', 'Cache-Control', 'no-store']);
    res.end();
  });
  app.use((req, res) => {
    const q = queryOf(req);
    const token = q.get(TOKEN_PARAM);
    const obs = log.record(token ?? '', facts(req));
    let wire;
    try {
      wire = parseWireResponse(q);
    } catch (err) {
      if (!(err instanceof RecipeError)) throw err;
      res.writeHead(400, ['Content-Type', 'text/plain', 'Access-Control-Allow-Origin', '*']);
      res.end(`bad fixture recipe: ${err.message}`);
      return;
    }
    if (obs.preflight) {
      if (wire.preflight) send(res, wire.preflight);
      else send(res, { status: 404, headers: [], body: 'no preflight handling', location: null });
      return;
    }
    send(res, wire.actual);
  });
  return app;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const log = new ObservationLog();
  const app = createFixtureApp(log);
  const port = await getPort({ host: '127.0.0.1' });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  server.keepAliveTimeout = 30_000;
  const addr = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    log,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
