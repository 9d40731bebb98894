// Example adapter for library conformance mode: express with the `cors` middleware,
// configured from a policy the way its documentation says to.
import express from 'express';
import cors, { type CorsOptions } from 'cors';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { LibraryAdapter } from '../grade/library.ts';
import { originRules, type Policy } from '../grade/policy.ts';

const version = (createRequire(import.meta.url)('cors/package.json') as { version: string }).version;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function corsOptions(policy: Policy): CorsOptions {
  const rules = originRules(policy);
  const origin: CorsOptions['origin'] = rules.some((r) => r.kind === 'any')
    ? '*'
    : rules.flatMap<string | RegExp>((r) =>
        r.kind === 'any'
          ? []
          : r.kind === 'exact'
            ? [r.origin]
            : [new RegExp(`^${escapeRegExp(r.scheme)}//([a-z0-9-]+\\.)+${escapeRegExp(r.suffix)}${r.port ? `:${r.port}` : ''}$`)],
      );
  return {
    origin,
    methods: policy.methods,
    // Always set: left out, cors reflects whatever the preflight asks for.
    allowedHeaders: policy.requestHeaders,
    ...(policy.exposedHeaders.length ? { exposedHeaders: policy.exposedHeaders } : {}),
    credentials: policy.credentials,
    ...(policy.maxAge !== undefined ? { maxAge: policy.maxAge } : {}),
  };
}

/** An express app that applies the policy with `cors` and answers every policy path. */
export function corsApp(policy: Policy, options: CorsOptions = corsOptions(policy)): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(cors(options));
  for (const p of policy.paths) {
    app.all(p.path, (_req, res) => {
      for (const h of policy.exposedHeaders) res.setHeader(h, 'cc-value');
      res.json({ ok: true });
    });
  }
  return app;
}

export async function listen(app: express.Express): Promise<{ url: string; stop(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r, j) => {
    server.once('listening', () => r());
    server.once('error', j);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const adapter: LibraryAdapter = {
  name: `cors@${version} (express)`,
  start: (policy) => listen(corsApp(policy)),
};
export default adapter;
