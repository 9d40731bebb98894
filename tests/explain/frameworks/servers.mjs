// Real servers of the Node frameworks explain writes configurations for: express with cors,
// Fastify with @fastify/cors, Hono with its cors middleware (on @hono/node-server), Koa with
// @koa/cors. Each has a configuration that blocks the test's request (`before`), and the
// module text around a snippet explain printed (`moduleAround`), so that the printed
// configuration, pasted as it is, makes the server the test runs again. JavaScript, not
// TypeScript: @koa/cors and koa ship no types, and the modules written around a snippet are
// JavaScript as a developer pastes it.
import http from 'node:http';
import fastifyCors from '@fastify/cors';
import { serve as honoServe } from '@hono/node-server';
import koaCors from '@koa/cors';
import cors from 'cors';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { cors as honoCors } from 'hono/cors';
import Koa from 'koa';

const ADMIN = 'https://admin.example.com';

/** The app of each framework, configured so that only https://admin.example.com may read, with GET and POST and no credentials. */
export const before = {
  express: () => {
    const app = express();
    app.use(cors({ origin: [ADMIN], methods: ['GET', 'POST'] }));
    app.all('/api/items', (_req, res) => void res.json({ ok: true }));
    return app;
  },
  fastify: async () => {
    const app = Fastify();
    await app.register(fastifyCors, { origin: [ADMIN], methods: ['GET', 'POST'] });
    app.route({ method: ['GET', 'POST', 'PUT', 'DELETE'], url: '/api/items', handler: async () => ({ ok: true }) });
    return app;
  },
  hono: () => {
    const app = new Hono();
    app.use('*', honoCors({ origin: [ADMIN], allowMethods: ['GET', 'POST'] }));
    app.all('/api/items', (c) => c.json({ ok: true }));
    return app;
  },
  koa: () => {
    const app = new Koa();
    app.use(koaCors({ origin: ADMIN, allowMethods: ['GET', 'POST'] }));
    app.use((ctx) => {
      ctx.body = { ok: true };
    });
    return app;
  },
};

/** A module of `framework` with `snippet` pasted where a developer would paste it, its app the default export. */
export function moduleAround(framework, snippet) {
  const around = {
    express: [
      "import express from 'express';",
      'const app = express();',
      snippet,
      "app.all('/api/items', (_req, res) => void res.json({ ok: true }));",
      'export default app;',
    ],
    fastify: [
      "import Fastify from 'fastify';",
      'const fastify = Fastify();',
      snippet,
      "fastify.route({ method: ['GET', 'POST', 'PUT', 'DELETE'], url: '/api/items', handler: async () => ({ ok: true }) });",
      'export default fastify;',
    ],
    hono: ["import { Hono } from 'hono';", 'const app = new Hono();', snippet, "app.all('/api/items', (c) => c.json({ ok: true }));", 'export default app;'],
    koa: ["import Koa from 'koa';", 'const app = new Koa();', snippet, 'app.use((ctx) => {', '  ctx.body = { ok: true };', '});', 'export default app;'],
  }[framework];
  return `${around.join('\n')}\n`;
}

const listening = (server) =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(() => r())) }));
  });

/** Serves an app of `framework` on a loopback port. */
export async function serve(framework, app) {
  if (framework === 'express') return listening(http.createServer(app));
  if (framework === 'koa') return listening(http.createServer(app.callback()));
  if (framework === 'fastify') {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, stop: () => app.close() };
  }
  return new Promise((resolve) => {
    const server = honoServe({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, stop: () => new Promise((r) => server.close(() => r())) }),
    );
  });
}
