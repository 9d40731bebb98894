// Real servers to grade, built on purpose: one configured correctly for the policy, one per
// misconfiguration class (with what grading must find on it), and targets that fail at the
// network level.
import express, { type RequestHandler } from 'express';
import cors from 'cors';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { corsApp, corsOptions, listen } from '../../adapters/express-cors.ts';
import { makeCertificate, makeCertificateAuthority } from '../../servers/certs.ts';
import { validatePolicy, type Policy } from '../../grade/input/policy.ts';
import type { FindingCategory } from '../../grade/judge/findings.ts';
import type { CauseCategory } from '../../grade/judge/causes.ts';

export const POLICY: Policy = validatePolicy({
  origins: ['https://app.example.com'],
  methods: ['GET', 'POST', 'PUT'],
  requestHeaders: ['Content-Type', 'X-Api-Key'],
  exposedHeaders: ['X-Request-Id'],
  credentials: true,
  maxAge: 600,
  paths: ['/api/items'],
});

export interface Target {
  url: string;
  stop(): Promise<void>;
}

function routes(app: express.Express): express.Express {
  app.all('/api/items', (_req, res) => {
    res.setHeader('X-Request-Id', 'cc-value');
    res.json({ ok: true });
  });
  return app;
}

function withCors(middleware: RequestHandler): Promise<Target> {
  const app = express();
  app.use(middleware);
  return listen(routes(app));
}

const base = corsOptions(POLICY);

export const TARGETS = {
  good: () => listen(corsApp(POLICY)),
  reflectAnyWithCredentials: () => withCors(cors({ ...base, origin: true })),
  // The README-style regex mistake: unanchored, dots unescaped.
  unanchoredRegex: () => withCors(cors({ ...base, origin: /app.example.com/ })),
  nullAllowed: () => withCors(cors({ ...base, origin: ['https://app.example.com', 'null'] })),
  httpAllowed: () => withCors(cors({ ...base, origin: ['https://app.example.com', 'http://app.example.com'] })),
  wildcardWithCredentials: () => withCors(cors({ ...base, origin: '*' })),
  // Hand-written CORS that reflects the allowed origin but forgets Vary: Origin.
  noVary: () =>
    withCors((req, res, next) => {
      if (req.headers.origin === 'https://app.example.com') {
        res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
        if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
          res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT');
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Api-Key');
          res.setHeader('Access-Control-Max-Age', '600');
          res.status(204).end();
          return;
        }
      }
      next();
    }),
  // CORS only on the route: 404s go out without CORS headers.
  noCorsOnErrors: () => {
    const app = express();
    app.all('/api/items', cors(base), (_req, res) => {
      res.setHeader('X-Request-Id', 'cc-value');
      res.json({ ok: true });
    });
    app.options('/api/items', cors(base));
    return listen(app);
  },
  pathPrefix: async () => {
    const app = express();
    app.use('/v1', corsApp(POLICY));
    const t = await listen(app);
    return { url: `${t.url}/v1`, stop: t.stop };
  },
  httpsSelfSigned: async (): Promise<Target> => {
    const cert = await makeCertificate(['127.0.0.1']);
    const server = https.createServer({ key: cert.key, cert: cert.cert }, corsApp(POLICY));
    return serve(server, 'https');
  },
  /** The server over https with a certificate from a private CA; `ca` is that CA's PEM. */
  httpsPrivateCa: async (): Promise<Target & { ca: string }> => {
    const ca = await makeCertificateAuthority('cors-conformance test CA');
    const cert = await makeCertificate(['127.0.0.1'], ca);
    const server = https.createServer({ key: cert.key, cert: cert.cert }, corsApp(POLICY));
    return { ...(await serve(server, 'https')), ca: ca.cert };
  },
  slow: () => {
    const app = express();
    app.use((_req, _res, next) => void setTimeout(next, 1_000));
    app.use(corsApp(POLICY));
    return listen(app);
  },
};

function serve(server: http.Server | https.Server, scheme: 'http' | 'https'): Promise<Target> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

/** Accepts connections and never answers. */
export function hanging(): Promise<Target> {
  return serve(
    http.createServer(() => {}),
    'http',
  );
}

