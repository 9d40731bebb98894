// An example API to grade: express with the cors middleware, configured from a policy file,
// each path with the rules that hold there; with --openapi, it also answers the document's paths.
//   tsx examples/server.ts [--policy examples/cors-policy.json] [--openapi examples/openapi.yaml]
//                          [--path-param name=value]... [--port 3000] [--reflect-any-origin]
// --reflect-any-origin builds the classic mistake on purpose (origin: true with credentials).
import { parseArgs } from 'node:util';
import { corsApp } from '../adapters/express-cors.ts';
import { parsePathParams, resolveEndpoints } from '../grade/input/endpoints.ts';
import { loadOpenApi } from '../grade/input/openapi.ts';
import { loadPolicy } from '../grade/input/policy.ts';

const { values } = parseArgs({
  options: {
    policy: { type: 'string', default: 'examples/cors-policy.json' },
    openapi: { type: 'string' },
    'path-param': { type: 'string', multiple: true },
    port: { type: 'string', default: '3000' },
    'reflect-any-origin': { type: 'boolean', default: false },
  },
});
const policy = loadPolicy(values.policy);
const params = parsePathParams(values['path-param']);
const api = values.openapi ? await loadOpenApi(values.openapi, params) : null;
const app = corsApp(policy, resolveEndpoints(policy, api, params), values['reflect-any-origin'] ? { origin: true, credentials: true } : {});
const server = app.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`example API on http://127.0.0.1:${values.port}${values['reflect-any-origin'] ? ' (reflecting any origin, on purpose)' : ''}`);
});
process.on('SIGTERM', () => server.close());
