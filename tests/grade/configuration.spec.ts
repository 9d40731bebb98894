// The causes' fix in the target's own framework: a real express server that reflects every
// origin with credentials fails, and its grade names the framework from its headers and writes
// the policy as that framework's configuration. The configuration for each Node framework
// (express with cors, Fastify with @fastify/cors, Hono, Koa with @koa/cors), pasted as printed
// into a real server of that framework (tests/explain/frameworks/servers.mjs), then passes the
// same grading in this engine: the allowed origin and a subdomain of the pattern can read,
// the attackers cannot.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import cors from 'cors';
import express from 'express';
import { test, expect } from '../../suites/fixtures.ts';
import { grade } from '../../grade/run.ts';
import { configurationFor } from '../../grade/judge/configuration.ts';
import { validatePolicy } from '../../grade/input/policy.ts';
import { gradeSchemaErrors } from '../../model/schemas.ts';
import { moduleAround, type NodeFramework, serve } from '../explain/frameworks/servers.mjs';

const POLICY = validatePolicy({
  origins: ['https://app.example.com', 'https://*.partner.example.com'],
  methods: ['GET', 'POST', 'PUT'],
  requestHeaders: ['Content-Type', 'X-Api-Key'],
  credentials: true,
  maxAge: 600,
  paths: ['/api/items'],
});

const NODE_FRAMEWORKS: NodeFramework[] = ['express', 'fastify', 'hono', 'koa'];

test("the fix as the framework's configuration: pasted into a real server of each Node framework, the reflecting server's grade passes", async ({
  gradeSession,
}, testInfo) => {
  const reflecting = express();
  reflecting.use(cors({ origin: true, credentials: true }));
  reflecting.all('/api/items', (_req, res) => void res.json({ ok: true }));
  const before = await serve('express', reflecting);
  const r = await grade(gradeSession, { target: before.url, policy: POLICY, noSearch: true }).finally(() => before.stop());
  expect(r.verdict).toBe('fail');
  expect(gradeSchemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
  const reflects = r.causes.findIndex((c) => c.category === 'reflects-any-origin');
  expect(reflects, 'the cause').toBeGreaterThanOrEqual(0);
  // Express says its name (X-Powered-By), so the grade writes express without being asked.
  expect(r.configuration?.framework).toBe('express');
  expect(r.configuration?.chosenBy).toBe('server-headers');
  expect(r.configuration?.blocks.map((b) => b.paths)).toEqual([['/api/items']]);
  expect(r.configuration?.blocks[0]?.causes).toContain(reflects);

  for (const id of NODE_FRAMEWORKS) {
    const config = configurationFor(r.causes, r.policy, r.endpoints, { named: id, told: null });
    const snippet = config?.blocks[0]?.snippet ?? '';
    await testInfo.attach(`${id} configuration`, { body: snippet, contentType: 'text/plain' });
    expect(snippet, id).toContain("'https://app.example.com'");
    const file = testInfo.outputPath(`${id}-app.mjs`);
    writeFileSync(file, moduleAround(id, snippet));
    const app = ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
    const fixed = await serve(id, app);
    const after = await grade(gradeSession, { target: fixed.url, policy: POLICY, noSearch: true }).finally(() => fixed.stop());
    await testInfo.attach(`${id} grade after`, {
      body: JSON.stringify({ verdict: after.verdict, causes: after.causes, errors: after.errors }, null, 2),
      contentType: 'application/json',
    });
    expect(after.errors, id).toEqual([]);
    expect(
      after.causes.filter((c) => c.severity !== 'info').map((c) => c.category),
      id,
    ).toEqual([]);
    expect(after.verdict, id).toBe('pass');
    // The pattern's subdomain was an intended use that could read.
    expect(
      after.probes.some(
        (p) => p.kind === 'intended' && p.pageOrigin.endsWith('.partner.example.com') && Object.values(p.results).every((o) => o?.outcome === 'readable'),
      ),
      `${id}: a subdomain of the pattern could read`,
    ).toBe(true);
  }
});
