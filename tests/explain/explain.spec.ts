// `explain` end to end in this project's engine, against the example API: an allowed origin
// works; a refused origin, a credentialed request against "*" and a method the server does not
// allow are blocked, each with the browser's outcome, the standard's steps and a fix; the
// printed fix, applied to the server, makes the request work.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express from 'express';
import { test, expect } from '../../suites/fixtures.ts';
import { corsApp } from '../../adapters/express-cors.ts';
import { explain, type Explanation, type ServerChange } from '../../explain/explain.ts';
import { parseExplainArgs, type ExplainArgs } from '../../explain/request.ts';
import { loadPolicy } from '../../grade/input/policy.ts';
import { explainSchemaErrors } from '../../model/schemas.ts';
import { BROWSER_BLOCK_LINE } from '../../model/results.ts';
import type { GradeSession } from '../../pipeline/session.ts';

const POLICY = loadPolicy(new URL('../../examples/cors-policy.json', import.meta.url).pathname);

/** Serves `app`, with `changes` applied to its answers the way a developer would apply the fix. */
async function serve(app: express.Express, changes: readonly ServerChange[] = []): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    const mine = changes.filter((c) => c.response === (preflight ? 'preflight' : 'actual'));
    const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => http.ServerResponse;
    (res as unknown as { writeHead: (status: number, ...rest: unknown[]) => http.ServerResponse }).writeHead = (status, ...rest) => {
      for (const c of mine) if (c.header) res.setHeader(c.header[0], c.header[1]);
      return writeHead(mine.find((c) => c.status !== undefined)?.status ?? status, ...rest);
    };
    app(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A public endpoint that answers every origin with "*". */
function publicApp(): express.Express {
  const app = express();
  app.use(cors());
  app.get('/api/items', (_req, res) => void res.json({ ok: true }));
  return app;
}

async function run(session: GradeSession, args: Omit<ExplainArgs, 'engine'>, engineId: string): Promise<Explanation> {
  const x = await explain(session, parseExplainArgs({ ...args, engine: [engineId] }));
  expect(explainSchemaErrors(JSON.parse(JSON.stringify(x)))).toEqual([]);
  return x;
}

interface Blocked {
  title: string;
  app: () => express.Express;
  args: (url: string) => Omit<ExplainArgs, 'engine'>;
  /** A header the fix must set, on which response. */
  fixes: Array<[ServerChange['response'], string]>;
  /** A request change the explanation must offer, if any. */
  requestChange?: RegExp;
}

const BLOCKED: Blocked[] = [
  {
    title: 'a refused origin',
    app: () => corsApp(POLICY),
    args: (url) => ({ url: `${url}/api/items`, origin: 'https://evil.test' }),
    fixes: [['actual', 'Access-Control-Allow-Origin']],
  },
  {
    title: 'a credentialed request against "*"',
    app: publicApp,
    args: (url) => ({ url: `${url}/api/items`, origin: 'https://app.example.com', credentials: 'include' }),
    fixes: [
      ['actual', 'Access-Control-Allow-Origin'],
      ['actual', 'Access-Control-Allow-Credentials'],
    ],
    requestChange: /without credentials/,
  },
  {
    title: 'a method the server does not allow',
    app: () => corsApp(POLICY),
    args: (url) => ({ url: `${url}/api/items`, origin: 'https://app.example.com', method: 'DELETE' }),
    fixes: [['preflight', 'Access-Control-Allow-Methods']],
  },
];

test('explain: an allowed origin works, and the standard agrees', async ({ gradeSession, engineId }) => {
  const server = await serve(corsApp(POLICY));
  try {
    const x = await run(gradeSession, { url: `${server.url}/api/items`, origin: 'https://app.example.com' }, engineId ?? '');
    expect(x.engines[0]?.outcome).toBe('allowed');
    expect(x.spec.outcome).toBe('allowed');
    expect(x.works).toBe(true);
    expect(x.fix.server).toEqual([]);
  } finally {
    await server.stop();
  }
});

for (const b of BLOCKED) {
  test(`explain: ${b.title} is blocked, explained, and the printed fix makes it work`, async ({ gradeSession, engineId }, testInfo) => {
    const id = engineId ?? '';
    const before = await serve(b.app());
    let x: Explanation;
    try {
      x = await run(gradeSession, b.args(before.url), id);
    } finally {
      await before.stop();
    }
    await testInfo.attach('explanation', { body: JSON.stringify(x, null, 2), contentType: 'application/json' });
    const e = x.engines[0];
    expect(e?.outcome).toBe('blocked');
    expect(x.works).toBe(false);
    expect(x.spec.outcome).toBe('blocked');
    expect(x.spec.steps.length).toBeGreaterThan(1);
    expect(x.spec.steps.every((s) => s.anchor.startsWith('https://fetch.spec.whatwg.org/#'))).toBe(true);
    expect(e?.exchanges.length).toBeGreaterThan(0);
    // The browser's own console line, in every engine.
    expect(e?.browserMessage).toMatch(BROWSER_BLOCK_LINE);
    const server = x.fix.server ?? [];
    for (const [response, name] of b.fixes)
      expect(
        server.some((c) => c.response === response && c.header?.[0] === name),
        `${name} on the ${response} response`,
      ).toBe(true);
    if (b.requestChange) expect(x.fix.request.join('\n')).toMatch(b.requestChange);

    const after = await serve(b.app(), server);
    try {
      const fixed = await run(gradeSession, b.args(after.url), id);
      expect(fixed.engines[0]?.outcome, 'with the fix applied').toBe('allowed');
      expect(fixed.works).toBe(true);
    } finally {
      await after.stop();
    }
  });
}
