// An example API to grade: express with the cors middleware, configured from a policy file.
//   tsx examples/server.ts [--policy examples/cors-policy.json] [--port 3000] [--reflect-any-origin]
// --reflect-any-origin builds the classic mistake on purpose (origin: true with credentials).
import { parseArgs } from 'node:util';
import express from 'express';
import cors from 'cors';
import { corsOptions } from '../adapters/express-cors.ts';
import { loadPolicy } from '../grade/policy.ts';

const { values } = parseArgs({
  options: {
    policy: { type: 'string', default: 'examples/cors-policy.json' },
    port: { type: 'string', default: '3000' },
    'reflect-any-origin': { type: 'boolean', default: false },
  },
});
const policy = loadPolicy(values.policy);
const options = corsOptions(policy);
const app = express();
app.disable('x-powered-by');
app.use(cors(values['reflect-any-origin'] ? { ...options, origin: true } : options));
for (const p of policy.paths) {
  app.all(p.path, (_req, res) => {
    for (const h of policy.exposedHeaders) res.setHeader(h, 'example');
    res.json({ path: p.path, ok: true });
  });
}
const server = app.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`example API on http://127.0.0.1:${values.port}${values['reflect-any-origin'] ? ' (reflecting any origin, on purpose)' : ''}`);
});
process.on('SIGTERM', () => server.close());
