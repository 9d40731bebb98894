// The fix in the server's framework: for each Node framework that runs here (express with cors,
// Fastify with @fastify/cors, Hono, Koa with @koa/cors), a real server of that framework blocks
// the request (before); the configuration explain prints for that framework is pasted, as
// printed, into a module of that framework (tests/explain/frameworks/servers.mjs), and the
// request, made again in the engine, is allowed (after), as the spec model says it must be.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import getPort from 'get-port';
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

// Flask with flask-cors runs here too (Debian's python3-flask and python3-flask-cors): the
// printed configuration is pasted into a real Flask app, run with python3.
const FLASK_AROUND = (snippet: string) =>
  [
    'import sys',
    'from flask import Flask',
    '',
    'app = Flask(__name__)',
    '',
    snippet,
    '',
    '',
    "@app.route('/api/items', methods=['GET', 'POST', 'PUT', 'DELETE'])",
    'def items():',
    "    return {'ok': True}",
    '',
    '',
    "app.run(host='127.0.0.1', port=int(sys.argv[1]))",
    '',
  ].join('\n');

const flaskHere = spawnSync('python3', ['-c', 'import flask, flask_cors'], { stdio: 'ignore' }).status === 0;

async function runFlask(file: string): Promise<{ url: string; stop(): void }> {
  const port = await getPort({ host: '127.0.0.1' });
  const proc = spawn('python3', [file, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes(`http://127.0.0.1:${port}`)) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`python3 ${file} exited (${code}): ${err}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill() };
}

test('--framework flask: the printed configuration, pasted into a real Flask app, makes the blocked request work; Werkzeug names the framework', async ({
  gradeSession,
  engineId,
}, testInfo) => {
  test.skip(!flaskHere, 'python3 with flask and flask_cors is not installed here (Debian: python3-flask python3-flask-cors)');
  const request = (base: string) =>
    parseExplainArgs({
      url: `${base}/api/items`,
      origin: 'https://app.example.com',
      method: 'PUT',
      header: ['X-Api-Key: k1'],
      credentials: 'include',
      engine: [engineId ?? 'chromium'],
    });
  const beforeFile = testInfo.outputPath('before.py');
  writeFileSync(beforeFile, FLASK_AROUND("from flask_cors import CORS\n\nCORS(app, origins=['https://admin.example.com'], methods=['GET', 'POST'])"));
  const blocking = await runFlask(beforeFile);
  let x: Awaited<ReturnType<typeof explain>>;
  try {
    x = await explain(gradeSession, request(blocking.url));
  } finally {
    blocking.stop();
  }
  expect(x.engines[0]?.outcome, 'before').toBe('blocked');
  // The server's own Server header (Werkzeug) tells the framework; no --framework needed.
  const config = frameworkConfig(x, null);
  expect(config?.framework).toBe('flask');
  expect(config?.chosenBy).toBe('server-headers');
  const snippet = config?.snippet ?? '';
  await testInfo.attach('flask configuration', { body: snippet, contentType: 'text/plain' });
  const afterFile = testInfo.outputPath('after.py');
  writeFileSync(afterFile, FLASK_AROUND(snippet));
  const fixed = await runFlask(afterFile);
  try {
    const after = await explain(gradeSession, request(fixed.url));
    expect(after.spec.outcome, 'the spec model, after').toBe('allowed');
    expect(after.engines[0]?.outcome, 'after').toBe('allowed');
  } finally {
    fixed.stop();
  }
});
