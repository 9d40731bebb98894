// explain --from a HAR the engine wrote itself (Playwright's recordHar): the same request, the
// same verdict in the engine, the same spec verdict and the same fix as the equivalent flags;
// and once the server is gone, the spec model explains the request over the HAR's recorded
// answers, agreeing with what the engine did.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import cors from 'cors';
import express from 'express';
import { test, expect } from '../../suites/fixtures.ts';
import { explain } from '../../explain/explain.ts';
import { readCapture } from '../../explain/capture/request.ts';
import { type ExplainArgs, parseExplainArgs } from '../../explain/request.ts';
import { runExplain } from '../../explain/run.ts';
import { explainSchemaErrors } from '../../model/schemas.ts';
import { harEngine, pageServer, recordHar, type PageRequest } from './record-har.ts';

async function serve(app: express.Express): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface Case {
  title: string;
  app: (pageOrigin: string) => express.Express;
  request: (api: string) => PageRequest;
  verdict: 'allowed' | 'blocked';
}

const api = (app: express.Express) => {
  app.all('/api/items', (_req, res) => void res.json({ ok: true }));
  return app;
};

const CASES: Case[] = [
  {
    title: 'an allowed request with a header that needs a preflight',
    app: (origin) => api(express().use(cors({ origin, allowedHeaders: ['X-Api-Key', 'Content-Type'] }))),
    request: (u) => ({
      url: `${u}/api/items`,
      method: 'POST',
      headers: { 'X-Api-Key': 'k1', 'Content-Type': 'application/json' },
      body: '{"a":1}',
      credentials: 'same-origin',
    }),
    verdict: 'allowed',
  },
  {
    title: 'a method the preflight does not allow',
    app: (origin) => api(express().use(cors({ origin, methods: ['GET', 'POST'] }))),
    request: (u) => ({ url: `${u}/api/items`, method: 'DELETE', headers: {}, credentials: 'same-origin' }),
    verdict: 'blocked',
  },
  {
    title: 'a credentialed request against "*"',
    app: () => api(express().use(cors())),
    request: (u) => ({ url: `${u}/api/items`, method: 'GET', headers: {}, credentials: 'include' }),
    verdict: 'blocked',
  },
];

const flagsOf = (r: PageRequest, origin: string, engine: string): ExplainArgs => ({
  url: r.url,
  origin,
  method: r.method,
  header: Object.entries(r.headers).map(([n, v]) => `${n}: ${v}`),
  ...(r.body !== undefined ? { body: r.body } : {}),
  credentials: r.credentials,
  engine: [engine],
});

for (const c of CASES) {
  test(`explain --from a HAR: ${c.title}, the same verdict as the flags, also once the server is gone`, async ({
    gradeSession,
    engineId,
    browsers,
  }, testInfo) => {
    const id = engineId ?? 'chromium';
    const page = await pageServer();
    const server = await serve(c.app(page.origin));
    const harPath = testInfo.outputPath('capture.har');
    let recordedSays: string;
    try {
      const req = c.request(server.url);
      recordedSays = await recordHar(harEngine(id), browsers, page.origin, req, harPath);
      const har = readFileSync(harPath, 'utf8');
      await testInfo.attach('capture.har', { body: har, contentType: 'application/json' });
      expect(recordedSays.split(' ')[0], `what the page saw while the HAR was recorded in ${harEngine(id)}`).toBe(c.verdict);

      // The capture reads back as the request the flags give.
      const captured = readCapture(har, { engine: [id] });
      const flags = parseExplainArgs(flagsOf(req, page.origin, id));
      expect(captured.info.format).toBe('har');
      expect(captured.info.shape, 'the HAR names the browser that wrote it').toBe(harEngine(id));
      // Chromium's HAR lists only the provisional headers of a request it blocked: no Origin, a Referer.
      expect(['Origin', 'Referer']).toContain(captured.info.originFrom);
      expect(captured.request.url.href).toBe(flags.url.href);
      expect(captured.request.origin).toBe(flags.origin);
      expect(captured.request.method).toBe(flags.method);
      // Firefox's HAR (over WebDriver BiDi) carries no request body; explain says so and sends none.
      if (captured.request.body === null && flags.body !== null) expect(captured.info.notes.join('\n')).toMatch(/without request bodies/);
      else expect(captured.request.body).toBe(flags.body);
      const lower = (hs: ReadonlyArray<readonly [string, string]>) => hs.map(([n, v]) => `${n.toLowerCase()}: ${v}`).sort();
      expect(lower(captured.request.headers)).toEqual(lower(flags.headers));
      // A credentialed GET without a cookie in the jar sends none: the HAR cannot show 'include'.
      const credentials = captured.request.credentials === 'include' || req.credentials !== 'include' ? captured.request.credentials : 'include';
      const fromHar = { ...captured.request, credentials };

      const byFlags = await explain(gradeSession, flags);
      const byHar = await explain(gradeSession, fromHar);
      for (const x of [byFlags, byHar]) expect(explainSchemaErrors(JSON.parse(JSON.stringify(x)))).toEqual([]);
      expect(byFlags.engines[0]?.outcome).toBe(c.verdict);
      expect(byHar.engines[0]?.outcome).toBe(byFlags.engines[0]?.outcome);
      expect(byHar.spec.outcome).toBe(byFlags.spec.outcome);
      expect(byHar.fix).toEqual(byFlags.fix);
    } finally {
      await server.stop();
      await page.stop();
    }

    // The server is gone: the HAR's answers stand in for it, and the explanation says so; a
    // HAR that recorded no answer (the browser blocked the request before one) is refused.
    const credentials = c.request(server.url).credentials === 'include' ? 'include' : undefined;
    const options = { from: harPath, engine: [id], ...(credentials ? { credentials } : {}) };
    const recorded = readCapture(readFileSync(harPath, 'utf8')).recorded;
    if (c.verdict === 'allowed') expect(recorded, 'an allowed request has its answer in the HAR').not.toBeNull();
    if (!recorded) {
      await expect(runExplain(options, { browsers })).rejects.toThrow(/did not answer .*the HAR recorded no response for this request either/);
      return;
    }
    const offline = await runExplain(options, { browsers });
    expect(explainSchemaErrors(JSON.parse(JSON.stringify(offline)))).toEqual([]);
    expect(offline.engines).toEqual([]);
    expect(offline.capture?.recorded).toBe('used');
    expect(offline.capture?.notes.join('\n')).toMatch(/The server did not answer/);
    expect(offline.spec.outcome).toBe(c.verdict);
    expect(offline.works).toBe(c.verdict === 'allowed');
  });
}

