// A policy whose paths have rules of their own, and servers for it: one that reflects any
// origin with credentials on /api/* only, one that applies each path its rules.
import cors from 'cors';
import express from 'express';
import { corsApp, corsOptions, listen } from '../../adapters/express-cors.ts';
import { rulesFor, validatePolicy, type Policy } from '../../grade/input/policy.ts';
import type { Target } from './targets.ts';

export const APP = 'https://app.example.com';
export const ADMIN = 'https://admin.example.com';

/** /public/* is public without credentials; /api/* is two origins with credentials. */
export const SPLIT: Policy = validatePolicy({
  origins: [APP],
  methods: ['GET', 'PUT'],
  requestHeaders: ['Content-Type'],
  paths: [
    { path: '/public/*', origins: ['*'], methods: ['GET'], credentials: false },
    { path: '/api/*', origins: [APP, ADMIN], credentials: true },
    '/public/logo.txt',
    '/api/items',
  ],
});

/** /public/* as the policy says; /api/* reflects any origin with credentials. */
export function reflectsOnApi(): Promise<Target> {
  const app = express();
  app.use('/public', cors(corsOptions(rulesFor(SPLIT, '/public/logo.txt').rules)));
  app.use('/api', cors({ ...corsOptions(rulesFor(SPLIT, '/api/items').rules), origin: true }));
  app.all(['/public/logo.txt', '/api/items'], (_req, res) => {
    res.json({ ok: true });
  });
  return listen(app);
}

/** Each path its own rules. */
export function appliesEachPath(): Promise<Target> {
  return listen(corsApp(SPLIT));
}