/** Answers requests without an Origin (the reachability check), resets every CORS request. */
export function resetsCorsRequests(): Promise<Target> {
  const app = corsApp(POLICY);
  return serve(
    http.createServer((req, res) => {
      if (req.headers.origin) req.socket.destroy();
      else app(req, res);
    }),
    'http',
  );
}

/** A port nothing listens on. */
export async function down(): Promise<Target> {
  const t = await serve(http.createServer(), 'http');
  await t.stop();
  return t;
}

/** A server misconfigured on purpose, and what grading must say about it. */
export interface Misconfiguration {
  /** Its recordings' name (tests/fixtures/recorded/<engine>/grade/<id>.json). */
  id: string;
  title: string;
  start: () => Promise<Target>;
  found: FindingCategory[];
  absent: FindingCategory[];
  /** Whether an attacker page could read with the user's credentials. */
  credentialedRead: boolean;
  /** The root causes of low severity or above: one per mistake. */
  causes: CauseCategory[];
}

/** The attacks of the fixed battery, each an origin the policy does not allow. */
export const ATTACKS: FindingCategory[] = [
  'arbitrary-origin',
  'null-origin',
  'prefix-bypass',
  'suffix-bypass',
  'substring-bypass',
  'unescaped-dot',
  'special-character-bypass',
  'subdomain',
  'scheme-downgrade',
  'port-mismatch',
  'third-party-origin',
];

/** Findings made from outside the browsers (an OPTIONS check, an origin no browser can send). */
export const WITHOUT_A_BROWSER: FindingCategory[] = ['options-treated-as-preflight', 'unreachable-origin-accepted'];

export const MISCONFIGURATIONS: Misconfiguration[] = [
  {
    id: 'reflects-any-origin',
    title: 'reflects any origin, with credentials',
    start: TARGETS.reflectAnyWithCredentials,
    found: ['arbitrary-origin', 'null-origin', 'prefix-bypass', 'suffix-bypass', 'scheme-downgrade', 'third-party-origin'],
    absent: [],
    credentialedRead: true,
    causes: ['reflects-any-origin'],
  },
  {
    id: 'unanchored-regex',
    title: 'an unanchored regex with unescaped dots',
    start: TARGETS.unanchoredRegex,
    found: ['prefix-bypass', 'suffix-bypass', 'unescaped-dot', 'special-character-bypass', 'subdomain'],
    absent: ['arbitrary-origin', 'null-origin'],
    credentialedRead: true,
    causes: ['unanchored-match', 'unescaped-dot'],
  },
  {
    id: 'null-allowed',
    title: 'allows null',
    start: TARGETS.nullAllowed,
    found: ['null-origin'],
    absent: ['arbitrary-origin', 'prefix-bypass'],
    credentialedRead: true,
    causes: ['null-allowed'],
  },
  {
    id: 'http-allowed',
    title: 'allows the http twin of the https origin',
    start: TARGETS.httpAllowed,
    found: ['scheme-downgrade'],
    absent: ['arbitrary-origin', 'null-origin'],
    credentialedRead: true,
    causes: ['scheme-not-checked'],
  },
  // Anyone can read anonymously; no browser lets "*" carry credentials, so the intended
  // credentialed use breaks instead.
  {
    id: 'wildcard-with-credentials',
    title: 'answers * on a credentialed API',
    start: TARGETS.wildcardWithCredentials,
    found: ['wildcard-with-credentials', 'arbitrary-origin'],
    absent: ['intended-use-blocked'],
    credentialedRead: false,
    causes: ['wildcard-origin'],
  },
  {
    id: 'no-vary',
    title: 'reflects the allowed origin without Vary: Origin',
    start: TARGETS.noVary,
    found: ['missing-vary'],
    absent: [...ATTACKS, 'intended-use-blocked'],
    credentialedRead: false,
    causes: ['missing-vary'],
  },
  {
    id: 'no-cors-on-errors',
    title: 'sends no CORS headers on errors',
    start: TARGETS.noCorsOnErrors,
    found: ['error-response-without-cors'],
    absent: [...ATTACKS, 'intended-use-blocked'],
    credentialedRead: false,
    causes: ['error-response-without-cors'],
  },
];
