// The fix as each framework's configuration: what the request needs in every framework's own
// terms, the framework told by the server's headers, and no configuration where no header change
// can work. (The Node frameworks' configurations are applied to real servers in
// tests/explain/frameworks.spec.ts.)
import { test, expect } from '@playwright/test';
import type { CaseResponse } from '../../model/case.ts';
import { explainRecorded } from '../../explain/explain.ts';
import { FRAMEWORKS, frameworkConfig, frameworkFromHeaders, parseFramework } from '../../explain/frameworks.ts';
import { parseExplainArgs } from '../../explain/request.ts';
import type { CaptureInfo } from '../../explain/capture/request.ts';

const INFO: CaptureInfo = { format: 'har', shape: null, entry: null, originFrom: 'Origin', leftOut: [], recorded: 'available', notes: [] };
const req = (origin = 'https://app.example.com') =>
  parseExplainArgs({ url: 'https://api.example.com/api/items', origin, method: 'DELETE', header: ['X-Api-Key: k'], credentials: 'include' });
const answers = (server: string): CaseResponse => ({
  preflight: {
    status: 204,
    headers: [
      ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Allow-Methods', 'GET, POST, PATCH'],
      ['Access-Control-Allow-Headers', 'x-api-key'],
      ['Server', server],
    ],
  },
  actual: {
    status: 200,
    headers: [
      ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Server', server],
    ],
  },
});

test('every framework: the origin, the method the preflight lacked beside the ones it allows, the header, credentials', () => {
  const x = explainRecorded(req(), answers('gunicorn'), INFO);
  expect(x.spec.outcome).toBe('blocked');
  for (const id of FRAMEWORKS) {
    const c = frameworkConfig(x, id);
    expect(c?.framework, id).toBe(id);
    expect(c?.chosenBy).toBe('option');
    expect(c?.policy).toEqual({
      origins: ['https://app.example.com'],
      originPatterns: [],
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      headers: ['x-api-key'],
      exposedHeaders: [],
      credentials: true,
    });
    const s = c?.snippet ?? '';
    // Apache and Caddy match it as a regular expression, its dots escaped.
    expect(s.replaceAll('\\', ''), id).toContain('https://app.example.com');
    expect(s, id).toMatch(/PATCH, DELETE|'PATCH', 'DELETE'|"PATCH", "DELETE"/);
    expect(s.toLowerCase(), id).toContain('x-api-key');
    expect(s, id).toMatch(
      /credentials: true|CREDENTIALS = True|supports_credentials=True|allow_credentials=True|Allow-Credentials|allowCredentials\(true\)|AllowCredentials\(\)/,
    );
  }
  expect(frameworkConfig(x, 'koa')?.caveats.join()).toMatch(/echoes every Origin/);
  expect(frameworkConfig(x, 'spring')?.caveats.join()).toMatch(/Not run here/);
});

test("the server's headers tell the framework; none is guessed where they do not", () => {
  expect(frameworkConfig(explainRecorded(req(), answers('nginx/1.27.3'), INFO), null)?.chosenBy).toBe('server-headers');
  expect(frameworkConfig(explainRecorded(req(), answers('nginx/1.27.3'), INFO), null)?.framework).toBe('nginx');
  expect(frameworkConfig(explainRecorded(req(), answers('gunicorn'), INFO), null)).toBeNull();
  expect(frameworkFromHeaders([['X-Powered-By', 'Express']])).toBe('express');
  expect(frameworkFromHeaders([['Server', 'uvicorn']])).toBe('starlette');
  expect(frameworkFromHeaders([['Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers']])).toBe('spring');
});

test('no configuration where no header change can work; none where nothing needs changing', () => {
  const opaque = frameworkConfig(explainRecorded(req('null'), answers('nginx'), INFO), 'express');
  expect(opaque?.snippet).toBe('');
  expect(opaque?.caveats[0]).toMatch(/cannot express a fix for this request/);
  const fine = answers('nginx');
  fine.preflight?.headers.splice(2, 1, ['Access-Control-Allow-Methods', 'DELETE']);
  expect(frameworkConfig(explainRecorded(req(), fine, INFO), 'express')).toBeNull();
});

test('--framework: names and aliases, anything else refused with the list', () => {
  expect(parseFramework('FastAPI')).toBe('starlette');
  expect(parseFramework('Express')).toBe('express');
  expect(() => parseFramework('rails')).toThrow(/--framework rails: use one of express, fastify, hono, koa, django/);
});
