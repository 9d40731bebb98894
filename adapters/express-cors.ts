// Example adapter for library conformance mode: express with the `cors` middleware,
// configured from a policy the way its documentation says to.
import express from 'express';
import cors, { type CorsOptions } from 'cors';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { LibraryAdapter } from '../grade/library.ts';
import { type Endpoint, type EndpointPlan, resolveEndpoints } from '../grade/input/endpoints.ts';
import { originRules, type PathRules, type Policy, rulesFor } from '../grade/input/policy.ts';

const version = (createRequire(import.meta.url)('cors/package.json') as { version: string }).version;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** cors's options for a set of rules: the top level's, or a path's. */
export function corsOptions(policy: PathRules): CorsOptions {
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

/** What an endpoint answers: its path, with any value for each {name} parameter. */
function endpointPattern(e: Endpoint): RegExp {
  const template = e.declared.split('/').slice(1);
  const path = e.path.split('/').slice(1);
  // An OpenAPI path is probed under the servers' base path: the probed path's first segments.
  const base = path.slice(0, Math.max(0, path.length - template.length));
  const body = template.map((seg) =>
    seg
      .split(/\{[^}/]+\}/)
      .map(escapeRegExp)
      .join('[^/]+'),
  );
  return new RegExp(`^/${[...base.map(escapeRegExp), ...body].join('/')}/?$`);
}

/**
 * An express app that applies the policy with `cors`, each path with the rules that hold
 * there, and answers every endpoint (the policy's, and an OpenAPI document's in `plan`).
 * `override` changes every path's cors options (the example API's deliberate mistakes).
 */
export function corsApp(policy: Policy, plan: EndpointPlan = resolveEndpoints(policy), override: CorsOptions = {}): express.Express {
  const endpoints = plan.endpoints.map((e) => ({ e, pattern: endpointPattern(e) }));
  const at = (path: string) => endpoints.find((x) => x.pattern.test(path))?.e;
  const app = express();
  app.disable('x-powered-by');
  app.use(
    cors((req, callback) => {
      const path = new URL(req.url ?? '/', 'http://cc.invalid').pathname;
      callback(null, { ...corsOptions(at(path)?.rules ?? rulesFor(plan.policy, path).rules), ...override });
    }),
  );
  app.use((req, res, next) => {
    const e = at(req.path);
    if (!e) return next();
    for (const h of e.rules.exposedHeaders) res.setHeader(h, 'cc-value');
    res.json({ path: e.declared, ok: true });
  });
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
