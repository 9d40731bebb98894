// `cors-conformance init` against a live target, without a browser: the draft's origins and
// headers are what the target answers today, its paths and methods the OpenAPI document's,
// every guess is listed under the draft field the gate refuses, a project's own config gets
// the lines to add printed, and no file is ever overwritten.
import { test, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRAFT_FIELD, initProject } from '../../cli/init.ts';
import { loadPolicy } from '../../grade/input/policy.ts';

/** Allows https://app.example.com (with credentials) and no other origin, as an allowlist does. */
async function allowlistServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const allowed = req.headers.origin === 'https://app.example.com';
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
      Vary: 'Origin',
      ...(allowed
        ? {
            'Access-Control-Allow-Origin': 'https://app.example.com',
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Expose-Headers': 'X-Request-Id',
            'Access-Control-Allow-Methods': 'GET, POST, PUT',
            'Access-Control-Allow-Headers': 'content-type, x-api-key',
            'Access-Control-Max-Age': '600',
          }
        : {}),
    });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-init-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('init drafts the policy from the document and the live target, every guess listed; the gate refuses it until the field is deleted', async () => {
  const server = await allowlistServer();
  try {
    const said: string[] = [];
    const code = await initProject(
      { target: server.url, openapi: 'examples/openapi.yaml', pathParams: { reportId: 'r-1' }, origins: ['https://app.example.com'], dir },
      (l) => said.push(l),
    );
    expect(code).toBe(0);
    const file = join(dir, 'cors-policy.json');
    const draft = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(draft.origins).toEqual(['https://app.example.com']);
    expect(draft.credentials).toBe(true);
    expect(draft.exposedHeaders).toEqual(['X-Request-Id']);
    expect(draft.maxAge).toBe(600);
    expect(draft.requestHeaders).toEqual(expect.arrayContaining(['Content-Type', 'X-Api-Key']));
    expect(draft.paths).toContainEqual({ path: '/v1/items', methods: ['GET', 'POST'] });
    const guesses = draft[DRAFT_FIELD] as string[];
    expect(guesses[0]).toMatch(/^paths: the \d+ path\(s\) of examples\/openapi.yaml/);
    expect(guesses).toContain(
      'origins[0] "https://app.example.com": the target allows it today (Access-Control-Allow-Origin: https://app.example.com, with credentials); keep it only if it is one of your front ends',
    );
    expect(said.some((l) => l.startsWith(`cors-policy.json is a draft: confirm each of its ${guesses.length} guess(es)`))).toBe(true);
    expect(() => loadPolicy(file)).toThrow(`${DRAFT_FIELD}: unknown field`);
    // Confirmed, it is a valid policy as it stands.
    delete draft[DRAFT_FIELD];
    writeFileSync(file, JSON.stringify(draft));
    expect(loadPolicy(file).origins).toEqual(['https://app.example.com']);
  } finally {
    await server.close();
  }
});

test("init never overwrites: a project's own files are left as they are, and its config gets the lines to add", async () => {
  writeFileSync(join(dir, 'playwright.config.ts'), "// the team's own\n");
  writeFileSync(join(dir, 'cors-policy.json'), '{"origins": ["https://mine.example"], "paths": ["/"]}\n');
  writeFileSync(join(dir, 'package.json'), '{"name": "cjs-project"}\n');
  const said: string[] = [];
  expect(await initProject({ pathParams: {}, origins: [], dir }, (l) => said.push(l))).toBe(0);
  expect(readFileSync(join(dir, 'playwright.config.ts'), 'utf8')).toBe("// the team's own\n");
  expect(readFileSync(join(dir, 'cors-policy.json'), 'utf8')).toContain('mine.example');
  expect(said).toContain('cors-policy.json: exists; left as it is');
  expect(said.find((l) => l.startsWith('playwright.config.ts: exists; left as it is. Add these lines'))).toContain('projects: [...corsProjects()]');
  expect(said).toContain('tests/cors.spec.ts: written');
  expect(said.some((l) => l.startsWith('package.json has no "type": "module"'))).toBe(true);
  const again: string[] = [];
  await initProject({ pathParams: {}, origins: [], dir }, (l) => again.push(l));
  expect(again.filter((l) => l.endsWith(': written'))).toEqual([]);
});
