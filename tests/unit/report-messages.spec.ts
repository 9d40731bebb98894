// The message page: browser messages normalised to one row per kind, each with the step of
// the standard that fails in its cases, and the share of blocked cases that carry one.
import { test, expect } from '@playwright/test';
import { browserMessage, messageTable, normaliseMessage } from '../../report/messages.ts';
import { loadResults } from '../../report/load.ts';
import type { EngineResult } from '../../model/results.ts';

const FIXTURE = new URL('../report/fixtures/results.json', import.meta.url).pathname;

test('URLs, origins, status codes, header names, methods and values become placeholders', () => {
  expect(
    normaliseMessage(
      "Access to fetch at 'http://b.test/r?cc_probe=x.chromium.y' from origin 'http://a.test' has been blocked by CORS policy: Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.",
    ),
  ).toBe(
    "Access to fetch at '<url>' from origin '<origin>' has been blocked by CORS policy: Request header field <header> is not allowed by Access-Control-Allow-Headers in preflight response.",
  );
  expect(
    normaliseMessage(
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.test/r?x=1. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.',
    ),
  ).toBe(
    'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at <url>. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: <status>.',
  );
  expect(normaliseMessage('Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200')).toBe(
    'Origin <origin> is not allowed by Access-Control-Allow-Origin. Status code: <status>',
  );
  expect(normaliseMessage('… (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘null’).')).toBe(
    '… (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘<value>’).',
  );
  expect(normaliseMessage('Origin null is not allowed by Access-Control-Allow-Origin.')).toBe('Origin <origin> is not allowed by Access-Control-Allow-Origin.');
  expect(normaliseMessage('Method PATCH is not allowed by Access-Control-Allow-Methods.')).toBe(
    'Method <method> is not allowed by Access-Control-Allow-Methods.',
  );
  expect(normaliseMessage("The 'Access-Control-Allow-Origin' header contains the invalid value ''*''. Have the server")).toBe(
    "The 'Access-Control-Allow-Origin' header contains the invalid value '<value>'. Have the server",
  );
});

test("the page's TypeError is not the browser's message", () => {
  const blocked: EngineResult = { outcome: 'blocked', preflight: false, status: null, reason: 'TypeError: Load failed', pageError: 'TypeError: Load failed' };
  expect(browserMessage(blocked)).toBeNull();
  expect(browserMessage({ ...blocked, reason: 'Origin http://a.test is not allowed by Access-Control-Allow-Origin. Status code: 200' })).not.toBeNull();
  expect(browserMessage({ ...blocked, outcome: 'allowed', reason: 'x' })).toBeNull();
});

test('each message is one row per engine, with its cases and the failing step of the standard', () => {
  const r = loadResults(FIXTURE);
  let n = 0;
  for (const c of r.cases) {
    const res = c.results.firefox;
    if (res?.outcome === 'blocked' && c.spec?.outcome === 'blocked') {
      res.reason = `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.test/${c.id}?n=${n++}. (Reason: CORS request did not succeed). Status code: (null).`;
    }
  }
  const t = messageTable(r);
  const firefox = t.rows.filter((x) => x.engine === 'firefox');
  expect(n).toBeGreaterThan(1);
  expect(firefox).toHaveLength(1);
  expect(firefox[0]?.cases).toHaveLength(n);
  expect(firefox[0]?.steps.reduce((a, s) => a + s.count, 0)).toBe(n);
  expect(firefox[0]?.steps.every((s) => s.anchor.startsWith('https://fetch.spec.whatwg.org/#'))).toBe(true);
  expect(t.coverage.firefox.withMessage).toBe(n);
  expect(t.coverage.firefox.blocked).toBeGreaterThanOrEqual(n);
});
