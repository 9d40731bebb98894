// The report's reproduce lines: the OPTIONS curl asks what a browser's CORS-preflight request
// asks (only the CORS-unsafe names, the normalized method), and is shown only when a browser
// sends one, whatever preflight recipe the fixture has.
import { test, expect } from '@playwright/test';
import type { CaseRequest, CaseResponse } from '../../model/case.ts';
import type { CaseRecord } from '../../model/results.ts';
import { reproduce, shellQuote } from '../../report/reproduce.ts';
import { fixtureUrl } from '../../servers/recipe.ts';

/** A fixture that would answer a preflight: the recipe alone must not produce an OPTIONS line. */
const WITH_PREFLIGHT_RECIPE: CaseResponse = {
  preflight: {
    status: 204,
    headers: [
      ['Access-Control-Allow-Origin', 'http://a.test'],
      ['Access-Control-Allow-Methods', 'PUT'],
      ['Access-Control-Allow-Headers', 'X-Custom'],
    ],
  },
  actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'http://a.test']] },
};

function record(request: Partial<CaseRequest>): CaseRecord {
  return {
    id: 'reproduce/t',
    group: 'preflight',
    title: 't',
    request: { page: { origin: 'http://a.test' }, url: 'http://b.test/r', method: 'GET', headers: [], credentials: 'omit', mode: 'cors', ...request },
    response: WITH_PREFLIGHT_RECIPE,
    results: {},
  };
}

const PREFIX = `curl -si -x http://127.0.0.1:<proxy-port>`;
const urlOf = (r: CaseRecord): string => shellQuote(fixtureUrl(r.request.url, r.response));
const optionsLines = (r: CaseRecord): string[] => reproduce(r).curl.filter((l) => l.includes('-X OPTIONS'));

test('a safelisted plus a custom header: Access-Control-Request-Headers names only the custom one', () => {
  const r = record({
    headers: [
      ['Accept', 'text/plain'],
      ['X-Custom', '1'],
      ['Content-Language', 'en'],
    ],
  });
  expect(reproduce(r).curl).toEqual([
    `${PREFIX} -H 'Origin: http://a.test' -X OPTIONS -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: x-custom' ${urlOf(r)}`,
    // The actual request carries what the page set.
    `${PREFIX} -H 'Origin: http://a.test' -H 'Accept: text/plain' -H 'X-Custom: 1' -H 'Content-Language: en' ${urlOf(r)}`,
  ]);
});

test('forbidden headers are neither sent by fetch() nor asked for; a JSON Content-Type is', () => {
  const r = record({
    method: 'POST',
    headers: [
      ['Cookie', 'c=1'],
      ['Sec-Custom', '1'],
      ['Content-Type', 'application/json'],
    ],
    body: '{}',
  });
  expect(optionsLines(r)).toEqual([
    `${PREFIX} -H 'Origin: http://a.test' -X OPTIONS -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type' ${urlOf(r)}`,
  ]);
});

test('a lowercase put: the preflight asks for PUT and the actual request is sent as PUT', () => {
  const r = record({ method: 'put', body: 'x' });
  expect(reproduce(r).curl).toEqual([
    `${PREFIX} -H 'Origin: http://a.test' -X OPTIONS -H 'Access-Control-Request-Method: PUT' ${urlOf(r)}`,
    `${PREFIX} -H 'Origin: http://a.test' -X PUT --data-raw 'x' ${urlOf(r)}`,
  ]);
});

test('a lowercase patch is not normalized: it is asked for and sent as patch', () => {
  const r = record({ method: 'patch' });
  expect(optionsLines(r)[0]).toContain(`'Access-Control-Request-Method: patch'`);
  expect(reproduce(r).curl.at(-1)).toContain(' -X patch ');
});

test('a preflight recipe but no preflight: no OPTIONS line, only the actual request', () => {
  const noPreflight: Array<[string, CaseRecord]> = [
    ['a GET with only safelisted headers', record({ headers: [['Accept', 'text/plain']] })],
    ['a lowercase post (normalized to POST, safelisted)', record({ method: 'post' })],
    ['a POST whose string body adds Content-Type: text/plain;charset=UTF-8', record({ method: 'POST', body: 'x' })],
    ['a PUT with a custom header to a same-origin URL', record({ url: 'http://a.test/r', method: 'PUT', headers: [['X-Custom', '1']] })],
    ['a no-cors GET with a custom header', record({ mode: 'no-cors', headers: [['X-Custom', '1']] })],
    ['a PUT that new Request() refuses (a header value with a newline)', record({ method: 'PUT', headers: [['X-Custom', 'a\nb']] })],
  ];
  for (const [what, r] of noPreflight) {
    const { curl } = reproduce(r);
    expect(curl, what).toHaveLength(1);
    expect(curl[0], what).not.toContain('OPTIONS');
    expect(curl[0], what).not.toContain('Access-Control-Request-');
  }
});

test('an opaque-origin page is cross-origin even to its own host: the preflight carries Origin: null', () => {
  const r = record({ page: { origin: 'http://b.test', opaque: 'sandboxed-iframe' }, method: 'DELETE' });
  expect(optionsLines(r)).toEqual([`${PREFIX} -H 'Origin: null' -X OPTIONS -H 'Access-Control-Request-Method: DELETE' ${urlOf(r)}`]);
});
