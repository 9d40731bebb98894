// explain's smallest fix, decided by the spec model over given responses: the fewest header
// changes that make the request work, lists grown rather than replaced, and no fix that would
// let every site in.
import { test, expect } from '@playwright/test';
import { smallestFix } from '../../explain/explain.ts';
import { parseExplainArgs } from '../../explain/request.ts';
import type { CaseResponse } from '../../model/case.ts';

const URL_ = 'http://127.0.0.1:3000/api/items';
const ok = (headers: Array<[string, string]>) => ({ status: 200, headers });

test('a refused origin: one header on the actual response', () => {
  const req = parseExplainArgs({ url: URL_, origin: 'https://evil.test' });
  const r: CaseResponse = { preflight: null, actual: ok([['Vary', 'Origin']]) };
  expect(smallestFix(req, r).server).toEqual([{ response: 'actual', header: ['Access-Control-Allow-Origin', 'https://evil.test'] }]);
});

test('credentials against "*": the origin and Allow-Credentials, or the request without credentials', () => {
  const req = parseExplainArgs({ url: URL_, origin: 'https://app.example.com', credentials: 'include' });
  const fix = smallestFix(req, { preflight: null, actual: ok([['Access-Control-Allow-Origin', '*']]) });
  expect(fix.server).toEqual([
    { response: 'actual', header: ['Access-Control-Allow-Origin', 'https://app.example.com'] },
    { response: 'actual', header: ['Access-Control-Allow-Credentials', 'true'] },
  ]);
  expect(fix.request.join('\n')).toMatch(/without credentials.*'\*' and credentials never go together/);
});

test('a method the preflight does not allow: the list grows, the rest of the preflight stays', () => {
  const req = parseExplainArgs({ url: URL_, origin: 'https://app.example.com', method: 'DELETE' });
  const preflight = {
    status: 204,
    headers: [
      ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ['Access-Control-Allow-Methods', 'GET, POST, PUT'],
    ] as Array<[string, string]>,
  };
  const fix = smallestFix(req, { preflight, actual: ok([['Access-Control-Allow-Origin', 'https://app.example.com']]) });
  expect(fix.server).toEqual([{ response: 'preflight', header: ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE'] }]);
  expect(fix.request).toContain('use GET or POST instead of DELETE');
});

test('an opaque origin gets no header fix: allowing null would let any site in', () => {
  const req = parseExplainArgs({ url: URL_, origin: 'null' });
  const fix = smallestFix(req, { preflight: null, actual: ok([]) });
  expect(fix.server).toBeNull();
  expect(fix.why).toMatch(/opaque origin.*serve the page from a real origin/);
});

test('a request that already works needs no change', () => {
  const req = parseExplainArgs({ url: URL_, origin: 'https://app.example.com' });
  expect(smallestFix(req, { preflight: null, actual: ok([['Access-Control-Allow-Origin', '*']]) })).toEqual({ server: [], why: null, request: [] });
});
