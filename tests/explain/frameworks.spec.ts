// The fix in the server's framework: for each Node framework that runs here (express with cors,
// Fastify with @fastify/cors, Hono, Koa with @koa/cors), a real server of that framework blocks
// the request (before); the configuration explain prints for that framework is pasted, as
// printed, into a module of that framework (tests/explain/frameworks/servers.mjs), and the
// request, made again in the engine, is allowed (after), as the spec model says it must be.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test, expect } from '../../suites/fixtures.ts';
import { explain } from '../../explain/explain.ts';
import { frameworkConfig } from '../../explain/frameworks.ts';
import { parseExplainArgs } from '../../explain/request.ts';
import { explainSchemaErrors } from '../../model/schemas.ts';
import { before, moduleAround, type NodeFramework, serve } from './frameworks/servers.mjs';

const NODE_FRAMEWORKS: NodeFramework[] = ['express', 'fastify', 'hono', 'koa'];

for (const id of NODE_FRAMEWORKS) {
  test(`--framework ${id}: the printed configuration, pasted into a real ${id} server, makes the blocked request work`, async ({
    gradeSession,
    engineId,
  }, testInfo) => {
    const request = (base: string) =>
      parseExplainArgs({
        url: `${base}/api/items`,
        origin: 'https://app.example.com',
        method: 'PUT',
        header: ['X-Api-Key: k1', 'Content-Type: application/json'],
        body: '{"name":"a"}',
        credentials: 'include',
        engine: [engineId ?? 'chromium'],
      });
    const blocking = await serve(id, await before[id]());
    const x = await explain(gradeSession, request(blocking.url)).finally(() => blocking.stop());
    expect(x.engines[0]?.outcome, 'before').toBe('blocked');
    expect(x.spec.outcome).toBe('blocked');

    const config = frameworkConfig(x, id);
    expect(config?.framework).toBe(id);
    const snippet = config?.snippet ?? '';
    await testInfo.attach(`${id} configuration`, { body: snippet, contentType: 'text/plain' });
    expect(explainSchemaErrors(JSON.parse(JSON.stringify({ ...x, config })))).toEqual([]);
    // What the request needs is in it: its origin, its method, its header, credentials.
    expect(snippet).toContain("'https://app.example.com'");
    expect(snippet).toContain("'PUT'");
    expect(snippet).toContain("'x-api-key'");
    expect(snippet).toContain('credentials: true');

    const file = testInfo.outputPath(`${id}-app.mjs`);
    writeFileSync(file, moduleAround(id, snippet));
    const app = ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
    const fixed = await serve(id, app);
    const after = await explain(gradeSession, request(fixed.url)).finally(() => fixed.stop());
    expect(after.spec.outcome, 'the spec model, after').toBe('allowed');
    expect(after.engines[0]?.outcome, 'after').toBe('allowed');
  });
}
