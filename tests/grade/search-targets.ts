// Servers built with real Node CORS libraries, configured the way people get origin checks
// wrong, each in a way the fixed battery's one origin per class does not reach: only the
// origin search finds them. Beside them, the same libraries configured correctly.
import cors from 'cors';
import express from 'express';
import Fastify from 'fastify';
import fastifyCors from '@fastify/cors';
import { corsOptions, listen } from '../../adapters/express-cors.ts';
import { validatePolicy, type Policy } from '../../grade/input/policy.ts';
import type { CauseCategory } from '../../grade/judge/causes.ts';
import type { Target } from './targets.ts';

const PATHS = ['/api/items'];

/** One exact origin, with credentials. */
export const EXACT_POLICY: Policy = validatePolicy({
  origins: ['https://app.example.com'],
  methods: ['GET', 'POST', 'PUT'],
  requestHeaders: ['Content-Type'],
  credentials: true,
  paths: PATHS,
});

/** Every subdomain of example.com over https, with credentials. */
export const PATTERN_POLICY: Policy = validatePolicy({
  origins: ['https://*.example.com'],
  methods: ['GET', 'POST', 'PUT'],
  requestHeaders: ['Content-Type'],
  credentials: true,
  paths: PATHS,
});

type OriginOption = cors.CorsOptions['origin'];

function withCors(policy: Policy, origin: OriginOption): Promise<Target> {
  const app = express();
  app.disable('x-powered-by');
  app.use(cors({ ...corsOptions(policy), origin }));
  app.all('/api/items', (_req, res) => void res.json({ ok: true }));
  return listen(app);
}

type OriginCheck = (origin: string) => boolean;

async function withFastify(policy: Policy, check: OriginCheck): Promise<Target> {
  const app = Fastify();
  await app.register(fastifyCors, {
    origin: (origin, cb) => {
      if (!origin) return cb(null, false);
      let ok = false;
      try {
        ok = check(origin);
      } catch {
        ok = false;
      }
      cb(null, ok);
    },
    methods: policy.methods,
    allowedHeaders: policy.requestHeaders,
    credentials: policy.credentials,
  });
  app.all('/api/items', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, stop: () => app.close() };
}

export interface SearchSelfTest {
  /** Its recordings' name (tests/fixtures/recorded/<engine>/search/<id>.json). */
  id: string;
  title: string;
  policy: Policy;
  start: () => Promise<Target>;
  /** The causes the grade must give; empty for a correct configuration. */
  causes: CauseCategory[];
}

export const SEARCH_SELF_TESTS: SearchSelfTest[] = [
  {
    // The pattern's regex has no end anchor: https://app.example.com.evil.test matches.
    id: 'pattern-without-end-anchor',
    title: 'express cors, a pattern regex without an end anchor',
    policy: PATTERN_POLICY,
    start: () => withCors(PATTERN_POLICY, /^https:\/\/[a-z0-9-]+\.example\.com/),
    causes: ['unanchored-match'],
  },
  {
    // Only the first dot is escaped: https://app.examplexcom matches.
    id: 'second-dot-unescaped',
    title: 'express cors, an exact-origin regex with its second dot unescaped',
    policy: EXACT_POLICY,
    start: () => withCors(EXACT_POLICY, /^https:\/\/app\.example.com$/),
    causes: ['unescaped-dot'],
  },
  {
    // The allowlist kept as one string and checked with includes(): every truncation matches.
    id: 'allowlist-includes',
    title: 'express cors, an allowlist string checked with includes()',
    policy: EXACT_POLICY,
    start: () => withCors(EXACT_POLICY, (origin, cb) => cb(null, 'https://app.example.com'.includes(origin ?? '-'))),
    causes: ['unanchored-match'],
  },
  {
    // The pattern's regex lets the scheme be http too.
    id: 'pattern-optional-s',
    title: 'express cors, a pattern regex with an optional "s"',
    policy: PATTERN_POLICY,
    start: () => withCors(PATTERN_POLICY, /^https?:\/\/[a-z0-9-]+\.example\.com$/),
    causes: ['scheme-not-checked'],
  },
  {
    // The host is checked with endsWith(), the scheme and the port not at all.
    id: 'fastify-ends-with',
    title: "fastify cors, a host check by endsWith('.example.com')",
    policy: PATTERN_POLICY,
    start: () => withFastify(PATTERN_POLICY, (o) => new URL(o).hostname.endsWith('.example.com')),
    causes: ['port-not-checked', 'scheme-not-checked'],
  },
  {
    id: 'exact-origin-correct',
    title: 'express cors, the exact origin (correct)',
    policy: EXACT_POLICY,
    start: () => withCors(EXACT_POLICY, ['https://app.example.com']),
    causes: [],
  },
  {
    id: 'anchored-pattern-correct',
    title: 'express cors, an anchored pattern regex (correct)',
    policy: PATTERN_POLICY,
    start: () => withCors(PATTERN_POLICY, /^https:\/\/([a-z0-9-]+\.)+example\.com$/),
    causes: [],
  },
  {
    id: 'fastify-parsed-url-correct',
    title: 'fastify cors, a parsed-URL check of scheme, host and port (correct)',
    policy: PATTERN_POLICY,
    start: () =>
      withFastify(PATTERN_POLICY, (o) => {
        const u = new URL(o);
        return u.protocol === 'https:' && u.port === '' && u.hostname.endsWith('.example.com') && u.origin === o;
      }),
    causes: [],
  },
];