// Each DevTools' "Copy as fetch" and "Copy as cURL" text (tests/unit/fixtures/captures/), pointed
// at a real server: a PUT with credentials and an Authorization header, which the server's
// preflight does not allow.
const TEXT_SAMPLES = [
  'chromium-fetch.txt',
  'chromium-fetch-node.txt',
  'firefox-fetch.txt',
  'webkit-fetch.txt',
  'chromium-curl-bash.txt',
  'chromium-curl-cmd.txt',
  'firefox-curl-bash.txt',
  'firefox-curl-cmd.txt',
  'webkit-curl-bash.txt',
];

test('explain --from "Copy as fetch" and "Copy as cURL" text of each DevTools: the flags\' request and verdict', async ({ gradeSession, engineId }) => {
  const id = engineId ?? 'chromium';
  const server = await serve(
    api(
      express().use(
        cors({
          origin: 'https://app.example.com',
          credentials: true,
          methods: ['GET', 'POST'],
          allowedHeaders: ['Authorization', 'Content-Type', 'X-Api-Key'],
        }),
      ),
    ),
  );
  try {
    const url = `${server.url}/api/items?id=7`;
    const flags = parseExplainArgs({
      url,
      origin: 'https://app.example.com',
      method: 'PUT',
      header: ['Authorization: Bearer s3cr3t-token', 'Content-Type: application/json', 'X-Api-Key: k1'],
      body: JSON.stringify({ name: `O'Brien & "co" 100%` }),
      credentials: 'include',
      engine: [id],
    });
    const byFlags = await explain(gradeSession, flags);
    expect(byFlags.engines[0]?.outcome).toBe('blocked');
    for (const file of TEXT_SAMPLES) {
      const text = readFileSync(new URL(`../unit/fixtures/captures/${file}`, import.meta.url), 'utf8').replaceAll(
        'https://api.example.com/api/items?id=7',
        url,
      );
      const { request } = readCapture(text, { engine: [id] });
      const lower = (hs: ReadonlyArray<readonly [string, string]>) => hs.map(([n, v]) => `${n.toLowerCase()}: ${v}`).sort();
      expect({ ...request, headers: lower(request.headers) }, file).toEqual({ ...flags, headers: lower(flags.headers) });
      const byText = await explain(gradeSession, request);
      expect(byText.engines[0]?.outcome, file).toBe(byFlags.engines[0]?.outcome);
      expect(byText.spec.outcome, file).toBe(byFlags.spec.outcome);
      expect(byText.fix, file).toEqual(byFlags.fix);
      // The Authorization value went to the server and appears nowhere in the explanation.
      expect(JSON.stringify(byText), file).not.toContain('s3cr3t-token');
    }
  } finally {
    await server.stop();
  }
});
